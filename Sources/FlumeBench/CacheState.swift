/// Whether the log is in the page cache when a case starts.
public enum CacheState: String, Codable, Sendable, CaseIterable, Comparable {
    /// Read once before the measured rounds, so the file is in memory.
    case warm
    /// Evicted (`posix_fadvise(DONTNEED)`) right before every repetition.
    case cold

    public static func < (a: CacheState, b: CacheState) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
