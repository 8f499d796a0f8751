import FlumeBench
import Foundation
import TestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// `flumebench bench` on logs JS wrote, run from a folder outside any checkout as the logs'
/// owner with the logs read-only (root writes anything, so as root it runs as nobody): it
/// answers which strategy is fastest per operation, proves cold rounds cold, and leaves every
/// log byte for byte as it was.
final class BenchCommandTests: XCTestCase {
    private func fingerprint(_ path: String) throws -> (Data, Date) {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (try Data(contentsOf: URL(fileURLWithPath: path)), attributes[.modificationDate] as! Date)
    }

    func testBenchAnswersPerOperationAndLeavesTheLogsAlone() throws {
        let root = try CompatibilityCorpus.require()
        let dir = try TemporaryDirectory()
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: dir.url.path)
        var logs: [String] = []
        for source in ["js/js-small-u32.offset", "aaol/bipf-small.log"] {
            let target = dir.path(URL(fileURLWithPath: source).lastPathComponent)
            try FileManager.default.copyItem(atPath: root.appendingPathComponent(source).path, toPath: target)
            XCTAssertEqual(chmod(target, 0o444), 0)
            // Owned by the user bench runs as: the kernel shows page-cache residency to owners only.
            if getuid() == 0 { XCTAssertEqual(chown(target, 65534, 65534), 0) }
            logs.append(target)
        }
        let before = try logs.map(fingerprint)
        let asUser: String? = getuid() == 0 ? "65534" : nil
        if asUser != nil, !FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") {
            throw XCTSkip("running as root without setpriv(1): cannot make the logs read-only")
        }
        let outcome = try FlumebenchProcess.run(["bench"] + logs.map { URL(fileURLWithPath: $0).lastPathComponent }
                                                    + ["--time-budget", "15", "--include-writes"],
                                                as: asUser, in: dir.url)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        for (log, (bytes, modified)) in zip(logs, before) {
            let (after, modifiedAfter) = try fingerprint(log)
            XCTAssertEqual(after, bytes, "\(log) changed")
            XCTAssertEqual(modifiedAfter, modified, "\(log) was written")
        }
        XCTAssertTrue(outcome.stderr.contains("bipf-small.log: async-append-only-log"), "auto names its evidence: \(outcome.stderr)")

        // The report: the verdict table is the first table.
        let reports = dir.url.appendingPathComponent("flumebench-reports/latest")
        let report = try String(contentsOf: reports.appendingPathComponent("report.md"), encoding: .utf8)
        let firstTable = try XCTUnwrap(report.components(separatedBy: "\n").first { $0.hasPrefix("|") })
        XCTAssertTrue(firstTable.hasPrefix("| operation | log | cache | buffered | mmap | pread | uring | verdict |"), firstTable)
        XCTAssertTrue(report.contains("## Which strategy is fastest"))

        let results = try BenchmarkResults.load(from: reports.appendingPathComponent("results.json").path)
        let verdicts = try XCTUnwrap(results.verdicts)
        for log in ["js-small-u32.offset", "bipf-small.log"] {
            for operation in ["open", "forward_scan", "reverse_scan", "random_uniform", "view_all"] {
                for cache in ["warm", "cold"] {
                    XCTAssertTrue(verdicts.contains { $0.corpus == log && $0.operation == operation && $0.cache == cache },
                                  "no verdict for \(operation) \(log) \(cache)")
                }
            }
        }
        for verdict in verdicts where verdict.runnerUp != nil {
            XCTAssertGreaterThanOrEqual(verdict.ratio, 1)
            XCTAssertLessThanOrEqual(verdict.ciLow, verdict.ratio)
            XCTAssertEqual(verdict.significant, verdict.ciLow > 1 + StrategyVerdict.margin)
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: reports.appendingPathComponent("results.json"))) as? [String: Any]
        let first = try XCTUnwrap((json?["verdicts"] as? [[String: Any]])?.first)
        for key in ["operation", "cache", "fastest", "runner_up", "significant", "ratio", "ci_low", "ci_high", "corpus"] {
            XCTAssertNotNil(first[key], "verdicts lack \(key)")
        }
        // Every cold repetition carries its residency; writes ran on copies, of the offset log only.
        for row in results.cases where row.cache == .cold && !row.isReference {
            XCTAssertNotNil(row.residentPercent, row.id)
        }
        XCTAssertEqual(Set(results.cases.filter { $0.operation == .operation(.appendSingle) }.map(\.corpus)), ["js-small-u32.offset"])
        XCTAssertTrue(results.conformance.allSatisfy(\.conforms))
    }

    func testUnknownNamesAndMissingLogs() throws {
        let dir = try TemporaryDirectory()
        let missing = try FlumebenchProcess.run(["bench", "x.offset"], in: dir.url)
        XCTAssertEqual(missing.status, 66, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("x.offset"), missing.stderr)
        let unknown = try FlumebenchProcess.run(["bench", "x.offset", "--strategies", "mmapp"], in: dir.url)
        XCTAssertEqual(unknown.status, 64, unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("unknown strategy \"mmapp\"") && unknown.stderr.contains("buffered, mmap, pread"), unknown.stderr)
    }
}
