import CFlumeMemory

/// The `mmap` strategy: the file mapped read-only and shared, bytes borrowed straight from the
/// page cache with no copy. `madvise` follows the access pattern; a file that grew (a live
/// tail) is remapped when a read reaches past the mapping; a file truncated underneath is
/// reported as `.truncatedFrame` (see `BusErrorGuard`), never as a SIGBUS.
///
/// Scans ask the CPU for the cache lines ahead of them (`prefetchAhead` bytes, in either
/// direction): the CPU's own prefetchers stop at each 4 KiB page and follow descending walks
/// poorly, so without it a scan of a mapping waits on memory frame after frame.
final class MappedSource: ByteSource {
    private let file: FileDescriptor
    private var mapping: MemoryMapping?
    private var advised: AccessHint?
    /// Backward scans: the lowest offset already asked for (`readaheadBehind`). The kernel's
    /// readahead only runs forwards, so a reverse scan of a cold file asks ahead itself.
    private var prefetchedDownTo: Int64 = .max
    private static let backwardPrefetch = Int64(BackwardReadahead.reverseScanDistance)
    /// Asks for those pages on a thread of its own: `MADV_WILLNEED` from the scan's thread
    /// waited for the reads on a virtual disk (64 MiB cold, whole process, mmap reverse: 4 MiB
    /// asked from the scan's thread 52 ms; 8 MiB from this thread, with `MADV_RANDOM` so a
    /// fault it has not reached yet reads its page, not the 8 MiB around it: 36 ms).
    /// Made by the first backward stretch a scan finds missing: opens, forward scans and reads
    /// by offset never need it.
    private lazy var readaheadBehind = BackwardReadahead(distance: BackwardReadahead.reverseScanDistance,
                                                         chunk: BackwardReadahead.reverseScanChunk)
    /// Whether `mincore` tells the truth about this file (nil until a backward scan asks).
    private lazy var revealsResidency: Bool? = try? file.revealsResidency()
    /// The guard's fault count when this source last checked.
    private var faultsSeen: Int
    /// The offsets `bytes(at:)` serves without a call (`low ..< high`): the mapping, narrowed
    /// for a scan to where its cache lines have been asked for, so the per-frame path stays
    /// one comparison and the asking happens in `slowBytes`, every `prefetchAhead / 2` bytes.
    /// Held behind a pointer: the fast path then reads plain memory.
    private let fast: UnsafeMutablePointer<(low: Int64, high: Int64)>
    /// Scans: how far the cache lines have been asked for (above it forwards, below backwards).
    private var linesAskedTo: Int64 = 0
    /// Backward scans: the lowest `faultAround` window touched (`askForLines(of:downFrom:to:)`).
    private var touchedDownTo: Int64 = .max
    /// What one fault maps of a cached file (Linux's `fault_around_bytes` default).
    private static let faultAround: Int64 = 64 << 10
    /// 4 KiB: on a warm 64 MiB scan (Xeon, 2026-12) forward 1.6x and backward 2.2x faster
    /// than without; 2 and 8 KiB within 10 % of it.
    static let prefetchAhead: Int64 = 4096
    /// The most a backward load reads line by line (`askForLines(of:downFrom:to:)`).
    private static let linesReadAtMost: Int64 = 256 << 10
    /// Scans hand back the pages they passed more than this far behind, a stretch of this size
    /// at a time (`MemoryMapping.release`): a scan of a 1 GiB log then holds about 16 MiB of it
    /// mapped, not the whole file (its resident set, what `time` and `top` report; the page
    /// cache keeps the pages). Reads by offset keep what they map, unless they are announced
    /// climbing through the file (`willRead(at:)`).
    private static let releaseBehind: Int64 = 8 << 20
    /// The pages below `releasedBelow` (forward scans) and from `releasedAbove` up (backward).
    private var releasedBelow: Int64 = 0
    private var releasedAbove: Int64 = .max
    /// Reads by offset announced in bulk: the last offset announced, and the pages below
    /// `announcedReleasedBelow` handed back while the announcements climbed.
    private var announcedUpTo: Int64 = 0
    private var announcedReleasedBelow: Int64 = 0
    /// Where the last scan call was, and how far behind it a read means the scan started over.
    private var scanPosition: Int64 = 0
    private static let restartSlack: Int64 = 64 << 10
    /// Payload leases held (`PayloadLease`): while there are any, a mapping replaced by a
    /// larger one is kept, not unmapped, so the bytes it lent stay readable.
    private var leases = 0
    private var retired: [MemoryMapping] = []

