import Crypto
import FlumeJSON
import FlumeLog
import FlumeSSB
import Foundation
import TestSupport
import XCTest

/// The JSON text, keys and signatures of messages written by JS ssb-db, reproduced exactly.
final class JSCompatibilityTests: XCTestCase {
    /// Every line of `ssb/ssb-stream-*.jsonl` is the payload JS wrote: parsing it and writing it
    /// back gives the same bytes, and the key recomputed from the value (latin1 rule) matches.
    func testStringifyReproducesEveryJSWrittenRecord() throws {
        let root = try CompatibilityCorpus.require()
        var checked = 0
        for name in ["ssb-stream-small.jsonl", "ssb-stream-unicode.jsonl"] {
            let text = try Data(contentsOf: root.appendingPathComponent("ssb/" + name))
            for line in text.split(separator: UInt8(ascii: "\n")) {
                let bytes = Array(line)
                let record = try JSValue.parse(bytes)
                XCTAssertEqual(record.stringify(), bytes, "\(name): record \(checked) re-serialized differently")
                guard case .object(let value)? = record["value"] else { return XCTFail("no value object") }
                XCTAssertEqual(SSBMessageText.key(of: value), record["key"]?.stringValue, "\(name): key of record \(checked)")
                checked += 1
            }
        }
        XCTAssertEqual(checked, 1046)
    }

    /// The latin1 text built from the signed text (ssb-validate's one stringify per message)
    /// is the full stringify's wherever it is offered: every ASCII message; never a unicode one.
    func testLatin1TextFromTheSignedTextIsTheStringifiedValue() throws {
        let root = try CompatibilityCorpus.require()
        var built = 0, declined = 0
        for name in ["ssb-stream-small.jsonl", "ssb-stream-unicode.jsonl"] {
            let text = try Data(contentsOf: root.appendingPathComponent("ssb/" + name))
            for line in text.split(separator: UInt8(ascii: "\n")) {
                guard case .object(let value)? = try JSValue.parse(Array(line))["value"],
                      let signature = value["signature"]?.stringValue else { return XCTFail("\(name): no signed value") }
                let full = JSValue.object(value).stringify(indent: 2, encoding: .latin1)
                if let fast = SSBMessageText.latin1Text(signedText: SSBMessageText.signedText(of: value), signature: signature) {
                    XCTAssertEqual(fast, full, "\(name)")
                    built += 1
                } else {
                    XCTAssertTrue(full.contains { $0 >= 0x80 } || JSValue.object(value).stringify(indent: 2).contains { $0 >= 0x80 }, "\(name): an ASCII message declined")
                    declined += 1
                }
            }
        }
        XCTAssertGreaterThan(built, 0)
        XCTAssertGreaterThan(declined, 0, "no unicode message: the fallback would go untested")
    }

    /// The unicode feed is the one where latin1 and UTF-8 hashing differ: make sure it does.
    func testUnicodeKeysDifferFromTheSHA256OfTheUTF8Text() throws {
        let root = try CompatibilityCorpus.require()
        let text = try Data(contentsOf: root.appendingPathComponent("ssb/ssb-stream-unicode.jsonl"))
        var differing = 0
        for line in text.split(separator: UInt8(ascii: "\n")) {
            guard case .object(let value)? = try JSValue.parse(Array(line))["value"] else { continue }
            let utf8Key = "%" + Data(SHA256.hash(data: JSValue.object(value).stringify(indent: 2))).base64EncodedString() + ".sha256"
            if utf8Key != SSBMessageText.key(of: value) { differing += 1 }
        }
        XCTAssertGreaterThan(differing, 0, "no message where the latin1 rule matters: the test would not catch a UTF-8 hash")
    }

    /// Older real logs store pretty-printed records: the 2-space writer gives their exact bytes.
    func testPrettyPrintingReproducesRealRecords() throws {
        let root = try CompatibilityCorpus.require()
        let log = try OffsetLog(path: root.appendingPathComponent("real/ssb-patchql-out.offset").path, access: .readOnly)
        var pretty = 0
        try log.forEach { record in
            let bytes = Array(record.payload)
            let indent = bytes.contains(UInt8(ascii: "\n")) ? 2 : 0
            if indent == 2 { pretty += 1 }
            XCTAssertEqual(try JSValue.parse(bytes).stringify(indent: indent), bytes, "record at \(record.offset)")
        }
        XCTAssertGreaterThan(pretty, 0)
    }

    /// ssb-keys derives the same feed id from each test seed.
    func testKeyPairsFromSeedsMatchSSBKeys() throws {
        let root = try CompatibilityCorpus.require()
        for name in ["authors-small.json", "authors-unicode.json"] {
            let authors = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("ssb/" + name))) as! [[String: Any]]
            for author in authors {
                let seedHex = author["seed_hex"] as! String
                let seed = stride(from: 0, to: seedHex.count, by: 2).map { offset -> UInt8 in
                    let start = seedHex.index(seedHex.startIndex, offsetBy: offset)
                    return UInt8(seedHex[start..<seedHex.index(start, offsetBy: 2)], radix: 16)!
                }
                XCTAssertEqual(try SSBKeyPair(seed: seed).id, author["id"] as? String)
            }
        }
    }

    /// Every message of the JS-written and real SSB logs validates.
    func testEverySSBLogOfTheCorpusValidates() throws {
        let root = try CompatibilityCorpus.require()
        let logs = ["js/js-small-u32", "js/js-unicode-u32", "js/js-deleted-u32", "js/js-torn-u32-payhalf",
                    "real/ssb-patchql-out", "real/ssb-patchql-fifty-replies"]
        for name in logs {
            let report = try SSBValidator(path: root.appendingPathComponent(name + ".offset").path, width: .bits32).validate()
            XCTAssertNil(report.failure, "\(name): \(report.failure.map(String.init(describing:)) ?? "")")
            XCTAssertGreaterThan(report.messages, 0, name)
        }
    }
}
