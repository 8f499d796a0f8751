/// A promise that the payloads a scan of an offset log or an AAOL lends stay readable where
/// they are, after the call that lent them, until the lease holder releases them: a reader
/// that keeps them instead of copying them (a views feed, reading fields on another thread)
/// calls `release(upTo:)` as it finishes with records, and `end()` once it is done.
///
/// - `mmap`: they are the page cache's own pages, and a mapping replaced meanwhile (the file
///   grew) is kept until the lease ends. A page that vanishes (the file truncated) reads as
///   zeros (`BusErrorGuard`), not as a fault, so `end()` reports the truncation.
/// - `buffered`, `pread`: each load fills a fresh buffer from a pool, and the buffer it
///   replaced (or a large record's mapping) is kept until released.
/// - `uring` and memory logs lend no lasting payloads: they have no lease.
///
/// One lease at a time on a log: a release frees what the log lent under any lease.
package final class PayloadLease {
    private enum Lender {
        case mapped(MappedSource)
        case windowed(WindowedSource)
    }

    private let lender: Lender
    private var ended = false

    fileprivate init?(_ source: SourceDispatch) {
        switch source {
        case .mapped(let source):
            lender = .mapped(source)
            source.beginLease()
        case .windowed(let source):
            lender = .windowed(source)
            source.beginLease()
        case .memory, .other:
            return nil
        }
    }

    deinit { if !ended { endLease() } }

    private func endLease() {
        switch lender {
        case .mapped(let source): source.endLease()
        case .windowed(let source): source.endLease()
        }
    }

    /// The records ending at or before file offset `end` are no longer used.
    package func release(upTo end: Int64) {
        if case .windowed(let source) = lender { source.release(upTo: end) }
    }

    /// Ends the lease; throws `truncatedFrame` when a page lent vanished, or the file shrank.
    package func end() throws(FlumeLogError) {
        guard !ended else { return }
        ended = true
        endLease()
        switch lender {
        case .mapped(let source):
            try source.checkIntact(thorough: true)
        case .windowed(let source):
            try source.checkIntact(thorough: false)
            try source.checkLentIntact()
        }
    }
}

extension ReadableLog {
    /// A lease on the payloads this log's scans lend (see `PayloadLease`); nil for logs whose
    /// payloads do not outlast their call: `uring`'s and memory logs'. Nil for offset2 too: its
    /// records are converted on the way in, so nothing of the log's is kept.
    package func leasePayloads() -> PayloadLease? {
        switch self {
        case let log as OffsetLog: PayloadLease(log.reader.dispatch)
        case let log as AAOLLog: PayloadLease(log.reader.dispatch)
        default: nil
        }
    }
}
