import CJemalloc

/// Exact allocation figures from jemalloc, the process allocator of every binary that links
/// `CJemalloc` (flumebench and the tests).
///
/// The count is `stats.arenas.<ours>.small.nrequests + large.nrequests`, read after
/// `thread.tcache.flush` and an `epoch` write (`*.nmalloc` misses tcache hits); bytes are this
/// thread's `thread.allocated`. The measuring thread allocates from an arena of its own
/// (`arenas.create`, `thread.arena`), so other threads' requests never land in a
/// measurement: counted over all arenas, a fresh clone's first smoke run once showed 39
/// requests from another thread in a 1,000-record case (its bytes, this thread's, were equal).
/// Names are resolved to MIBs once, and reading allocates nothing, so a measurement counts
/// only what the measured code did on the measuring thread.
public struct AllocationTracker: Sendable {
    /// One reading.
    public struct Snapshot: Sendable, Equatable {
        /// Allocation requests so far from the tracker's arena (the measuring thread's).
        public var allocations: UInt64
        /// Bytes allocated so far by this thread.
        public var bytes: UInt64
    }

    /// What a measured region did.
    public struct Delta: Sendable, Equatable {
        public var allocations: UInt64
        public var bytes: UInt64
        /// The most this thread had allocated and not yet freed at once, above the level at the start.
        public var peakBytes: UInt64 = 0
        /// Bytes in physically resident pages jemalloc maps, at the end (process-wide).
        public var residentBytes: UInt64 = 0
    }

    private let epoch: [Int]
    private let flush: [Int]
    private let small: [Int]
    private let large: [Int]
    private let allocated: [Int]
    private let peakRead: [Int]
    private let peakReset: [Int]
    private let resident: [Int]
    private let threadArena: [Int]
    private let arena: UInt32
    /// The jemalloc version string.
    public let version: String

    public init() throws {
        func mib(_ name: String) throws -> [Int] {
            var mib = [Int](repeating: 0, count: 8)
            var length = mib.count
            guard mallctlnametomib(name, &mib, &length) == 0 else {
                throw BenchError(.harness, message: "jemalloc has no statistic \(name) (built without --enable-stats?)")
            }
            return Array(mib[0..<length])
        }
        var created: UInt32 = 0
        var createdSize = MemoryLayout<UInt32>.size
        guard mallctl("arenas.create", &created, &createdSize, nil, 0) == 0 else {
            throw BenchError(.harness, message: "jemalloc could not create an arena for the measuring thread")
        }
        arena = created
        threadArena = try mib("thread.arena")
        epoch = try mib("epoch")
        // The new arena's statistics exist from the next epoch on.
        var one: UInt64 = 1
        _ = epoch.withUnsafeBufferPointer { mallctlbymib($0.baseAddress, $0.count, nil, nil, &one, MemoryLayout<UInt64>.size) }
        flush = try mib("thread.tcache.flush")
        small = try mib("stats.arenas.\(created).small.nrequests")
        large = try mib("stats.arenas.\(created).large.nrequests")
        allocated = try mib("thread.allocated")
        peakRead = try mib("thread.peak.read")
        peakReset = try mib("thread.peak.reset")
        resident = try mib("stats.resident")
        var pointer: UnsafePointer<CChar>?
        var size = MemoryLayout<UnsafePointer<CChar>?>.size
        version = mallctl("version", &pointer, &size, nil, 0) == 0 && pointer != nil ? String(cString: pointer!) : "unknown"

        // jemalloc must really be the allocator: an allocation has to show in its counts.
        let before = snapshot()
        let probe = UnsafeMutableRawPointer.allocate(byteCount: 24, alignment: 8)
        probe.deallocate()
        guard snapshot().allocations > before.allocations else {
            throw BenchError(.harness, message: "jemalloc is linked but does not serve this process's allocations")
        }
    }

    /// The counts now.
    public func snapshot() -> Snapshot {
        // The calling thread allocates from the tracker's arena from here on.
        var chosen = arena
        _ = threadArena.withUnsafeBufferPointer { mallctlbymib($0.baseAddress, $0.count, nil, nil, &chosen, MemoryLayout<UInt32>.size) }
        _ = flush.withUnsafeBufferPointer { mallctlbymib($0.baseAddress, $0.count, nil, nil, nil, 0) }
        var one: UInt64 = 1
        _ = epoch.withUnsafeBufferPointer { mallctlbymib($0.baseAddress, $0.count, nil, nil, &one, MemoryLayout<UInt64>.size) }
        return Snapshot(allocations: read(small) &+ read(large), bytes: read(allocated))
    }

    /// Runs `body` and reports what it allocated.
    public func measure<Result>(_ body: () throws -> Result) rethrows -> (Result, Delta) {
        let before = snapshot()
        _ = peakReset.withUnsafeBufferPointer { mallctlbymib($0.baseAddress, $0.count, nil, nil, nil, 0) }
        let result = try body()
        let peak = read(peakRead)
        let after = snapshot()
        return (result, Delta(allocations: after.allocations &- before.allocations, bytes: after.bytes &- before.bytes,
                              peakBytes: peak, residentBytes: read(resident)))
    }

    private func read(_ mib: [Int]) -> UInt64 {
        var value: UInt64 = 0
        var size = MemoryLayout<UInt64>.size
        _ = mib.withUnsafeBufferPointer { mallctlbymib($0.baseAddress, $0.count, &value, &size, nil, 0) }
        return value
    }
}
