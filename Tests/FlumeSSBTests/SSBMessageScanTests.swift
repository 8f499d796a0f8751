import FlumeJSON
import FlumeLog
import FlumeSSB
import Foundation
import TestSupport
import XCTest

/// The field scanner against a full parse (Foundation) on every record of every corpus.
final class SSBMessageScanTests: XCTestCase {
    /// What JS parses: the payload decoded as UTF-8 with replacement (as Node's Buffer does),
    /// and lone surrogate escapes (`\ud83d`, which JSON's grammar and `JSON.parse` accept but
    /// Foundation rejects; the unicode corpus has one) turned into `\ufffd`.
    private func asJSWouldParse(_ payload: UnsafeRawBufferPointer) -> Data {
        var bytes = Array(String(decoding: payload, as: UTF8.self).utf8)
        func surrogate(at index: Int) -> (high: Bool, low: Bool) {
            guard index + 6 <= bytes.count, bytes[index] == 0x5C, bytes[index + 1] == UInt8(ascii: "u"),
                  bytes[index + 2] | 0x20 == UInt8(ascii: "d"),
                  (3..<6).allSatisfy({ offset in Character(Unicode.Scalar(bytes[index + offset])).isHexDigit })
            else { return (false, false) }
            let third = bytes[index + 3] | 0x20
            return ([UInt8(ascii: "8"), UInt8(ascii: "9"), UInt8(ascii: "a"), UInt8(ascii: "b")].contains(third),
                    [UInt8(ascii: "c"), UInt8(ascii: "d"), UInt8(ascii: "e"), UInt8(ascii: "f")].contains(third))
        }
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x5C, index + 1 < bytes.count, bytes[index + 1] == 0x5C {
                index += 2
                continue
            }
            let here = surrogate(at: index)
            if here.high, surrogate(at: index + 6).low {
                index += 12
                continue
            }
            if here.high || here.low { bytes.replaceSubrange(index..<index + 6, with: Array(#"�"#.utf8)) }
            index += 1
        }
        return Data(bytes)
    }

    private func strictParserRejects(_ data: Data) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import json, sys; json.loads(sys.stdin.buffer.read().decode('utf-8'))"]
        let input = Pipe()
        process.standardInput = input
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        input.fileHandleForWriting.write(data)
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        return process.terminationStatus != 0
    }

    private func crossCheck(_ payload: UnsafeRawBufferPointer, _ label: String) {
        let full = try? JSONSerialization.jsonObject(with: asJSWouldParse(payload), options: [.fragmentsAllowed])
        let scanned = try? SSBMessage.parse(payload)
        guard let object = full as? [String: Any] else {
            if full == nil { XCTAssertNil(scanned, "\(label): the scanner accepted what Foundation rejects") }
            return
        }
        guard let scanned else {
            // Foundation also accepts trailing commas, which JSON and JS reject: ask a strict
            // parser (Python's, as JS would decode the bytes) before calling it a miss.
            if strictParserRejects(asJSWouldParse(payload)) { return }
            return XCTFail("\(label): the scanner rejected a JSON object")
        }
        let value = object["value"] as? [String: Any]
        XCTAssertEqual(scanned.keyString, object["key"] as? String, label)
        XCTAssertEqual(scanned.authorString, value?["author"] as? String, label)
        XCTAssertEqual(scanned.sequence.map { Double($0) }, (value?["sequence"] as? NSNumber)?.doubleValue, label)
        XCTAssertEqual(scanned.timestampText.flatMap(Double.init), (value?["timestamp"] as? NSNumber)?.doubleValue, label)
        let content = value?["content"]
        XCTAssertEqual(scanned.typeString, (content as? [String: Any])?["type"] as? String, label)
        XCTAssertEqual(scanned.isPrivate, content is String, label)
    }

    func testEveryCorpusRecordScansLikeAFullParse() throws {
        var checked = 0
        for (path, _, name) in try CompatibilityCorpus.logsWithManifests() {
            try OffsetLog(path: path, access: .readOnly).forEach(deleted: .skipped) { record in
                crossCheck(record.payload, "\(name) @\(record.offset)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 2000)
    }

    func testLinksAreMessageReferencesInTheContent() throws {
        let json = #"{"key":"%AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=.sha256","value":{"author":"@BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=.ed25519","sequence":2,"timestamp":1.5,"content":{"type":"post","root":"%CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC=.sha256","mentions":[{"link":"%DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD=.sha256"},{"link":"@BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=.ed25519"}],"text":"not %a link"}},"timestamp":3}"#
        let links = try Array(json.utf8).withUnsafeBytes { try SSBMessage.links(in: $0) }
        XCTAssertEqual(links, ["%CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC=.sha256", "%DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD=.sha256"])
        let message = try Array(json.utf8).withUnsafeBytes { try SSBMessage.parse($0) }
        XCTAssertEqual(message.timestampText, "1.5")
        XCTAssertEqual(message.typeString, "post")
    }

    func testEscapesAndMalformedInput() throws {
        let escaped = #"{"key":"%\u0041b\n\"q\" \ud83d\ude00","value":{"author":"x","sequence":-3}}"#
        let message = try Array(escaped.utf8).withUnsafeBytes { try SSBMessage.parse($0) }
        XCTAssertEqual(message.keyString, "%Ab\n\"q\" 😀")
        XCTAssertEqual(message.sequence, -3)
        for bad in [#"{"key":"x""#, #"{"key":01}"#, "{\"key\":\"\u{01}\"}", #"{"a":[1,]}"#, #"{"a":tru}"#, "{} x", "",
                    String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000), #"{"a":1.}"#, #"{"a":"\x"}"#] {
            XCTAssertThrowsError(try Array(bad.utf8).withUnsafeBytes { try SSBMessage.parse($0) }, bad.prefix(40).description)
        }
    }

    /// Strings are read 16 bytes a step (`flume_json_plain_run`): a control byte, an escape, a
    /// bad escape, a non-ASCII or DEL byte at every position of strings up to 48 bytes (each
    /// side of the steps' edges), read as Foundation reads them; cut short anywhere, an error.
    func testStringsWithAStopAtEveryPositionAroundTheSteps() {
        let stops: [[UInt8]] = [[0x01], [0x1F], [0x7F], [0xC3, 0xA9], Array(#"\n"#.utf8), Array(#"\u00e9"#.utf8),
                                Array(#"\""#.utf8), Array(#"\q"#.utf8), Array(#"\u12"#.utf8)]
        for length in 0..<48 {
            for position in 0...length {
                for stop in stops {
                    let text = [UInt8](repeating: UInt8(ascii: "a"), count: position) + stop
                        + [UInt8](repeating: UInt8(ascii: "b"), count: length - position)
                    let json = Array(#"{"key":""#.utf8) + text + Array(#"","value":{"author":"@x","sequence":1}}"#.utf8)
                    json.withUnsafeBytes { crossCheck($0, "\(length) \(position) \(stop)") }
                }
            }
            let cut = Array(#"{"key":""#.utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: length)
            XCTAssertThrowsError(try cut.withUnsafeBytes { try SSBMessage.parse($0) }, "unterminated after \(length)")
        }
    }

    /// Random mutations of real records: the scanner accepts exactly what Foundation accepts
    /// as an object, and reads the same fields.
    func testMutatedRecordsScanLikeAFullParse() throws {
        let root = try CompatibilityCorpus.require()
        let lines = try String(contentsOf: root.appendingPathComponent("ssb/ssb-stream-unicode.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { Array($0.utf8) }
        var state: UInt64 = 42
        for iteration in 0..<3000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            var bytes = lines[Int(state >> 33) % lines.count]
            let position = Int(state >> 20) % bytes.count
            bytes[position] = [UInt8(ascii: "\""), UInt8(ascii: "}"), UInt8(ascii: ","), UInt8(ascii: "\\"), 0x20, UInt8(ascii: "1")][Int(state >> 10) % 6]
            bytes.withUnsafeBytes { crossCheck($0, "mutation \(iteration)") }
        }
    }

    /// The scanner takes a member's name and colon with one compare, and SSB ids and signatures
    /// by their fixed lengths: one message written compact, as JS indents it, with spaces
    /// around colons, with escaped names, and with ids a byte short or long reads the same
    /// fields every way.
    func testNamesAndIdsReadTheSameInEveryLayout() throws {
        let key = "%" + String(repeating: "A", count: 43) + "=.sha256"
        let author = "@" + String(repeating: "B", count: 43) + "=.ed25519"
        let signature = String(repeating: "C", count: 86) + "==.sig.ed25519"
        func record(_ key: String, _ author: String, name: (String) -> String = { "\"\($0)\"" }, colon: String = ":") -> String {
            "{\(name("key"))\(colon)\"\(key)\",\(name("value"))\(colon){\(name("previous"))\(colon)null,\(name("sequence"))\(colon)7,"
                + "\(name("author"))\(colon)\"\(author)\",\(name("timestamp"))\(colon)12.5,\(name("hash"))\(colon)\"sha256\","
                + "\(name("content"))\(colon){\(name("type"))\(colon)\"post\"},\(name("signature"))\(colon)\"\(signature)\"},\(name("timestamp"))\(colon)3}"
        }
        func indented(_ compact: String) throws -> String {
            String(decoding: try JSValue.parse(Array(compact.utf8)).stringify(indent: 2), as: UTF8.self)
        }
        let escapedName: (String) -> String = { "\"\\u00\(String($0.utf8.first!, radix: 16))\($0.dropFirst())\"" }
        for (key, author) in [(key, author), (String(key.dropLast()), author + "x"), (key + "=", String(author.dropFirst())),
                              ("%\\u0041" + key.dropFirst(7), "@\\\"" + author.dropFirst(3))] {
            let layouts = [record(key, author), try indented(record(key, author)), record(key, author, colon: " : "),
                           record(key, author, name: escapedName)]
            XCTAssert(layouts[1].hasPrefix("{\n  \"key\": \""), layouts[1])
            for layout in layouts {
                let message = try Array(layout.utf8).withUnsafeBytes { try SSBMessage.parse($0) }
                XCTAssertEqual(message.keyString, try XCTUnwrap(JSValue.parse(Array("\"\(key)\"".utf8)).stringValue), layout)
                XCTAssertEqual(message.authorString, try XCTUnwrap(JSValue.parse(Array("\"\(author)\"".utf8)).stringValue), layout)
                XCTAssertEqual(message.sequence, 7, layout)
                XCTAssertEqual(message.timestampText, "12.5", layout)
                XCTAssertEqual(message.typeString, "post", layout)
                layout.utf8.withContiguousStorageIfAvailable { crossCheck(UnsafeRawBufferPointer($0), layout) }
            }
        }
    }

    /// Mutations of records as ssb-db wrote them (indented, where names and ids are taken
    /// whole): the scanner accepts exactly what Foundation accepts, and reads the same fields.
    func testMutatedIndentedRecordsScanLikeAFullParse() throws {
        let root = try CompatibilityCorpus.require()
        var records: [[UInt8]] = []
        try OffsetLog(path: root.appendingPathComponent("real/ssb-patchql-out.offset").path, access: .readOnly).forEach(deleted: .skipped) { record in
            if records.count < 200 { records.append(Array(record.payload)) }
        }
        XCTAssertEqual(records.count, 200)
        XCTAssert(records.allSatisfy { $0.starts(with: Array("{\n  \"key\": \"".utf8)) }, "the records are indented as JS writes them")
        let replacements = [UInt8(ascii: "\""), UInt8(ascii: "}"), UInt8(ascii: ","), UInt8(ascii: "\\"), UInt8(ascii: ":"),
                            0x20, 0x0A, 0x01, UInt8(ascii: "x"), UInt8(ascii: "1")]
        var state: UInt64 = 7
        for iteration in 0..<4000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            var bytes = records[Int(state >> 33) % records.count]
            // Most mutations fall where names, ids and the signature are: the first 500 bytes and the last 150.
            let spot = Int(state >> 16) % 650
            let position = spot < 500 ? min(spot, bytes.count - 1) : max(0, bytes.count - (spot - 499))
            bytes[position] = replacements[Int(state >> 8) % replacements.count]
            bytes.withUnsafeBytes { crossCheck($0, "mutation \(iteration) at \(position)") }
        }
    }
}
