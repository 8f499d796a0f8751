import FlumeSSB
import FlumeViews
import Foundation
import XCTest

/// Where identifiers start their search in the views' tables: every word of the 32 bytes
/// counts, so that a crafted log's keys cannot pile into one slot and make each insert probe
/// all the others (a million such keys: about 5 x 10^11 probes).
final class KeyTableTests: XCTestCase {
    func testIdentifiersThatDifferInOneWordSpreadOverTheTable() throws {
        let table = KeyTable(capacity: 8_192)
        for word in 0..<4 {
            var homes = Set<Int>()
            for n in 0..<4_096 {
                var bytes = [UInt8](repeating: 0x5A, count: 32)
                withUnsafeBytes(of: UInt64(n).littleEndian) { bytes.replaceSubrange(word * 8 ..< word * 8 + 8, with: $0) }
                let text = "%" + Data(bytes).base64EncodedString() + ".sha256"
                guard case .digest(let digest) = SSBIdentifier(messageText: text) else { return XCTFail(text) }
                homes.insert(table.home(digest))
            }
            // 4,096 random slots of 16,384 land on about 3,600 distinct ones.
            XCTAssertGreaterThan(homes.count, 3_000, "keys that differ only in word \(word)")
        }
    }
}
