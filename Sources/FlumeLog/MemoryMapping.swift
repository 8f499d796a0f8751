#if canImport(Glibc)
import Glibc
#endif

/// A read-only shared mapping of a file, with `madvise`. The mapped range is registered with
/// `BusErrorGuard`, so a file truncated underneath yields an error, not a SIGBUS.
struct MemoryMapping {
    /// Where file offset `fileOffset` is mapped; `length` bytes from there are valid.
    let base: UnsafeRawPointer
    let fileOffset: Int64
    let length: Int
    /// The whole mapping, from a page boundary.
    private let mapped: UnsafeMutableRawPointer
    private let mappedLength: Int
    private let guardSlot: Int

    /// Maps `length` bytes of `file` from `offset` (the first `length` bytes by default).
    /// The corresponding C function is `mmap`.
    init(_ file: FileDescriptor, offset: Int64 = 0, length: Int) throws(FlumeLogError) {
        let page = Int64(sysconf(Int32(_SC_PAGESIZE)))
        let start = offset & ~(page - 1)
        let total = Int(offset - start) + length
        let address = mmap(nil, total, PROT_READ, MAP_SHARED, file.rawValue, off_t(start))
        guard let address, address != MAP_FAILED else {
            throw FileDescriptor.ioError(.init(code: errno), path: file.path, "mmap failed", offset: offset)
        }
        mapped = address
        mappedLength = total
        base = UnsafeRawPointer(address + Int(offset - start))
        fileOffset = offset
        self.length = length
        guardSlot = BusErrorGuard.register(base: address, length: total)
    }

    /// The corresponding C function is `munmap`.
    func unmap() {
        BusErrorGuard.unregister(guardSlot)
        munmap(mapped, mappedLength)
    }

    enum Advice {
        case normal, sequential, random, willNeed

        var raw: Int32 {
            switch self {
            case .normal: MADV_NORMAL
            case .sequential: MADV_SEQUENTIAL
            case .random: MADV_RANDOM
            case .willNeed: MADV_WILLNEED
            }
        }
    }

    /// Unmaps the whole pages within `range` from this process (`MADV_DONTNEED`): on a shared
    /// file mapping they stay in the page cache, and the next read of them maps them again.
    /// Returns the pages released (nil when `range` holds no whole page).
    @discardableResult
    func release(_ range: Range<Int64>) -> Range<Int64>? {
        let page = Int64(sysconf(Int32(_SC_PAGESIZE)))
        let low = (max(range.lowerBound, 0) + page - 1) & ~(page - 1)
        let high = min(Int64(length), range.upperBound) & ~(page - 1)
        guard high > low else { return nil }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + Int(low)), Int(high - low), MADV_DONTNEED)
        return low..<high
    }

    /// Whether the pages of `range` are in the page cache, judged by `samples` pages spread
    /// over it (`mincore`, one page each: no buffer to allocate). Meaningful only where the
    /// file reveals its residency (`FileDescriptor.revealsResidency`).
    func isResident(_ range: Range<Int64>, samples: Int = 8) -> Bool {
        let page = Int64(sysconf(Int32(_SC_PAGESIZE)))
        let span = max(0, min(Int64(length), range.upperBound) - range.lowerBound)
        guard span > 0 else { return true }
        var status: UInt8 = 0
        for index in 0..<Int64(samples) {
            // `range` counts from `base`; mincore wants the page the sample lies in.
            let sample = Int(bitPattern: base + Int(range.lowerBound + span * index / Int64(samples))) & ~Int(page - 1)
            guard mincore(UnsafeMutableRawPointer(bitPattern: sample), Int(page), &status) == 0, status & 1 == 1 else { return false }
        }
        return true
    }

    /// Advice for the whole mapping, or for `range` (widened to whole pages). Advisory only.
    /// The corresponding C function is `madvise`.
    func advise(_ advice: Advice, range: Range<Int64>? = nil) {
        guard let range else {
            _ = madvise(mapped, mappedLength, advice.raw)
            return
        }
        let page = Int64(sysconf(Int32(_SC_PAGESIZE)))
        let low = range.lowerBound & ~(page - 1)
        let high = min(Int64(length), range.upperBound)
        guard high > low else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + Int(low)), Int(high - low), advice.raw)
    }
}
