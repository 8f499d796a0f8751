import CFlumeUring
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The `uring` strategy: reads through io_uring. A forward scan keeps `depth` reads of
/// `slotSize` bytes in flight (two for a file the slots would hold whole, or one in the page
/// cache: `slotsInTurn`) into adjacent slots of one buffer, so the kernel fills the next
/// stretch of the file while the decoder works through this one, and a frame that crosses
/// from one slot to the next needs no copy. Only the frame crossing from the last slot back
/// to the first is copied, into a carry area just before the first slot. Reads by offset
/// announced together (`willRead(at:)`) are submitted together, 8 KiB around each, so the
/// device serves them side by side; other backward and random reads load one window at a time.
/// Records larger than a slot are mapped (`LargeRecordMapping`).
final class UringSource: WindowLending {
    let file: FileDescriptor
    let ring: OpaquePointer
    private let slotSize: Int
    private let depth: Int
    /// `slotSize` bytes of carry, then `depth` slots.
    private let memory: UnsafeMutableRawPointer
    /// What the decoder may borrow: in the slots, the carry area or the batch buffer.
    let window: UnsafeMutablePointer<SourceWindow>
    var windowLimit: Int { slotSize }

    /// The forward stream: read `k` covers `streamStart + k * slotSize` on, in slot `k % slotsInTurn`.
    private var streaming = false
    /// The slots a stream takes turns in: `depth`, or two for one the slots would hold whole
    /// (each slot's first read faults in fresh pages: most of a small log's `verify --strategy
    /// uring`) or one that `startsCached`.
    private(set) var slotsInTurn = 1
    private var streamStart: Int64 = 0
    /// Reads are queued up to the file's size when the stream started; past it, on demand.
    private var streamLimit: Int64 = 0
    /// The lowest read still held, the next one to queue, the last one inside the window.
    private var lowestHeld = 0
    private var nextQueued = 0
    private var windowLastRead = -1
    /// Per slot: bytes its read returned, or -1 while in flight.
    private var filled: [Int]
    var inFlight = 0
    private var oversized: LargeRecordMapping?
    /// Whether the slots are pinned for the kernel (`registerSlotsIfReused`).
    private var slotsRegistered = false
    /// Reverse scans: the stream above serves forward ones only.
    private let readaheadBehind: BackwardReadahead

    /// Reads by offset submitted together: `batchSpan` bytes from each start, in a buffer of
    /// their own (allocated on the first batch), tagged apart from the stream's reads. Not
    /// private, nor are `file`, `ring`, `inFlight`, `drain`, `submit` and `takeCompletions`:
    /// the batches are read in `UringSource+Batches.swift`.
    static let batchCapacity = 64
    static let batchSpan = 8192
    static let batchTag: UInt64 = 1 << 40
    var batchMemory: UnsafeMutableRawPointer?
    var batchStarts = [Int64](repeating: 0, count: batchCapacity)
    /// Per read: bytes it returned, -1 in flight, -2 failed (read again synchronously).
    var batchFilled = [Int](repeating: 0, count: batchCapacity)
    var batchCount = 0
    var batchNext = 0
    /// Reads by offset submitted so far, for tests that hold batches to sharing their reads.
    var batchReadsQueued = 0

    /// A source reading `file` through a ring of its own, or nil when io_uring is unavailable
    /// (see `UringSource.unavailableReason`).
    init?(file: FileDescriptor, slotSize: Int, depth: Int) {
        var error: Int32 = 0
        guard let ring = flume_uring_open(UInt32(max(depth + 1, Self.batchCapacity)), &error) else { return nil }
        self.file = file
        self.ring = ring
        self.slotSize = slotSize
        self.depth = depth
        readaheadBehind = BackwardReadahead(distance: depth * slotSize, chunk: slotSize)
        memory = .allocate(byteCount: (depth + 1) * slotSize, alignment: 4096)
        filled = Array(repeating: 0, count: depth)
        window = .allocate(capacity: 1)
        window.initialize(to: SourceWindow(base: memory + slotSize))
    }

    /// See `SourceDispatch.twin`: a ring of its own too.
    func twin() -> (source: any ByteSource, file: FileDescriptor)? {
        guard let file = file.reopenedForReading() else { return nil }
        guard let source = UringSource(file: file, slotSize: slotSize, depth: depth) else {
            file.close()
            return nil
        }
        return (source, file)
    }

    deinit {
        // The kernel may still be writing into the slots: wait for it before freeing them.
        drain()
        flume_uring_close(ring)
        oversized?.mapping.unmap()
        memory.deallocate()
        batchMemory?.deallocate()
        window.deallocate()
    }

    /// Why this process cannot use io_uring (the kernel's answer to setting up a ring), or nil.
    static let unavailableReason: String? = {
        let error = flume_uring_probe()
        return error == 0 ? nil : "io_uring_setup failed: \(String(cString: strerror(error)))"
    }()

