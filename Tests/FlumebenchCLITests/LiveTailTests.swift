import FlumeBench
import FlumeLog
import Foundation
import TestSupport
import XCTest

/// A reader, under every strategy, follows a log while another process appends to it: it
/// never sees a partial frame, and every record it sees is intact and in order.
final class LiveTailTests: XCTestCase {
    func testReadersFollowAnotherProcessesAppendsUnderEveryStrategy() throws {
        let dir = try TemporaryDirectory()
        for strategy in everyStrategyVariant {
            let path = dir.path("tail-\(strategy.kind)-\(strategy.bufferSize).offset")
            _ = try OffsetLog(path: path) // exists before the reader opens it
            let (writer, _) = try FlumebenchProcess.start(["stress-append", path, "--batch", "5"])
            defer { kill(writer.processIdentifier, SIGKILL); writer.waitUntilExit() }

            let reader = try OffsetLog(path: path, access: .readOnly, strategy: strategy)
            var seen = 0
            var last: Int64?
            var refreshes = 0
            let deadline = Date().addingTimeInterval(1.0)
            while Date() < deadline || seen == 0 {
                try reader.refresh()
                refreshes += 1
                try reader.forEach(from: last.map { .after($0) } ?? .beginning) { record in
                    XCTAssertEqual(StressPayload.index(of: record.payload), seen, "\(strategy): record at \(record.offset)")
                    seen += 1
                    last = record.offset
                }
            }
            XCTAssertGreaterThan(seen, 100, "\(strategy)")
            print("live tail, \(strategy): \(seen) records followed over \(refreshes) refreshes")
        }
    }
}
