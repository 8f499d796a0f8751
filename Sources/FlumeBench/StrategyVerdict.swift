#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which reader strategy is fastest for one operation on one log in one cache state, and
/// whether that holds: the runner-up's time over the fastest's, paired by round (both ran in
/// the same rounds), as a geometric mean with a 95 % confidence interval (Student's t on the
/// logs of the pairs). A difference is called significant only when the whole interval lies
/// above `1 + margin`: smaller ones flip between runs on shared machines.
public struct StrategyVerdict: Codable, Sendable, Equatable {
    public var operation: String
    /// The corpus or the user's log.
    public var corpus: String
    public var cache: String
    public var fastest: String
    /// Nil when only one strategy was measured.
    public var runnerUp: String?
    public var significant: Bool
    /// Runner-up time over fastest time, paired by round.
    public var ratio: Double
    public var ciLow: Double
    public var ciHigh: Double
    public var rounds: Int

    enum CodingKeys: String, CodingKey {
        case operation, corpus, cache, fastest, significant, ratio, rounds
        case runnerUp = "runner_up"
        case ciLow = "ci_low"
        case ciHigh = "ci_high"
    }

    /// Below this, a difference is not called (2 %).
    public static let margin = 0.02

    /// The verdict over strategies' times (`seconds` per strategy, round by round), or nil
    /// with fewer than two rounds.
    public static func judge(operation: String, corpus: String, cache: String,
                             seconds: [(strategy: String, seconds: [Double])]) -> StrategyVerdict? {
        let ranked = seconds.filter { !$0.seconds.isEmpty }
            .map { (entry: $0, median: SampleStatistics($0.seconds).median) }
            .sorted { $0.median < $1.median }.map(\.entry)
        guard let first = ranked.first, first.seconds.count >= 2 else { return nil }
        guard ranked.count >= 2 else {
            return StrategyVerdict(operation: operation, corpus: corpus, cache: cache, fastest: first.strategy, runnerUp: nil,
                                   significant: false, ratio: 1, ciLow: 1, ciHigh: 1, rounds: first.seconds.count)
        }
        var (fastest, runnerUp) = (first, ranked[1])
        var (ratio, low, high) = pairedRatio(runnerUp.seconds, over: fastest.seconds)
        if ratio < 1 {
            // The medians and the paired pairs disagree on the order of the two: the pairs decide.
            (fastest, runnerUp) = (runnerUp, fastest)
            (ratio, low, high) = (1 / ratio, 1 / high, 1 / low)
        }
        return StrategyVerdict(operation: operation, corpus: corpus, cache: cache, fastest: fastest.strategy, runnerUp: runnerUp.strategy,
                               significant: low > 1 + margin, ratio: ratio, ciLow: low, ciHigh: high,
                               rounds: min(fastest.seconds.count, runnerUp.seconds.count))
    }

    /// The geometric mean of `a[i] / b[i]` and its 95 % interval.
    public static func pairedRatio(_ a: [Double], over b: [Double]) -> (ratio: Double, low: Double, high: Double) {
        let logs = zip(a, b).filter { $0 > 0 && $1 > 0 }.map { log($0 / $1) }
        guard logs.count >= 2 else { return (logs.first.map(exp) ?? 1, 0, .infinity) }
        let mean = logs.reduce(0, +) / Double(logs.count)
        let variance = logs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(logs.count - 1)
        let half = tQuantile975(degreesOfFreedom: logs.count - 1) * (variance / Double(logs.count)).squareRoot()
        return (exp(mean), exp(mean - half), exp(mean + half))
    }

    /// Student's t, 97.5th percentile.
    static func tQuantile975(degreesOfFreedom df: Int) -> Double {
        let table: [Double] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
                               2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
        if df >= 1, df <= table.count { return table[df - 1] }
        return df <= 60 ? 2.0 : df <= 120 ? 1.98 : 1.96
    }

    /// Whether more rounds could change the call: not significant, and the interval wider
    /// than ±`margin`.
    public var isUnsettled: Bool { runnerUp != nil && !significant && ciHigh / ciLow > (1 + Self.margin) * (1 + Self.margin) }

    /// "mmap fastest: 1.32x buffered [1.28, 1.36]" (the runner-up takes 1.32 times as long),
    /// or "~ no significant difference: mmap 1.01x buffered [0.98, 1.04]".
    public var sentence: String {
        guard let runnerUp else { return "\(fastest) (the only strategy measured)" }
        let interval = "\(fastest) \(String(printf: "%.2f", ratio))x \(runnerUp) [\(String(printf: "%.2f, %.2f", ciLow, ciHigh))]"
        return significant ? "\(fastest) fastest: " + interval.dropFirst(fastest.count + 1) : "~ no significant difference: " + interval
    }
}
