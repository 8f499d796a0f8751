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
        try requireReleaseBuild()
        let tracker = try AllocationTracker()
        let (_, delta) = tracker.measure { () }
        XCTAssertEqual(delta.allocations, 0)
        let (_, one) = tracker.measure { [UInt8](repeating: 1, count: 100).count }
        XCTAssertEqual(one.allocations, 1)
    }

    func testScanAllocationsDoNotGrowWithRecordCount() throws {
        try requireReleaseBuild()
        let tracker = try AllocationTracker()
        let dir = try TemporaryDirectory()
        // 100 thousand records (5 MB) and a million. Both are cached, so a reverse scan through a
        // window starts no readahead thread (a cold one would, once, whatever the size).
        let small = dir.path("hundred-thousand.offset"), large = dir.path("million.offset")
        try makeLog(small, records: 100_000)
        try makeLog(large, records: 1_000_000)
        for strategy in ReaderStrategy.all {
            for direction in [ScanDirection.forward, .reverse] {
                _ = try openAndScan(small, strategy, direction) // first-use costs (lazy globals) outside
                let (_, hundredThousand) = try tracker.measure { try openAndScan(small, strategy, direction) }
                let (_, million) = try tracker.measure { try openAndScan(large, strategy, direction) }
                XCTAssertEqual(hundredThousand.allocations, million.allocations, "\(strategy) \(direction)")
                XCTAssertLessThanOrEqual(million.allocations, 16, "\(strategy) \(direction)")
                print("allocations for open + full \(direction) scan, \(strategy.kind): 100k records \(hundredThousand.allocations), 1M records \(million.allocations)")
            }
        }
    }

    /// Memory a reader holds is bounded by its configuration (`bufferMemory`): a 40 MiB record
    /// is read through a 256 KiB buffer without a 40 MiB allocation (it is mapped while borrowed).
    func testLargeRecordsDoNotGrowTheHeap() throws {
        try requireReleaseBuild()
        let tracker = try AllocationTracker()
        let dir = try TemporaryDirectory()
        let path = dir.path("large.offset")
        let large = (0..<(40 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7 | 1) }
        try OffsetLog(path: path).append(batch: [Array("small".utf8), large, Array("after".utf8)])
        for strategy in ReaderStrategy.all {
            for direction in [ScanDirection.forward, .reverse] {
                let (sum, delta) = try tracker.measure { try openAndScan(path, strategy, direction) }
                XCTAssertEqual(sum, 5 + large.count + 5 + Int(UInt8(ascii: "a")) + Int(large[large.count / 2]) + Int(UInt8(ascii: "t")))
                XCTAssertLessThan(delta.bytes, UInt64(strategy.bufferMemory + (7 << 18)), "\(strategy) \(direction) allocated \(delta.bytes) bytes")
            }
            let log = try OffsetLog(path: path, access: .readOnly, strategy: strategy)
            XCTAssertEqual(try log.record(at: 17).payload, large, "\(strategy)")
        }
    }

    /// A length field is never trusted for an allocation before it is checked against the file.
    func testHugeClaimedLengthsAllocateNothingLarge() throws {
        try requireReleaseBuild()
        let tracker = try AllocationTracker()
        let dir = try TemporaryDirectory()
        var bytes = ReferenceFraming.frames(samplePayloads(count: 20), bits: 32)
        bytes.replaceSubrange(0..<4, with: [0xFF, 0xFF, 0xFF, 0xF0])
        let path = try dir.write(bytes, as: "huge.offset")
        for strategy in ReaderStrategy.all {
            let (_, delta) = tracker.measure { _ = try? openAndScan(path, strategy, .forward) }
            XCTAssertLessThan(delta.bytes, UInt64(strategy.bufferMemory + (3 << 18)), "\(strategy)")
        }
    }
}

extension ScanAllocationTests {
    /// A batch append allocates per batch, not per record, whatever collection holds the payloads.
    func testBatchAppendsAllocatePerBatchNotPerRecord() throws {
        try requireReleaseBuild()
        let dir = try TemporaryDirectory()
        let log = try OffsetLog(path: dir.path("append.offset"))
        let payloads = (0..<1000).map { Array("{\"record\":\($0)}".utf8) }
        _ = try log.append(batch: payloads) // the frame buffer reaches its size
        let tracker = try AllocationTracker()
        let (_, array) = try tracker.measure { try log.append(batch: payloads) }
        let (_, slice) = try tracker.measure { try log.append(batch: payloads[0..<1000]) }
        XCTAssertLessThanOrEqual(array.allocations, 8, "an array of 1,000 payloads")
        XCTAssertLessThanOrEqual(slice.allocations, 8, "a slice of 1,000 payloads")
    }
}
