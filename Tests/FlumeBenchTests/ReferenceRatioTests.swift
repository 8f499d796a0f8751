import FlumeBench
import FlumeLog
import XCTest

/// Views against the simdjson reference, paired by round, on hand-made results.
final class ReferenceRatioTests: XCTestCase {
    private func result(_ operation: CaseOperation, strategy: CaseStrategy, seconds: [Double]) -> BenchmarkResults.CaseResult {
        BenchmarkResults.CaseResult(
            id: "\(operation.description)/c/\(strategy.description)/warm", operation: operation, corpus: "c", strategy: strategy,
            cache: .warm, isReference: operation.operation == nil, reference: nil, timeGated: false,
            seconds: seconds, ratios: nil, statistics: SampleStatistics(seconds), medianRatio: nil, records: 1_000,
            bytes: 1 << 20, userSeconds: 0, systemSeconds: 0, minorFaults: 0, majorFaults: 0, readSyscalls: 0,
            readBytes: 0, storageReadBytes: 0, allocations: nil, allocatedBytes: nil, peakBytes: nil, residentBytes: nil,
            checksum: "a", expectedChecksum: "a", conforms: true, note: nil)
    }

    private func ratios(reference: [Double], view: [Double]) -> [BenchmarkResults.ReferenceRatio] {
        let cases = [result(.reference(.simdjsonFields), strategy: .reference(.simdjsonFields), seconds: reference),
                     result(.operation(.viewLast), strategy: .reader(.mmap), seconds: view),
                     result(.operation(.forwardScan), strategy: .reader(.mmap), seconds: view)]
        let results = BenchmarkResults(schemaVersion: BenchmarkResults.schemaVersion, suite: "test", suiteDescription: "",
                                       runID: "r", machine: .current(jemalloc: "test"), repetitions: reference.count,
                                       memoryBandwidthGBps: 1, corpora: [], cases: cases, conformance: [], injections: [],
                                       totalSeconds: 1)
        return results.referenceRatios(to: .simdjsonFields) { $0.rebuildsViews }
    }

    /// Each round's reference time over the view's, and their median: with an even number of
    /// rounds, halfway between the middle two (the upper one was taken before).
    func testRatioIsTheMedianOfRoundPairsInterpolated() throws {
        let found = ratios(reference: [0.010, 0.010, 0.010, 0.010], view: [0.010, 0.005, 0.0125, 0.008])
        XCTAssertEqual(found.count, 1, "the view only, not the scan")
        let ratio = try XCTUnwrap(found.first)
        // Pairs 1.0, 2.0, 0.8, 1.25: sorted 0.8, 1.0, 1.25, 2.0.
        XCTAssertEqual(ratio.ratio, 1.125, accuracy: 1e-9)
        XCTAssertEqual(ratio.referenceRate, 100_000, accuracy: 1e-6)
    }

    func testOddRoundsTakeTheMiddlePair() throws {
        let ratio = try XCTUnwrap(ratios(reference: [0.02, 0.01, 0.03], view: [0.01, 0.02, 0.01]).first)
        // Pairs 2.0, 0.5, 3.0.
        XCTAssertEqual(ratio.ratio, 2.0, accuracy: 1e-9)
    }
}
