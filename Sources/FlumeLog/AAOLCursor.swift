import CFlumeMemory

/// A pull-style scan of an AAOL file. Forward, it walks block by block; in reverse (JS AAOL
/// has none) it walks each block forwards once and yields its records backwards, so memory
/// stays bounded by one block's record offsets. Payloads are borrowed until the next call;
/// an error is sticky.
public struct AAOLCursor {
    public let reader: AAOLReader
    public let direction: ScanDirection
    public let deleted: DeletedRecords
    /// Forward: where the next record (or end of block) is. Reverse: the end of what remains.
    public private(set) var position: Int64
    private var failure: FlumeLogError?
    /// Reverse: the record starts of the current block not yet yielded.
    private var pending: [Int64] = []
    /// Reverse, mapped logs: the block below the current one, how much of it has been asked for,
    /// and how much more each record yielded asks for (`askForLinesBelow`).
    private var below: UnsafeRawPointer?
    private var belowAsked = 0
    private var belowPerRecord = 0
    /// The log the cursor was made by, kept alive while the cursor lives: its file stays open.
    var owner: AnyObject?

    init(reader: AAOLReader, direction: ScanDirection, deleted: DeletedRecords, position: Int64) {
        self.reader = reader
        self.direction = direction
        self.deleted = deleted
        self.position = position
    }

    public mutating func next() throws(FlumeLogError) -> Record? {
        if let failure { throw failure }
        do {
            while true {
                guard let record = try direction == .forward ? nextForward() : nextBackward() else {
                    try reader.source.checkIntact(thorough: false)
                    return nil
                }
                if deleted == .skipped, record.isDeleted { continue }
                return record
            }
        } catch {
            failure = error
            throw error
        }
    }

    private mutating func nextForward() throws(FlumeLogError) -> Record? {
        let blockSize = Int64(reader.blockSize)
        while position < reader.end {
            if let record = try reader.entry(at: position, limit: reader.end, hint: .forward) {
                position = record.nextOffset
                return record
            }
            position = reader.blockStart(of: position) + blockSize
        }
        return nil
    }

    private mutating func nextBackward() throws(FlumeLogError) -> Record? {
        let blockSize = Int64(reader.blockSize)
        while true {
            if let start = pending.popLast() {
                askForLinesBelow()
                return try reader.record(at: start, hint: .backward)
            }
            guard position > 0 else { return nil }
            // The block holding the byte before `position`: its records that start before it.
            let block = reader.blockStart(of: position - 1)
            try reader.recordStarts(inBlockOf: block, into: &pending)
            while let last = pending.last, last >= position { pending.removeLast() }
            position = block
            below = block >= blockSize ? reader.dispatch.mappedAddress(of: block - blockSize..<block) : nil
            belowAsked = 0
            belowPerRecord = (reader.blockSize / max(1, pending.count) + 63) & ~63
        }
    }

    /// Mapped logs: asks for the lines of the block below, a share per record yielded, so they
    /// arrive while this block's records are used and the block is in cache when its turn
    /// comes. Asked for all at once the CPU drops most of them (its miss buffers fill), and read
    /// when the block is loaded the scan waits on memory: 64 MiB AAOL, warm, Zen 3, mmap reverse
    /// 0.67-0.72x its forward scan before, 0.83-0.90x after (with `MappedSource` mapping the
    /// block below as it loads this one, so the asking lands).
    @inline(__always)
    private mutating func askForLinesBelow() {
        guard let below, belowAsked < reader.blockSize else { return }
        let end = min(belowAsked + belowPerRecord, reader.blockSize)
        while belowAsked < end {
            flume_prefetch(below + belowAsked)
            belowAsked += 64
        }
    }
}
