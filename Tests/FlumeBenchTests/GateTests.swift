import FlumeBench
import FlumeLog
import XCTest

/// The gate's rules on hand-made results: exit codes, named metrics, noise tolerance.
final class GateTests: XCTestCase {
    private func results(_ cases: [BenchmarkResults.CaseResult], conformance: [BenchmarkResults.ConformanceCell] = []) -> BenchmarkResults {
        BenchmarkResults(schemaVersion: BenchmarkResults.schemaVersion, suite: "test", suiteDescription: "", runID: "r",
                         machine: .current(jemalloc: "test"), repetitions: 7, memoryBandwidthGBps: 1, corpora: [],
                         cases: cases, conformance: conformance, injections: [], totalSeconds: 1)
    }

    private func scan(ratios: [Double], allocations: UInt64 = 5, records: Int64 = 100_000, seconds: Double = 0.01,
                      checksum: String = "a") -> BenchmarkResults.CaseResult {
        BenchmarkResults.CaseResult(
            id: "forward_scan/c/buffered/warm", operation: .operation(.forwardScan), corpus: "c", strategy: .reader(.buffered), cache: .warm,
            isReference: false, reference: "reference_read_copy/c/read(2)/warm", timeGated: true,
            seconds: ratios.map { $0 * seconds }, ratios: ratios, statistics: SampleStatistics(ratios.map { $0 * seconds }),
            medianRatio: SampleStatistics(ratios).median, records: records, bytes: 64 << 20, userSeconds: 0, systemSeconds: 0,
            minorFaults: 0, majorFaults: 0, readSyscalls: 256, readBytes: 64 << 20, storageReadBytes: 0,
            allocations: allocations, allocatedBytes: 0, peakBytes: 0, residentBytes: 0,
            checksum: checksum, expectedChecksum: "a", conforms: checksum == "a", note: nil)
    }

    private let steady = [1.90, 1.93, 1.88, 1.95, 1.91, 1.89, 1.92]

    func testUnchangedResultsPass() {
        let report = Gate().compare(baseline: results([scan(ratios: steady)]), current: results([scan(ratios: steady.shuffled())]))
        XCTAssertEqual(report.verdict, .pass)
        XCTAssertEqual(report.comparedCases, 1)
    }

    func testOneAllocationPerRecordMoreIsARegressionNamingTheMetric() {
        let report = Gate().compare(baseline: results([scan(ratios: steady)]),
                                    current: results([scan(ratios: steady, allocations: 100_005)]))
        XCTAssertEqual(report.verdict, .regression)
        XCTAssertEqual(report.findings.first?.metric, "allocations_per_record")
    }

    func testAFewAllocationsMoreInAWholeScanAreNotARegression() {
        let report = Gate().compare(baseline: results([scan(ratios: steady)]), current: results([scan(ratios: steady, allocations: 9)]))
        XCTAssertEqual(report.verdict, .pass)
    }

    func testTwentyPercentSlowerIsARegression() {
        let report = Gate().compare(baseline: results([scan(ratios: steady)]), current: results([scan(ratios: steady.map { $0 * 1.2 })]))
        XCTAssertEqual(report.verdict, .regression)
        XCTAssertEqual(report.findings.first?.metric, "time_ratio_to_reference")
    }

    func testNoiseBelowTheMinimumEffectPasses() {
        // 6 % slower and perfectly separated: significant, but below the minimum effect.
        let report = Gate().compare(baseline: results([scan(ratios: steady)]), current: results([scan(ratios: steady.map { $0 * 1.06 })]))
        XCTAssertEqual(report.verdict, .pass)
    }

    func testALargeButInsignificantChangePasses() {
        // Medians 15 % apart, but the samples overlap: one outlier does not fail the gate.
        let noisy = [1.6, 2.5, 1.7, 2.4, 2.3, 1.8, 2.2]
        let report = Gate().compare(baseline: results([scan(ratios: noisy)]), current: results([scan(ratios: [1.9, 2.6, 2.0, 2.35, 2.5, 2.1, 1.7])]))
        XCTAssertEqual(report.verdict, .pass, report.findings.map(\.description).joined(separator: "\n"))
    }

    func testImprovementsAreReportedNotFailed() {
        let report = Gate().compare(baseline: results([scan(ratios: steady)]), current: results([scan(ratios: steady.map { $0 * 0.7 })]))
        XCTAssertEqual(report.verdict, .pass)
        XCTAssertEqual(report.findings.first?.kind, .improvement)
    }

    func testWrongDataIsAConformanceFailureWhateverTheSpeed() {
        let report = Gate().compare(baseline: results([scan(ratios: steady)]),
                                    current: results([scan(ratios: steady.map { $0 * 0.5 }, checksum: "b")]))
        XCTAssertEqual(report.verdict, .conformanceFailure)
        let matrix = Gate().compare(baseline: results([scan(ratios: steady)]), current: results(
            [scan(ratios: steady)], conformance: [.init(log: "js/x", source: "shared", strategy: "mmap", conforms: false, detail: "d")]))
        XCTAssertEqual(matrix.verdict, .conformanceFailure)
    }

    func testTooShortCasesAreNotTimeGated() {
        let report = Gate().compare(baseline: results([scan(ratios: steady, seconds: 0.0005)]),
                                    current: results([scan(ratios: steady.map { $0 * 1.5 }, seconds: 0.0005)]))
        XCTAssertEqual(report.verdict, .pass)
    }

    func testMannWhitneyExactTail() {
        // Five against five, all larger: one arrangement of 252.
        XCTAssertEqual(MannWhitneyU.pValue(larger: [6, 7, 8, 9, 10], smaller: [1, 2, 3, 4, 5]), 1.0 / 252, accuracy: 1e-12)
        XCTAssertEqual(MannWhitneyU.pValue(larger: [1, 2, 3, 4, 5], smaller: [6, 7, 8, 9, 10]), 1.0, accuracy: 1e-12)
        let large = (0..<30).map(Double.init)
        XCTAssertLessThan(MannWhitneyU.pValue(larger: large.map { $0 + 20 }, smaller: large), 0.001)
    }
}

extension GateTests {
    func testPooledBaselinesHoldEveryRunsSamples() throws {
        let first = results([scan(ratios: steady)]), second = results([scan(ratios: steady.map { $0 * 1.1 })])
        let pooled = try BenchmarkResults.pooled([first, second])
        XCTAssertEqual(pooled.cases[0].ratios?.count, 14)
        XCTAssertEqual(pooled.cases[0].seconds.count, 14)
        // A run between the two pooled ones is no regression.
        let report = Gate().compare(baseline: pooled, current: results([scan(ratios: steady.map { $0 * 1.08 })]))
        XCTAssertEqual(report.verdict, .pass)
    }
}
