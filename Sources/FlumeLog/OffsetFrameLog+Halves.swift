extension OffsetFrameLog {
    /// The forward walk of `summarize` in two halves side by side: from the first frame
    /// boundary past the middle, a second thread walks to the end through a source of its own
    /// (the same strategy, a descriptor of its own), while this one walks up to that boundary.
    /// Warm, the copy out of the page cache (or mmap's page faults) is most of a walk, and two
    /// cores copy nearly twice as fast as one (1 GiB: two `dd`s of its halves 70-90 ms, one of
    /// the whole 120-150 ms; `verify --strategy buffered` 131 -> 76 ms, `mmap` 164 -> 92 ms,
    /// `uring` 133 -> 83 ms). A thread reading the next window for one walk instead was no
    /// faster: the walker then waited on the other core's cache for every frame.
    ///
    /// The boundary is found by its trailer (the bytes before it hold its offset) and checked
    /// as a frame; the split counts only when the first half's walk, the ordinary one, ends
    /// exactly there, so the second walk started where a whole walk would have been: its
    /// counts, its end and its first damage are the whole walk's. Nil when the log is not
    /// walked in halves (under `halvesMinimumSize`, a source that cannot be opened twice, no
    /// boundary near the middle, or the first half failed or ended elsewhere): the caller walks
    /// it whole, which reports any damage in the first half as a whole walk does.
    package func summarizeInHalves(extent: LogExtent) throws(FlumeLogError) -> LogSummary? {
        guard reader.end >= halvesMinimumSize, let twin = reader.dispatch.twin() else { return nil }
        // The second thread may release its source after this closes the descriptor: no
        // source reads in `deinit` (uring's drain waits on requests the kernel holds the file for).
        defer { twin.file.close() }
        let second = LogReader(source: twin.source, width: reader.width, end: reader.end, path: reader.path)
        guard let middle = second.frameBoundary(from: reader.end / 2) else { return nil }
        var first = reader
        first.end = middle
        guard let (walked, rest) = NamedThread.sideBySide(named: "flume-walk", { () throws(FlumeLogError) in
            try first.walkForward(from: 0, extent: extent)
        }, { () throws(FlumeLogError) in
            try second.walkForward(from: middle, extent: extent)
        }) else { return nil }
        guard case .success(let head) = walked, head.position == middle else { return nil }
        let tail = try rest.get()
        try checkForwardWalk(endedAt: tail.position, lastRecord: tail.last ?? head.last)
        var summary = head.summary
        summary.add(tail.summary)
        return summary
    }
}

/// Logs shorter than this are walked whole (offset and AAOL logs): a second thread and source
/// cost more than half of their walk saves.
let halvesMinimumSize: Int64 = 32 << 20

extension LogReader {
    /// The first frame boundary at or after `offset` within a window's reach: a position the
    /// bytes before which hold it (a frame's trailer), where a valid frame starts. Nil when
    /// none is found (frames larger than the reach, damage), or on a read error (the whole walk
    /// will meet it).
    package func frameBoundary(from offset: Int64) -> Int64? {
        let trailer = width.byteCount
        let low = max(offset, overhead)
        let reach = min(Int64(64 << 10), end - low)
        guard reach > 0, let bytes = try? dispatch.bytes(at: low - Int64(trailer), count: Int(reach) + trailer, hint: .random)
        else { return nil }
        let base = bytes.baseAddress!
        var candidates = 0
        for step in 0..<Int(reach) where width.decode(from: base + step) == low + Int64(step) {
            let boundary = low + Int64(step)
            if (try? checkedFrame(at: boundary)) != nil { return boundary }
            candidates += 1
            if candidates == 16 { return nil }
        }
        return nil
    }
}