    func currentSize() throws(FlumeLogError) -> Int64 { try file.size() }

    func invalidate() {
        streaming = false
        window.pointee.count = 0
        drain()
        batchCount = 0
    }

    func checkIntact(thorough: Bool) throws(FlumeLogError) {
        try oversized.checkIntact(path: file.path)
    }

    func load(at offset: Int64, count: Int, hint: AccessHint) throws(FlumeLogError) -> UnsafeRawBufferPointer {
        try oversized.release(path: file.path)
        if count > slotSize {
            // Read through its mapping; what lies below is asked for meanwhile.
            if hint == .backward { readaheadBehind.window(startingAt: offset, of: file) }
            let record = try LargeRecordMapping(file, offset: offset, count: count, hint: hint)
            oversized = record
            return record.bytes
        }
        do throws(FlumeLogError) {
            switch hint {
            case .forward: try stream(to: offset, count: count)
            case .backward:
                // One slot's worth, as `buffered` reads backwards: a window never holds more
                // than a slot of what may since have been cut off the file.
                let start = max(0, offset + Int64(count) - Int64(slotSize))
                readaheadBehind.window(startingAt: start, of: file)
                try readWindow(from: start, upTo: slotSize)
            case .random:
                if try !takeFromBatch(offset: offset, count: count) {
                    try readWindow(from: offset, upTo: max(count, 8192))
                }
            }
        } catch {
            streaming = false
            window.pointee.count = 0
            throw error
        }
        return try lent(at: offset, count: count, path: file.path)
    }

    // MARK: The forward stream

    private func readOffset(_ k: Int) -> Int64 { streamStart + Int64(k) * Int64(slotSize) }

    private func slot(_ k: Int) -> UnsafeMutableRawPointer { memory + slotSize * (1 + k % slotsInTurn) }

    /// Makes the window hold `offset ..< offset + count` (or up to the end of the file), keeping
    /// the reads after it in flight.
    private func stream(to offset: Int64, count: Int) throws(FlumeLogError) {
        var held = window.pointee
        let heldEnd = held.end
        if !streaming || offset < held.start || offset > heldEnd {
            try restart(at: offset)
            held = window.pointee
        }
        // Reads wholly below `offset` are done with: their slots take the next reads. The
        // window's last read stays: the next read continues it only when it was full.
        var released = false
        while lowestHeld < windowLastRead, readOffset(lowestHeld + 1) <= offset {
            lowestHeld += 1
            released = true
        }
        if released { try queueReads() }
        var end = held.end
        held.base += Int(offset - held.start)
        held.start = offset
        held.count = Int(end - offset)
        window.pointee = held
        var mustCover = offset + Int64(count)
        while true {
            let k = windowLastRead + 1
            let needed = end < mustCover
            if !needed {
                // Take in a read that has already arrived, so fewer calls come back here; at
                // most a slot ahead, so each slot's turn checks that the file is still whole.
                guard end - offset < Int64(slotSize), k < nextQueued, k % slotsInTurn != 0, try isComplete(k, waiting: false) else { return }
            }
            if k > 0, filled[(k - 1) % slotsInTurn] < slotSize {
                // The previous read ended short of its slot: the end of the file, when it was read.
                guard needed, try topUp(k - 1) else { return }
                end = readOffset(k - 1) + Int64(filled[(k - 1) % slotsInTurn])
                window.pointee.count = Int(end - window.pointee.start)
                continue
            }
            if k % slotsInTurn == 0, k > 0 {
                // The slots wrap: the bytes from `offset` in the last slot move before the first.
                let tail = Int(end - window.pointee.start)
                let carry = memory + slotSize - tail
                carry.copyMemory(from: window.pointee.base, byteCount: tail)
                window.pointee.base = carry
                lowestHeld = k
                try queueReads()
            }
            if k >= nextQueued {
                try queueReads(through: k)
                guard k < nextQueued else {
                    throw FlumeLogError(.io, file: file.path, offset: readOffset(k), message: "io_uring refused a read")
                }
            }
            _ = try isComplete(k, waiting: true)
            windowLastRead = k
            end += Int64(filled[k % slotsInTurn])
            // Bytes read ahead may have been cut off the file since: a read(2) now would come
            // back short, and so must this (`truncatedFrame`, as under the other strategies).
            let size = try file.size()
            if size < end {
                throw FlumeLogError(.truncatedFrame, file: file.path, offset: min(size, offset),
                                    message: "the file was truncated to \(size) bytes while it was being read")
            }
            window.pointee.count = Int(end - window.pointee.start)
            if end >= mustCover { mustCover = 0 }
        }
    }

    /// Whether the stream, up to the file's size when it started, fits the slots: taking all of
    /// them in turn, it would read into each once at most.
    private var streamFitsSlots: Bool { streamLimit - streamStart <= Int64(depth * slotSize) }