    init(file: FileDescriptor) {
        self.file = file
        faultsSeen = BusErrorGuard.faults
        fast = .allocate(capacity: 1)
        fast.initialize(to: (0, 0))
    }

    deinit {
        mapping?.unmap()
        retired.forEach { $0.unmap() }
        fast.deallocate()
    }

    /// See `PayloadLease`.
    func beginLease() { leases += 1 }

    func endLease() {
        leases -= 1
        guard leases == 0 else { return }
        retired.forEach { $0.unmap() }
        retired = []
    }

    func currentSize() throws(FlumeLogError) -> Int64 { try file.size() }

    /// See `SourceDispatch.twin`.
    func twin() -> (source: any ByteSource, file: FileDescriptor)? {
        file.reopenedForReading().map { (MappedSource(file: $0), $0) }
    }

    func invalidate() {}

    @inline(__always)
    func bytes(at offset: Int64, count: Int, hint: AccessHint) throws(FlumeLogError) -> UnsafeRawBufferPointer {
        let bounds = fast.pointee
        if let mapping, offset >= bounds.low, offset + Int64(count) <= bounds.high, advised == hint,
           BusErrorGuard.faults == faultsSeen {
            return UnsafeRawBufferPointer(start: mapping.base + Int(offset), count: count)
        }
        return try slowBytes(at: offset, count: count, hint: hint)
    }

    @inline(__always)
    func bytes(from offset: Int64, atLeast minimum: Int, hint: AccessHint) throws(FlumeLogError) -> UnsafeRawBufferPointer {
        let head = try bytes(at: offset, count: minimum, hint: hint)
        // At most 4 MiB at a time, so a long scan still passes through `bytes(at:)`'s checks.
        return UnsafeRawBufferPointer(start: head.baseAddress!, count: min(mapping!.length - Int(offset), max(minimum, 4 << 20)))
    }

    /// Mapped bytes that end at `end`, at least `minimum` and at most 4 MiB of them, never
    /// below what a backward scan has asked the kernel for.
    @inline(__always)
    func bytes(endingAt end: Int64, atLeast minimum: Int, hint: AccessHint) throws(FlumeLogError) -> UnsafeRawBufferPointer {
        let head = try bytes(at: end - Int64(minimum), count: minimum, hint: hint)
        var low = max(0, end - max(Int64(minimum), 4 << 20))
        if hint == .backward { low = max(low, min(prefetchedDownTo, end - Int64(minimum))) }
        return UnsafeRawBufferPointer(start: head.baseAddress! + minimum - Int(end - low), count: Int(end - low))
    }

    /// Where `range` lies in the mapping, for a caller that asks for its cache lines ahead of
    /// use (`flume_prefetch`, which never faults: a stale address is harmless); nil outside it.
    func mappedAddress(of range: Range<Int64>) -> UnsafeRawPointer? {
        guard let mapping, range.lowerBound >= 0, range.upperBound <= Int64(mapping.length) else { return nil }
        return UnsafeRawPointer(mapping.base + Int(range.lowerBound))
    }

    func checkIntact(thorough: Bool) throws(FlumeLogError) {
        guard BusErrorGuard.faults == faultsSeen else {
            faultsSeen = BusErrorGuard.faults
            throw FlumeLogError(.truncatedFrame, file: file.path,
                                message: "the file was truncated while it was being read (a mapped page vanished)")
        }
        // Bytes past a new end inside the last page read as zeros without any fault.
        if thorough, let mapping, case let size = try file.size(), size < Int64(mapping.length) {
            throw FlumeLogError(.truncatedFrame, file: file.path, offset: size,
                                message: "the file was truncated to \(size) bytes while it was being read")
        }
    }

