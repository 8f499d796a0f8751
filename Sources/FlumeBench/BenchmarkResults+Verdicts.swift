import FlumeLog
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension BenchmarkResults {
    /// A verdict per operation x corpus x cache measured under more than one reader strategy
    /// (references and writes have none), in report order.
    public func strategyVerdicts() -> [StrategyVerdict] {
        let compared = cases.filter { $0.strategy.readerKind != nil }
        let groups = Dictionary(grouping: compared, by: \.groupKey)
        return groups.keys.sorted().compactMap { key in
            StrategyVerdict.judge(operation: key.operation.map(\.description) ?? "", corpus: key.corpus, cache: key.cache.rawValue,
                                  seconds: groups[key]!.map { ($0.strategy.description, $0.seconds) })
        }
    }
}

extension BenchmarkResults {
    /// The report's first table: per operation, log and cache state, each strategy's median
    /// time and rate, and the verdict.
    func verdictTable() -> String {
        guard let verdicts, !verdicts.isEmpty else { return "" }
        let compared = cases.filter { $0.strategy.readerKind != nil }
        let strategies = ReaderStrategy.Kind.allCases.map(\.rawValue).filter { name in compared.contains { $0.strategy.description == name } }
        let byKey = Dictionary(grouping: compared) { "\($0.operation)/\($0.corpus)/\($0.cache.rawValue)" }
        var text = "## Which strategy is fastest\n\n"
        text += "Per operation, log and cache state: each strategy's median time ± its median absolute deviation, and rates; then the runner-up's time over the "
        text += "fastest's, paired by round, with its 95 % interval. A difference is called only when the whole interval lies "
        text += "above \(String(printf: "%.2f", 1 + StrategyVerdict.margin)); otherwise `~`: no significant difference. "
        text += "Cold rows give the most of the file found cached before a repetition (`mincore`); the kernel tells "
        text += "that only to a file's owner or to who could write it, else the residency is unknown.\n\n"
        text += "| operation | log | cache | " + strategies.joined(separator: " | ") + " | verdict |\n"
        text += "|---|---|---|" + strategies.map { _ in "---:|" }.joined() + "---|\n"
        for verdict in verdicts {
            let rows = byKey["\(verdict.operation)/\(verdict.corpus)/\(verdict.cache)"] ?? []
            let cells = strategies.map { name -> String in
                guard let row = rows.first(where: { $0.strategy.description == name }) else { return "—" }
                let rate = row.bytes > 0 ? String(printf: " · %.0f MB/s", row.throughputMBps) : ""
                let records = row.records > 0 ? " · " + Formatting.count(Double(row.records) / row.statistics.median) + " rec/s" : ""
                return Formatting.duration(row.statistics.median) + " ± " + Formatting.duration(row.statistics.mad) + rate + records
            }
            var cache = verdict.cache
            if verdict.cache == CacheState.cold.rawValue {
                cache += rows.compactMap(\.residentPercent).max().map { String(printf: " (≤ %.1f %% cached)", $0) } ?? " (residency unknown)"
            }
            let call = verdict.significant ? "**\(verdict.sentence)**" : verdict.sentence
            text += "| \(verdict.operation) | \(verdict.corpus) | \(cache) | " + cells.joined(separator: " | ") + " | \(call) |\n"
        }
        return text + "\n"
    }
}
