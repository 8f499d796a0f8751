import FlumeLog
import FlumeSSB
import Foundation

/// One pass of records into a set of views, a batch at a time. With a worker thread, reading
/// a batch's fields (most of the work) overlaps everything else: when a batch is full the
/// worker starts on it, the calling thread applies the batch before it to the views and then
/// helps read this one, and goes back to filling. The views are only ever touched by the
/// calling thread, in log order, each with only the records past its own position; so what
/// they allocate is the caller's, as a single-threaded feed's would be. A feed of fewer than
/// `parallelThreshold` records, or on one core, stays on the calling thread.
final class ViewFeed: @unchecked Sendable {
    static let parallelThreshold = 256
    /// How many records ahead a view's `prefetch` is called: a cache miss or so per record,
    /// and far enough ahead for the memory's latency.
    static let prefetchDistance = 8

    private let views: [SSBView]
    /// Per view: the offset of the last record it has seen (-1: none), and how many it took.
    private var positions: [Int64]
    private var counts: [Int]
    /// One batch fills while the other is being read.
    private let batches: [MessageBatch]
    private var filling = 0
    /// `batches[filling]`, held without a retain and release per record.
    private unowned(unsafe) var current: MessageBatch
    /// The batch read but not yet applied, if any.
    private var pending: MessageBatch?
    private var worker: PairedWorker?
    /// The batch the worker reads when started.
    private unowned(unsafe) var working: MessageBatch
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
        current = batches[0]
        working = batches[0]
    }

    deinit { worker?.stop() }

    func add(_ record: Record) {
        if current.add(record) { return }
        flush()
        let added = current.add(record)
        assert(added, "an empty batch takes any record")
    }

    /// Hands the filling batch on: read here at once without a worker; with one, read by
    /// both threads, after the batch before it is applied.
    private func flush() {
        let batch = current
        guard batch.count > 0 else { return }
        if worker == nil, canRunInParallel, batch.count >= Self.parallelThreshold {
            worker = PairedWorker { [unowned self] in working.scanUnclaimed(part: 1) }
            wasParallel = true
        }
        guard let worker else {
            batch.scanUnclaimed(part: 0)
            apply(batch)
            return
        }
        // The worker is done with the pending batch (every record of it is read): apply it
        // while the worker starts on this one, then help.
        worker.wait()
        working = batch
        worker.start()
        if let pending { apply(pending) }
        batch.scanUnclaimed(part: 0)
        pending = batch
        filling = 1 - filling
        current = batches[filling]
    }

    /// Feeds what is left and ends the worker; then the views' positions and counts.
    func finish() -> (positions: [Int64], counts: [Int]) {
        flush()
        worker?.stop()
        worker = nil
        if let pending { apply(pending) }
        pending = nil
        return (positions, counts)
    }

    /// Gives every view the batch's records past its position, in order, then empties the batch.
    private func apply(_ batch: MessageBatch) {
        let records = batch.records, count = batch.count
        batch.withLinks { links in
            for (viewIndex, view) in views.enumerated() {
                var position = positions[viewIndex], applied = 0
                let prefetchDistance = view.prefetches ? Self.prefetchDistance : count
                for index in 0..<count where position < records[index].offset {
                    if index + prefetchDistance < count { view.prefetch(records[index + prefetchDistance]) }
                    if records[index].message.isMessage {
                        var record = records[index]
                        record.links = links(index)
                        view.apply(record)
                    }
                    position = records[index].offset
                    applied += 1
                }
                positions[viewIndex] = position
                counts[viewIndex] += applied
            }
        }
        skipped += batch.skipped
        batch.reset()
    }
}
