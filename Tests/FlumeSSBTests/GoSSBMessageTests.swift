import Crypto
import FlumeJSON
import FlumeLog
import FlumeSSB
import Foundation
import TestSupport
import XCTest

/// go-ssb's legacy multimsg payloads (`four_ssb_messages`, a real go-ssb log): decoded into
/// the key, author, previous, sequence and receive time, with the signed message's bytes
/// unchanged, so ssb-validate verifies both signatures (the Rust seed re-serializes the JSON
/// and cannot). Other codecs and every cut or corrupted payload fail with a typed error.
final class GoSSBMessageTests: XCTestCase {
    private func fourMessages() throws -> (directory: String, manifest: JSValue) {
        let folder = try CompatibilityCorpus.require().appendingPathComponent("go-offset2")
        let manifest = try JSValue.parse(Array(try Data(contentsOf: folder.appendingPathComponent("four_ssb_messages.manifest.json"))))
        return (folder.appendingPathComponent("four_ssb_messages").path, manifest)
    }

    func testBothMessagesDecodeWithTheirSignedTextUnchanged() throws {
        let (directory, manifest) = try fourMessages()
        let expected = try XCTUnwrap(manifest["multimsg"]?.arrayValue)
        XCTAssertEqual(expected.count, 2)
        let log = try Offset2Log(directory: directory)
        for (seq, item) in expected.enumerated() {
            try log.withRecord(at: Int64(seq)) { record in
                let message = try GoSSBMessage.decode(record.payload, seq: Int64(seq))
                XCTAssertEqual(message.author, item["author"]?.stringValue)
                XCTAssertEqual(message.key, item["key"]?.stringValue)
                XCTAssertEqual(message.previous, item["previous"]?.stringValue)
                XCTAssertEqual(message.sequence, item["sequence"]?.integerValue)
                let raw = UnsafeRawBufferPointer(rebasing: record.payload[message.rawRange])
                XCTAssertEqual(String(decoding: raw, as: UTF8.self), item["raw_utf8"]?.stringValue)
                XCTAssertEqual(Hex.encode(SHA256.hash(data: raw)), item["raw_sha256"]?.stringValue)
                XCTAssertEqual(message.rawRange.lowerBound, Int(item["raw_payload_offset"]!.integerValue!))
                // The key is the hash of the signed text, as received.
                XCTAssertEqual("%" + Base64.encode(SHA256.hash(data: raw)) + ".sha256", message.key)
            }
        }
        // go-ssb keeps seconds; JS milliseconds: the fraction is cut, not rounded.
        let first = try log.withRecord(at: 0) { try GoSSBMessage.decode($0.payload) }
        XCTAssertEqual(first.receivedSeconds, 1571240483.350816)
        XCTAssertEqual(first.receivedMilliseconds, 1571240483350)
    }

    func testSSBValidateVerifiesBothSignatures() throws {
        let (directory, _) = try fourMessages()
        let report = try SSBValidator(path: directory, format: .offset2).validate()
        XCTAssertNil(report.failure)
        XCTAssertEqual(report.messages, 2)
        XCTAssertEqual(report.feeds, 1)
    }

    func testOtherCodecsAreNamedAndNeverDecoded() throws {
        for (bytes, words) in [([UInt8]([0x02, 0x80]), "type 2"), ([0x03, 0x80], "type 3"), ([0x7b, 0x7d], "type 123"), ([0x09], "type 9")] {
            XCTAssertThrowsError(try bytes.withUnsafeBytes { try GoSSBMessage.decode($0, seq: 7) }) { error in
                let error = error as! SSBError
                XCTAssertEqual(error.code, .unsupportedCodec)
                XCTAssertTrue(error.description.contains("unsupported go-ssb payload codec (\(words))"), error.description)
                XCTAssertTrue(error.description.contains("seq 7"), error.description)
            }
        }
        // 2021+ TFK references: a byte string where the [key, algorithm] pair stood.
        let tfk: [UInt8] = [0x01, 0x86, 0x58, 0x22] + [UInt8](repeating: 1, count: 34)
        XCTAssertThrowsError(try tfk.withUnsafeBytes { try GoSSBMessage.decode($0) }) {
            XCTAssertEqual(($0 as? SSBError)?.code, .unsupportedCodec)
        }
    }

    /// Every prefix of a real payload, and every single-byte change of its CBOR heads, fails
    /// with a typed error or decodes: never a crash, never a read past the bytes.
    func testCutAndCorruptedPayloadsFailCleanly() throws {
        let (directory, _) = try fourMessages()
        let payload = try Offset2Log(directory: directory).withRecord(at: 1) { Array($0.payload) }
        for length in 0..<payload.count {
            let cut = Array(payload.prefix(length))
            XCTAssertThrowsError(try cut.withUnsafeBytes { try GoSSBMessage.decode($0) }, "prefix \(length)")
        }
        for index in 0..<120 {
            for value: UInt8 in [0x00, 0x1b, 0x5b, 0xff] {
                var changed = payload
                changed[index] = value
                _ = try? changed.withUnsafeBytes { try GoSSBMessage.decode($0) }
            }
        }
    }
}
