import CFlumeSIMD
import FlumeSSB
import XCTest

/// Identifiers decoded to their 32 bytes, 16 digits a step: the same bytes as the package's
/// strict base64, every text back exactly, and any digit outside the alphabet refused.
final class Digest32Tests: XCTestCase {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    func testCanonicalIdentifiersDecodeToTheirBytes() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
            for (sigil, suffix) in [("@", ".ed25519"), ("%", ".sha256")] {
                let text = sigil + Base64.encode(bytes) + suffix
                let id = sigil == "@" ? SSBIdentifier(feedText: text) : SSBIdentifier(messageText: text)
                guard case .digest(let digest) = id else { return XCTFail("\(text) not decoded") }
                XCTAssertEqual(withUnsafeBytes(of: digest.words) { Array($0) }, bytes, text)
                XCTAssertEqual(sigil == "@" ? id.feedText : id.messageText, text)
            }
        }
    }

    /// Every byte value at every digit: a digit of the alphabet decodes (bits past the 32 bytes
    /// kept, so the text comes back whole), anything else leaves the text as text.
    func testEveryByteAtEveryDigit() {
        let base = Array("@EMovhfIrFk4NihAKnRNhrfRaqIhBv1Wj8pTxJNgvCCY=.ed25519".utf8)
        for position in 1...43 {
            for value in 0...255 {
                var text = base
                text[position] = UInt8(value)
                guard let string = String(validating: text, as: UTF8.self) else { continue }
                let id = SSBIdentifier(feedText: string)
                if Self.alphabet.contains(UInt8(value)) {
                    guard case .digest = id else { return XCTFail("digit \(value) at \(position) refused") }
                    XCTAssertEqual(id.feedText, string, "digit \(value) at \(position)")
                } else {
                    XCTAssertEqual(id, .text(string), "byte \(value) at \(position)")
                }
            }
        }
    }

    func testTheWrongShapeStaysText() {
        for text in ["@EMovhfIrFk4NihAKnRNhrfRaqIhBv1Wj8pTxJNgvCCY.ed25519", "@EMovhfIrFk4NihAKnRNhrfRaqIhBv1Wj8pTxJNgvCCY=.sha256",
                     "%EMovhfIrFk4NihAKnRNhrfRaqIhBv1Wj8pTxJNgvCCY=.ed25519", "@EMovhfIrFk4NihAKnRNhrfRaqIhBv1Wj8pTxJNgvCC==.ed25519"] {
            XCTAssertEqual(SSBIdentifier(feedText: text), .text(text), text)
        }
    }

    /// The digit-at-a-time decoder, which CPUs without SSSE3 run, agrees with the one that ran
    /// above on every byte at every digit.
    func testThePortableDecoderAgrees() {
        let base = Array("EMovhfIrFk4NihAKnRNhrfRaqIhBv1Wj8pTxJNgvCCY=.ed25519".utf8)
        for position in 0..<43 {
            for value in 0...255 {
                var text = base
                text[position] = UInt8(value)
                var fast = [UInt8](repeating: 0, count: 32), portable = fast
                var fastExtra: UInt8 = 0, portableExtra: UInt8 = 0
                let fastValid = flume_base64_decode_digest(text, &fast, &fastExtra)
                let portableValid = flume_base64_decode_digest_portable(text, &portable, &portableExtra)
                XCTAssertEqual(fastValid, portableValid, "byte \(value) at \(position)")
                if fastValid != 0 {
                    XCTAssertEqual(fast, portable, "byte \(value) at \(position)")
                    XCTAssertEqual(fastExtra, portableExtra, "byte \(value) at \(position)")
                }
            }
        }
    }
}
