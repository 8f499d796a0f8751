import FlumeBench
import FlumeLog
import TestSupport
import XCTest

/// A full scan allocates a fixed, small number of times, whatever the number of records:
/// payloads are borrowed, never copied into new buffers (jemalloc counts, release build).
final class ScanAllocationTests: XCTestCase {
    private func makeLog(_ path: String, records: Int) throws {
        let log = try OffsetLog(path: path, width: .bits32)
        var batch: [[UInt8]] = []
        for index in 0..<records {
            batch.append(Array("{\"n\":\(index),\"pad\":\"0123456789abcdef\"}".utf8))
            if batch.count == 50_000 { try log.append(batch: batch); batch.removeAll(keepingCapacity: true) }
        }
        try log.append(batch: batch)
    }

    /// Opens the log and scans it, summing what a consumer would read.
    private func openAndScan(_ path: String, _ strategy: ReaderStrategy, _ direction: ScanDirection) throws -> Int {
        let log = try OffsetLog(path: path, access: .readOnly, strategy: strategy)
        var cursor = try log.cursor(direction)
        var checksum = 0
        while let record = try cursor.next() {
            checksum &+= record.length &+ Int(record.payload[record.length / 2])
        }
        return checksum
    }

    func testTrackerAllocatesNothingItself() throws {
        #if DEBUG
        throw XCTSkip("allocation counts mean something only in a release build: run `swift test -c release`")
        #else
        let tracker = try AllocationTracker()
        let (_, delta) = tracker.measure { () }
        XCTAssertEqual(delta.allocations, 0)
        let (_, one) = tracker.measure { [UInt8](repeating: 1, count: 100).count }
        XCTAssertEqual(one.allocations, 1)
        #endif
    }

    func testScanAllocationsDoNotGrowWithRecordCount() throws {
        #if DEBUG
        throw XCTSkip("allocation counts mean something only in a release build: run `swift test -c release`")
        #else
        let tracker = try AllocationTracker()
        let dir = try TemporaryDirectory()
        let small = dir.path("thousand.offset"), large = dir.path("million.offset")
        try makeLog(small, records: 1_000)
        try makeLog(large, records: 1_000_000)
        for strategy in ReaderStrategy.all {
            for direction in [ScanDirection.forward, .reverse] {
                _ = try openAndScan(small, strategy, direction) // first-use costs (lazy globals) outside
                let (_, thousand) = try tracker.measure { try openAndScan(small, strategy, direction) }
                let (_, million) = try tracker.measure { try openAndScan(large, strategy, direction) }
                XCTAssertEqual(thousand.allocations, million.allocations, "\(strategy) \(direction)")
                XCTAssertLessThanOrEqual(million.allocations, 16, "\(strategy) \(direction)")
                print("allocations for open + full \(direction) scan, \(strategy.kind): 1k records \(thousand.allocations), 1M records \(million.allocations)")
            }
        }
        #endif
    }
}
