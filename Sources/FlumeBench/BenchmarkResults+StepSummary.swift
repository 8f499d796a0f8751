#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension BenchmarkResults {
    /// GitHub Actions' job summary: the verdict, the regressions and conformance failures, and
    /// the strategy verdicts, in Markdown, cut to stay under GitHub's 1 MiB limit.
    public func stepSummary(gate: Gate.Report? = nil) -> String {
        let cells = conformance.count, failedCells = conformanceFailures.count
        let checksums = cases.count - checksumFailures.count
        var text = "## flumebench \(suite)"
        if let gate { text += ": gate \(Self.verdictWord(gate.verdict))" }
        text += "\n\n\(cases.count) cases in \(String(printf: "%.0f", totalSeconds)) s on \(machine.cpuModel) (\(machine.cores) cores); "
        text += "conformance \(cells - failedCells)/\(cells); checksums \(checksums)/\(cases.count)\n"
        if let gate {
            text += "\n\(gate.summary)\n"
            let regressions = gate.findings.filter { $0.kind == .regression || $0.kind == .conformance }
            if !regressions.isEmpty {
                text += "\n| kind | case | metric | detail |\n|---|---|---|---|\n"
                for finding in regressions { text += "| \(finding.kind.rawValue) | `\(finding.caseID)` | \(finding.metric) | \(Self.cell(finding.detail)) |\n" }
            }
        }
        if failedCells > 0 || !checksumFailures.isEmpty {
            text += "\n### Wrong data\n\n"
            for cell in conformanceFailures { text += "- DOES NOT CONFORM: `\(cell.log)` [\(cell.strategy)]: \(Self.cell(cell.detail))\n" }
            for row in checksumFailures { text += "- WRONG DATA: `\(row.id)`: read \(row.checksum), expected \(row.expectedChecksum)\n" }
        }
        if let verdicts, !verdicts.isEmpty {
            text += "\n### Fastest strategy\n\n| operation | log | cache | verdict |\n|---|---|---|---|\n"
            for verdict in verdicts { text += "| \(verdict.operation) | \(verdict.corpus) | \(verdict.cache) | \(Self.cell(verdict.sentence)) |\n" }
        }
        let limit = 1_000_000
        if text.utf8.count > limit {
            text = String(decoding: text.utf8.prefix(limit - 100), as: UTF8.self) + "\n\n… (cut to stay under GitHub's 1 MiB summary limit)\n"
        }
        return text
    }

    /// GitHub Actions' `::error` lines for regressions and wrong data, at most `limit`.
    public func annotations(gate: Gate.Report? = nil, limit: Int = 10) -> [String] {
        var lines: [String] = []
        for cell in conformanceFailures { lines.append("::error title=flumebench: does not conform::\(cell.log) [\(cell.strategy)]: \(cell.detail)") }
        for row in checksumFailures { lines.append("::error title=flumebench: wrong data::\(row.id): read \(row.checksum), expected \(row.expectedChecksum)") }
        for finding in gate?.findings ?? [] where finding.kind == .regression {
            lines.append("::error title=flumebench: regression::\(finding.caseID): \(finding.metric): \(finding.detail)")
        }
        return lines.prefix(limit).map { $0.replacing("\n", with: "%0A") }
    }

    private static func verdictWord(_ verdict: Gate.Verdict) -> String {
        switch verdict {
        case .pass: "pass"
        case .conformanceFailure: "CONFORMANCE FAILURE"
        case .regression: "REGRESSION"
        case .notComparable: "not comparable"
        }
    }

    /// Text for a Markdown table cell.
    private static func cell(_ text: String) -> String {
        text.replacing("|", with: "\\|").replacing("\n", with: " ")
    }
}
