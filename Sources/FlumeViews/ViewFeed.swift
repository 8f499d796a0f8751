import FlumeLog
import FlumeSSB
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One pass of records into a set of views, a batch at a time. With a worker thread, reading
/// the records' fields (most of the work) overlaps everything else: the worker reads a filled
/// batch while the calling thread fills the next; then the calling thread helps read what is
/// left of it, starts the worker on the next, and applies the one read to the views. The
/// worker never reads a batch still being filled: chasing the filling thread's writes, as it
/// once did, made rebuilds 1.05-1.14x slower (views-only suites, paired by run). The views are
/// only ever touched by the calling thread, in log order, each with only the records past its
/// own position; so what they allocate is the caller's, as a single-threaded feed's would be.
/// A feed of fewer than `parallelThreshold` records, or on one core, stays on the calling
/// thread.
final class ViewFeed: @unchecked Sendable {
    static let parallelThreshold = 256

    private let views: [SSBView]
    /// Per view: the offset of the last record it has seen (-1: none), and how many it took.
    private var positions: [Int64]
    private var counts: [Int]
    /// One batch fills while the other is being read.
    private let batches: [MessageBatch]
    private var filling = 0
    /// `batches[filling]`, used without a retain and release per record (`batches` holds it).
    private var current: Unmanaged<MessageBatch>
    /// The batch handed to the worker and not yet applied, if any.
    private var pending: MessageBatch?
    private var worker: PairedWorker?
    /// The batch the worker reads when started. The worker holds this slot, not the feed: a
    /// feed released mid-pass (damage found) ends its worker in `deinit`, and the run it waits
    /// for then read the feed through an unowned reference, a crash (`ViewFeedTests`).
    private let working: WorkSlot
    private let canRunInParallel: Bool
    /// Whether a worker thread took part.
    private(set) var wasParallel = false
    /// Records that were not SSB messages (not readable, or without key, author or sequence).
    private(set) var skipped = 0

    /// Held by the caller until `finish()`; the records of each batch applied are released.
    private let lease: PayloadLease?

    /// With a `lease` on the log, payloads are read where the log lent them, not copied.
    init(views: [SSBView], positions: [Int64], encoding: RecordEncoding, parallel: Bool, lease: PayloadLease? = nil) {
        self.lease = lease
        self.views = views
        canRunInParallel = parallel && ProcessInfo.processInfo.activeProcessorCount > 1
        self.positions = positions
        counts = Array(repeating: 0, count: views.count)
        let collectsLinks = views.contains { $0.needsLinks }
        batches = (0..<2).map { _ in
            MessageBatch(encoding: encoding, collectsLinks: collectsLinks, keepsPayloadsInPlace: lease != nil)
        }
        current = .passUnretained(batches[0])
        working = WorkSlot(batches[0])
    }

    deinit { endWorker() }

    func add(_ record: Record) {
        if current._withUnsafeGuaranteedRef({ $0.add(record) }) { return }
        flush()
        let added = current._withUnsafeGuaranteedRef { $0.add(record) }
        assert(added, "an empty batch takes any record")
    }

    /// Hands the filled batch on. Without a worker it is read and applied here. With one, the
    /// worker reads it while this thread fills the next: first this thread helps read what is
    /// left of the batch before it, then starts the worker on this one and applies that one.
    private func flush() {
        let batch = current.takeUnretainedValue()
        guard batch.count > 0 else { return }
        if worker == nil, canRunInParallel, batch.count >= Self.parallelThreshold {
            worker = PairedWorker { [working] in working.batch.scanUnclaimed(part: 1) }
            wasParallel = true
        }
        guard let worker else {
            batch.scanUnclaimed(part: 0)
            apply(batch)
            return
        }
        readPending()
        working.batch = batch
        worker.start()
        if let pending { apply(pending) }
        pending = batch
        filling = 1 - filling
        current = .passUnretained(batches[filling])
    }

    /// Reads what the worker has not yet read of the pending batch, and waits for its part.
    private func readPending() {
        guard let pending, let worker else { return }
        pending.scanUnclaimed(part: 0)
        worker.wait()
    }

    /// Feeds what is left and ends the worker; then the views' positions and counts.
    func finish() -> (positions: [Int64], counts: [Int]) {
        flush()
        readPending()
        endWorker()
        if let pending { apply(pending) }
        pending = nil
        return (positions, counts)
    }

    /// Stops the worker once its run, if any, is done.
    private func endWorker() {
        guard let worker else { return }
        worker.stop()
        self.worker = nil
    }

    /// Gives every view the batch's records past its position, in order, then empties the batch.
    private func apply(_ batch: MessageBatch) {
        let records = batch.records, count = batch.count
        batch.withLinks { links in
            if batch.collectsLinks {
                for index in 0..<count { records[index].links = links(index) }
            }
            for (viewIndex, view) in views.enumerated() {
                // Offsets climb through a batch: the records past a view's position end it.
                let position = positions[viewIndex]
                var first = 0
                while first < count && records[first].offset <= position { first += 1 }
                guard first < count else { continue }
                view.apply(UnsafeBufferPointer(rebasing: records[first..<count]))
                positions[viewIndex] = records[count - 1].offset
                counts[viewIndex] += count - first
            }
        }
        skipped += batch.skipped
        lease?.release(upTo: batch.end)
        batch.reset()
    }
}

/// What `ViewFeed`'s worker reads next; the feed's `batches` keep it alive.
private final class WorkSlot: @unchecked Sendable {
    unowned(unsafe) var batch: MessageBatch
    init(_ batch: MessageBatch) { self.batch = batch }
}
