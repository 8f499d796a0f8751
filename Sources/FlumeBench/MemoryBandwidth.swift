import CReference

/// Single-core memory read bandwidth: the ceiling of any warm-cache read, reported beside every run.
public enum MemoryBandwidth {
    /// GB/s reading 256 MiB of resident memory once (a C loop), best of five.
    public static func measure() -> Double {
        let size = 256 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 4096)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 1)
        var best = Double.infinity
        for _ in 0..<5 {
            let (_, seconds) = MonotonicClock.time { flume_reference_memory_sum(buffer.baseAddress, size) }
            best = min(best, seconds)
        }
        return Double(size) / best / 1e9
    }
}
