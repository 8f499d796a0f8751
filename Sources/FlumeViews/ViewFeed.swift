import FlumeLog
import FlumeSSB
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One pass of records into a set of views, a batch at a time. With a worker thread, reading
/// the records' fields (most of the work) overlaps everything else: the worker reads a batch
/// while the calling thread fills it; when it is full, the calling thread applies the batch
/// before it to the views, helps read what is left of this one, and goes back to filling.
/// The views are only ever touched by the calling thread, in log order, each with only the
/// records past its own position; so what they allocate is the caller's, as a single-threaded
/// feed's would be. A feed of fewer than `parallelThreshold` records, or on one core, stays
/// on the calling thread.
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
    /// The batch read but not yet applied, if any.
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

    init(views: [SSBView], positions: [Int64], encoding: RecordEncoding, parallel: Bool) {
        self.views = views
        canRunInParallel = parallel && ProcessInfo.processInfo.activeProcessorCount > 1
        self.positions = positions
        counts = Array(repeating: 0, count: views.count)
        let collectsLinks = views.contains { $0.needsLinks }
        batches = (0..<2).map { _ in MessageBatch(encoding: encoding, collectsLinks: collectsLinks) }
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

    /// Hands the filling batch on. Without a worker it is read and applied here. With one,
    /// the worker has been reading it as it filled: the batch before it is applied while the
    /// worker finishes, this thread helps, and the worker moves on to the next batch.
    private func flush() {
        let batch = current.takeUnretainedValue()
        guard batch.count > 0 else { return }
        batch.seal()
        if worker == nil, canRunInParallel, batch.count >= Self.parallelThreshold {
            worker = PairedWorker { [working] in working.batch.scanUnclaimed(part: 1) }
            wasParallel = true
        }
        guard let worker else {
            batch.scanUnclaimed(part: 0)
            apply(batch)
            return
        }
        if !worker.isBusy {
            // The first batch of a parallel feed filled before there was a worker.
            working.batch = batch
            worker.start()
        }
        if let pending { apply(pending) }
        batch.scanUnclaimed(part: 0)
        worker.wait()
        pending = batch
        filling = 1 - filling
        current = .passUnretained(batches[filling])
        working.batch = batches[filling]
        worker.start()
    }

    /// Feeds what is left and ends the worker; then the views' positions and counts.
    func finish() -> (positions: [Int64], counts: [Int]) {
        flush()
        endWorker()
        if let pending { apply(pending) }
        pending = nil
        return (positions, counts)
    }

    /// Seals the batch the worker may be waiting on, so that it returns, and stops it.
    private func endWorker() {
        guard let worker else { return }
        current.takeUnretainedValue().seal()
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
        batch.reset()
    }
}

/// What `ViewFeed`'s worker reads next; the feed's `batches` keep it alive.
private final class WorkSlot: @unchecked Sendable {
    unowned(unsafe) var batch: MessageBatch
    init(_ batch: MessageBatch) { self.batch = batch }
}
