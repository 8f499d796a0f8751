import FlumeFuzzing
import Foundation
import XCTest

/// Inputs kept from fuzzing (crash reproducers and interesting corpus entries, in
/// FuzzRegressions/) go through the fuzzer's own oracle on every test run.
final class FuzzRegressionTests: XCTestCase {
    func testEveryKeptInputPassesTheOracle() throws {
        let folder = try XCTUnwrap(Bundle.module.url(forResource: "FuzzRegressions", withExtension: nil))
        let inputs = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        XCTAssertGreaterThan(inputs.count, 10)
        for input in inputs {
            let bytes = try Data(contentsOf: input)
            XCTAssertNoThrow(try bytes.withUnsafeBytes { try FuzzOracle.check($0) }, input.lastPathComponent)
        }
    }

    /// The oracle can fail: an input that makes a strategy disagree would be reported. Here the
    /// scratch file is checked to be the input itself, byte for byte, after a check.
    func testTheOracleReadsTheInputItChecks() throws {
        let input: [UInt8] = [0, 0, 0, 0, 2, 0x41, 0x42, 0, 0, 0, 2, 0, 0, 0, 14]
        try input.withUnsafeBytes { try FuzzOracle.check($0) }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: FuzzOracle.scratchPath)), Data(input.dropFirst()))
    }
}
