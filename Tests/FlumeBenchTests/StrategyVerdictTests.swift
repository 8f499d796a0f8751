import FlumeBench
import FlumeLog
import TestSupport
import XCTest

/// Verdicts call a strategy fastest only when the paired interval clears the margin.
final class StrategyVerdictTests: XCTestCase {
    /// Deterministic "noise": a fixed pattern of ±3 % per round, shared by both strategies
    /// in some rounds (drift) and not in others.
    private let wobble: [Double] = [1.00, 1.03, 0.98, 1.01, 0.97, 1.02, 0.99, 1.00, 1.03, 0.98]

    func testAClearDifferenceIsCalledWithItsInterval() throws {
        let mmap = wobble.map { 0.010 * $0 }
        let buffered = wobble.reversed().map { 0.0132 * $0 }
        let verdict = try XCTUnwrap(StrategyVerdict.judge(operation: "forward_scan", corpus: "log", cache: "warm",
                                                          seconds: [("buffered", buffered), ("mmap", mmap)]))
        XCTAssertEqual(verdict.fastest, "mmap")
        XCTAssertEqual(verdict.runnerUp, "buffered")
        XCTAssertTrue(verdict.significant)
        XCTAssertEqual(verdict.ratio, 1.32, accuracy: 0.02)
        XCTAssertLessThan(verdict.ciLow, verdict.ratio)
        XCTAssertGreaterThan(verdict.ciHigh, verdict.ratio)
        XCTAssertTrue(verdict.sentence.hasPrefix("mmap fastest: 1.3"), verdict.sentence)
        XCTAssertFalse(verdict.isUnsettled)
    }

    func testNoiseIsNotADifference() throws {
        let a = wobble.map { 0.010 * $0 }, b = wobble.reversed().map { 0.010 * $0 }
        let verdict = try XCTUnwrap(StrategyVerdict.judge(operation: "open", corpus: "log", cache: "cold", seconds: [("pread", a), ("mmap", b)]))
        XCTAssertFalse(verdict.significant)
        XCTAssertGreaterThanOrEqual(verdict.ratio, 1, "the pairs, not the medians, order the two")
        XCTAssertLessThanOrEqual(verdict.ciLow, 1 + StrategyVerdict.margin)
        XCTAssertTrue(verdict.sentence.hasPrefix("~ no significant difference"), verdict.sentence)
    }

    /// A 1 % difference measured very precisely is still not called: below the margin.
    func testATinyDifferenceStaysBelowTheMargin() throws {
        let a = (0..<10).map { _ in 0.0100 }, b = (0..<10).map { index in 0.0101 + Double(index % 2) * 1e-6 }
        let verdict = try XCTUnwrap(StrategyVerdict.judge(operation: "open", corpus: "log", cache: "warm", seconds: [("a", a), ("b", b)]))
        XCTAssertFalse(verdict.significant)
        XCTAssertEqual(verdict.ratio, 1.01, accuracy: 0.001)
    }

    func testThePairedIntervalFollowsStudentsT() {
        // Logs of the ratios: 0.1, 0.2, 0.3 → mean 0.2, sd 0.1, t(2) = 4.303.
        let (ratio, low, high) = StrategyVerdict.pairedRatio([exp(0.1), exp(0.2), exp(0.3)], over: [1, 1, 1])
        XCTAssertEqual(ratio, exp(0.2), accuracy: 1e-12)
        XCTAssertEqual(low, exp(0.2 - 4.303 * 0.1 / 3.0.squareRoot()), accuracy: 1e-9)
        XCTAssertEqual(high, exp(0.2 + 4.303 * 0.1 / 3.0.squareRoot()), accuracy: 1e-9)
    }
}
