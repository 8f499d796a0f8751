import FlumeBIPF
import FlumeJSON
import FlumeLog
import Foundation
import TestSupport
import XCTest

/// BIPF straight to JSON text (`BIPF.appendJSON`) gives exactly `JSON.stringify` of the decoded
/// value (the exact path: `decode`, `jsonValue`, `stringify`), or the same error: on every
/// record JS wrote, on damaged copies of them, and on every case the one pass hands over.
final class BIPFJSONTextTests: XCTestCase {
    private func assertSameAsExactPath(_ bipf: [UInt8], _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        var fast: [UInt8] = [0xAA]  // what is there already stays
        let fastResult = Result { try bipf.withUnsafeBytes { raw in try BIPF.appendJSON(of: raw, to: &fast) } }
        let exact = Result { try BIPF.decode(bipf).value.jsonValue?.stringify() ?? [] }
        switch (fastResult, exact) {
        case (.success, .success(let text)):
            XCTAssertEqual(String(decoding: fast, as: UTF8.self), String(decoding: [0xAA] + text, as: UTF8.self), name, file: file, line: line)
            XCTAssertEqual(fast, [0xAA] + text, name, file: file, line: line)
        case (.failure(let one), .failure(let other)):
            XCTAssertEqual(one as? BIPFError, other as? BIPFError, name, file: file, line: line)
        default:
            XCTFail("\(name): one pass \(fastResult), exact path \(exact)", file: file, line: line)
        }
    }

    /// The BIPF records of ssb-db2's logs in the corpus, and every JSON record of its offset
    /// logs as BIPF; then each with one byte changed.
    func testEveryRecordJSWroteAndDamagedCopies() throws {
        let root = try CompatibilityCorpus.require()
        var records: [[UInt8]] = []
        for name in ["bipf-small", "bipf-unicode"] {
            let log = try AAOLLog(path: root.appendingPathComponent("aaol/\(name).log").path, access: .readOnly)
            try log.forEach(deleted: .skipped) { records.append(Array($0.payload)) }
        }
        for entry in try CompatibilityCorpus.logsWithManifests() {
            guard let log = try? OffsetLog(path: entry.log, access: .readOnly) else { continue }
            try? log.forEach(deleted: .skipped) { record in
                var bipf: [UInt8] = []
                if (try? BIPF.write(json: record.payload, to: &bipf)) != nil { records.append(bipf) }
            }
        }
        XCTAssertGreaterThan(records.count, 1000)
        for (index, record) in records.enumerated() { assertSameAsExactPath(record, "record \(index)") }
        var state: UInt64 = 7
        for iteration in 0..<4000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            var bytes = records[Int(state >> 33) % records.count]
            guard !bytes.isEmpty else { continue }
            bytes[Int(state >> 20) % bytes.count] = UInt8(truncatingIfNeeded: state >> 12)
            assertSameAsExactPath(bytes, "mutation \(iteration)")
        }
    }

    /// What the one pass hands over (and what it takes), next to the exact path.
    func testTheCasesTheOnePassHandsOver() throws {
        let texts = [
            #"{"b":1,"a":2,"1":3,"0":4}"#, #"{"01":1,"":2}"#, #"{"a":1,"b":2,"a":3}"#, #"{"__proto__":1,"x":2}"#,
            #"["a\"b\\c\n\u0001\u001f","é中😀",-0,0.1,1e21,-1.5e-7,2147483647,2147483648,true,false,null,[],{}]"#,
            "{" + (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + "}",
            String(repeating: "[", count: 80) + String(repeating: "]", count: 80),
        ]
        for text in texts {
            var bipf: [UInt8] = []
            try text.utf8.withContiguousStorageIfAvailable { try BIPF.write(json: UnsafeRawBufferPointer($0), to: &bipf) }
            assertSameAsExactPath(bipf, text)
        }
        // Values only BIPF holds, built by hand: a tag is a varint of length << 3 | type.
        func value(_ type: UInt8, _ content: [UInt8]) -> [UInt8] {
            var tag = UInt64(content.count) << 3 | UInt64(type), out: [UInt8] = []
            while tag >= 0x80 { out.append(UInt8(tag & 0x7F) | 0x80); tag >>= 7 }
            return out + [UInt8(tag)] + content
        }
        let string = { (text: [UInt8]) in value(0, text) }
        let undefined = value(6, [2]), buffer = value(1, [1, 2, 3]), nan = value(3, withUnsafeBytes(of: Double.nan) { Array($0) })
        let hand: [(String, [UInt8])] = [
            ("undefined", undefined),
            ("undefined in an array", value(4, string(Array("a".utf8)) + undefined)),
            ("undefined in an object", value(5, string(Array("a".utf8)) + undefined + string(Array("b".utf8)) + value(6, [1]))),
            ("a buffer", value(5, string(Array("data".utf8)) + buffer)),
            ("invalid UTF-8", string([0x61, 0xFF, 0x62])),
            ("an invalid UTF-8 key", value(5, string([0xC3]) + value(6, []))),
            ("a repeated key", value(5, string(Array("a".utf8)) + value(6, [1]) + string(Array("b".utf8)) + value(6, [])
                                        + string(Array("a".utf8)) + value(6, [0]))),
            ("an index key after another", value(5, string(Array("b".utf8)) + value(6, []) + string(Array("1".utf8)) + value(6, [1]))),
            ("a __proto__ key", value(5, string(Array("__proto__".utf8)) + value(6, []) + string(Array("x".utf8)) + value(6, [1]))),
            ("NaN", nan),
            ("an INT of 3 bytes", value(2, [1, 2, 3])),
            ("a BOOLNULL of 3", value(6, [3])),
            ("a key that is not a string", value(5, value(2, [1, 0, 0, 0]) + value(6, []))),
            ("a container cut short", Array(value(4, string(Array("abc".utf8))).dropLast())),
            ("type 7", value(7, [])),
        ]
        for (name, bytes) in hand { assertSameAsExactPath(bytes, name) }
    }
}
