import FlumeLog
import Foundation
import TestSupport
import XCTest

/// AAOL appends place records as JS AAOL does and refuse what JS would lose.
final class AAOLWritingTests: XCTestCase {
    /// A record fits its block only with room left for the end-of-block marker; the last block
    /// is written whole, zero-padded; and every record reads back, both ways, under every strategy.
    func testTheFitRuleAndWholeBlocks() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("small-blocks.log")
        let writer = try AAOLLog.create(path, blockSize: 32)
        // Block 0: 2+10 = 12, then 2+14 = 16 → 28, leaving 4 (room for EOB, not for another record).
        XCTAssertEqual(try writer.append(Array(repeating: 1, count: 10)), 0)
        XCTAssertEqual(try writer.append(Array(repeating: 2, count: 14)), 12)
        // 2+1+2 = 5 > 4 left: the next block.
        XCTAssertEqual(try writer.append([3]), 32)
        // Exact fill of block 1: 3 + 2+25 = 30, the EOB takes the last 2 bytes.
        XCTAssertEqual(try writer.append(Array(repeating: 4, count: 25)), 35)
        XCTAssertEqual(try writer.append([5]), 64)
        try writer.sync()
        let bytes = try fileBytes(path)
        XCTAssertEqual(bytes.count, 96, "whole blocks only")
        XCTAssertEqual(Array(bytes[28..<32]), [0, 0, 0, 0])
        XCTAssertEqual(Array(bytes[62..<64]), [0, 0], "the end-of-block marker of an exactly filled block")
        XCTAssertTrue(bytes[67...].allSatisfy { $0 == 0 }, "zero padding")
        for strategy in ReaderStrategy.all {
            let log = try AAOLLog(path: path, blockSize: 32, strategy: strategy)
            var offsets: [Int64] = []
            try log.forEach { offsets.append($0.offset) }
            XCTAssertEqual(offsets, [0, 12, 32, 35, 64])
            var reverse: [Int64] = []
            try log.forEach(.reverse) { reverse.append($0.offset) }
            XCTAssertEqual(reverse, offsets.reversed())
            XCTAssertEqual(log.since, 64)
            XCTAssertEqual(try log.withRecord(at: 35) { Array($0.payload) }, Array(repeating: 4, count: 25))
        }
    }

    func testWhatJSWouldLoseIsRefused() throws {
        let dir = try TemporaryDirectory()
        let writer = try AAOLLog.create(dir.path("refusals.log"), blockSize: 32)
        XCTAssertThrowsError(try writer.append([])) { XCTAssertEqual(($0 as? FlumeLogError)?.code, .invalidArgument) }
        XCTAssertThrowsError(try writer.append(Array(repeating: 1, count: 29))) { XCTAssertEqual(($0 as? FlumeLogError)?.code, .valueTooLarge) }
        XCTAssertEqual(try writer.append(Array(repeating: 1, count: 28)), 0, "blockSize - 4 is the largest payload")
        try writer.sync()
        // An existing file is never written over by create.
        XCTAssertThrowsError(try AAOLLog.create(dir.path("refusals.log"))) { XCTAssertEqual(($0 as? FlumeLogError)?.errno, EEXIST) }
        let empty = try AAOLLog.create(dir.path("empty.log"))
        try empty.sync()
        XCTAssertEqual(try fileBytes(dir.path("empty.log")), [], "a log with no record stays empty, as JS leaves it")
    }
}
