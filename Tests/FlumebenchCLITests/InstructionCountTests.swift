import FlumeBench
import Foundation
import TestSupport
import XCTest

/// Instruction counts under callgrind: the same on every run of the same code (so the gate
/// holds them to 1 %), and 20 % more work in a counted case fails the gate on the first run,
/// naming the metric, with times not compared at all.
final class InstructionCountTests: XCTestCase {
    private static let root = CompatibilityCorpus.packageRoot
    nonisolated(unsafe) private static let work = try! TemporaryDirectory()

    private static let suite: String = {
        let path = work.path("instructions-test.json")
        let suite = """
            {"name": "instructions-test", "description": "Two counted cases over the 1 MB SSB corpus.",
             "repetitions": 5, "warmups": 0, "random_reads": 100, "append_records": 10,
             "groups": [{"corpora": ["small"], "operations": ["open"], "strategies": ["buffered"], "caches": ["warm"]}],
             "conformance": {"shared_corpus": false, "recipes": []},
             "instructions": [{"operation": "forward_scan", "corpus": "small", "strategy": "buffered"},
                              {"operation": "view_last", "corpus": "small", "strategy": "mmap"}]}
            """
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(suite.utf8)))
        return path
    }()

    private func run(_ name: String, inject: [String] = []) throws -> BenchmarkResults {
        let reports = Self.work.path(name)
        let outcome = try FlumebenchProcess.run(["run", "--suite", Self.suite, "--reports", reports] + inject.flatMap { ["--inject", $0] }, in: Self.root)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        return try BenchmarkResults.load(from: reports + "/latest/results.json")
    }

    func testCountsRepeatAndTwentyPercentMoreWorkFailsTheGate() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/valgrind") else {
            throw XCTSkip("valgrind is not installed: instruction counts are not measured")
        }
        let first = try run("first"), second = try run("second")
        let a = try XCTUnwrap(first.instructions, first.instructionsNote ?? "no counts"), b = try XCTUnwrap(second.instructions)
        XCTAssertEqual(a.map(\.id), ["forward_scan/small/buffered", "view_last/small/mmap"])
        for (x, y) in zip(a, b) {
            XCTAssertGreaterThan(x.instructions, 1_000_000, x.id)
            let drift = abs(Double(x.instructions) / Double(y.instructions) - 1)
            XCTAssertLessThan(drift, 0.001, "\(x.id): \(x.instructions) then \(y.instructions)")
        }
        let baseline = Self.work.path("first/latest/results.json")
        let same = try FlumebenchProcess.run(["gate", "--baseline", baseline, "--current", Self.work.path("second/latest/results.json"), "--deterministic-only"], in: Self.root)
        XCTAssertEqual(same.status, 0, same.stderr + same.stdout)

        let injected = try run("injected", inject: ["extra-instructions:20"])
        let scan = try XCTUnwrap(injected.instructions?.first)
        XCTAssertGreaterThan(Double(scan.instructions) / Double(a[0].instructions), 1.15, "the injection adds about a fifth")
        let gate = try FlumebenchProcess.run(["gate", "--baseline", baseline, "--current", Self.work.path("injected/latest/results.json"), "--deterministic-only"], in: Self.root)
        XCTAssertEqual(gate.status, 2, gate.stderr + gate.stdout)
        XCTAssertTrue(gate.stderr.contains("instructions/forward_scan/small/buffered: instructions:"), gate.stderr)
    }
}
