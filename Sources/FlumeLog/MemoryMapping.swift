#if canImport(Glibc)
import Glibc
#endif

/// A read-only shared mapping of a file, with `madvise`. The mapped range is registered with
/// `BusErrorGuard`, so a file truncated underneath yields an error, not a SIGBUS.
struct MemoryMapping {
    let base: UnsafeRawPointer
    let length: Int
    private let guardSlot: Int

    /// Maps the first `length` bytes of `file`. The corresponding C function is `mmap`.
    init(_ file: FileDescriptor, length: Int) throws(FlumeLogError) {
        let address = mmap(nil, length, PROT_READ, MAP_SHARED, file.rawValue, 0)
        guard let address, address != MAP_FAILED else {
            throw FileDescriptor.ioError(.init(code: errno), path: file.path, "mmap failed")
        }
        base = UnsafeRawPointer(address)
        self.length = length
        guardSlot = BusErrorGuard.register(base: address, length: length)
    }

    /// The corresponding C function is `munmap`.
    func unmap() {
        BusErrorGuard.unregister(guardSlot)
        munmap(UnsafeMutableRawPointer(mutating: base), length)
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

    /// Advice for the whole mapping, or for `range` (widened to whole pages). Advisory only.
    /// The corresponding C function is `madvise`.
    func advise(_ advice: Advice, range: Range<Int64>? = nil) {
        guard let range else {
            _ = madvise(UnsafeMutableRawPointer(mutating: base), length, advice.raw)
            return
        }
        let page = Int64(sysconf(Int32(_SC_PAGESIZE)))
        let low = range.lowerBound & ~(page - 1)
        let high = min(Int64(length), range.upperBound)
        guard high > low else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + Int(low)), Int(high - low), advice.raw)
    }
}
