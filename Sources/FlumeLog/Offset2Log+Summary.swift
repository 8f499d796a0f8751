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
    /// (margaret's `CheckConsistency`), as the first entry's starts at 0. `spareCore`: nothing
    /// else runs beside this walk, so a large log is walked in two halves side by side (see
    /// `walkInHalves`).
    public func summarize(spareCore: Bool = false) throws(FlumeLogError) -> Offset2Summary {
        var none = NoInspection()
        return try summarize(spareCore: spareCore, inspecting: &none)
    }

    /// `summarize`, with `inspector` seeing each entry that was not nulled.
    public func summarize<Inspector: RecordInspector>(spareCore: Bool = false,
                                                      inspecting inspector: inout Inspector) throws(FlumeLogError) -> Offset2Summary {
        var walk: EntryWalk
        if spareCore, let (halves, inspected) = try walkInHalves(inspector) {
            (walk, inspector) = (halves, inspected)
        } else {
            walk = try walkEntries(reader, 0..<reader.count, expecting: 0, inspecting: &inspector)
        }
        var summary = Offset2Summary(extent: openedExtent)
        summary.entries = walk.entries
        summary.nulledEntries = walk.nulledEntries
        summary.payloadBytes = walk.payloadBytes
        summary.largestPayload = walk.largestPayload
        summary.firstUnchainedSeq = walk.firstUnchainedSeq
        return summary
    }

    /// What a forward walk of some seqs found.
    package struct EntryWalk {
        var entries: Int64 = 0
        var nulledEntries: Int64 = 0
        var payloadBytes: Int64 = 0
        var largestPayload = 0
        var firstUnchainedSeq: Int64?
        /// Where the walk's first frame starts, and where its last one ends.
        var firstFrame: Int64?
        var end: Int64?

        /// Adds a walk of the seqs after these, from `seq` on: its first frame must start
        /// where this walk's last one ends.
        mutating func add(_ later: EntryWalk, from seq: Int64) {
            if firstUnchainedSeq == nil, let end, let start = later.firstFrame, start != end { firstUnchainedSeq = seq }
            firstUnchainedSeq = firstUnchainedSeq ?? later.firstUnchainedSeq
            entries += later.entries
            nulledEntries += later.nulledEntries
            payloadBytes += later.payloadBytes
            largestPayload = max(largestPayload, later.largestPayload)
            end = later.end ?? end
        }
    }

    /// Walks `seqs` forwards through `reader`, each frame read where `ofst` puts it and checked
    /// to start where the one before it ends (`expected`: where the first should start, nil
    /// when the walk before it checks that).
    private func walkEntries<Inspector: RecordInspector>(_ reader: Offset2Reader, _ seqs: Range<Int64>, expecting first: Int64?,
                                                         inspecting inspector: inout Inspector) throws(FlumeLogError) -> EntryWalk {
        var walk = EntryWalk()
        var expected = first
        for seq in seqs {
            let offset = try reader.frameOffset(of: seq, hint: .forward)
            if walk.firstFrame == nil { walk.firstFrame = offset }
            if let expected, offset != expected, walk.firstUnchainedSeq == nil { walk.firstUnchainedSeq = seq }
            let (record, nulled) = try reader.entry(seq, at: offset, hint: .forward)
            walk.entries += 1
            if nulled { walk.nulledEntries += 1 } else { inspector.inspect(record) }
            walk.payloadBytes += Int64(record.payload.count)
            walk.largestPayload = max(walk.largestPayload, record.payload.count)
            expected = offset + 8 + Int64(record.payload.count)
        }
        walk.end = expected
        for source in reader.sources { try source.checkIntact(thorough: false) }
        return walk
    }

    /// `walkEntries` of every seq in two halves side by side, the second through sources of its
    /// own (see `OffsetFrameLog.summarizeInHalves`), split at the first seq whose frame `ofst`
    /// puts past the middle of `data`. Entries are read by seq, so the halves find what one
    /// walk finds: the first half's damage, if any, is the whole walk's first, else the
    /// second's; the frames chain across the split when the second half's first frame starts
    /// where the first half's last ends. Nil under `halvesMinimumSize` or when no second
    /// source or thread can be had.
    package func walkInHalves<Inspector: RecordInspector>(_ inspector: Inspector) throws(FlumeLogError) -> (EntryWalk, Inspector)? {
        let count = reader.count
        guard reader.dataEnd >= halvesMinimumSize, count >= 2, let dataTwin = reader.data.twin() else { return nil }
        defer { dataTwin.file.close() }
        guard let offsetsTwin = reader.offsets.twin() else { return nil }
        defer { offsetsTwin.file.close() }
        let second = Offset2Reader(data: dataTwin.source, offsets: offsetsTwin.source, count: count,
                                   dataEnd: reader.dataEnd, directory: reader.directory)
        guard let middle = second.firstSeq(framedFrom: reader.dataEnd / 2) else { return nil }
        var head = inspector, tail = inspector
        guard let (walked, rest) = NamedThread.sideBySide(named: "flume-walk", { () throws(FlumeLogError) in
            try walkEntries(reader, 0..<middle, expecting: 0, inspecting: &head)
        }, { () throws(FlumeLogError) in
            try self.walkEntries(second, middle..<count, expecting: nil, inspecting: &tail)
        }) else { return nil }
        var walk = try walked.get()
        walk.add(try rest.get(), from: middle)
        head.add(tail)
        return (walk, head)
    }
}

extension Offset2Reader {
    /// The first seq in `1 ..< count` whose frame `ofst` puts at `offset` or later, searched
    /// as if the frames were in order (as margaret writes them; out of order, the seq found
    /// only splits a walk less evenly). Nil when there is none or `ofst` cannot be read (the
    /// whole walk will meet that).
    func firstSeq(framedFrom offset: Int64) -> Int64? {
        var low: Int64 = 1, high = count
        while low < high {
            let mid = low + (high - low) / 2
            guard let frame = try? frameOffset(of: mid, hint: .random) else { return nil }
            if frame < offset { low = mid + 1 } else { high = mid }
        }
        return low < count ? low : nil
    }
}
