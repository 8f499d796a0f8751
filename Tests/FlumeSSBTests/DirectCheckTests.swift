import FlumeSSB
import Crypto
import FlumeFuzzing
import FlumeJSON
import FlumeLog
import Foundation
import TestSupport
import XCTest

/// `ssb-validate`'s direct path (no `JSValue`) reaches the `JSValue` path's verdict on every
/// message it vouches for, vouches for the messages JS writes, and declines every text whose
/// JS parse and stringify differ from a plain re-indent, even when that re-indent is signed.
final class DirectCheckTests: XCTestCase {
    /// Both paths' outcomes for one payload.
    private struct Verdicts {
        var direct: SSBValidator.Outcome?
        var byValue: SSBValidator.Outcome

        var byValueIsValid: Bool {
            if case .valid = byValue { return true }
            return false
        }
    }

    private var reader = DirectMessageReader()
    private var keys = SSBValidator.PublicKeyCache()

    private func verdicts(_ payload: [UInt8]) -> Verdicts {
        let direct = payload.withUnsafeBytes { SSBValidator.checkDirect($0, reader: &reader, keys: &keys) }
        return Verdicts(direct: direct, byValue: SSBValidator.check(payload, keys: &keys))
    }

    /// Fails unless the direct path either declined or found exactly the `JSValue` path's message.
    private func assertAgree(_ verdicts: Verdicts, _ what: @autoclosure () -> String, line: UInt = #line) {
        guard let direct = verdicts.direct else { return }
        guard case .valid(let fast) = direct else { return XCTFail("\(what()): the direct path returned a non-valid outcome", line: line) }
        guard case .valid(let slow) = verdicts.byValue else { return XCTFail("\(what()): valid directly, invalid as a JSValue", line: line) }
        XCTAssertEqual(fast.key, slow.key, what(), line: line)
        XCTAssertEqual(fast.author, slow.author, what(), line: line)
        XCTAssertEqual(fast.sequence, slow.sequence, what(), line: line)
        XCTAssertEqual(fast.previous, slow.previous, what(), line: line)
        XCTAssertEqual(fast.isPrivate, slow.isPrivate, what(), line: line)
    }

    /// Every JS-written record of the shared corpus: the same verdicts, and every valid message
    /// but those with lone-surrogate escapes (which the direct path leaves to JSValue) checked directly.
    func testBothPathsAgreeOnEveryJSWrittenMessage() throws {
        let root = try CompatibilityCorpus.require()
        var payloads: [(String, [UInt8])] = []
        for name in ["ssb-stream-small.jsonl", "ssb-stream-unicode.jsonl"] {
            let text = try Data(contentsOf: root.appendingPathComponent("ssb/" + name))
            payloads += text.split(separator: UInt8(ascii: "\n")).map { (name, Array($0)) }
        }
        for name in ["ssb-patchql-out.offset", "ssb-patchql-fifty-replies.offset"] {
            let log = try OffsetLog(path: root.appendingPathComponent("real/" + name).path, access: .readOnly)
            try log.forEach(deleted: .skipped) { payloads.append((name, Array($0.payload))) }
        }
        var valid = 0, direct = 0, surrogateEscapes = 0
        for (index, (name, payload)) in payloads.enumerated() {
            let outcome = verdicts(payload)
            assertAgree(outcome, "\(name) record \(index)")
            guard outcome.byValueIsValid else { continue }
            valid += 1
            if outcome.direct != nil { direct += 1 }
            if String(decoding: payload, as: UTF8.self).lowercased().contains("\\ud") { surrogateEscapes += 1 }
        }
        XCTAssertGreaterThan(valid, 1000)
        XCTAssertEqual(direct, valid - surrogateEscapes, "valid messages the direct path declined")
    }

