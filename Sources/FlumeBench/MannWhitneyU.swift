#if canImport(Glibc)
import Glibc
#endif

/// The Mann-Whitney U test: whether one set of samples tends to be larger than another,
/// without assuming a distribution (timings are skewed and have outliers). Exact for small
/// samples, normal approximation (tie-corrected) beyond.
public enum MannWhitneyU {
    /// The one-sided p-value of "`larger` tends to exceed `smaller`".
    public static func pValue(larger: [Double], smaller: [Double]) -> Double {
        let n = larger.count, m = smaller.count
        guard n > 0, m > 0 else { return 1 }
        // U = pairs where larger wins, ties counting one half.
        var u = 0.0
        for a in larger {
            for b in smaller { u += a > b ? 1 : a == b ? 0.5 : 0 }
        }
        if n <= 12 && m <= 12 { return exactUpperTail(n: n, m: m, atLeast: u) }
        let mean = Double(n * m) / 2
        let all = (larger + smaller).sorted()
        var tieTerm = 0.0
        var index = 0
        while index < all.count {
            var end = index
            while end + 1 < all.count && all[end + 1] == all[index] { end += 1 }
            let t = Double(end - index + 1)
            tieTerm += t * t * t - t
            index = end + 1
        }
        let total = Double(n + m)
        let variance = Double(n * m) / 12 * ((total + 1) - tieTerm / (total * (total - 1)))
        guard variance > 0 else { return 1 }
        let z = (u - mean - 0.5) / variance.squareRoot()
        return 0.5 * erfc(z / 2.0.squareRoot())
    }

    /// P(U >= u) under the null hypothesis, by counting rank arrangements.
    static func exactUpperTail(n: Int, m: Int, atLeast u: Double) -> Double {
        // counts[i][j][k]: arrangements of i + j values (i from the first sample) with U = k.
        let maxU = n * m
        var table = [[[Double]]](repeating: [[Double]](repeating: [Double](repeating: 0, count: maxU + 1), count: m + 1), count: n + 1)
        for i in 0...n {
            for j in 0...m {
                if i == 0 || j == 0 { table[i][j][0] = 1; continue }
                for k in 0...(i * j) {
                    // The largest value is from the first sample (it beats all j) or from the second.
                    let fromFirst = k >= j ? table[i - 1][j][k - j] : 0
                    table[i][j][k] = fromFirst + table[i][j - 1][k]
                }
            }
        }
        let total = table[n][m].reduce(0, +)
        let threshold = Int(u.rounded(.up))
        let tail = table[n][m][min(threshold, maxU)...].reduce(0, +)
        return tail / total
    }
}
