import FlumeLog
import TestSupport
import XCTest

/// A cursor keeps its log's file open: a scan begun on a log nobody else holds reads the
/// log's records, not whatever file took over the descriptor number.
final class CursorLifetimeTests: XCTestCase {
    /// 3 MB: more than a reader's window holds, so the scan must read the file again.
    private func payloads(_ tag: String) -> [[UInt8]] {
        (0..<3000).map { Array("\(tag) record \($0) ".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 1000) }
    }

    private func drain(_ cursor: inout RecordCursor) throws -> [[UInt8]] {
        var read: [[UInt8]] = []
        while let record = try cursor.next() { read.append(Array(record.payload)) }
        return read
    }

    func testACursorOutlivingItsLogReadsTheLog() throws {
        let dir = try TemporaryDirectory()
        let offsetPath = dir.path("log.offset"), aaolPath = dir.path("log.aaol")
        try OffsetLog(path: offsetPath).append(batch: payloads("offset"))
        let aaol = try AAOLLog.create(aaolPath)
        try aaol.append(contentsOf: payloads("aaol"))
        for strategy in ReaderStrategy.all {
            for direction in [ScanDirection.forward, .reverse] {
                var offsetCursor = RecordCursor(try OffsetLog(path: offsetPath, access: .readOnly, strategy: strategy).cursor(direction))
                var aaolCursor = RecordCursor(try AAOLLog(path: aaolPath, strategy: strategy).cursor(direction))
                // Files opened now would take a closed descriptor's number.
                let others = try (0..<4).map { try OffsetLog(path: dir.path("other-\($0)-\(strategy.kind)-\(direction).offset")) }
                for other in others { try other.append(Array("another file".utf8)) }
                let expectedOffset = direction == .forward ? payloads("offset") : payloads("offset").reversed()
                let expectedAAOL = direction == .forward ? payloads("aaol") : payloads("aaol").reversed()
                XCTAssertEqual(try drain(&offsetCursor), expectedOffset, "\(strategy) \(direction)")
                XCTAssertEqual(try drain(&aaolCursor), expectedAAOL, "\(strategy) \(direction)")
            }
        }
    }
}