    /// JS-written records with bytes changed, inserted or removed (whitespace, escapes, quotes,
    /// digits, anything): the direct path never crashes, never accepts what JS rejects, and
    /// wherever its reader vouches for a record, writes the texts JS writes (`MessageOracle`,
    /// also what `scripts/fuzz` asks of records).
    func testMutatedRecordsNeverSplitTheVerdicts() throws {
        let root = try CompatibilityCorpus.require()
        var records: [[UInt8]] = []
        for name in ["ssb-stream-small.jsonl", "ssb-stream-unicode.jsonl"] {
            let text = try Data(contentsOf: root.appendingPathComponent("ssb/" + name))
            records += text.split(separator: UInt8(ascii: "\n")).prefix(150).map(Array.init)
        }
        let alphabet = Array(#" \n\t"\/u0aeE.+-{}[],:19fx"#.utf8) + [0x00, 0x80, 0xC3, 0xFF]
        // Whole tokens JS reads other than it writes them (or exactly so), dropped in anywhere.
        let snippets = [#"\/"#, #"\u0041"#, #"\u00e9"#, #"\u001f"#, #"\u001F"#, #"\u000a"#, #"\ud83d\ude00"#, #"\ud800"#,
                        "é", "𝄞", " ", "\n  ", "1.0", "1e3", "-0", "0.5", #""1":0,"#, #""type":"x","#, #""a":[{}],"#].map { Array($0.utf8) }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var declined = 0, vouched = 0
        for (index, record) in records.enumerated() {
            for round in 0..<20 {
                var bytes = record
                for _ in 0...next(3) {
                    let at = next(bytes.count)
                    switch next(4) {
                    case 0: bytes[at] = alphabet[next(alphabet.count)]
                    case 1: bytes.insert(alphabet[next(alphabet.count)], at: at)
                    case 2: bytes.insert(contentsOf: snippets[next(snippets.count)], at: at)
                    default: bytes.remove(at: at)
                    }
                }
                let outcome = verdicts(bytes)
                assertAgree(outcome, "record \(index), mutation \(round)")
                if outcome.direct == nil { declined += 1 }
                // Unsigned, the texts themselves: where the reader vouches, JS's are the same.
                if (try? bytes.withUnsafeBytes { try reader.read($0) }) != nil { vouched += 1 }
                XCTAssertNoThrow(try bytes.withUnsafeBytes { try MessageOracle.check($0) }, "record \(index), mutation \(round)")
            }
        }
        XCTAssertGreaterThan(declined, 0)
        XCTAssertGreaterThan(vouched, 1000, "mutated records whose texts were compared")
    }

    /// Messages signed over a plain re-indent of their JSON (tokens copied, whitespace made
    /// JS's): what the direct path would compute if it skipped a check. Where JS's parse and
    /// stringify give other text, the signature does not verify for JS, and the direct path
    /// must decline; where they agree, both paths accept. Each case differs in one place.
    func testCraftedTextsWhereJSDiffersFromAPlainReindentAreDeclined() throws {
        let keyPair = try SSBKeyPair(seed: Array(repeating: 7, count: 32))
        let cases: [(name: String, content: String, timestamp: String, jsAgrees: Bool)] = [
            ("control", #"{"type":"post","text":"a\nb\u0001"}"#, "1551400994933", true),
            ("decimal timestamp", #"{"type":"post"}"#, "1551400994933.5", true),
            ("non-ASCII text", #"{"type":"post","text":"Grüße, 𝄞"}"#, "1", true),
            ("nested, empty", #"{"type":"post","a":[],"b":{},"c":[1,{"d":null}]}"#, "1", true),
            ("repeated name", #"{"type":"post","text":"a","text":"b"}"#, "1", false),
            ("array-index name", #"{"type":"post","b":1,"1":2}"#, "1", false),
            ("escaped solidus", #"{"type":"post","text":"a\/b"}"#, "1", false),
            ("escaped letter", #"{"type":"post","text":"\u0041"}"#, "1", false),
            ("uppercase hex escape", #"{"type":"post","text":"\u001F"}"#, "1", false),
            ("newline as \\u", #"{"type":"post","text":"\u000a"}"#, "1", false),
            ("lone surrogate", #"{"type":"post","text":"\ud800"}"#, "1", true),
            ("trailing zero", #"{"type":"post","n":1.50}"#, "1", false),
            ("exponent", #"{"type":"post","n":1e3}"#, "1", false),
            ("negative zero", #"{"type":"post","n":-0}"#, "1", false),
            ("17 digits", #"{"type":"post","n":12345678901234567}"#, "1", false),
            ("16 digits", #"{"type":"post","n":1234567890123456}"#, "1", true),
            ("invalid UTF-8", "{\"type\":\"post\",\"text\":\"a\u{FFFD}b\"}", "1", false),
            ("timestamp written 1.0", #"{"type":"post"}"#, "1.0", false),
        ]
        for (name, content, timestamp, jsAgrees) in cases {
            var contentBytes = Array(content.utf8)
            if name == "invalid UTF-8" { contentBytes = contentBytes.flatMap { $0 == 0xEF ? [0xFF] : ($0 == 0xBF || $0 == 0xBD ? [] : [$0]) } }
            let unsigned = Array(#"{"previous":null,"author":"\#(keyPair.id)","sequence":1,"timestamp":\#(timestamp),"hash":"sha256","content":"#.utf8)
                + contentBytes + Array("}".utf8)
            let signedText = Self.plainReindent(unsigned)
            let signature = try keyPair.signature(for: signedText)
            var latin1 = Array(signedText.dropLast(2)) + Array(",\n  \"signature\": \"\(signature)\"\n}".utf8)
            latin1 = Self.latin1(ofUTF8: latin1)
            let key = "%" + Base64.encode(SHA256.hash(data: latin1)) + ".sha256"
            let value = Array(unsigned.dropLast()) + Array(#","signature":"\#(signature)"}"#.utf8)
            let record = Array(#"{"key":"\#(key)","value":"#.utf8) + value + Array(#","timestamp":1}"#.utf8)
            let outcome = verdicts(record)
            assertAgree(outcome, name)
            XCTAssertEqual(outcome.byValueIsValid, jsAgrees, "\(name): the JSValue path's verdict")
            XCTAssertEqual(outcome.direct != nil, jsAgrees && !["lone surrogate", "16 digits"].contains(name), "\(name): the direct path's verdict")
        }
    }

    /// JSON re-indented as `JSON.stringify(_, null, 2)` lays it out, every token copied as it is.
    static func plainReindent(_ json: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var depth = 0
        var index = 0
        func newline() { out.append(0x0A); out += Array(repeating: 0x20, count: 2 * depth) }
        while index < json.count {
            let byte = json[index]
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let close = json[index + 1]
                if close == UInt8(ascii: "}") || close == UInt8(ascii: "]") {
                    out += [byte, close]
                    index += 2
                    continue
                }
                out.append(byte)
                depth += 1
                newline()
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                newline()
                out.append(byte)
            case UInt8(ascii: ","):
                out.append(byte)
                newline()
            case UInt8(ascii: ":"):
                out += [byte, 0x20]
            case UInt8(ascii: "\""):
                var end = index + 1
                while json[end] != UInt8(ascii: "\"") { end += json[end] == UInt8(ascii: "\\") ? 2 : 1 }
                out += json[index...end]
                index = end
            default:
                out.append(byte)
            }
            index += 1
        }
        return out
    }

    /// Node's `'binary'` encoding of UTF-8 text: each UTF-16 unit's low byte (invalid bytes as U+FFFD).
    static func latin1(ofUTF8 bytes: [UInt8]) -> [UInt8] {
        String(decoding: bytes, as: UTF8.self).utf16.map { UInt8(truncatingIfNeeded: $0) }
    }
}
