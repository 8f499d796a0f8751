import FlumeLog
import XCTest

final class TrailerWidthTests: XCTestCase {
    private func encoded(_ value: Int64, _ width: TrailerWidth) -> [UInt8] {
        var bytes = [UInt8](repeating: 0xEE, count: 8)
        bytes.withUnsafeMutableBytes { width.encode(value, to: $0.baseAddress!) }
        return Array(bytes[0..<width.byteCount])
    }

    func testByteCountsAndLimits() throws {
        XCTAssertEqual(TrailerWidth.allCases.map(\.byteCount), [4, 6, 8])
        XCTAssertEqual(TrailerWidth.bits32.maxOffset, 4_294_967_295)
        XCTAssertEqual(TrailerWidth.bits48.maxOffset, 281_474_976_710_655)
        XCTAssertEqual(TrailerWidth.bits53.maxOffset, 9_007_199_254_740_991)
        XCTAssertEqual(try TrailerWidth(bits: 48), .bits48)
        XCTAssertThrowsError(try TrailerWidth(bits: 64)) { XCTAssertEqual(($0 as? FlumeLogError)?.code, .invalidArgument) }
    }

    /// uint32be; uint48be = u16 high then u32 low; int53.writeUInt64BE = u32 high then u32 low.
    func testBigEndianLayouts() {
        XCTAssertEqual(encoded(0x0102_0304, .bits32), [0x01, 0x02, 0x03, 0x04])
        XCTAssertEqual(encoded(0x0A0B_0102_0304, .bits48), [0x0A, 0x0B, 0x01, 0x02, 0x03, 0x04])
        XCTAssertEqual(encoded(0x1F_0A0B_0102_0304, .bits53), [0x00, 0x1F, 0x0A, 0x0B, 0x01, 0x02, 0x03, 0x04])
        XCTAssertEqual(encoded(17, .bits48), [0, 0, 0, 0, 0, 17])
        XCTAssertEqual(encoded(TrailerWidth.bits53.maxOffset, .bits53), [0x00, 0x1F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
    }

    func testDecodeInvertsEncode() {
        for width in TrailerWidth.allCases {
            for value in [0, 1, 255, 65_536, Int64(UInt32.max), width.maxOffset] where value <= width.maxOffset {
                let bytes = encoded(value, width)
                XCTAssertEqual(bytes.withUnsafeBytes { width.decode(from: $0.baseAddress!) }, value, "\(width) \(value)")
            }
        }
    }
}
