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
        try flush()
        let seq = reader.count
        pending.add(payload, at: reader.dataEnd + Int64(pending.data.count))
        try flush()
        return seq
    }

    /// Appends one entry to a batch written by `flush()` (or the next `append`, or `sync`),
    /// one write per file for the batch, in margaret's order: the same bytes as appending each
    /// (conversions). The entry is not readable until then. Returns its seq.
    @discardableResult
    public func appendDeferred(_ payload: UnsafeRawBufferPointer) throws(FlumeLogError) -> Int64 {
        try requireWritable()
        let seq = reader.count + Int64(pending.count)
        pending.add(payload, at: reader.dataEnd + Int64(pending.data.count))
        if pending.data.count >= 1 << 20 { try flush() }
        return seq
    }

    /// Writes the batch: `jrnl` its last seq, `data` its frames, `ofst` their offsets; then
    /// margaret's check that the table's count matches the journal.
    public func flush() throws(FlumeLogError) {
        guard pending.count > 0 else { return }
        let first = reader.count, last = first + Int64(pending.count) - 1
        try files.journal.writeInt64(last, at: 0)
        try files.data.pwriteFully(pending.data, at: reader.dataEnd)
        try files.offsets.pwriteFully(pending.offsets, at: first * 8)
        let tableSeq = try files.offsets.size() / 8 - 1
        guard tableSeq == last else {
            throw FlumeLogError(.journalMismatch, file: directory + "/" + Offset2Files.names.offsets, offset: last * 8,
                                message: "after appending seq \(last) the offset table holds \(tableSeq + 1) entries (margaret: journal inconsistent)")
        }
        reader = Offset2Reader(data: reader.data.source, offsets: reader.offsets.source, count: last + 1,
                               dataEnd: reader.dataEnd + Int64(pending.data.count), directory: directory)
        pending = Offset2Batch()
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

    /// Writes any batch, then makes the three files durable.
    public func sync() throws(FlumeLogError) {
        try flush()
        try files.journal.sync()
        try files.data.sync()
        try files.offsets.sync()
    }
}

/// Frames and offsets appended but not yet written (`appendDeferred`).
struct Offset2Batch {
    var data: [UInt8] = []
    var offsets: [UInt8] = []
    var count = 0

    /// Adds a frame that will start at `offset` in `data`.
    mutating func add(_ payload: UnsafeRawBufferPointer, at offset: Int64) {
        withUnsafeBytes(of: Int64(payload.count).bigEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: payload)
        withUnsafeBytes(of: offset.bigEndian) { offsets.append(contentsOf: $0) }
        count += 1
    }
}