    private func slowBytes(at offset: Int64, count: Int, hint: AccessHint) throws(FlumeLogError) -> UnsafeRawBufferPointer {
        try checkIntact(thorough: false)
        if mapping == nil || offset + Int64(count) > Int64(mapping!.length) {
            let size = try file.size()
            guard size > 0, offset + Int64(count) <= size else {
                throw FlumeLogError(.truncatedFrame, file: file.path, offset: offset,
                                    message: "the file ends at \(size), before \(offset + Int64(count)) (did it shrink underneath?)")
            }
            if let replaced = mapping {
                if leases > 0 { retired.append(replaced) } else { replaced.unmap() }
            }
            mapping = nil
            mapping = try MemoryMapping(file, length: Int(size))
            advised = nil
        }
        let mapping = mapping!
        let length = Int64(mapping.length)
        if advised != hint {
            // Forward scans keep the kernel's default, not `MADV_SEQUENTIAL`: that reads a
            // window per fault while the scan waits whenever the page before the fault is
            // already cached (the open reads the first one), and no window early (64 MiB,
            // cold, Zen 3 VM: 50 -> 30 ms whole process; warm alike). Backward scans ask for
            // their pages themselves (`readaheadBehind`).
            switch hint {
            case .forward: mapping.advise(.normal)
            case .backward: mapping.advise(.random)
            case .random: mapping.advise(.random)
            }
            advised = hint
            prefetchedDownTo = .max
            linesAskedTo = -1
            touchedDownTo = .max
        }
        // A scan that starts again behind this one (a second scan of the same log): its
        // prefetching and handing back start over from where it is.
        if hint == .forward ? offset < scanPosition - Self.restartSlack : hint == .backward && offset > scanPosition + Self.restartSlack {
            prefetchedDownTo = .max
            linesAskedTo = -1
            touchedDownTo = .max
            releasedBelow = hint == .forward ? offset : 0
            releasedAbove = hint == .backward ? offset + Int64(count) : .max
        }
        scanPosition = offset
        if hint == .backward, offset < prefetchedDownTo {
            let low = max(0, offset - Self.backwardPrefetch)
            let range = low..<min(prefetchedDownTo, length)
            // Asking for pages already cached still costs the kernel a lookup per page (3.3 ms
            // of a 29 ms warm reverse scan of 64 MiB): ask only when a sampled page is missing,
            // or when the kernel hides residency from this process.
            if revealsResidency == false || !mapping.isResident(range) {
                prefetchedDownTo = readaheadBehind.ask(range, of: file)
            } else {
                prefetchedDownTo = low
            }
        }
        switch hint {
        case .forward:
            if offset - releasedBelow >= 2 * Self.releaseBehind,
               let released = mapping.release(releasedBelow..<offset - Self.releaseBehind) {
                releasedBelow = released.upperBound
            }
            askForLines(of: mapping, from: offset, upTo: min(offset + Self.prefetchAhead, length))
            // Back here for the next lines, the next pages to hand back, or a read behind (a restart).
            let lined = linesAskedTo >= length ? length : linesAskedTo - Self.prefetchAhead / 2
            fast.pointee = (max(0, offset - Self.restartSlack), min(lined, releasedBelow + 2 * Self.releaseBehind))
        case .backward:
            // At least the bytes asked for: an AAOL reverse scan loads a whole block, then walks
            // it forwards and yields its records backwards, all from the fast path.
            let end = offset + Int64(count)
            if min(releasedAbove, length) - end >= 2 * Self.releaseBehind,
               let released = mapping.release(end + Self.releaseBehind..<min(releasedAbove, length)) {
                releasedAbove = released.lowerBound
            }
            askForLines(of: mapping, downFrom: end, to: max(min(end - Self.prefetchAhead, offset), 0))
            let low = linesAskedTo <= 0 ? 0 : min(offset, linesAskedTo + Self.prefetchAhead / 2)
            fast.pointee = (max(prefetchedDownTo, low, min(releasedAbove, length) - 2 * Self.releaseBehind),
                            min(length, end + Self.restartSlack))
        case .random:
            fast.pointee = (0, length)
        }
        return UnsafeRawBufferPointer(start: mapping.base + Int(offset), count: count)
    }

