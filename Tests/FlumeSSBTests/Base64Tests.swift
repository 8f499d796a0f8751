import FlumeSSB
import Foundation
import XCTest

/// The one base64 of the package: what Foundation and JS write, and strict about what it reads.
final class Base64Tests: XCTestCase {
    func testEncodingEqualsFoundationsForEveryLength() {
        var bytes: [UInt8] = []
        for length in 0..<100 {
            XCTAssertEqual(Base64.encode(bytes), Data(bytes).base64EncodedString(), "length \(length)")
            XCTAssertEqual(Base64.decode(Base64.encode(bytes)), bytes, "length \(length)")
            bytes.append(UInt8(truncatingIfNeeded: length &* 151 &+ 7))
        }
    }

    func testDecodingRefusesWhatIsNotPaddedBase64() {
        for text in ["QQ", "QQ=", "Q===", "====", "QQ==QQ==", "Q Q==", "QUJD\n", "QU-D", "QUJ=D"] {
            XCTAssertNil(Base64.decode(text), text.debugDescription)
        }
        XCTAssertEqual(Base64.decode(""), [])
        // Bits past the last byte are ignored, as Foundation and JS ignore them.
        XCTAssertEqual(Base64.decode("QR=="), [0x41])
        XCTAssertEqual(Base64.decode("QUJ="), [0x41, 0x42])
    }

    func testAFeedIdRoundTrips() throws {
        let id = "@EMovhfIrFk4NihAKnRNhrfRaqIhBv1Wj8pTxJNgvCCY=.ed25519"
        let raw = try XCTUnwrap(Base64.decode(id.dropFirst().dropLast(".ed25519".count)))
        XCTAssertEqual(raw.count, 32)
        XCTAssertEqual("@" + Base64.encode(raw) + ".ed25519", id)
    }
}
