import FlumeJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The formats CI tools read, made from one run's results (and, for the gate, its verdict):
/// github-action-benchmark's custom JSON, Bencher's BMF, Go's benchmark text (for benchstat),
/// and JUnit XML. Each is a pure function of the results, so one run makes them all.
public enum BenchmarkExport: String, CaseIterable, Sendable {
    /// github-action-benchmark, `customSmallerIsBetter` (median seconds per case); a second
    /// file beside it (`NAME-throughput.json`) holds `customBiggerIsBetter` (MB/s and
    /// records/s), since the direction is per file.
    case githubBenchmark = "github-benchmark"
    /// Bencher Metric Format: per case, `latency` (ns) and `throughput` (records/s), each with
    /// the 95 % interval of the median as lower and upper values.
    case bmf
    /// Go's benchmark format, one line per repetition, names like
    /// `BenchmarkForwardScan/corpus=medium/strategy=mmap/cache=warm` (`benchstat -col /strategy`).
    case gobench
    /// JUnit XML (the junit-10 shape): every conformance cell and every checksum verdict a
    /// testcase; with a gate's report, every compared case's regressions too.
    case junit

    /// The files written for `path`: one, or two for github-benchmark.
    public static func throughputPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let base = url.deletingPathExtension().lastPathComponent
        let ext = url.pathExtension.isEmpty ? "json" : url.pathExtension
        return url.deletingLastPathComponent().appendingPathComponent("\(base)-throughput.\(ext)").path
    }
}

extension BenchmarkResults {
    /// Median seconds and records/s of the measured (non-reference) cases that conform.
    private var exportedCases: [CaseResult] { cases.filter { !$0.isReference } }

    /// The 95 % interval of the median of `samples` by order statistics (min and max below 6
    /// samples, where no interval that narrow exists).
    static func medianInterval(_ samples: [Double]) -> (low: Double, high: Double) {
        let sorted = samples.sorted()
        let n = sorted.count
        guard n >= 6 else { return (sorted.first ?? 0, sorted.last ?? 0) }
        let half = 0.98 * Double(n).squareRoot()
        let low = max(1, Int((Double(n) / 2 - half).rounded(.down)))
        let high = min(n, Int((1 + Double(n) / 2 + half).rounded(.up)))
        return (sorted[low - 1], sorted[high - 1])
    }

    /// github-action-benchmark's input: `[{name, unit, value, range, extra}]`.
    public func githubBenchmark(smallerIsBetter: Bool) -> [UInt8] {
        var items: [JSValue] = []
        for row in exportedCases {
            let (low, high) = Self.medianInterval(row.seconds)
            let extra = "\(row.statistics.count) repetitions; records \(row.records); run \(runID); \(machine.cpuModel)"
            if smallerIsBetter {
                items.append(.object(JSObject(["name": .text(row.id), "unit": .text("s"), "value": .number(row.statistics.median),
                                               "range": .text(String(printf: "%.6g … %.6g", low, high)), "extra": .text(extra)])))
            } else if row.statistics.median > 0 {
                let unit = row.bytes > 0 ? "MB/s" : "records/s"
                let amount = row.bytes > 0 ? Double(row.bytes) / 1e6 : Double(row.records)
                items.append(.object(JSObject(["name": .text(row.id), "unit": .text(unit), "value": .number(amount / row.statistics.median),
                                               "range": .text(String(printf: "%.6g … %.6g", amount / max(high, 1e-12), amount / max(low, 1e-12))),
                                               "extra": .text(extra)])))
            }
        }
        return JSValue.array(items).stringify(indent: 2)
    }

    /// Bencher Metric Format: `{case: {latency: {value, lower_value, upper_value}, throughput: ...}}`.
    public func bencherMetricFormat() -> [UInt8] {
        var root = JSObject()
        for row in exportedCases {
            let (low, high) = Self.medianInterval(row.seconds)
            var measures = JSObject()
            measures["latency"] = .object(JSObject(["value": .number(row.statistics.median * 1e9),
                                                    "lower_value": .number(low * 1e9), "upper_value": .number(high * 1e9)]))
            if row.records > 0, row.statistics.median > 0 {
                let records = Double(row.records)
                measures["throughput"] = .object(JSObject(["value": .number(records / row.statistics.median),
                                                           "lower_value": .number(records / max(high, 1e-12)),
                                                           "upper_value": .number(records / max(low, 1e-12))]))
            }
            root[row.id] = .object(measures)
        }
        return JSValue.object(root).stringify(indent: 2)
    }

    /// Go's benchmark text: a header, then one line per repetition (`N` = 1) with ns/op, MB/s
    /// and the repetition's allocations (B/op, allocs/op), so benchstat sees every sample.
    public func goBenchmark() -> String {
        var text = "goos: linux\ngoarch: \(Self.architecture)\npkg: flumebench/\(suite)\ncpu: \(machine.cpuModel)\n"
        for row in exportedCases {
            let name = "Benchmark" + row.operation.description.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
                + "/corpus=\(Self.goName(row.corpus))/strategy=\(Self.goName(row.strategy.description))/cache=\(row.cache.rawValue)"
            for seconds in row.seconds {
                var line = "\(name)\t1\t\(String(printf: "%.0f", seconds * 1e9)) ns/op"
                if row.bytes > 0, seconds > 0 { line += String(printf: "\t%.2f MB/s", Double(row.bytes) / 1e6 / seconds) }
                if let bytes = row.allocatedBytes, let count = row.allocations { line += "\t\(bytes) B/op\t\(count) allocs/op" }
                text += line + "\n"
            }
        }
        return text
    }

