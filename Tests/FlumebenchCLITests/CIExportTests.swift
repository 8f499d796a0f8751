import FlumeBench
import FlumeJSON
import Foundation
import TestSupport
import XCTest

/// What CI tools read from one run: every export (read back by a real consumer where one
/// installs here: junitparser for JUnit; against the published shapes otherwise), GitHub's job
/// summary and annotations; and a suite split into shards and merged again holding the cases
/// of the whole run.
final class CIExportTests: XCTestCase {
    private static let root = CompatibilityCorpus.packageRoot
    nonisolated(unsafe) private static let work = try! TemporaryDirectory()

    /// A small suite: the 1 MB SSB corpus, scans and random reads, two strategies.
    private static let suite: String = {
        let path = work.path("ci-test.json")
        let suite = """
            {"name": "ci-test", "description": "Small scans and random reads, for the CI export tests.",
             "repetitions": 6, "warmups": 1, "random_reads": 200, "append_records": 10,
             "groups": [{"corpora": ["small"], "operations": ["forward_scan", "reverse_scan", "random_uniform", "open"],
                         "strategies": ["buffered", "mmap"], "caches": ["warm"]}],
             "conformance": {"shared_corpus": false, "recipes": ["fault-length-mismatch"]}}
            """
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(suite.utf8)))
        return path
    }()

    private func run(_ name: String, _ extra: [String] = [], environment: [String: String] = [:]) throws -> (FlumebenchProcess.Outcome, String) {
        let reports = Self.work.path(name)
        let outcome = try FlumebenchProcess.run(["run", "--suite", Self.suite, "--reports", reports] + extra, in: Self.root, environment: environment)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        return (outcome, reports + "/latest/results.json")
    }

    func testEveryExportComesFromOneRunInItsPublishedShape() throws {
        let out = Self.work.path("exports")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let summary = out + "/summary.md"
        let (outcome, resultsPath) = try run("exports", ["--export", "github-benchmark=\(out)/bench.json", "--export", "bmf=\(out)/bmf.json",
                                                         "--export", "gobench=\(out)/bench.txt", "--export", "junit=\(out)/junit.xml"],
                                             environment: ["GITHUB_STEP_SUMMARY": summary])
        let results = try BenchmarkResults.load(from: resultsPath)
        let measured = results.cases.filter { !$0.isReference }
        XCTAssertEqual(measured.count, 8)

        // github-action-benchmark: an array of {name, unit, value[, range, extra]}; one file per direction.
        for (file, units) in [("bench.json", ["s"]), ("bench-throughput.json", ["MB/s", "records/s"])] {
            let items = try XCTUnwrap(try JSValue.parse(fileBytes(out + "/" + file)).arrayValue, file)
            XCTAssertEqual(items.count, measured.count, file)
            for item in items {
                XCTAssertNotNil(item["name"]?.stringValue, file)
                XCTAssertTrue(units.contains(item["unit"]?.stringValue ?? ""), "\(file): \(item)")
                XCTAssertGreaterThan(item["value"]?.numberValue ?? 0, 0, file)
                XCTAssertNotNil(item["range"]?.stringValue, file)
            }
        }
        // BMF: {benchmark: {measure: {value, lower_value, upper_value}}}, lower <= value <= upper.
        let bmf = try XCTUnwrap(try JSValue.parse(fileBytes(out + "/bmf.json")).objectValue)
        XCTAssertEqual(bmf.count, measured.count)
        for member in bmf.members {
            let latency = try XCTUnwrap(member.value["latency"], member.key)
            let value = try XCTUnwrap(latency["value"]?.numberValue)
            XCTAssertLessThanOrEqual(try XCTUnwrap(latency["lower_value"]?.numberValue), value, member.key)
            XCTAssertGreaterThanOrEqual(try XCTUnwrap(latency["upper_value"]?.numberValue), value, member.key)
        }
        // Go's format: one line per repetition, `BenchmarkName N value unit [value unit]...`.
        let lines = try String(contentsOfFile: out + "/bench.txt", encoding: .utf8).split(separator: "\n")
        XCTAssertTrue(lines.contains("goos: linux"))
        let benchmarks = lines.filter { $0.hasPrefix("Benchmark") }
        XCTAssertEqual(benchmarks.count, measured.reduce(0) { $0 + $1.seconds.count })
        let pattern = try NSRegularExpression(pattern: #"^Benchmark[A-Z][A-Za-z]+/corpus=[^ /]+/strategy=[^ /]+/cache=(warm|cold)\t1\t\d+ ns/op(\t[0-9.]+ MB/s)?(\t\d+ B/op\t\d+ allocs/op)?$"#)
        for line in benchmarks {
            XCTAssertEqual(pattern.numberOfMatches(in: String(line), range: NSRange(line.startIndex..., in: line)), 1, String(line))
        }
        XCTAssertTrue(benchmarks.contains { $0.hasPrefix("BenchmarkForwardScan/corpus=small/strategy=mmap/cache=warm\t") })
        // JUnit, read by junitparser: a testcase per conformance cell and per checksum verdict.
        let cells = results.conformance.count, checks = results.cases.count
        let parsed = try Self.python("""
            import sys
            from junitparser import JUnitXml
            xml = JUnitXml.fromfile(sys.argv[1])
            for suite in xml:
                print(suite.name, suite.tests, suite.failures, suite.skipped, sum(1 for _ in suite))
            """, out + "/junit.xml")
        XCTAssertEqual(parsed.split(separator: "\n").map(String.init), ["conformance \(cells) 0 0 \(cells)", "checksums \(checks) 0 0 \(checks)"])
        // The job summary, appended, and no annotation for a run with nothing wrong.
        let text = try String(contentsOfFile: summary, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("## flumebench ci-test") && text.contains("conformance \(cells)/\(cells)"), text)
        XCTAssertFalse(outcome.stdout.contains("::error"), outcome.stdout)
    }

    /// The gate's exports: JUnit with a failing testcase per regressed case, the summary naming
    /// the regression, and `::error` annotations.
    func testTheGateExportsItsVerdict() throws {
        let (_, baseline) = try run("gate-base")
        let (_, injected) = try run("gate-injected", ["--inject", "allocation-per-record"])
        let out = Self.work.path("gate-exports")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let gate = try FlumebenchProcess.run(["gate", "--baseline", baseline, "--current", injected, "--export", "junit=\(out)/junit.xml"],
                                             in: Self.root, environment: ["GITHUB_STEP_SUMMARY": out + "/summary.md", "GITHUB_ACTIONS": "true"])
        XCTAssertEqual(gate.status, 2, gate.stderr)
        let annotations = gate.stdout.split(separator: "\n").filter { $0.hasPrefix("::error title=flumebench: regression::") }
        XCTAssertFalse(annotations.isEmpty, gate.stdout)
        XCTAssertLessThanOrEqual(annotations.count, 10)
        XCTAssertTrue(try String(contentsOfFile: out + "/summary.md", encoding: .utf8).contains("gate REGRESSION"))
        let failing = try Self.python("""
            import sys
            from junitparser import JUnitXml, Failure
            for suite in JUnitXml.fromfile(sys.argv[1]):
                if suite.name == 'gate':
                    print(sum(1 for case in suite if any(isinstance(r, Failure) for r in case.result)))
            """, out + "/junit.xml")
        XCTAssertGreaterThan(Int(failing.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0, 0, failing)
    }

    /// Two shards merged hold exactly the cases of the unsharded run (all strategies of an
    /// operation x corpus x cache in one shard), the conformance matrix once; a missing shard is
    /// named, exit 64.
    func testShardsMergedHoldTheWholeRunsCases() throws {
        let (_, whole) = try run("whole")
        let (_, first) = try run("shard-1", ["--shard", "1/2"])
        let (_, second) = try run("shard-2", ["--shard", "2/2"])
        let one = try BenchmarkResults.load(from: first), two = try BenchmarkResults.load(from: second)
        XCTAssertFalse(one.cases.filter { !$0.isReference }.isEmpty)
        XCTAssertFalse(two.cases.filter { !$0.isReference }.isEmpty)
        for results in [one, two] {
            for group in Dictionary(grouping: results.cases.filter { !$0.isReference }, by: { "\($0.operation)/\($0.corpus)/\($0.cache)" }).values {
                XCTAssertEqual(group.count, 2, "both strategies of \(group[0].id) in one shard")
            }
        }
        let mergedPath = Self.work.path("merged.json")
        let merge = try FlumebenchProcess.run(["merge", first, second, "--reports", Self.work.path("merged"), "--results-copy", mergedPath], in: Self.root)
        XCTAssertEqual(merge.status, 0, merge.stderr)
        let merged = try BenchmarkResults.load(from: mergedPath), unsharded = try BenchmarkResults.load(from: whole)
        XCTAssertEqual(merged.cases.map(\.id), unsharded.cases.map(\.id))
        XCTAssertEqual(Set(merged.conformance.map { "\($0.log) \($0.strategy)" }), Set(unsharded.conformance.map { "\($0.log) \($0.strategy)" }))
        XCTAssertEqual(merged.conformance.count, unsharded.conformance.count)
        let gate = try FlumebenchProcess.run(["gate", "--baseline", whole, "--current", mergedPath, "--deterministic-only"], in: Self.root)
        XCTAssertEqual(gate.status, 0, gate.stderr + gate.stdout)

        let missing = try FlumebenchProcess.run(["merge", first, "--reports", Self.work.path("merged-missing")], in: Self.root)
        XCTAssertEqual(missing.status, 64)
        XCTAssertTrue(missing.stderr.contains("shard 2/2 missing"), missing.stderr)
    }

    /// Runs a Python snippet with `arguments`; skips when the consumer is not installed.
    private static func python(_ code: String, _ arguments: String...) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", code] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let message = String(decoding: stderr, as: UTF8.self)
        if message.contains("No module named") { throw XCTSkip("junitparser is not installed (scripts/install-deps installs it): \(message)") }
        XCTAssertEqual(process.terminationStatus, 0, message)
        return String(decoding: stdout, as: UTF8.self)
    }
}