    /// Whether the page cache holds what the slots take in first (`cachestat`): such reads
    /// complete as they are submitted, and more slots only push them out of the core's cache
    /// before they are decoded (64 MiB warm, `verify --strategy uring` 11.3 -> 9.0 ms over two).
    /// Cold past its start, a stream is read ahead by the kernel as `buffered`'s is.
    private var startsCached: Bool { file.isCached(streamStart..<min(streamLimit, streamStart + Int64(depth * slotSize))) == true }

    /// Waits for every read in flight, then starts a stream at `offset`'s page.
    private func restart(at offset: Int64) throws(FlumeLogError) {
        drain()
        streaming = true
        streamStart = offset & ~4095
        streamLimit = try file.size()
        slotsInTurn = streamFitsSlots || startsCached ? min(depth, 2) : depth
        registerSlotsIfReused()
        lowestHeld = 0
        nextQueued = 0
        windowLastRead = -1
        window.pointee = SourceWindow(base: slot(0), start: streamStart, count: 0)
        try queueReads()
    }

    /// Pins the slots once, instead of on every read, when this stream takes all of them in
    /// turn and reads into each more than once. Pinning slots a stream never reads (every page
    /// of them, at about 1 ms for a small log's `verify`) costs more than it saves. Without the
    /// locked-memory allowance, reads stay plain.
    private func registerSlotsIfReused() {
        guard !slotsRegistered, slotsInTurn == depth, !streamFitsSlots else { return }
        slotsRegistered = true
        _ = flume_uring_register_buffer(ring, memory, (depth + 1) * slotSize)
    }

    /// Queues reads into every free slot, up to the stream's limit (and through read `last`
    /// even past it: the file may have grown).
    private func queueReads(through last: Int = -1) throws(FlumeLogError) {
        var queued = 0
        while nextQueued - lowestHeld < slotsInTurn, readOffset(nextQueued) < streamLimit || nextQueued <= last {
            let k = nextQueued
            let result = flume_uring_queue_read(ring, file.rawValue, slot(k), UInt32(slotSize), UInt64(readOffset(k)), UInt64(k), 1)
            if result < 0 { break }
            filled[k % slotsInTurn] = -1
            nextQueued += 1
            inFlight += 1
            queued += 1
        }
        if queued > 0 { try submit(waitingFor: 0) }
    }

    /// Whether read `k` has arrived, taking every completion ready (waiting for `k`'s when asked).
    private func isComplete(_ k: Int, waiting: Bool) throws(FlumeLogError) -> Bool {
        while true {
            if let failed = takeCompletions() {
                throw FileDescriptor.ioError(.init(code: -failed.result), path: file.path, "io_uring read failed", offset: readOffset(failed.read))
            }
            if filled[k % slotsInTurn] >= 0 { return true }
            if !waiting { return false }
            try submit(waitingFor: 1)
        }
    }

    /// Records every completion ready; the first failed stream read, if any.
    func takeCompletions() -> (read: Int, result: Int32)? {
        var tag: UInt64 = 0
        var result: Int32 = 0
        var failed: (Int, Int32)?
        while flume_uring_take(ring, &tag, &result) == 1 {
            inFlight -= 1
            if tag >= Self.batchTag {
                batchFilled[Int(tag - Self.batchTag)] = result >= 0 ? Int(result) : -2
            } else if result >= 0 {
                filled[Int(tag) % slotsInTurn] = Int(result)
            } else if failed == nil {
                failed = (Int(tag), result)
            }
        }
        return failed
    }

    /// Reads the rest of read `k`'s slot synchronously; whether any byte came.
    private func topUp(_ k: Int) throws(FlumeLogError) -> Bool {
        let have = filled[k % slotsInTurn]
        let rest = UnsafeMutableRawBufferPointer(start: slot(k) + have, count: slotSize - have)
        let got = try file.preadFully(into: rest, at: readOffset(k) + Int64(have))
        filled[k % slotsInTurn] = have + got
        return got > 0
    }

    func submit(waitingFor count: UInt32) throws(FlumeLogError) {
        let result = flume_uring_submit(ring, count)
        if result < 0 {
            throw FileDescriptor.ioError(.init(code: -result), path: file.path, "io_uring_enter failed")
        }
    }

    /// Waits for every read in flight (their slots are about to be reused or freed); the
    /// stream ends, the batch's results are kept.
    func drain() {
        while inFlight > 0 {
            _ = takeCompletions()
            if inFlight > 0, flume_uring_submit(ring, 1) < 0 { break }
        }
        streaming = false
    }

    // MARK: Backward and random reads

    /// Loads up to `length` bytes from `start` into the slots, waiting for them.
    private func readWindow(from start: Int64, upTo length: Int) throws(FlumeLogError) {
        drain()
        let base = memory + slotSize
        window.pointee = SourceWindow(base: base, start: start, count: 0)
        let got = try file.preadFully(into: UnsafeMutableRawBufferPointer(start: base, count: length), at: start)
        window.pointee.count = got
    }
}
