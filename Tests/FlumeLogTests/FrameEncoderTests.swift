import FlumeLog
import TestSupport
import XCTest

final class FrameEncoderTests: XCTestCase {
    /// "hello" at offset 0: u32 5 | hello | u32 5 | end (5 + 8 + W).
    func testHelloFrameIsByteExactForEveryWidth() throws {
        let hello = Array("hello".utf8)
        let expected: [TrailerWidth: [UInt8]] = [
            .bits32: [0, 0, 0, 5] + hello + [0, 0, 0, 5] + [0, 0, 0, 17],
            .bits48: [0, 0, 0, 5] + hello + [0, 0, 0, 5] + [0, 0, 0, 0, 0, 19],
            .bits53: [0, 0, 0, 5] + hello + [0, 0, 0, 5] + [0, 0, 0, 0, 0, 0, 0, 21],
        ]
        for width in TrailerWidth.allCases {
            var buffer: [UInt8] = []
            let offsets = try FrameEncoder.encode([hello], startingAt: 0, width: width, into: &buffer)
            XCTAssertEqual(offsets, [0])
            XCTAssertEqual(buffer, expected[width], "\(width)")
        }
    }

    func testBatchMatchesTheReferenceTranscriptionOfJS() throws {
        let payloads = samplePayloads(count: 40)
        for width in TrailerWidth.allCases {
            var buffer: [UInt8] = []
            let offsets = try FrameEncoder.encode(payloads, startingAt: 1000, width: width, into: &buffer)
            XCTAssertEqual(buffer, ReferenceFraming.frames(payloads, bits: width.bits, startingAt: 1000))
            XCTAssertEqual(offsets.first, 1000)
            XCTAssertEqual(offsets.count, payloads.count)
        }
    }

    func testEndPastTheWidthIsRefusedBeforeAnyByteIsAdded() throws {
        var buffer: [UInt8] = [1, 2, 3]
        let nearEnd = TrailerWidth.bits32.maxOffset - 20
        XCTAssertThrowsError(try FrameEncoder.encode([[UInt8](repeating: 7, count: 4), [UInt8](repeating: 7, count: 9)],
                                                     startingAt: nearEnd, width: .bits32, into: &buffer)) { error in
            XCTAssertEqual((error as? FlumeLogError)?.code, .valueTooLarge)
            XCTAssertEqual((error as? FlumeLogError)?.offset, nearEnd + 16)
        }
        XCTAssertEqual(buffer, [1, 2, 3])
        XCTAssertNoThrow(try FrameEncoder.frameEnd(payloadLength: 8, at: nearEnd, width: .bits32))
        XCTAssertNoThrow(try FrameEncoder.frameEnd(payloadLength: 9, at: nearEnd, width: .bits48))
        XCTAssertThrowsError(try FrameEncoder.frameEnd(payloadLength: 0, at: TrailerWidth.bits53.maxOffset - 11, width: .bits53))
    }

    func testLengthPastU32IsRefused() {
        XCTAssertThrowsError(try FrameEncoder.frameEnd(payloadLength: Int(UInt32.max) + 1, at: 0, width: .bits53)) {
            XCTAssertEqual(($0 as? FlumeLogError)?.code, .valueTooLarge)
        }
    }
}
