#if canImport(Glibc)
import Glibc
#endif

/// Wall time from `CLOCK_MONOTONIC`, read without allocating.
public enum MonotonicClock {
    public static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// Seconds `body` took.
    public static func time<Result>(_ body: () throws -> Result) rethrows -> (Result, Double) {
        let start = now()
        let result = try body()
        return (result, Double(now() - start) / 1e9)
    }
}
