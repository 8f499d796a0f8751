/// What a full structural check of a log found: every frame validated (forwards; backwards too
/// when thorough).
public struct LogSummary: Equatable, Sendable {
    public var records = 0
    public var payloadBytes: Int64 = 0
    public var deletedRecords = 0
    public var emptyPayloads = 0
    public var largestPayload = 0
    public var extent: LogExtent

    public init(extent: LogExtent) { self.extent = extent }

    /// Counts one record of a forward walk.
    @inline(__always)
    public mutating func count(_ record: Record) {
        records += 1
        payloadBytes += Int64(record.length)
        largestPayload = max(largestPayload, record.length)
        if record.length == 0 { emptyPayloads += 1 } else if record.isDeleted { deletedRecords += 1 }
    }

    /// Adds the counts of a walk over the records after this one's.
    mutating func add(_ later: LogSummary) {
        records += later.records
        payloadBytes += later.payloadBytes
        deletedRecords += later.deletedRecords
        emptyPayloads += later.emptyPayloads
        largestPayload = max(largestPayload, later.largestPayload)
    }
}

extension LogReader {
    /// Counts the records of a forward walk from `start`: what it counted, where it ended, and
    /// its last record's offset.
    func walkForward(from start: Int64, extent: LogExtent) throws(FlumeLogError) -> (summary: LogSummary, position: Int64, last: Int64?) {
        var summary = LogSummary(extent: extent)
        var forward = try cursor(.forward, from: start == 0 ? .beginning : .including(start))
        var last: Int64?
        while let record = try forward.next() {
            summary.count(record)
            last = record.offset
        }
        return (summary, forward.position, last)
    }
}

extension OffsetFrameLog {
    /// Validates every frame in one forward walk (lengths equal, trailer equal to the frame's
    /// end), which must end exactly at the valid end with the last frame at `since`: frames
    /// that abut from 0 to the end are the frames a backward walk meets, so it adds nothing.
    /// `thorough` walks backwards too (the reverse decoder checked against the forward one);
    /// it reads the file a second time. Throws the first damage found. `spareCore`: nothing
    /// else runs beside this walk, so a large log is walked in two halves side by side
    /// (`summarizeInHalves`).
    public func summarize(extent: LogExtent, thorough: Bool = false, spareCore: Bool = false) throws(FlumeLogError) -> LogSummary {
        let summary: LogSummary
        if spareCore, let halves = try summarizeInHalves(extent: extent) {
            summary = halves
        } else {
            let walk = try reader.walkForward(from: 0, extent: extent)
            try checkForwardWalk(endedAt: walk.position, lastRecord: walk.last)
            summary = walk.summary
        }
        guard thorough else { return summary }
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

    /// A whole forward walk must end exactly at the valid end with its last record at `since`:
    /// then it met every frame a backward walk meets. Throws `walksDisagree` otherwise.
    public func checkForwardWalk(endedAt position: Int64, lastRecord: Int64?) throws(FlumeLogError) {
        guard position != reader.end || lastRecord != since else { return }
        throw FlumeLogError(.walksDisagree, file: reader.path, offset: position,
                            message: "the forward walk ended at \(position) with its last record at \(lastRecord ?? -1); "
                                + "the log ends at \(reader.end) with its last record at \(since ?? -1)")
    }
}
