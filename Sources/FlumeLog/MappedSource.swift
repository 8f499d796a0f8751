/// The `mmap` strategy: the file mapped read-only and shared, bytes borrowed straight from the
/// page cache with no copy. `madvise` follows the access pattern; a file that grew (a live
/// tail) is remapped when a read reaches past the mapping; a file truncated underneath is
/// reported as `.truncatedFrame` (see `BusErrorGuard`), never as a SIGBUS.
final class MappedSource: ByteSource {
    private let file: FileDescriptor
    private var mapping: MemoryMapping?
    private var advised: AccessHint?
    /// Backward scans: the lowest offset already asked for with `MADV_WILLNEED`. The kernel's
    /// readahead only runs forwards, so a reverse scan of a cold file asks ahead itself.
    private var prefetchedDownTo: Int64 = .max
    private static let backwardPrefetch: Int64 = 4 << 20
    /// Whether `mincore` tells the truth about this file (nil until a backward scan asks).
    private lazy var revealsResidency: Bool? = try? file.revealsResidency()
    /// The guard's fault count when this source last checked.
    private var faultsSeen: Int

    init(file: FileDescriptor) {
        self.file = file
        faultsSeen = BusErrorGuard.faults
    }

    deinit { mapping?.unmap() }

    func currentSize() throws(FlumeLogError) -> Int64 { try file.size() }

    func invalidate() {}

    @inline(__always)
    func bytes(at offset: Int64, count: Int, hint: AccessHint) throws(FlumeLogError) -> UnsafeRawBufferPointer {
        if let mapping, offset + Int64(count) <= Int64(mapping.length), advised == hint,
           hint != .backward || offset >= prefetchedDownTo,
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
            mapping?.unmap()
            mapping = nil
            mapping = try MemoryMapping(file, length: Int(size))
            advised = nil
        }
        if advised != hint {
            switch hint {
            case .forward: mapping!.advise(.sequential)
            case .backward: mapping!.advise(.normal)
            case .random: mapping!.advise(.random)
            }
            advised = hint
            prefetchedDownTo = .max
        }
        if hint == .backward, offset < prefetchedDownTo {
            let low = max(0, offset - Self.backwardPrefetch)
            let range = low..<min(prefetchedDownTo, Int64(mapping!.length))
            // Asking for pages already cached still costs the kernel a lookup per page (3.3 ms
            // of a 29 ms warm reverse scan of 64 MiB): ask only when a sampled page is missing,
            // or when the kernel hides residency from this process.
            if revealsResidency == false || !mapping!.isResident(range) {
                mapping!.advise(.willNeed, range: range)
            }
            prefetchedDownTo = low
        }
        return UnsafeRawBufferPointer(start: mapping!.base + Int(offset), count: count)
    }
}
