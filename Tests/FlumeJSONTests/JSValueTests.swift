import FlumeJSON
import XCTest

/// JSON.parse / JSON.stringify semantics that SSB keys and signatures depend on.
final class JSValueTests: XCTestCase {
    private func roundTrip(_ text: String, indent: Int = 0, encoding: JSValue.TextEncoding = .utf8) throws -> [UInt8] {
        try JSValue.parse(Array(text.utf8)).stringify(indent: indent, encoding: encoding)
    }

    func testIntegerKeysComeFirstInAscendingOrderAsInJS() throws {
        // node -e 'console.log(JSON.stringify(JSON.parse(`{"b":1,"10":2,"a":3,"2":4,"01":5}`)))'
        XCTAssertEqual(String(decoding: try roundTrip(#"{"b":1,"10":2,"a":3,"2":4,"01":5}"#), as: UTF8.self),
                       #"{"2":4,"10":2,"b":1,"a":3,"01":5}"#)
    }

    func testDuplicateKeysKeepTheFirstPlaceAndTheLastValue() throws {
        XCTAssertEqual(String(decoding: try roundTrip(#"{"a":1,"b":2,"a":3}"#), as: UTF8.self), #"{"a":3,"b":2}"#)
    }

    func testStringEscapesAreJSONStringifys() throws {
        // Escapes are normalised: \/ and \u0041 become plain characters, controls get \uXXXX,
        // a lone surrogate stays escaped (well-formed JSON.stringify, Node 12+).
        let text = #"["\/\u0041\u00e9\n\u0001\u001f\"\\\t\ud800x\udc00", "\ud83c\udf0a"]"#
        XCTAssertEqual(String(decoding: try roundTrip(text), as: UTF8.self),
                       "[\"/Aé\\n\\u0001\\u001f\\\"\\\\\\t\\ud800x\\udc00\",\"🌊\"]")
    }

    func testLatin1TakesTheLowByteOfEachUTF16CodeUnit() throws {
        // "é" is U+00E9 -> 0xE9; "✓" is U+2713 -> 0x13; "🌊" is D83C DF0A -> 0x3C 0x0A.
        XCTAssertEqual(try roundTrip(#""é✓🌊""#, encoding: .latin1), [0x22, 0xE9, 0x13, 0x3C, 0x0A, 0x22])
        XCTAssertEqual(try roundTrip(#""é✓🌊""#, encoding: .utf8), Array("\"é✓🌊\"".utf8))
    }

    func testPrettyPrintingMatchesTwoSpaceIndent() throws {
        let text = #"{"a":[1,{"b":null},[]],"c":{},"d":"x"}"#
        let expected = "{\n  \"a\": [\n    1,\n    {\n      \"b\": null\n    },\n    []\n  ],\n  \"c\": {},\n  \"d\": \"x\"\n}"
        XCTAssertEqual(String(decoding: try roundTrip(text, indent: 2), as: UTF8.self), expected)
    }

    func testNumbersAreReformattedAsJSWouldPrintThem() throws {
        XCTAssertEqual(String(decoding: try roundTrip("[1.0, 1e3, -0, 0.5e-6, 1E+21, 1551401266674.1230]"), as: UTF8.self),
                       "[1,1000,0,5e-7,1e+21,1551401266674.123]")
    }

    func testInvalidTextIsRefusedWithItsOffset() {
        let cases: [(String, Int)] = [
            (#"{"a":1,}"#, 7), ("[1,]", 3), (#"{"a" 1}"#, 5), ("01", 1), ("1.", 2), (#""\x""#, 2),
            ("\"a\u{1}\"", 2), ("[1] 2", 4), ("", 0), ("nul", 0), (#""abc"#, 4), ("-", 1),
        ]
        for (text, offset) in cases {
            XCTAssertThrowsError(try JSValue.parse(Array(text.utf8)), text) { error in
                XCTAssertEqual((error as? JSONParseError)?.offset, offset, "\(text): \(error)")
            }
        }
    }

    func testDeepNestingIsRefusedNotACrash() {
        let deep = Array(repeating: UInt8(ascii: "["), count: 100_000)
        XCTAssertThrowsError(try JSValue.parse(deep)) { error in
            XCTAssertTrue("\(error)".contains("nested deeper"), "\(error)")
        }
    }

    func testInvalidUTF8BecomesTheReplacementCharacterAsNodeDecodes() throws {
        let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0x62, 0x22]
        XCTAssertEqual(try JSValue.parse(bytes), .text("a\u{FFFD}b"))
    }

    func testObjectsWithManyKeysParseInLinearTime() throws {
        // 200,000 members: a quadratic member lookup would take minutes.
        var text = "{"
        for index in 0..<200_000 { text += (index > 0 ? "," : "") + "\"k\(index)\":\(index)" }
        text += "}"
        let value = try JSValue.parse(Array(text.utf8))
        XCTAssertEqual(value["k199999"], .number(199_999))
    }
}
