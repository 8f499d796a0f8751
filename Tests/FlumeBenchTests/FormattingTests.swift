import FlumeBench
import XCTest

/// `Formatting.decimal` writes its digits itself (printf's `CVarArg`s cost a short command
/// conformance lookups); it must still read as printf's `%.Nf` does.
final class FormattingTests: XCTestCase {
    func testDecimalsReadAsPrintfWritesThem() {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = [0, -0.0, 0.125, 0.375, 2.5, -2.5, 1.005, 2.675, 0.994999, 0.995, 9.995, 99.5, -0.004,
                                -0.005, 1e-9, 123_456.789, 3.0, 1.35, 0.8, 1e12 + 0.5]
        values += (0..<2_000).map { _ in Double.random(in: -1e4...1e4, using: &generator) }
        values += (0..<2_000).map { _ in Double(Int.random(in: -100_000...100_000, using: &generator)) / 1000 }
        for value in values {
            for places in 0...4 {
                XCTAssertEqual(Formatting.decimal(value, places), String(printf: "%.\(places)f", value), "\(value), \(places) places")
            }
        }
    }

    func testValuesPrintfWritesOtherwiseGoToPrintf() {
        XCTAssertEqual(Formatting.decimal(.infinity), "inf")
        XCTAssertEqual(Formatting.decimal(-.infinity, 1), "-inf")
        XCTAssertEqual(Formatting.decimal(.nan), "nan")
        XCTAssertEqual(Formatting.decimal(1e300, 0), String(printf: "%.0f", 1e300))
    }
}
