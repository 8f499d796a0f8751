#if canImport(Glibc)
import Glibc
#endif

/// Keeps a file truncated under a mapping from killing the process.
///
/// Touching a mapped page past the end of its file raises SIGBUS. The handler installed here
/// checks that the fault lies inside a mapping a `MappedSource` registered, maps a zero page
/// over it so the access completes, and counts the fault. Sources compare the count before
/// each read and after each consumer call, and report `.truncatedFrame` instead of the zeros.
/// A SIGBUS anywhere else is re-raised with the default action, as if no handler existed.
enum BusErrorGuard {
    private static let slotCount = 256
    /// (base, length) pairs; length 0 marks a free slot. Plain words, readable from the handler.
    nonisolated(unsafe) private static let regions = UnsafeMutablePointer<Int>.allocate(capacity: 2 * slotCount)
    nonisolated(unsafe) private static let faultCount = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    nonisolated(unsafe) private static var lock = pthread_mutex_t()
    private static let installOnce: Void = {
        regions.initialize(repeating: 0, count: 2 * slotCount)
        faultCount.initialize(to: 0)
        pthread_mutex_init(&lock, nil)
        var action = sigaction()
        action.sa_flags = SA_SIGINFO | SA_NODEFER
        action.__sigaction_handler.sa_sigaction = busErrorHandler
        sigemptyset(&action.sa_mask)
        sigaction(SIGBUS, &action, nil)
    }()

    /// How many SIGBUS faults inside registered mappings have been absorbed so far.
    static var faults: Int {
        _ = installOnce
        return faultCount.pointee
    }

    static func register(base: UnsafeMutableRawPointer, length: Int) -> Int {
        _ = installOnce
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        for slot in 0..<slotCount where regions[2 * slot + 1] == 0 {
            regions[2 * slot] = Int(bitPattern: base)
            regions[2 * slot + 1] = length
            return slot
        }
        return -1 // more mappings than slots: that one is unguarded
    }

    static func unregister(_ slot: Int) {
        guard slot >= 0 else { return }
        pthread_mutex_lock(&lock)
        regions[2 * slot + 1] = 0
        pthread_mutex_unlock(&lock)
    }

    fileprivate static func absorb(_ address: Int) -> Bool {
        for slot in 0..<slotCount {
            let start = regions[2 * slot], length = regions[2 * slot + 1]
            guard length > 0, address >= start, address < start + length else { continue }
            let page = Int(sysconf(Int32(_SC_PAGESIZE)))
            let pageStart = UnsafeMutableRawPointer(bitPattern: address & ~(page - 1))
            let zero = mmap(pageStart, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)
            guard zero != MAP_FAILED else { return false }
            faultCount.pointee += 1
            return true
        }
        return false
    }
}

private func busErrorHandler(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?) {
    let address = Int(bitPattern: info?.pointee._sifields._sigfault.si_addr)
    if BusErrorGuard.absorb(address) { return }
    // Not ours: restore the default action; returning re-executes the access and it kills.
    var action = sigaction()
    action.__sigaction_handler.sa_handler = SIG_DFL
    sigaction(SIGBUS, &action, nil)
}
