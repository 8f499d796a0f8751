import FlumeBIPF
import FlumeJSON
import Foundation
import TestSupport
import XCTest

/// Every vector of `aaol/bipf-vectors.json`, written by JS bipf 1.9.0: the same bytes from the
/// same JSON, the same values back, and a typed error with the offset wherever a strict reader
/// must refuse what JS misreads.
final class BIPFVectorTests: XCTestCase {
    private func vectors() throws -> JSValue {
        let root = try CompatibilityCorpus.require()
        let data = try Data(contentsOf: root.appendingPathComponent("aaol/bipf-vectors.json"))
        return try JSValue.parse(Array(data))
    }

    private func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { Hex.value(digits[$0])! << 4 | Hex.value(digits[$0 + 1])! }
    }

    private func text(_ value: JSValue?) -> String {
        value.map { String(decoding: $0.stringify(), as: UTF8.self) } ?? "undefined"
    }

    func testEveryEncodeVectorGivesJSsBytesAndDecodesBack() throws {
        let encode = try XCTUnwrap(vectors()["encode"]?.arrayValue)
        XCTAssertEqual(encode.count, 73)
        for vector in encode {
            let name = vector["name"]!.stringValue!
            let parsed = try JSValue.parse(Array(vector["json"]!.stringValue!.utf8))
            if let error = vector["encode_error"]?.stringValue {
                XCTAssertThrowsError(try BIPF.encode(parsed), "\(name): JS says \(error)") {
                    XCTAssertEqual(($0 as? BIPFError)?.code, .unencodable, name)
                }
                continue
            }
            let expected = bytes(hex: vector["bipf_hex"]!.stringValue!)
            XCTAssertEqual(Hex.encode(try BIPF.encode(parsed)), Hex.encode(expected), name)
            XCTAssertEqual(try BIPF.encodedLength(parsed), expected.count, name)
            let (decoded, read) = try BIPF.decode(expected)
            XCTAssertEqual(read, expected.count, name)
            XCTAssertEqual(text(decoded.jsonValue), vector["json_stringify_of_decoded"]!.stringValue!, name)
            if vector["reencode_identical"] == .bool(true), let json = decoded.jsonValue {
                XCTAssertEqual(try BIPF.encode(json), expected, "\(name): re-encoding")
            }
        }
    }

    func testJSValuesJSONCannotHold() throws {
        let values = try XCTUnwrap(vectors()["js_values"]?.arrayValue)
        var checked = 0
        for vector in values {
            guard let hex = vector["bipf_hex"]?.stringValue else { continue }
            let name = vector["name"]!.stringValue!
            let (decoded, _) = try BIPF.decode(bytes(hex: hex))
            switch vector["decoded_js_type"]!.stringValue! {
            case "undefined": XCTAssertEqual(decoded, .undefined, name)
            case "Buffer": XCTAssertEqual(decoded, .buffer([0xDE, 0xAD, 0xBE, 0xEF]), name)
            default: XCTAssertEqual(text(decoded.jsonValue), vector["decoded"]!.stringValue!, name)
            }
            if let keys = vector["decoded_keys"]?.arrayValue, case .object(let members) = decoded {
                XCTAssertEqual(members.map(\.key), keys.compactMap(\.stringValue), name)
            }
            checked += 1
        }
        XCTAssertEqual(checked, 6)
    }

    /// What JS misreads, refused with the offset and the reason; what a strict reader accepts,
    /// read as JS reads it.
    func testEveryDecodeVectorAsAStrictReaderSaysIt() throws {
        let decode = try XCTUnwrap(vectors()["decode"]?.arrayValue)
        XCTAssertEqual(decode.count, 18)
        let codes: [(String, BIPFError.Code)] = [
            ("invalid boolnull", .invalidBoolNull), ("reserved type", .reservedType), ("required type:string", .keyNotString),
            ("varint runs past end", .varintPastEnd), ("value runs past end", .valuePastEnd), ("INT length", .intLength),
            ("DOUBLE length", .doubleLength), ("content overruns its length", .containerOverrun),
        ]
        for vector in decode {
            let name = vector["name"]!.stringValue!
            let verdict = vector["strict_reader"]!.stringValue!
            let input = bytes(hex: vector["bipf_hex"]!.stringValue!)
            if verdict.hasPrefix("rejects: ") {
                let expected = try XCTUnwrap(codes.first { verdict.contains($0.0) }?.1, "\(name): \(verdict)")
                XCTAssertThrowsError(try BIPF.decode(input), name) { error in
                    XCTAssertEqual((error as? BIPFError)?.code, expected, "\(name): \(error)")
                    XCTAssertNotNil((error as? BIPFError)?.offset)
                }
            } else {
                let (decoded, read) = try BIPF.decode(input)
                let accepted = String(verdict.dropFirst("accepts: ".count))
                if accepted.hasSuffix(" bytes)") {
                    XCTAssertEqual(read, 2, name) // "true (2 of 4 bytes)": the rest is not read
                    XCTAssertEqual(decoded, .json(.bool(true)), name)
                } else {
                    XCTAssertEqual(text(decoded.jsonValue), accepted, name)
                }
            }
        }
    }

    /// `value.author` and `value.sequence` found in place in an SSB record, without decoding it.
    func testFieldsAreFoundInPlace() throws {
        let encode = try XCTUnwrap(vectors()["encode"]?.arrayValue)
        let record = try XCTUnwrap(encode.last { $0["name"]?.stringValue?.hasPrefix("SSB record") == true })
        let payload = bytes(hex: record["bipf_hex"]!.stringValue!)
        try payload.withUnsafeBytes { raw in
            let cursor = BIPFCursor(raw)
            let author = try XCTUnwrap(try cursor.seek(path: ["value", "author"]))
            XCTAssertEqual(String(decoding: cursor.content(author), as: UTF8.self), "@u8BPFg7Syu9ktNah8rBQbrxGqMrBmMiucofmo43JUpA=.ed25519")
            let sequence = try XCTUnwrap(try cursor.seek(path: ["value", "sequence"]))
            XCTAssertEqual(cursor.int(sequence), 1)
            let timestamp = try XCTUnwrap(try cursor.seek(path: ["timestamp"]))
            XCTAssertEqual(cursor.number(timestamp), 1_551_401_266_674)
            XCTAssertNil(try cursor.seek(path: ["value", "nothing"]))
        }
    }
}