    /// A name part Go's format keeps whole: no spaces, `/` or `=` inside a key's value.
    private static func goName(_ text: String) -> String {
        String(text.map { $0 == " " || $0 == "/" || $0 == "=" ? "_" : $0 })
    }

    private static var architecture: String {
        #if arch(x86_64)
        "amd64"
        #elseif arch(arm64)
        "arm64"
        #else
        "unknown"
        #endif
    }

    /// JUnit XML: a `conformance` suite (a testcase per cell), a `checksums` suite (a testcase
    /// per case: the data it read equals the golden data), and with `gate`, a `gate` suite (a
    /// testcase per compared case, failing with its regressions).
    public func junit(gate: Gate.Report? = nil) -> [UInt8] {
        var suites: [(name: String, cases: [JUnitCase])] = []
        suites.append(("conformance", conformance.map { cell in
            let skipped = cell.detail.hasPrefix("skipped")
            return JUnitCase(classname: "conformance.\(cell.log)", name: cell.strategy, seconds: 0,
                             failure: cell.conforms || skipped ? nil : cell.detail, skipped: skipped ? cell.detail : nil)
        }))
        suites.append(("checksums", cases.map { row in
            JUnitCase(classname: "checksums.\(row.operation)", name: row.id, seconds: row.statistics.median * Double(row.statistics.count),
                      failure: row.conforms ? nil : "read \(row.checksum), the golden data gives \(row.expectedChecksum)", skipped: nil)
        }))
        if let gate {
            var byCase: [String: [String]] = [:]
            for finding in gate.findings where finding.kind == .regression { byCase[finding.caseID, default: []].append("\(finding.metric): \(finding.detail)") }
            suites.append(("gate", cases.filter { !$0.isReference }.map { row in
                JUnitCase(classname: "gate.\(row.operation)", name: row.id, seconds: 0,
                          failure: byCase[row.id].map { $0.joined(separator: "; ") }, skipped: nil)
            }))
        }
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        let tests = suites.reduce(0) { $0 + $1.cases.count }
        let failures = suites.reduce(0) { $0 + $1.cases.filter { $0.failure != nil }.count }
        let skipped = suites.reduce(0) { $0 + $1.cases.filter { $0.skipped != nil }.count }
        xml += #"<testsuites name="flumebench \#(Self.xml(suite))" tests="\#(tests)" failures="\#(failures)" errors="0" skipped="\#(skipped)" time="\#(String(printf: "%.3f", totalSeconds))">"# + "\n"
        for (name, cases) in suites {
            let failed = cases.filter { $0.failure != nil }.count, skips = cases.filter { $0.skipped != nil }.count
            xml += #"  <testsuite name="\#(name)" tests="\#(cases.count)" failures="\#(failed)" errors="0" skipped="\#(skips)" timestamp="\#(Self.xml(machine.date))" hostname="\#(Self.xml(machine.cpuModel))">"# + "\n"
            for item in cases {
                xml += #"    <testcase classname="\#(Self.xml(item.classname))" name="\#(Self.xml(item.name))" time="\#(String(printf: "%.6f", item.seconds))""#
                if let failure = item.failure {
                    xml += ">\n" + #"      <failure message="\#(Self.xml(String(failure.prefix(500))))" type="\#(name)">\#(Self.xml(failure))</failure>"# + "\n    </testcase>\n"
                } else if let reason = item.skipped {
                    xml += ">\n" + #"      <skipped message="\#(Self.xml(reason))"/>"# + "\n    </testcase>\n"
                } else {
                    xml += "/>\n"
                }
            }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        return Array(xml.utf8)
    }

    private struct JUnitCase {
        var classname: String
        var name: String
        var seconds: Double
        var failure: String?
        var skipped: String?
    }

    /// Text as XML attribute or element content: markup and control characters escaped.
    static func xml(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t": out += "&#\(scalar.value);"
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Writes the export `kind` to `path` (github-benchmark: two files).
    public func export(_ kind: BenchmarkExport, to path: String, gate: Gate.Report? = nil) throws {
        switch kind {
        case .githubBenchmark:
            try Data(githubBenchmark(smallerIsBetter: true)).write(to: URL(fileURLWithPath: path))
            try Data(githubBenchmark(smallerIsBetter: false)).write(to: URL(fileURLWithPath: BenchmarkExport.throughputPath(for: path)))
        case .bmf: try Data(bencherMetricFormat()).write(to: URL(fileURLWithPath: path))
        case .gobench: try Data(goBenchmark().utf8).write(to: URL(fileURLWithPath: path))
        case .junit: try Data(junit(gate: gate)).write(to: URL(fileURLWithPath: path))
        }
    }
}
