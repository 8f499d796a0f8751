/// A promise that the payloads a scan of a mapped offset log lends stay readable where they
/// are, after the call that lent them, until the lease ends: they are the page cache's own
/// pages, and a mapping replaced meanwhile (the file grew) is kept until then. A reader that
/// keeps them instead of copying them (a views feed, reading fields on another thread) ends
/// the lease once it has used them: `end()` then says whether the file was truncated under
/// them, since a vanished page reads as zeros (`BusErrorGuard`), not as a fault.
package final class PayloadLease {
    private let source: MappedSource
    private var ended = false

    fileprivate init(_ source: MappedSource) {
        self.source = source
        source.beginLease()
    }

    deinit { if !ended { source.endLease() } }

    /// Ends the lease; throws `truncatedFrame` when a page lent vanished, or the file shrank.
    package func end() throws(FlumeLogError) {
        guard !ended else { return }
        ended = true
        source.endLease()
        try source.checkIntact(thorough: true)
    }
}

extension ReadableLog {
    /// A lease on the payloads this log's scans lend (see `PayloadLease`); nil unless the log is
    /// a mapped offset log. Every other source lends out of a buffer the next read overwrites.
    package func leasePayloads() -> PayloadLease? {
        guard let log = self as? OffsetLog, case .mapped(let source) = log.reader.dispatch else { return nil }
        return PayloadLease(source)
    }
}