    /// Reads by offset announced in bulk (`ReadableLog.forEachRecord(at:)`): while they climb
    /// through the file, as a manifest check reads every record, the pages more than
    /// `releaseBehind` below them are handed back, as a forward scan's are (1 GiB corpus,
    /// `verify --manifest --strategy mmap`: 1.35 GB maximum RSS before). Reads in any other
    /// order keep what they map: a random read would fault its page in again.
    func willRead(at offsets: UnsafeBufferPointer<Int64>) {
        guard let first = offsets.first, let last = offsets.last else { return }
        defer { announcedUpTo = last }
        guard first >= announcedUpTo, offsets.climbs else {
            announcedReleasedBelow = min(announcedReleasedBelow, first)
            return
        }
        if let mapping, first - announcedReleasedBelow >= 2 * Self.releaseBehind,
           let released = mapping.release(announcedReleasedBelow..<first - Self.releaseBehind) {
            announcedReleasedBelow = released.upperBound
        }
    }

    /// Asks for the cache lines of `offset ..< limit` not asked for yet (`linesAskedTo` moves up).
    private func askForLines(of mapping: MemoryMapping, from offset: Int64, upTo limit: Int64) {
        var line = linesAskedTo
        if line < offset || line > limit { line = offset & ~63 }
        while line < limit {
            flume_prefetch(mapping.base + Int(line))
            line += 64
        }
        linesAskedTo = line
    }

    /// Asks for the cache lines of `limit ..< end` not asked for yet (`linesAskedTo` moves down).
    private func askForLines(of mapping: MemoryMapping, downFrom end: Int64, to limit: Int64) {
        var line = linesAskedTo
        if line < 0 || line > end || line < limit { line = (end + 63) & ~63 }
        // Walking down, the scan touches each page only after its lines were asked for: map
        // them first, so the asking is not dropped. One touch maps the cached pages of its
        // 64 KiB around it (the kernel's fault-around); one window ahead of the scan, so an
        // AAOL scan's asking for the block below while it yields this one lands too. A touch
        // per page waited on memory each time (fixed 16 KiB frames, 64 MiB, warm, Zen 3: the
        // touches were 5 % of a reverse scan's samples).
        let window = max(0, (limit - Self.faultAround) & ~(Self.faultAround - 1))
        if touchedDownTo == .max { touchedDownTo = ((end - 1) & ~(Self.faultAround - 1)) + Self.faultAround }
        while touchedDownTo > window {
            touchedDownTo -= Self.faultAround
            flume_touch(mapping.base + Int(touchedDownTo))
        }
        // A whole block (an AAOL reverse scan loads 64 KiB, then walks it from its start): its
        // lines are read, lowest first. Asked for all at once they were mostly lost: a CPU
        // drops prefetches once its miss buffers are full (Zen 3: 64 MiB AAOL, warm, mmap
        // reverse 42 -> 28 ms, against 21 forward); loads wait for a buffer instead. Not past
        // `linesReadAtMost`: a frame of megabytes is read once, from its start, which the CPU's
        // own prefetchers follow, and reading its lines first cost more than it saved (4 MiB
        // frames: reverse 0.96x -> 0.85x its forward scan).
        // (The bytes asked for decide, not the lines: `line` is rounded up to one, so a scan's
        // `prefetchAhead` from an end not on a line came here too, and read what it meant to
        // ask for.)
        if end - limit > Self.prefetchAhead, line - limit <= Self.linesReadAtMost {
            var low = limit & ~63
            while low < line {
                flume_touch(mapping.base + Int(low))
                low += 64
            }
            linesAskedTo = limit
            return
        }
        while line > limit {
            line -= 64
            flume_prefetch(mapping.base + Int(line))
        }
        linesAskedTo = max(line, limit)
    }
}
