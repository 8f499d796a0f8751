/// Order statistics of repeated measurements; robust to the outliers of shared machines.
public struct SampleStatistics: Codable, Sendable, Equatable {
    public var count: Int
    public var median: Double
    public var p90: Double
    public var min: Double
    public var max: Double
    /// Median absolute deviation from the median.
    public var mad: Double

    public init(_ samples: [Double]) {
        precondition(!samples.isEmpty, "statistics of no samples")
        let sorted = samples.sorted()
        let middle = Self.quantile(sorted, 0.5)
        count = sorted.count
        median = middle
        p90 = Self.quantile(sorted, 0.9)
        min = sorted.first!
        max = sorted.last!
        mad = Self.quantile(sorted.map { abs($0 - middle) }.sorted(), 0.5)
    }

    /// The middle value of counts (page faults, system calls): an observed value, the upper of
    /// the two middle ones for an even count. Times use `median`, interpolated.
    public static func middle<T: Comparable>(_ values: [T]) -> T {
        precondition(!values.isEmpty, "the middle of no values")
        return values.sorted()[values.count / 2]
    }

    /// Linear interpolation between closest ranks.
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down)), high = Int(position.rounded(.up))
        return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }
}
