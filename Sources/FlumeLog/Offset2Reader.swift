/// The decoder of go-ssb offset2 logs, over the same `ByteSource` strategies as the other
/// formats (one source on `data`, one on `ofst`). An entry's id is its seq: `ofst[seq]` is the
/// offset of its frame in `data`, `int64 size | payload`; a negative size marks a nulled entry
/// whose `|size|` payload bytes are zeros. Records carry the seq as `offset` and `seq + 1` as
/// `nextOffset`, so every consumer that walks records by id walks seqs.
///
/// Every entry is checked as it is read: its offset must lie in `data`, and its frame must end
/// by `dataEnd` (the end the open check proved). A size field of `Int64.min` or one larger
/// than `data` is an error naming the seq and offset, never an allocation (the Rust seed
/// panics on both).
public struct Offset2Reader {
    let data: SourceDispatch
    let offsets: SourceDispatch
    /// Entries readable: seqs `0 ..< count`.
    public let count: Int64
    /// No frame is read past this offset of `data`.
    public let dataEnd: Int64
    public let directory: String

    init(data: any ByteSource, offsets: any ByteSource, count: Int64, dataEnd: Int64, directory: String) {
        self.data = SourceDispatch(data)
        self.offsets = SourceDispatch(offsets)
        self.count = count
        self.dataEnd = dataEnd
        self.directory = directory
    }

    var sources: [any ByteSource] { [data.source, offsets.source] }

    func fail(_ code: FlumeLogError.Code, file: String, at offset: Int64, _ message: String) throws(FlumeLogError) -> Never {
        for source in sources { try source.checkIntact(thorough: true) }
        throw FlumeLogError(code, file: directory + "/" + file, offset: offset, message: message)
    }

    /// Where entry `seq`'s frame starts in `data`, as `ofst` says.
    @inline(__always)
    public func frameOffset(of seq: Int64, hint: AccessHint) throws(FlumeLogError) -> Int64 {
        let bytes = try offsets.bytes(at: seq * 8, count: 8, hint: hint)
        return Int64(bigEndian: bytes.loadUnaligned(as: Int64.self))
    }

    /// Entry `seq` (in `0 ..< count`): its payload, borrowed until the next read, and whether
    /// it was nulled.
    @inline(__always)
    public func entry(_ seq: Int64, hint: AccessHint) throws(FlumeLogError) -> (record: Record, nulled: Bool) {
        try entry(seq, at: try frameOffset(of: seq, hint: hint), hint: hint)
    }

    /// Entry `seq`, whose frame `ofst` puts at `offset` (the caller read it, or holds the table).
    @inline(__always)
    func entry(_ seq: Int64, at offset: Int64, hint: AccessHint) throws(FlumeLogError) -> (record: Record, nulled: Bool) {
        guard offset >= 0, offset <= dataEnd - 8 else {
            try fail(.offsetOutOfRange, file: Offset2Files.names.offsets, at: seq * 8,
                     "seq \(seq): the offset table puts its frame at \(offset), outside data (0 ..< \(dataEnd))")
        }
        let head = try data.bytes(from: offset, atLeast: 8, hint: hint)
        let size = Int64(bigEndian: head.loadUnaligned(as: Int64.self))
        guard size != .min, abs(size) <= dataEnd - offset - 8 else {
            try fail(.truncatedFrame, file: Offset2Files.names.data, at: offset,
                     "seq \(seq): the frame claims \(size) bytes, past the end of data at \(dataEnd)")
        }
        let length = Int(abs(size))
        let bytes = head.count >= 8 + length ? head : try data.bytes(at: offset, count: 8 + length, hint: hint)
        return (Record(offset: seq, payload: UnsafeRawBufferPointer(rebasing: bytes[8..<8 + length]), nextOffset: seq + 1), size < 0)
    }

    /// Checks that a caller's seq names an entry: out-of-range seqs are errors in margaret's terms.
    func checkSeq(_ seq: Int64) throws(FlumeLogError) {
        guard seq >= 0 else {
            try fail(.invalidArgument, file: Offset2Files.names.offsets, at: seq, "seq \(seq) is negative (margaret: seek failed: invalid argument)")
        }
        guard seq < count else {
            try fail(.offsetOutOfRange, file: Offset2Files.names.offsets, at: seq,
                     count == 0 ? "the log is empty (margaret: end of stream)" : "seq \(seq) is past the last seq \(count - 1) (margaret: end of stream)")
        }
    }

    /// Entry `seq` as a caller named it: out-of-range seqs are errors in margaret's terms.
    public func checkedEntry(_ seq: Int64) throws(FlumeLogError) -> (record: Record, nulled: Bool) {
        try checkSeq(seq)
        return try entry(seq, hint: .random)
    }

    /// Appends `ofst`'s entries `table.count ..< count` to `table`, read in order.
    func loadOffsets(into table: inout [Int64]) throws(FlumeLogError) {
        table.reserveCapacity(Int(count))
        while Int64(table.count) < count {
            let seq = Int64(table.count), chunk = Int(min(count - seq, 512))
            let bytes = try offsets.bytes(at: seq * 8, count: chunk * 8, hint: .forward)
            for index in 0..<chunk { table.append(Int64(bigEndian: bytes.loadUnaligned(fromByteOffset: index * 8, as: Int64.self))) }
        }
    }

    /// A cursor positioned for a scan by seq (`gte`/`gt` forward, `lte`/`lt` in reverse).
    public func cursor(_ direction: ScanDirection = .forward, from start: ScanStart = .beginning,
                       deleted: DeletedRecords = .visible) throws(FlumeLogError) -> Offset2Cursor {
        func valid(_ seq: Int64) throws(FlumeLogError) -> Int64 {
            if seq == count, direction == .forward { return seq }
            _ = try checkedEntry(seq)
            return seq
        }
        let next: Int64 = switch (direction, start) {
        case (.forward, .beginning): 0
        case (.forward, .including(let seq)): try valid(seq)
        case (.forward, .after(let seq)): try valid(seq) + 1
        case (.reverse, .beginning): count - 1
        case (.reverse, .including(let seq)): try valid(seq)
        case (.reverse, .after(let seq)): try valid(seq) - 1
        }
        return Offset2Cursor(reader: self, direction: direction, deleted: deleted, seq: next)
    }
}
