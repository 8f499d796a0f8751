import FlumeJSON
import XCTest

/// Number formatting as JS `String(n)` / `JSON.stringify(n)` gives it (values from Node 20).
final class JSNumberFormatTests: XCTestCase {
    func testNumbersFormatAsJavaScriptDoes() {
        let cases: [(Double, String)] = [
            (0, "0"), (-0.0, "0"), (1, "1"), (-1, "-1"), (1551401266674, "1551401266674"),
            (1551401266674.123, "1551401266674.123"), (1551401266674.5, "1551401266674.5"),
            (0.1, "0.1"), (0.000001, "0.000001"), (0.0000001, "1e-7"), (1.5e-7, "1.5e-7"),
            (1e21, "1e+21"), (1e20, "100000000000000000000"), (123456789012345680000, "123456789012345680000"),
            (9007199254740993, "9007199254740992"), (1152921504606846976, "1152921504606847000"),
            (2.5, "2.5"), (-2.5e-10, "-2.5e-10"), (1.7976931348623157e308, "1.7976931348623157e+308"),
            (5e-324, "5e-324"), (123e-20, "1.23e-18"), (0.1 + 0.2, "0.30000000000000004"),
            (.nan, "null"), (.infinity, "null"),
        ]
        for (value, expected) in cases {
            XCTAssertEqual(JSNumberFormat.string(value), expected, "\(value)")
        }
    }
}
