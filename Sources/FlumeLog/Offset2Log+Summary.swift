/// What one validating pass over an offset2 log found (`flumebench verify`).
public struct Offset2Summary: Sendable, Equatable {
    public var extent: Offset2Extent
    public var entries: Int64 = 0
    public var nulledEntries: Int64 = 0
    public var payloadBytes: Int64 = 0
    public var largestPayload = 0
    /// The first entry whose frame does not start where the previous one ends (margaret's
    /// `CheckConsistency` fails there; `Get` still reads it), nil when the frames chain.
    public var firstUnchainedSeq: Int64?
}

extension Offset2Log {
    /// Reads every entry forwards, checking that each frame starts where the previous ends
    /// (margaret's `CheckConsistency`), as the first entry's starts at 0; `inspect` sees each
    /// entry that was not nulled on the way (payload borrowed for the call).
    public func summarize(inspecting inspect: (Record) -> Void = { _ in }) throws(FlumeLogError) -> Offset2Summary {
        var summary = Offset2Summary(extent: openedExtent)
        var cursor = try reader.cursor(.forward, deleted: .visible)
        var expected: Int64 = 0
        var seq: Int64 = 0
        while let record = try cursor.next() {
            let offset = try reader.frameOffset(of: seq, hint: .forward)
            if offset != expected, summary.firstUnchainedSeq == nil { summary.firstUnchainedSeq = seq }
            expected = offset + 8 + Int64(record.payload.count)
            summary.entries += 1
            if cursor.lastNulled { summary.nulledEntries += 1 } else { inspect(record) }
            summary.payloadBytes += Int64(record.payload.count)
            summary.largestPayload = max(summary.largestPayload, record.payload.count)
            seq += 1
        }
        return summary
    }
}
