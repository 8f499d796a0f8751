import FlumeLog
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension BenchmarkResults {
    /// Reverse scans against forward scans of the same log, cache state and strategy: the
    /// forward time over the reverse time, paired by round (the cases of a cache state run in
    /// the same rounds), so 1.00 is a reverse scan as fast as a forward one. Empty when the
    /// suite scans in only one direction.
    func reverseScanComparison() -> String {
        let forwards = Dictionary(cases.filter { $0.operation == .operation(.forwardScan) && !$0.isReference }
            .map { (Self.scanKey($0), $0) }, uniquingKeysWith: { first, _ in first })
        let pairs = cases.filter { $0.operation == .operation(.reverseScan) && !$0.isReference }
            .compactMap { reverse in forwards[Self.scanKey(reverse)].map { (forward: $0, reverse: reverse) } }
        guard !pairs.isEmpty else { return "" }
        let strategies = ReaderStrategy.Kind.allCases.filter { kind in pairs.contains { $0.reverse.strategy == .reader(kind) } }
        let ratios = pairs.map { pair in
            (pair, SampleStatistics(zip(pair.forward.seconds, pair.reverse.seconds).map { $0 / $1 }).median)
        }
        let below = ratios.filter { $0.1 < Self.reverseTarget }.count
        var text = "\n## Reverse scans against forward\n\n"
        text += "Per log, cache state and strategy: the forward scan's time over the reverse scan's, paired by round "
        text += String(printf: "(1.00 = as fast; the target is %.2f). ", Self.reverseTarget)
        text += "\(ratios.count - below) of \(ratios.count) reach it"
        text += below == 0 ? ".\n\n" : below == 1 ? "; the one that does not is in bold.\n\n" : "; the **\(below)** that do not are in bold.\n\n"
        text += "| log | cache | " + strategies.map(\.rawValue).joined(separator: " | ") + " |\n"
        text += "|---|---|" + strategies.map { _ in "---:|" }.joined() + "\n"
        let grouped = Dictionary(grouping: ratios) { "\($0.0.reverse.corpus)\u{0}\($0.0.reverse.cache.rawValue)" }
        for key in grouped.keys.sorted() {
            let rows = grouped[key]!
            let cells = strategies.map { kind -> String in
                guard let ratio = rows.first(where: { $0.0.reverse.strategy == .reader(kind) })?.1 else { return "—" }
                let cell = String(printf: "%.2fx", ratio)
                return ratio < Self.reverseTarget ? "**\(cell)**" : cell
            }
            text += "| \(rows[0].0.reverse.corpus) | \(rows[0].0.reverse.cache.rawValue) | " + cells.joined(separator: " | ") + " |\n"
        }
        return text
    }

    /// The bar the project holds reverse scans to: 0.8x their forward scan's speed or better.
    static let reverseTarget = 0.8

    private static func scanKey(_ row: CaseResult) -> String {
        "\(row.corpus)\u{0}\(row.strategy)\u{0}\(row.cache.rawValue)"
    }
}
