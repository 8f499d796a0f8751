/// The decoder of async-append-only-log files (ssb-db2's `log.bipf`), over the same
/// `ByteSource` strategies as the offset log. The file is blocks of `blockSize` bytes; a block
/// holds records `u16le length | payload` back to back from its start, and a length of 0 ends
/// it (the rest is padding). A record's id is the offset of its length field.
///
/// Strict where JS reads on: a record must fit its block (JS checks that only on open, and
/// only in the last block); an offset a caller gives must be a record start (JS `get()` reads
/// a length wherever it is pointed). Nothing is read past `end`, the end of the last whole
/// record the open found (`AAOLExtent`).
public struct AAOLReader {
    public var source: any ByteSource { dispatch.source }
    let dispatch: SourceDispatch
    public let blockSize: Int
    /// The end of the last complete record: no record is read past it.
    public internal(set) var end: Int64
    public let path: String?

    /// The largest payload a block holds: `blockSize - 4` (its length field, and room for the EOB).
    public var largestPayload: Int { blockSize - 4 }

    public init(source: any ByteSource, blockSize: Int, end: Int64, path: String?) {
        dispatch = SourceDispatch(source)
        self.blockSize = blockSize
        self.end = end
        self.path = path
    }

    func fail(_ code: FlumeLogError.Code, at offset: Int64, _ message: String) throws(FlumeLogError) -> Never {
        try source.checkIntact(thorough: true)
        throw FlumeLogError(code, file: path, offset: offset, message: message)
    }

    @inline(__always)
    func blockStart(of offset: Int64) -> Int64 { offset - offset % Int64(blockSize) }

    /// What stands at `offset`, a position where a record may start: the record, or nil at the
    /// end of its block (a zero length, or no room left for a length). `limit` bounds reading
    /// (the valid end, or a damaged file's size while the extent is found).
    @inline(__always)
    func entry(at offset: Int64, limit: Int64, hint: AccessHint) throws(FlumeLogError) -> Record? {
        let inBlock = Int(offset % Int64(blockSize))
        guard inBlock + 2 <= blockSize, offset + 2 <= limit else { return nil }
        let head = try dispatch.bytes(from: offset, atLeast: 2, hint: hint)
        let length = Int(UInt16(littleEndian: head.loadUnaligned(as: UInt16.self)))
        if length == 0 { return nil }
        let next = offset + 2 + Int64(length)
        guard inBlock + 2 + length <= blockSize else {
            try fail(.truncatedFrame, at: offset,
                     "the record claims \(length) bytes, which would run past the end of its block at \(blockStart(of: offset) + Int64(blockSize))")
        }
        guard next <= limit else {
            try fail(.truncatedFrame, at: offset,
                     "the record claims \(length) bytes, which would end at \(next), past the end of the log at \(limit)")
        }
        let bytes = head.count >= 2 + length ? head : try dispatch.bytes(at: offset, count: 2 + length, hint: hint)
        return Record(offset: offset, payload: UnsafeRawBufferPointer(rebasing: bytes[2..<2 + length]), nextOffset: next)
    }

    /// The record at `offset`, which the caller knows to be a record start.
    @inline(__always)
    public func record(at offset: Int64, hint: AccessHint) throws(FlumeLogError) -> Record {
        guard let record = try entry(at: offset, limit: end, hint: hint) else {
            try fail(.notAFrameStart, at: offset, "an end-of-block marker stands here, not a record")
        }
        return record
    }

    /// Where the record after `record` starts, or `end` when it is the last.
    func following(_ record: Record) throws(FlumeLogError) -> Int64 {
        if try entry(at: record.nextOffset, limit: end, hint: .forward) != nil { return record.nextOffset }
        let nextBlock = blockStart(of: record.offset) + Int64(blockSize)
        return min(nextBlock, end)
    }

    /// Loads the block at `start` (up to `limit`) in one read, the window ending at the block's
    /// end and so holding the blocks before it too: a walk of the block is then window hits
    /// under the `.backward` hint, and a reverse scan reads every byte once.
    /// (`.random`: the block alone, for reads by offset.)
    func loadBlock(at start: Int64, limit: Int64, hint: AccessHint = .backward) throws(FlumeLogError) {
        _ = try dispatch.bytes(at: start, count: Int(min(Int64(blockSize), limit - start)), hint: hint)
    }

    /// The record starts in the block holding `offset`, in order, up to `end`.
    func recordStarts(inBlockOf offset: Int64, into starts: inout [Int64], hint: AccessHint = .backward) throws(FlumeLogError) {
        starts.removeAll(keepingCapacity: true)
        var position = blockStart(of: offset)
        guard position < end else { return }
        try loadBlock(at: position, limit: end, hint: hint)
        while position < end, let record = try entry(at: position, limit: end, hint: hint) {
            starts.append(position)
            position = record.nextOffset
        }
    }

    /// Decodes the record at an offset a caller supplied: range and record boundary are
    /// checked first (by walking its block), so an offset inside a payload is `.notAFrameStart`.
    public func checkedRecord(at offset: Int64) throws(FlumeLogError) -> Record {
        guard offset >= 0 else { try fail(.invalidArgument, at: offset, "offset \(offset) is negative") }
        guard offset < end else {
            try fail(.offsetOutOfRange, at: offset, end == 0 ? "the log is empty" : "offset \(offset) is beyond the log's end at \(end)")
        }
        var position = blockStart(of: offset)
        while position < offset, let record = try entry(at: position, limit: end, hint: .random) {
            position = record.nextOffset
        }
        guard position == offset else {
            try fail(.notAFrameStart, at: offset, "not the start of a record of its block")
        }
        return try record(at: offset, hint: .random)
    }

    /// A cursor positioned for a scan; throws when `start` names an offset that is not a record.
    public func cursor(_ direction: ScanDirection = .forward, from start: ScanStart = .beginning,
                       deleted: DeletedRecords = .visible) throws(FlumeLogError) -> AAOLCursor {
        var position: Int64
        switch (direction, start) {
        case (.forward, .beginning):
            position = 0
        case (.forward, .including(let offset)):
            position = offset == end ? end : try checkedRecord(at: offset).offset
        case (.forward, .after(let offset)):
            position = try following(try checkedRecord(at: offset))
        case (.reverse, .beginning):
            position = end
        case (.reverse, .including(let offset)):
            position = try checkedRecord(at: offset).nextOffset
        case (.reverse, .after(let offset)):
            position = offset == end ? end : try checkedRecord(at: offset).offset
        }
        return AAOLCursor(reader: self, direction: direction, deleted: deleted, position: position)
    }
}
