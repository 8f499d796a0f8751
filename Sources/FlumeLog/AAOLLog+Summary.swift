/// What a full check of an AAOL file found: every record of every block walked forwards and
/// backwards (the two must meet the same records), and the bytes JS leaves unreachable.
public struct AAOLSummary: Equatable, Sendable {
    public var records = 0
    public var deletedRecords = 0
    public var payloadBytes: Int64 = 0
    public var largestPayload = 0
    public var blocks = 0
    /// Blocks holding non-zero bytes after their end-of-block marker: records behind a
    /// zero-length payload JS let through (JS never reads them either), as (marker offset,
    /// non-zero bytes after it).
    public var hiddenBytes: [(offset: Int64, count: Int)] = []
    /// Whole blocks after the last record's block that hold no record (AAOL never writes an
    /// empty block; JS streams a phantom deleted record at the first one's start).
    public var emptyTrailingBlocks = 0
    /// Where the first of them starts.
    public var firstEmptyTrailingBlock: Int64 = 0
    public var extent: AAOLExtent

    public init(extent: AAOLExtent) { self.extent = extent }

    public static func == (a: AAOLSummary, b: AAOLSummary) -> Bool {
        a.records == b.records && a.deletedRecords == b.deletedRecords && a.payloadBytes == b.payloadBytes
            && a.largestPayload == b.largestPayload && a.blocks == b.blocks && a.extent == b.extent
            && a.emptyTrailingBlocks == b.emptyTrailingBlocks
            && a.hiddenBytes.map(\.offset) == b.hiddenBytes.map(\.offset) && a.hiddenBytes.map(\.count) == b.hiddenBytes.map(\.count)
    }
}

extension AAOLLog {
    /// Walks every record forwards, checking each block's padding on the way; `thorough` walks
    /// backwards too (the reverse cursor checked against the forward one, a second read of the
    /// file). Throws the first damage (a record that does not fit its block, or the walks
    /// disagreeing). `spareCore`: nothing else runs beside this walk, so a large log is walked
    /// in two halves side by side, split at a block boundary (blocks are read independently:
    /// the halves find exactly what one walk finds).
    public func summarize(thorough: Bool = false, spareCore: Bool = false) throws(FlumeLogError) -> AAOLSummary {
        let walk: BlockWalk
        if spareCore, let halves = try walkInHalves() {
            walk = halves
        } else {
            walk = try walkBlocks(reader, 0..<blockCount)
        }
        var summary = AAOLSummary(extent: openedExtent)
        summary.records = walk.records
        summary.deletedRecords = walk.deletedRecords
        summary.payloadBytes = walk.payloadBytes
        summary.largestPayload = walk.largestPayload
        summary.hiddenBytes = walk.hiddenBytes
        if thorough {
            var reverse = try reader.cursor(.reverse)
            var reverseCount = 0
            var firstSeen: Int64?
            while let record = try reverse.next() {
                if firstSeen == nil { firstSeen = record.offset }
                reverseCount += 1
            }
            guard reverseCount == summary.records, firstSeen == walk.lastOffset else {
                throw FlumeLogError(.walksDisagree, file: path, offset: firstSeen ?? 0,
                                    message: "a reverse walk met \(reverseCount) records, a forward walk \(summary.records)")
            }
        }
        summary.blocks = blockCount
        let lastBlockEnd = reader.end == 0 ? 0 : reader.blockStart(of: reader.end - 1) + Int64(blockSize)
        summary.emptyTrailingBlocks = Int(max(0, openedExtent.fileSize - lastBlockEnd) / Int64(blockSize))
        summary.firstEmptyTrailingBlock = lastBlockEnd
        return summary
    }

    /// Blocks in the file, the last one partial or not.
    private var blockCount: Int { Int((openedExtent.fileSize + Int64(blockSize) - 1) / Int64(blockSize)) }

    /// What a forward walk of some blocks found.
    package struct BlockWalk {
        package var records = 0
        var deletedRecords = 0
        var payloadBytes: Int64 = 0
        var largestPayload = 0
        var lastOffset: Int64?
        package var hiddenBytes: [(offset: Int64, count: Int)] = []

        /// Adds a walk of the blocks after these.
        mutating func add(_ later: BlockWalk) {
            records += later.records
            deletedRecords += later.deletedRecords
            payloadBytes += later.payloadBytes
            largestPayload = max(largestPayload, later.largestPayload)
            lastOffset = later.lastOffset ?? lastOffset
            hiddenBytes += later.hiddenBytes
        }
    }

    /// Walks `blocks` forwards through `reader`: every record up to the end-of-block marker (as
    /// the forward cursor does), then the non-zero bytes after the marker, up to the valid end's
    /// block (records behind a zero-length payload JS let through).
    private func walkBlocks(_ reader: AAOLReader, _ blocks: Range<Int>) throws(FlumeLogError) -> BlockWalk {
        var walk = BlockWalk()
        let size = openedExtent.fileSize
        for index in blocks {
            let block = Int64(index) * Int64(blockSize)
            var position = block
            while position < reader.end, let record = try reader.entry(at: position, limit: reader.end, hint: .forward) {
                walk.records += 1
                walk.payloadBytes += Int64(record.length)
                walk.largestPayload = max(walk.largestPayload, record.length)
                if record.isDeleted { walk.deletedRecords += 1 }
                walk.lastOffset = record.offset
                position = record.nextOffset
            }
            let blockEnd = min(block + Int64(blockSize), size)
            // The marker itself (2 bytes) is zero; what follows should be too.
            let paddingStart = min(position + 2, blockEnd)
            // Past the valid end, and in a damaged last block, the bytes are the damage the
            // extent reports, not hidden records.
            let damagedBlock = openedExtent.isTorn && position == reader.end
            if paddingStart < blockEnd, block < reader.end, !damagedBlock {
                let padding = try reader.dispatch.bytes(at: paddingStart, count: Int(blockEnd - paddingStart), hint: .forward)
                let nonZero = padding.reduce(0) { $0 + ($1 == 0 ? 0 : 1) }
                if nonZero > 0 { walk.hiddenBytes.append((position, nonZero)) }
            }
        }
        try reader.source.checkIntact(thorough: false)
        return walk
    }

    /// `walkBlocks` of all blocks in two halves side by side, the second through a source of
    /// its own (see `OffsetFrameLog.summarizeInHalves`); nil under `halvesMinimumSize` or when
    /// no second source or thread can be had. The first half's damage, if any, is the whole
    /// walk's first; else the second half's.
    package func walkInHalves() throws(FlumeLogError) -> BlockWalk? {
        let blocks = blockCount
        guard openedExtent.fileSize >= halvesMinimumSize, blocks >= 2, let twin = reader.dispatch.twin() else { return nil }
        defer { twin.file.close() }
        let second = AAOLReader(source: twin.source, blockSize: blockSize, end: reader.end, path: reader.path)
        let middle = blocks / 2
        guard let (head, tail) = NamedThread.sideBySide(named: "flume-walk", { () throws(FlumeLogError) in
            try walkBlocks(reader, 0..<middle)
        }, { () throws(FlumeLogError) in
            try self.walkBlocks(second, middle..<blocks)
        }) else { return nil }
        var walk = try head.get()
        walk.add(try tail.get())
        return walk
    }
}
