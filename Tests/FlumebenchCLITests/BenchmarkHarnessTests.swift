import FlumeBench
import Foundation
import TestSupport
import XCTest

/// The harness end to end, as CI uses it: a suite run writes readable reports, and the gate
/// fails (exit 2, naming the metric) on injected regressions: one allocation more per record,
/// scans 60 % slower.
final class BenchmarkHarnessTests: XCTestCase {
    private static let root = CompatibilityCorpus.packageRoot
    nonisolated(unsafe) private static let work = try! TemporaryDirectory()

    /// A small suite: scans of the 64 MiB SSB corpus (long enough to time), two strategies.
    private static let suite: String = {
        let path = work.path("gate-test.json")
        let suite = """
            {"name": "gate-test", "description": "Scans of the 64 MiB SSB corpus, for the gate's tests.",
             "repetitions": 7, "warmups": 1, "random_reads": 1000, "append_records": 100,
             "groups": [{"corpora": ["medium"], "operations": ["forward_scan", "reverse_scan"],
                         "strategies": ["buffered", "mmap"], "caches": ["warm"]}],
             "conformance": {"shared_corpus": false, "recipes": ["fault-length-mismatch"]}}
            """
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(suite.utf8)))
        return path
    }()

    private static func runSuite(_ name: String, inject: [String] = []) throws -> (FlumebenchProcess.Outcome, String) {
        let reports = work.path(name)
        let outcome = try FlumebenchProcess.run(["run", "--suite", suite, "--reports", reports] + inject.flatMap { ["--inject", $0] },
                                                in: root)
        return (outcome, reports + "/latest/results.json")
    }

    /// The baseline run, shared by the tests.
    private static let baseline: Result<String, Error> = Result { () throws -> String in
        let (outcome, results) = try runSuite("baseline")
        guard outcome.status == 0 else { throw BenchError(.harness, message: "baseline run failed: \(outcome.stderr)") }
        return results
    }

    /// Runs a suite of a test's own (`json`) into a reports folder of its own; its results and
    /// that folder.
    private func runOwnSuite(_ name: String, _ json: String) throws -> (results: BenchmarkResults, reports: String) {
        let suite = Self.work.path("\(name).json"), reports = Self.work.path(name)
        XCTAssertTrue(FileManager.default.createFile(atPath: suite, contents: Data(json.utf8)))
        let outcome = try FlumebenchProcess.run(["run", "--suite", suite, "--reports", reports], in: Self.root)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        return (try BenchmarkResults.load(from: reports + "/latest/results.json"), reports)
    }

    private func gate(_ current: String) throws -> FlumebenchProcess.Outcome {
        try FlumebenchProcess.run(["gate", "--baseline", try Self.baseline.get(), "--current", current], in: Self.root)
    }

    func testAnExtraAllocationPerRecordFailsTheGateWithExit2() throws {
        let (run, results) = try Self.runSuite("allocation", inject: ["allocation-per-record"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let outcome = try gate(results)
        XCTAssertEqual(outcome.status, 2, outcome.stdout + outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("allocations_per_record"), outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("forward_scan/medium/buffered/warm"), outcome.stderr)
    }

    /// One more read(2) per record is caught on the first run, naming the metric, even against
    /// the deterministic figures alone (what CI compares with the committed baseline).
    func testOneMoreReadCallPerRecordFailsTheGateWithExit2() throws {
        let (run, results) = try Self.runSuite("reads", inject: ["read-per-record"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let outcome = try FlumebenchProcess.run(["gate", "--baseline", try Self.baseline.get(), "--current", results, "--deterministic-only"], in: Self.root)
        XCTAssertEqual(outcome.status, 2, outcome.stdout + outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("read_syscalls_per_mb"), outcome.stderr)
        XCTAssertFalse(outcome.stderr.contains("allocations_per_record"), outcome.stderr)
    }

    /// The gate calls regressions from 15 % up, significant over 7 rounds; 60 % leaves room for
    /// the noise of two separate runs on a shared host. 20 % passed the gate once in a noisy
    /// session, and 30 % once too (2026-12-08: the baseline's forward-scan ratios spread over
    /// 2.51-4.38 in one run, and the injected run's 3.48-4.15 did not stand clear of them).
    func testScansSixtyPercentSlowerFailTheGateWithExit2() throws {
        let (run, results) = try Self.runSuite("slower", inject: ["slower-scans:60"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let outcome = try gate(results)
        XCTAssertEqual(outcome.status, 2, outcome.stdout + outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("time_ratio_to_reference"), outcome.stderr)
        XCTAssertFalse(outcome.stderr.contains("allocations_per_record"), outcome.stderr)
    }

    /// A baseline from another machine (here: the same run with another CPU model in its
    /// fingerprint, as a second host of the same kind shows): times are not compared, which is
    /// said, and the gate exits 3 unless told to accept the deterministic figures alone; an
    /// extra allocation per record is still caught (exit 2).
    func testABaselineFromAnotherMachineIsNeverASilentPass() throws {
        let baseline = try Self.baseline.get()
        var json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: baseline))) as? [String: Any])
        var machine = try XCTUnwrap(json["machine"] as? [String: Any])
        var fingerprint = try XCTUnwrap(machine["fingerprint"] as? [String: Any], "results carry a machine fingerprint")
        // Values no host has (a model "1" and an 8 MiB L3 are real: Zen 3 is family 25, model 1).
        fingerprint["model"] = "999"
        fingerprint["caches"] = "L3 1K"
        machine["fingerprint"] = fingerprint
        json["machine"] = machine
        let other = Self.work.path("other-machine.json")
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: other))

        let (_, slower) = try Self.runSuite("slower-other", inject: ["slower-scans:20"])
        let refused = try FlumebenchProcess.run(["gate", "--baseline", other, "--current", slower], in: Self.root)
        XCTAssertEqual(refused.status, 3, refused.stdout + refused.stderr)
        XCTAssertTrue(refused.stderr.contains("another machine") && refused.stderr.contains("times are not compared"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("CPU family/model/stepping") && refused.stderr.contains("caches"), refused.stderr)
        let accepted = try FlumebenchProcess.run(["gate", "--baseline", other, "--current", slower, "--allow-other-machine"], in: Self.root)
        XCTAssertEqual(accepted.status, 0, accepted.stdout + accepted.stderr)
        XCTAssertTrue(accepted.stderr.contains("times are not compared"), "the note is printed even when accepted")

        let (_, allocating) = try Self.runSuite("allocation-other", inject: ["allocation-per-record"])
        let caught = try FlumebenchProcess.run(["gate", "--baseline", other, "--current", allocating, "--allow-other-machine"], in: Self.root)
        XCTAssertEqual(caught.status, 2, caught.stdout + caught.stderr)
        XCTAssertTrue(caught.stderr.contains("allocations_per_record"), caught.stderr)
    }

    /// Same-job A/B: the base and this build run in turns in one job (here the base is this
    /// same binary, as `--against` builds it from a revision): unchanged code passes, scans
    /// made 60 % slower in this build's runs fail with exit 2 naming the time metric (against
    /// the gate's 15 % bar, 20 % in one pair and 30 % in two passed once each on a noisy host).
    func testSameJobABCatchesSlowerScansAndPassesUnchangedCode() throws {
        let binary = try FlumebenchProcess.binary().path
        let arguments = ["gate", "--base-binary", binary, "--suite", Self.suite]
        let unchanged = try FlumebenchProcess.run(arguments + ["--pairs", "2"], in: Self.root)
        XCTAssertEqual(unchanged.status, 0, unchanged.stdout + unchanged.stderr)
        XCTAssertTrue(unchanged.stdout.contains("gate: pass"), unchanged.stdout)
        XCTAssertFalse(unchanged.stderr.contains("another machine"), "one job is one machine: \(unchanged.stderr)")
        let slower = try FlumebenchProcess.run(arguments + ["--pairs", "2", "--inject", "slower-scans:60"], in: Self.root)
        XCTAssertEqual(slower.status, 2, slower.stdout + slower.stderr)
        XCTAssertTrue(slower.stderr.contains("time_ratio_to_reference"), slower.stderr)
    }

    func testTheBaselineGatedAgainstItselfPasses() throws {
        let baseline = try Self.baseline.get()
        let outcome = try FlumebenchProcess.run(["gate", "--baseline", baseline, "--current", baseline], in: Self.root)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertTrue(outcome.stdout.contains("gate: pass"), outcome.stdout)
    }

    func testGateUsageErrorsExit64() throws {
        let missing = try FlumebenchProcess.run(["gate", "--baseline", Self.work.path("none.json")], in: Self.root)
        XCTAssertEqual(missing.status, 64)
        XCTAssertTrue(missing.stderr.contains("none.json"), missing.stderr)
        let noSuite = try FlumebenchProcess.run(["run", "--suite", "no-such-suite"], in: Self.root)
        XCTAssertEqual(noSuite.status, 64)
        XCTAssertTrue(noSuite.stderr.contains("known in Benchmarks: "), noSuite.stderr)
    }

    /// A suite naming what does not exist is a usage error (64) that names the suite file, the
    /// bad name and the valid ones, before anything is generated or measured.
    func testASuiteNamingAnUnknownNameExits64NamingIt() throws {
        let cases: [(field: String, bad: String, valid: String)] = [
            ("strategies", "mmapp", "buffered, mmap, pread"),
            ("operations", "forward_scna", "forward_scan, reverse_scan"),
            ("caches", "tepid", "warm, cold"),
            ("corpora", "no-such-corpus", "medium"),
        ]
        for (field, bad, valid) in cases {
            var group: [String: [String]] = ["corpora": ["medium"], "operations": ["forward_scan"],
                                             "strategies": ["buffered"], "caches": ["warm"]]
            group[field] = [bad]
            let suite: [String: Any] = ["name": "bad", "description": "", "repetitions": 5, "warmups": 0,
                                        "random_reads": 1, "append_records": 1, "groups": [group],
                                        "conformance": ["shared_corpus": false, "recipes": [] as [String]]]
            let path = Self.work.path("bad-\(field).json")
            try JSONSerialization.data(withJSONObject: suite).write(to: URL(fileURLWithPath: path))
            let outcome = try FlumebenchProcess.run(["run", "--suite", path, "--reports", Self.work.path("bad-reports")], in: Self.root)
            XCTAssertEqual(outcome.status, 64, "\(field): \(outcome.stderr)")
            for part in [path, "\"\(bad)\"", valid] {
                XCTAssertTrue(outcome.stderr.contains(part), "\(field): stderr lacks \(part): \(outcome.stderr)")
            }
        }
    }

    func testTheReportHasEveryPartAndTheCSVHasFixedColumns() throws {
        let results = try Self.baseline.get()
        let folder = URL(fileURLWithPath: results).deletingLastPathComponent()
        let report = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
        for part in ["## Verdict", "## References", "## Strategy comparison", "## Conformance matrix", "## Allocations",
                     "| buffered | mmap |", "Relative", "fault-length-mismatch", "fails as expected: lengthMismatch"] {
            XCTAssertTrue(report.contains(part), "report.md lacks \(part)")
        }
        for chart in ["forward-scan-warm.svg", "scan-ratio-to-reference-warm.svg"] {
            XCTAssertTrue(report.contains("charts/\(chart)"))
            let svg = try String(contentsOf: folder.appendingPathComponent("charts/\(chart)"), encoding: .utf8)
            XCTAssertTrue(svg.hasPrefix("<svg") && svg.contains("</svg>"))
        }
        let csv = try String(contentsOf: folder.appendingPathComponent("results.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n")
        XCTAssertEqual(lines.first.map(String.init), BenchmarkResults.csvColumns.joined(separator: ","))
        for line in lines.dropFirst() {
            XCTAssertEqual(Self.csvFields(String(line)).count, BenchmarkResults.csvColumns.count, String(line))
        }
        let decoded = try BenchmarkResults.load(from: results)
        XCTAssertEqual(decoded.cases.count, lines.count - 1)
        XCTAssertTrue(decoded.cases.allSatisfy(\.conforms))
        XCTAssertEqual(decoded.cases.filter(\.isReference).count, 2)
    }

    /// The report holds each reverse scan to its forward scan: the forward time over the reverse
    /// time, paired by round, per log, cache state and strategy.
    func testTheReportComparesReverseScansWithForwardPairedByRound() throws {
        let path = try Self.baseline.get()
        let results = try BenchmarkResults.load(from: path)
        let report = try String(contentsOfFile: URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("report.md").path,
                                encoding: .utf8)
        let section = try XCTUnwrap(report.components(separatedBy: "## Reverse scans against forward").dropFirst().first)
        XCTAssertTrue(section.contains("| log | cache | buffered | mmap |"), section)
        let cells = try ["buffered", "mmap"].map { strategy -> String in
            func seconds(_ operation: String) throws -> [Double] {
                try XCTUnwrap(results.cases.first { $0.id == "\(operation)/medium/\(strategy)/warm" }).seconds
            }
            let ratios = zip(try seconds("forward_scan"), try seconds("reverse_scan")).map { $0 / $1 }
            let ratio = SampleStatistics(ratios).median
            return String(format: ratio < 0.8 ? "**%.2fx**" : "%.2fx", ratio)
        }
        XCTAssertTrue(section.contains("| medium | warm | \(cells.joined(separator: " | ")) |"), "\(cells) in \(section)")
    }

    /// Cold reverse scans are set beside what the device gives backwards: C's `read(2)` of the
    /// same file forwards over its `read(2)` from the end, paired by round, measured cold where
    /// reverse scans are and nowhere else.
    func testColdReverseScansAreSetBesideTheBackwardCopy() throws {
        let (results, reports) = try runOwnSuite("cold-reverse", """
            {"name": "cold-reverse", "description": "Cold and warm scans both ways, for the backward reference.",
             "repetitions": 5, "warmups": 1, "random_reads": 100, "append_records": 10,
             "groups": [{"corpora": ["medium"], "operations": ["forward_scan", "reverse_scan"],
                         "strategies": ["buffered"], "caches": ["cold", "warm"]}],
             "conformance": {"shared_corpus": false, "recipes": []}}
            """)
        let backward = results.cases.filter { $0.operation == .reference(.readCopyBackward) }
        XCTAssertEqual(backward.map(\.cache), [.cold], "measured cold only")
        let cold = try XCTUnwrap(backward.first)
        XCTAssertTrue(cold.conforms, "the backward copy read \(cold.checksum), not the file's \(cold.expectedChecksum)")
        let forward = try XCTUnwrap(results.cases.first { $0.operation == .reference(.readCopy) && $0.cache == .cold })
        let device = SampleStatistics(zip(forward.seconds, cold.seconds).map { $0 / $1 }).median
        let report = try String(contentsOfFile: reports + "/latest/report.md", encoding: .utf8)
        let section = try XCTUnwrap(report.components(separatedBy: "## Reverse scans against forward").dropFirst().first)
        XCTAssertTrue(section.contains("| log | cache | buffered | C read(2) |"), section)
        let rows = section.split(separator: "\n")
        let coldRow = try XCTUnwrap(rows.first { $0.hasPrefix("| medium | cold |") })
        XCTAssertTrue(coldRow.hasSuffix(String(format: " | %.2fx |", device)), "\(device): \(coldRow)")
        let warmRow = try XCTUnwrap(rows.first { $0.hasPrefix("| medium | warm |") })
        XCTAssertTrue(warmRow.hasSuffix(" | — |"), String(warmRow))
        // A cold miss counts as the device's when C misses too and the scan comes within 10 % of it.
        func seconds(_ operation: String) throws -> [Double] {
            try XCTUnwrap(results.cases.first { $0.id == "\(operation)/medium/buffered/cold" }).seconds
        }
        let scan = SampleStatistics(zip(try seconds("forward_scan"), try seconds("reverse_scan")).map { $0 / $1 }).median
        let devices = scan < 0.8 && device < 0.8 && scan >= device * 0.9
        XCTAssertTrue(section.contains(devices ? "1 of the misses is in logs" : "None of the misses are in logs"),
                      "scan \(scan), C \(device): \(section)")
    }

    /// A suite over the same messages in three formats: every case reads the golden data, the
    /// cases a format has no meaning for are not planned (writes and recovery on AAOL,
    /// conversion on the offset log), and the report compares the formats.
    func testFormatsAreComparedOnTheSameMessages() throws {
        let (results, reports) = try runOwnSuite("formats", """
            {"name": "formats-test", "description": "small in three formats", "repetitions": 5, "warmups": 0,
             "random_reads": 500, "append_records": 50,
             "groups": [{"corpora": ["small", "small-aaol", "small-bipf"],
                         "operations": ["forward_scan", "reverse_scan", "random_uniform", "view_all", "views_rebuild_process", "convert",
                                        "open_with_recovery", "append_single", "verify_process", "verify_all_process",
                                        "verify_manifest_process"],
                         "strategies": ["buffered", "mmap"], "caches": ["warm"]}],
             "conformance": {"shared_corpus": false, "recipes": []}}
            """)
        XCTAssertTrue(results.cases.allSatisfy(\.conforms), results.checksumFailures.map(\.id).joined(separator: ", "))
        XCTAssertTrue(results.conformance.allSatisfy(\.conforms))
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: results.corpora.map { ($0.name, $0.format ?? "") }),
                       ["small": "offset", "small-aaol": "aaol", "small-bipf": "aaol+bipf"])
        func planned(_ operation: FlumeBench.Operation) -> Set<String> {
            Set(results.cases.filter { $0.operation == .operation(operation) }.map(\.corpus))
        }
        XCTAssertEqual(planned(.convert), ["small-aaol", "small-bipf"])
        XCTAssertEqual(planned(.appendSingle), ["small"])
        XCTAssertEqual(planned(.openWithRecovery), ["small"])
        XCTAssertEqual(planned(.viewAll), ["small", "small-aaol", "small-bipf"])
        XCTAssertEqual(planned(.viewsRebuildProcess), ["small", "small-aaol", "small-bipf"])
        // Views over the three formats apply the same records, in the harness and as a user's
        // `views rebuild` (whose process reports its peak memory).
        let views = results.cases.filter { $0.operation == .operation(.viewAll) || $0.operation == .operation(.viewsRebuildProcess) }
        XCTAssertEqual(views.count, 9)  // view_all under two strategies, the process once per corpus
        XCTAssertEqual(Set(views.map(\.records)).count, 1)
        XCTAssertGreaterThan(views[0].records, 0)
        for rebuild in views where rebuild.operation == .operation(.viewsRebuildProcess) {
            XCTAssertGreaterThan(rebuild.processPeakBytes ?? 0, 1 << 20, rebuild.id)
            XCTAssertGreaterThan(rebuild.userSeconds + rebuild.systemSeconds, 0, "the child's CPU time: \(rebuild.id)")
            XCTAssertFalse(rebuild.timeGated)
        }
        // `verify` as a user runs it, under each strategy and under every one (no strategy of its
        // own), against `cat` run the same way: its summary counted every record of each format.
        let verifies = results.cases.filter { $0.operation == .operation(.verifyProcess) || $0.operation == .operation(.verifyAllProcess) }
        XCTAssertEqual(verifies.count, 9)
        XCTAssertEqual(verifies.filter { $0.operation == .operation(.verifyAllProcess) }.map(\.strategy), [.none, .none, .none])
        for verify in verifies {
            XCTAssertEqual(verify.reference, "reference_cat_process/\(verify.corpus)/cat/warm", verify.id)
            XCTAssertNotNil(verify.medianRatio, verify.id)
            XCTAssertGreaterThan(verify.userSeconds + verify.systemSeconds, 0, "the child's CPU time: \(verify.id)")
        }
        XCTAssertEqual(Set(results.cases.filter { $0.operation == .reference(.catProcess) }.map(\.corpus)), ["small", "small-aaol", "small-bipf"])
        // `verify --manifest` as a user runs it, every strategy, against each format's golden
        // manifest: it conformed, against the same `cat`, with the peak memory it printed.
        let manifestChecks = results.cases.filter { $0.operation == .operation(.verifyManifestProcess) }
        XCTAssertEqual(Set(manifestChecks.map(\.corpus)), ["small", "small-aaol", "small-bipf"])
        for check in manifestChecks {
            XCTAssertEqual(check.strategy, CaseStrategy.none, check.id)
            XCTAssertTrue(check.conforms, check.id)
            XCTAssertEqual(check.reference, "reference_cat_process/\(check.corpus)/cat/warm", check.id)
            XCTAssertGreaterThan(check.processPeakBytes ?? 0, 1 << 20, check.id)
        }
        // simdjson's extraction, run by its helper beside flumebench (the offset log of JSON
        // only), found every message; its time is the helper's own clock's, without its start.
        let simdjson = try XCTUnwrap(results.cases.first { $0.operation == .reference(.simdjsonFields) }, "no simdjson reference")
        XCTAssertEqual(simdjson.corpus, "small")
        XCTAssertTrue(simdjson.conforms, simdjson.id)
        XCTAssertTrue(simdjson.seconds.allSatisfy { $0 > 0 }, "\(simdjson.seconds)")
        let report = try String(contentsOfFile: reports + "/latest/report.md", encoding: .utf8)
        for part in ["## Views against simdjson", "`flumebench-simdjson`", "## Formats compared on the same messages", "| aaol+bipf (small's records) |",
                     "Conversion `small` → `small-bipf`", "| forward_scan | mmap | warm |", "(process RSS)",
                     "## verify as a process, against cat", "| small-aaol | mmap | warm |", "| small-bipf | every strategy | warm |",
                     "| small-bipf | every strategy, --manifest | warm |"] {
            XCTAssertTrue(report.contains(part), "report.md lacks \(part)")
        }
    }

    /// RFC 4180 fields of one line.
    private static func csvFields(_ line: String) -> [String] {
        var fields: [String] = [], field = "", quoted = false
        var characters = line.makeIterator()
        while let character = characters.next() {
            switch (character, quoted) {
            case ("\"", false) where field.isEmpty: quoted = true
            case ("\"", true): quoted = false
            case (",", false): fields.append(field); field = ""
            default: field.append(character)
            }
        }
        fields.append(field)
        return fields
    }
}
