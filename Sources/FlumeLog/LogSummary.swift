/// What a full structural check of a log found: every frame validated forwards and backwards.
public struct LogSummary: Equatable, Sendable {
    public var records = 0
    public var payloadBytes: Int64 = 0
    public var deletedRecords = 0
    public var emptyPayloads = 0
    public var largestPayload = 0
    public var extent: LogExtent

    public init(extent: LogExtent) { self.extent = extent }
}

extension OffsetFrameLog {
    /// Walks every frame forwards, then backwards, validating each; the two walks must meet
    /// the same frames. Throws the first damage found.
    public func summarize(extent: LogExtent) throws(FlumeLogError) -> LogSummary {
        var summary = LogSummary(extent: extent)
        var forward = try reader.cursor(.forward)
        while let record = try forward.next() {
            summary.records += 1
            summary.payloadBytes += Int64(record.length)
            summary.largestPayload = max(summary.largestPayload, record.length)
            if record.length == 0 { summary.emptyPayloads += 1 } else if record.isDeleted { summary.deletedRecords += 1 }
        }
        var reverse = try reader.cursor(.reverse)
        var reverseCount = 0
        var lastSeen: Int64?
        while let record = try reverse.next() {
            if lastSeen == nil { lastSeen = record.offset }
            reverseCount += 1
        }
        if reverseCount != summary.records || lastSeen != since {
            throw FlumeLogError(.walksDisagree, file: reader.path, offset: lastSeen ?? 0,
                                message: "a reverse walk met \(reverseCount) records, a forward walk \(summary.records)")
        }
        return summary
    }
}
