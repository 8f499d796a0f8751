#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension BenchmarkResults {
    /// The report's comparison of formats on the same messages: for every corpus converted from
    /// another (offset → raw AAOL, offset → BIPF AAOL), each case's time over the same case on
    /// the offset log, paired by round (the cases of a cache state run in the same rounds), and
    /// the conversions' own rates. Empty when the suite converts nothing.
    func formatComparison() -> String {
        let families = Dictionary(grouping: corpora.filter { $0.convertedFrom != nil }, by: { $0.convertedFrom! })
        guard !families.isEmpty else { return "" }
        let byKey = Dictionary(cases.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var text = "\n## Formats compared on the same messages\n\n"
        text += "Each converted corpus holds its base's records (deleted ones dropped, as ssb-db2's migration drops them). "
        text += "Cells: median time over the same case on the base log, paired by round (lower is better), then records/s.\n"
        for base in families.keys.sorted() {
            let members = families[base]!.sorted { $0.name < $1.name }
            let baseFormat = corpora.first { $0.name == base }?.format ?? "offset"
            text += "\n### `\(base)` (\(baseFormat)) against " + members.map { "`\($0.name)` (\($0.format ?? "?"))" }.joined(separator: ", ") + "\n\n"
            text += "| operation | strategy | cache | \(base) records/s | " + members.map(\.name).joined(separator: " | ") + " |\n"
            text += "|---|---|---|---:|" + members.map { _ in "---:|" }.joined() + "\n"
            for row in cases where row.corpus == base && !row.isReference {
                let cells = members.map { member -> String in
                    let id = "\(row.operation)/\(member.name)/\(row.strategy)/\(row.cache.rawValue)"
                    guard let other = byKey[id] else { return "—" }
                    let ratio = other.timeRatio(over: row)
                    return String(printf: "%.2fx", ratio) + " (\(Self.rate(other)))"
                }
                guard cells.contains(where: { $0 != "—" }) else { continue }
                text += "| \(row.operation) | \(row.strategy) | \(row.cache.rawValue) | \(Self.rate(row)) | " + cells.joined(separator: " | ") + " |\n"
            }
            for member in members {
                for row in cases where row.corpus == member.name && row.operation == .operation(.convert) {
                    text += "\nConversion `\(base)` → `\(member.name)` (\(member.format ?? "?"), not synced): \(Self.rate(row)) records/s, "
                    text += String(printf: "%.0f MB/s written, median %.3f s.\n", row.throughputMBps, row.statistics.median)
                }
            }
        }
        return text
    }

    private static func rate(_ row: CaseResult) -> String {
        Formatting.count(Double(row.records) / max(row.statistics.median, 1e-12))
    }
}
