import FlumeBIPF
import FlumeJSON
import FlumeLog
import Foundation
import TestSupport
import XCTest

/// JSON text straight to BIPF gives exactly the bytes of `JSON.parse` then `BIPF.encode`
/// (JS bipf 1.9.0's): for every vector, every record JS wrote, and every case the one pass
/// hands to the exact path.
final class BIPFTranscodingTests: XCTestCase {
    /// Both ways, on one text: the same bytes, or both refusing it.
    private func assertSameAsExactPath(_ text: [UInt8], _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        var fast: [UInt8] = [0xAA]  // what is there already stays
        let fastResult = Result { () throws in
            try text.withUnsafeBytes { (buffer) throws in try BIPF.write(json: buffer, to: &fast) }
        }
        let exact = Result { try BIPF.encode(JSValue.parse(text)) }
        switch (fastResult, exact) {
        case (.success, .success(let bytes)):
            XCTAssertEqual(Hex.encode(fast), Hex.encode([0xAA] + bytes), name, file: file, line: line)
        case (.failure, .failure):
            XCTAssertEqual(fast, [0xAA], "\(name): a refused text left bytes", file: file, line: line)
        default:
            XCTFail("\(name): one pass \(fastResult), exact path \(exact)", file: file, line: line)
        }
    }

    func testEveryVectorAndEveryRecordJSWrote() throws {
        let root = try CompatibilityCorpus.require()
        let vectors = try JSValue.parse(Array(try Data(contentsOf: root.appendingPathComponent("aaol/bipf-vectors.json"))))
        let encode = try XCTUnwrap(vectors["encode"]?.arrayValue)
        for vector in encode { assertSameAsExactPath(Array(vector["json"]!.stringValue!.utf8), vector["name"]!.stringValue!) }
        var records = 0
        for entry in try CompatibilityCorpus.logsWithManifests() where entry.log.hasSuffix(".offset") {
            guard let width = try? JSValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: entry.manifest))))["offset_codec_bits"]?.integerValue,
                  let trailer = TrailerWidth(rawValue: Int(width)),
                  let log = try? OffsetLog(path: entry.log, width: trailer, access: .readOnly) else { continue }
            try? log.forEach(deleted: .skipped) { record in
                records += 1
                assertSameAsExactPath(Array(record.payload), "\(entry.name) @\(record.offset)")
            }
        }
        XCTAssertGreaterThan(records, 1000)
    }

    /// What the one pass hands over, and what it takes, next to the exact path.
    func testTheCasesTheOnePassHandsOver() {
        let texts: [String] = [
            #"{"b":1,"a":2,"1":3,"0":4}"#, #"{"01":1,"1a":2,"-1":3}"#, #"{"a":1,"b":2,"a":3}"#, #"{"a":{"x":1},"a":[1]}"#,
            #""\ud800""#, #""\udc00x""#, #""\ud83d\ude00""#, #""\ud83d\u0041""#, #""a\u0000b""#, #""\/\b\f\n\r\t\"\\""#,
            "\"\u{E9}\u{4E2D}\u{1F600}\"", "-0", "0", "1.0", "1e2", "1E+2", "-1.5e-3", "2147483647", "2147483648", "-2147483647",
            "-2147483648", "123456789012345", "1234567890123456789012", "0.1", "1e400", "-1e400", "00", "01", "-", "1.", ".5",
            "[]", "{}", "[[],{}]", " \t\n[1 , 2 ]\r\n", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "nul", "true false", "", "   ",
            "\"unterminated", "\"tab\there\"", "{\"key\":\"\\x\"}", "\"\\u12\"", "\"\\uZZZZ\"",
            String(repeating: "[", count: 100) + String(repeating: "]", count: 100),
            String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
            "{" + (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + "}",
            "{" + (0..<40).map { "\"k\($0 % 35)\":\($0)" }.joined(separator: ",") + "}",
            "\"" + String(repeating: "x", count: 200) + "\"", "\"" + String(repeating: "é", count: 5000) + "\\n\"",
            "[" + String(repeating: "\"" + String(repeating: "y", count: 1000) + "\",", count: 40) + "1]",
        ]
        for text in texts { assertSameAsExactPath(Array(text.utf8), text.count > 60 ? String(text.prefix(60)) + "…" : text) }
        // Bytes that are not UTF-8, inside and outside strings.
        let raw: [[UInt8]] = [[0x22, 0xFF, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],
                              [0x22, 0xE2, 0x82, 0x22], [0x22, 0x5C, 0x6E, 0xF0, 0x9F, 0x98, 0x80, 0x22], [0xEF, 0xBB, 0xBF, 0x31], [0x7B, 0xFF, 0x7D]]
        for bytes in raw { assertSameAsExactPath(bytes, Hex.encode(bytes)) }
    }
}
