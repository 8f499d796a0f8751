#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension AAOLLog {
    /// Creates a new, empty AAOL file at `path` (refused when anything is there, a link
    /// included) and opens it read-write.
    public static func create(_ path: String, blockSize: Int = defaultBlockSize,
                              strategy: ReaderStrategy = .standard) throws(FlumeLogError) -> AAOLLog {
        try FileDescriptor.createExclusive(path).close()
        return try AAOLLog(path: path, blockSize: blockSize, access: .readWrite, strategy: strategy)
    }

    /// Appends one record and returns its offset: into the current block when its length
    /// field, payload and a 2-byte end-of-block marker fit, else at the start of the next;
    /// the block is written whole, as JS writes it. Empty payloads (JS writes an end-of-block
    /// marker and loses the rest of the block) and payloads over `blockSize - 4` are refused.
    @discardableResult
    public func append(_ payload: some Collection<UInt8>) throws(FlumeLogError) -> Int64 {
        let offset = try place(payload)
        try writeBlock()
        return offset
    }

    /// Appends records one by one, as JS `append([...])` places them, writing each block once:
    /// the same bytes as one `append` per record, for conversions. Returns each record's offset.
    @discardableResult
    public func append<Payloads: Sequence>(contentsOf payloads: Payloads) throws(FlumeLogError) -> [Int64]
        where Payloads.Element: Collection<UInt8> {
        var offsets: [Int64] = []
        for payload in payloads { offsets.append(try place(payload)) }
        try writeBlock()
        return offsets
    }

    /// Appends records as one unit, as JS `appendTransaction` places them: all in the current
    /// block when they fit there together with the end-of-block marker, else all from the start
    /// of the next, even when the first would have fitted. Refused, with nothing written, when
    /// together they exceed a block or one is empty. Returns each record's offset.
    @discardableResult
    public func appendTransaction<Payloads: Collection>(_ payloads: Payloads) throws(FlumeLogError) -> [Int64]
        where Payloads.Element: Collection<UInt8> {
        try requireWritable()
        guard !payloads.isEmpty else { return [] }
        let size = payloads.reduce(2) { $0 + 2 + $1.count }
        if let empty = payloads.firstIndex(where: \.isEmpty) {
            throw FlumeLogError(.invalidArgument, file: path, offset: end,
                                message: "payload \(payloads.distance(from: payloads.startIndex, to: empty)) of the transaction is empty (it would read as an end-of-block marker)")
        }
        guard size <= blockSize else {
            throw FlumeLogError(.valueTooLarge, file: path,
                                message: "the transaction's \(payloads.count) records take \(size) bytes with their length fields and the end-of-block marker; a block holds \(blockSize)")
        }
        if max(end, blockStart) - blockStart + Int64(size) > Int64(blockSize) { try startNextBlock() }
        var offsets: [Int64] = []
        offsets.reserveCapacity(payloads.count)
        for payload in payloads { offsets.append(try place(payload)) }
        try writeBlock()
        return offsets
    }

    /// Appends one record like `append`, but writes its block only once the block is full or
    /// at `sync()`, as JS's debounced flush does: for streams of appends (conversions).
    @discardableResult
    public func appendDeferred(_ payload: some Collection<UInt8>) throws(FlumeLogError) -> Int64 {
        try place(payload)
    }

    /// Puts a record into the block buffer (writing out a full block first) and returns its offset.
    private func place(_ payload: some Collection<UInt8>) throws(FlumeLogError) -> Int64 {
        try requireWritable()
        let length = payload.count
        guard length > 0 else {
            throw FlumeLogError(.invalidArgument, file: path, offset: end,
                                message: "a zero-length payload would read as an end-of-block marker (JS writes it, and loses the rest of the block)")
        }
        guard length <= reader.largestPayload else {
            throw FlumeLogError(.valueTooLarge, file: path, message: "a \(length)-byte payload does not fit a \(blockSize)-byte block (at most \(reader.largestPayload))")
        }
        // After a transaction moved to a new block, the block starts past the last record.
        var offset = max(end, blockStart)
        if offset - blockStart + 2 + Int64(length) + 2 > Int64(blockSize) {
            try startNextBlock()
            offset = blockStart
        }
        let inBlock = Int(offset - blockStart)
        block.withUnsafeMutableBytes { out in
            out[inBlock] = UInt8(truncatingIfNeeded: length)
            out[inBlock + 1] = UInt8(truncatingIfNeeded: length >> 8)
            let target = UnsafeMutableRawBufferPointer(rebasing: out[(inBlock + 2)..<(inBlock + 2 + length)])
            let copied: Void? = payload.withContiguousStorageIfAvailable { target.copyMemory(from: UnsafeRawBufferPointer($0)) }
            if copied == nil { target.copyBytes(from: payload) }
        }
        blockDirty = true
        reader.end = offset + 2 + Int64(length)
        since = offset
        return offset
    }

    /// Writes out the current block and starts the next, empty: appends go to its start.
    private func startNextBlock() throws(FlumeLogError) {
        try writeBlock()
        blockStart += Int64(blockSize)
        block.withUnsafeMutableBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) }
    }

    /// Writes the current block whole, when it changed.
    private func writeBlock() throws(FlumeLogError) {
        guard blockDirty else { return }
        try file.pwriteFully(block, at: blockStart)
        reader.source.invalidate()
        blockDirty = false
    }

    /// Deletes as JS `del()` does: the payload becomes zero bytes, its length stays, and
    /// `<log>.stats` (`{"deletedBytes":N}`, length fields counted) is rewritten atomically.
    public func delete(at offset: Int64) throws(FlumeLogError) {
        try requireWritable()
        let length = try reader.checkedRecord(at: offset).length
        try file.pwriteFully([UInt8](repeating: 0, count: length), at: offset + 2)
        if offset >= blockStart {
            let inBlock = Int(offset - blockStart) + 2
            for index in inBlock..<inBlock + length { block[index] = 0 }
        }
        reader.source.invalidate()
        deletedBytes += 2 + Int64(length)
        try AtomicFile.write(Array(#"{"deletedBytes":\#(deletedBytes)}"#.utf8), to: path + ".stats")
    }

    /// Writes what deferred appends left in the current block, and makes every append durable.
    public func sync() throws(FlumeLogError) {
        try writeBlock()
        try file.sync()
    }

    /// Writes what deferred appends left in the current block, without waiting for the disk.
    public func flush() throws(FlumeLogError) {
        try writeBlock()
    }

    /// `deletedBytes` of `<log>.stats`, 0 when there is none.
    static func readStats(_ path: String) -> Int64 {
        guard let descriptor = try? FileDescriptor.open(path + ".stats", .readOnly) else { return 0 }
        defer { descriptor.close() }
        var bytes = [UInt8](repeating: 0, count: 256)
        let count = (try? bytes.withUnsafeMutableBytes { buffer in
            Result { () throws(FlumeLogError) in try descriptor.preadFully(into: buffer, at: 0) }
        }.get()) ?? 0
        let key = Array(#""deletedBytes":"#.utf8)
        guard count >= key.count,
              let at = (0...(count - key.count)).first(where: { bytes[$0..<$0 + key.count].elementsEqual(key) }) else { return 0 }
        let digits = bytes[(at + key.count)..<count].prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        return Int64(String(decoding: digits, as: UTF8.self)) ?? 0
    }

    private func requireWritable() throws(FlumeLogError) {
        guard access == .readWrite else {
            throw FlumeLogError(.invalidArgument, file: path, message: "the log is open read-only")
        }
    }
}
