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
    /// Walks every record forwards and every block's padding; `thorough` walks backwards too
    /// (the reverse cursor checked against the forward one, a second read of the file). Throws
    /// the first damage (a record that does not fit its block, or the walks disagreeing).
    public func summarize(thorough: Bool = false) throws(FlumeLogError) -> AAOLSummary {
        var summary = AAOLSummary(extent: openedExtent)
        var cursor = try reader.cursor(.forward)
        var lastOffset: Int64?
        while let record = try cursor.next() {
            summary.records += 1
            summary.payloadBytes += Int64(record.length)
            summary.largestPayload = max(summary.largestPayload, record.length)
            if record.isDeleted { summary.deletedRecords += 1 }
            lastOffset = record.offset
        }
        if thorough {
            var reverse = try reader.cursor(.reverse)
            var reverseCount = 0
            var firstSeen: Int64?
            while let record = try reverse.next() {
                if firstSeen == nil { firstSeen = record.offset }
                reverseCount += 1
            }
            guard reverseCount == summary.records, firstSeen == lastOffset else {
                throw FlumeLogError(.walksDisagree, file: path, offset: firstSeen ?? 0,
                                    message: "a reverse walk met \(reverseCount) records, a forward walk \(summary.records)")
            }
        }
        summary.blocks = Int((openedExtent.fileSize + Int64(blockSize) - 1) / Int64(blockSize))
        summary.hiddenBytes = try hiddenBytes()
        let lastBlockEnd = reader.end == 0 ? 0 : reader.blockStart(of: reader.end - 1) + Int64(blockSize)
        summary.emptyTrailingBlocks = Int(max(0, openedExtent.fileSize - lastBlockEnd) / Int64(blockSize))
        summary.firstEmptyTrailingBlock = lastBlockEnd
        return summary
    }

    /// Non-zero bytes after each block's end-of-block marker, up to the valid end's block.
    private func hiddenBytes() throws(FlumeLogError) -> [(offset: Int64, count: Int)] {
        var found: [(offset: Int64, count: Int)] = []
        var block: Int64 = 0
        let size = openedExtent.fileSize
        while block < size {
            var position = block
            while position < reader.end, let record = try reader.entry(at: position, limit: reader.end, hint: .forward) {
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
                if nonZero > 0 { found.append((position, nonZero)) }
            }
            block += Int64(blockSize)
        }
        return found
    }
}
