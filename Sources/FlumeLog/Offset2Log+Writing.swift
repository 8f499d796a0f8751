/// Writing as margaret's offset2 writes, byte for byte: no header, no padding, no fsync
/// (margaret syncs nothing; `sync()` is there for callers that want it).
extension Offset2Log {
    private func requireWritable() throws(FlumeLogError) {
        guard access == .readWrite else {
            throw FlumeLogError(.invalidArgument, file: directory, message: "the log was opened read-only")
        }
    }

    /// Appends one entry and returns its seq. margaret's three writes in its order: `jrnl` gets
    /// the new seq, `data` the frame at its end, `ofst` the frame's offset at its end; then its
    /// check that the table's count matches the journal.
    @discardableResult
    public func append(_ payload: UnsafeRawBufferPointer) throws(FlumeLogError) -> Int64 {
        try requireWritable()
        let seq = reader.count, offset = reader.dataEnd
        try files.journal.writeInt64(seq, at: 0)
        var frame = [UInt8](repeating: 0, count: 8 + payload.count)
        frame.withUnsafeMutableBytes { bytes in
            bytes.storeBytes(of: Int64(payload.count).bigEndian, as: Int64.self)
            if !payload.isEmpty { UnsafeMutableRawBufferPointer(rebasing: bytes[8...]).copyMemory(from: payload) }
        }
        try files.data.pwriteFully(frame, at: offset)
        try files.offsets.writeInt64(offset, at: seq * 8)
        let tableSeq = try files.offsets.size() / 8 - 1
        guard tableSeq == seq else {
            throw FlumeLogError(.journalMismatch, file: directory + "/" + Offset2Files.names.offsets, offset: seq * 8,
                                message: "after appending seq \(seq) the offset table holds \(tableSeq + 1) entries (margaret: journal inconsistent)")
        }
        reader = Offset2Reader(data: reader.data.source, offsets: reader.offsets.source, count: seq + 1,
                               dataEnd: offset + Int64(frame.count), directory: directory)
        return seq
    }

    @discardableResult
    public func append(_ payload: [UInt8]) throws(FlumeLogError) -> Int64 {
        try payload.withUnsafeBytes { bytes in Result { () throws(FlumeLogError) in try append(bytes) } }.get()
    }

    /// margaret's `Null(seq)`: the size field negated and the payload zeroed, the frame keeping
    /// its length. Nulling a nulled entry does nothing.
    public func null(_ seq: Int64) throws(FlumeLogError) {
        try requireWritable()
        let (record, nulled) = try reader.checkedEntry(seq)
        guard !nulled else { return }
        let length = record.payload.count
        let offset = try reader.frameOffset(of: seq, hint: .random)
        var frame = [UInt8](repeating: 0, count: 8 + length)
        frame.withUnsafeMutableBytes { $0.storeBytes(of: (-Int64(length)).bigEndian, as: Int64.self) }
        try files.data.pwriteFully(frame, at: offset)
        reader.sources.forEach { $0.invalidate() }
    }

    /// margaret's `Replace(seq, bytes)`: a payload no longer than the entry's, zero-padded to
    /// its length, the size field kept; a longer one is refused in margaret's words.
    public func replace(_ seq: Int64, with payload: [UInt8]) throws(FlumeLogError) {
        try requireWritable()
        let (record, _) = try reader.checkedEntry(seq)
        let length = record.payload.count
        guard payload.count <= length else {
            throw FlumeLogError(.valueTooLarge, file: directory, offset: seq,
                                message: "seq \(seq) holds \(length) bytes, the new payload \(payload.count) (margaret: offset2/replace: can't overwrite entry with larger data (diff:\(payload.count - length)))")
        }
        let offset = try reader.frameOffset(of: seq, hint: .random)
        try files.data.pwriteFully(payload + [UInt8](repeating: 0, count: length - payload.count), at: offset + 8)
        reader.sources.forEach { $0.invalidate() }
    }

    /// Makes the three files durable.
    public func sync() throws(FlumeLogError) {
        try files.journal.sync()
        try files.data.sync()
        try files.offsets.sync()
    }
}
