import FlumeLog
import Foundation
import Glibc
import TestSupport
import XCTest

/// An offset log lends its payloads for as long as a lease holds: past the call that lent them,
/// past later loads of a window or a remapping, and the lease's end reports a mapped file
/// truncated under them.
final class PayloadLeaseTests: XCTestCase {
    private func payload(_ index: Int) -> [UInt8] {
        Array("record \(index) ".utf8) + [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: 1000)
    }

    /// `buffered` and `pread` under a lease: payloads kept from early in a scan, a large
    /// record's among them (mapped, past the 256 KiB window), read as they were lent after
    /// megabytes more were loaded, until released.
    func testWindowedPayloadsKeptUnderALeaseOutliveLaterLoads() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("log.offset")
        let large = [UInt8](repeating: 0xAB, count: 600_000)
        try OffsetLog(path: path).append(batch: (0..<10).map(payload) + [large] + (10..<5_000).map(payload))
        for strategy in [ReaderStrategy.standard, ReaderStrategy(.pread)] {
            let log = try OffsetLog(path: path, access: .readOnly, strategy: strategy)
            let lease = try XCTUnwrap(log.leasePayloads(), "\(strategy)")
            var kept: [(offset: Int64, end: Int64, bytes: UnsafeRawBufferPointer)] = []
            try log.forEachRecord { record in
                if kept.count < 11 { kept.append((record.offset, record.nextOffset, record.payload)) }
            }
            for (index, record) in kept.enumerated() {
                XCTAssertEqual(Array(record.bytes), index == 10 ? large : payload(index), "\(strategy), record \(index)")
            }
            lease.release(upTo: kept[9].end)
            XCTAssertEqual(Array(kept[10].bytes), large, "\(strategy): released up to the record before it only")
            XCTAssertNoThrow(try lease.end())
        }
    }

    /// A large record's mapping kept under a `buffered` lease, cut off its file while kept: its
    /// bytes read as zeros, and ending the lease names the record.
    func testEndingAWindowedLeaseReportsALargeRecordCutOff() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("log.offset")
        try OffsetLog(path: path).append(batch: (0..<10).map(payload) + [[UInt8](repeating: 0xAB, count: 600_000)]
                                         + (10..<1_000).map(payload))
        let log = try OffsetLog(path: path, access: .readOnly, strategy: .standard)
        let lease = try XCTUnwrap(log.leasePayloads())
        var large: (offset: Int64, bytes: UnsafeRawBufferPointer)?
        try log.forEachRecord { if $0.payload.count == 600_000 { large = ($0.offset, $0.payload) } }
        let record = try XCTUnwrap(large)
        XCTAssertEqual(truncate(path, off_t(record.offset)), 0)
        XCTAssertEqual(record.bytes.reduce(0) { $0 | Int($1) }, 0, "a vanished page reads as zeros")
        XCTAssertThrowsError(try lease.end()) { error in
            XCTAssertEqual((error as? FlumeLogError)?.code, .truncatedFrame, "\(error)")
            XCTAssertEqual((error as? FlumeLogError)?.offset, record.offset, "the record's frame: \(error)")
        }
    }

    func testOffsetLogsAndAAOLsLeaseTheirPayloadsExceptThroughURing() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("log.offset"), aaolPath = dir.path("log.aaol")
        try OffsetLog(path: path).append(batch: (0..<10).map(payload))
        try AAOLLog.create(aaolPath).append(contentsOf: (0..<10).map(payload))
        for strategy in ReaderStrategy.all {
            let log = try OffsetLog(path: path, access: .readOnly, strategy: strategy)
            XCTAssertEqual(log.leasePayloads() != nil, strategy.kind != .uring, "\(strategy)")
            XCTAssertEqual(try AAOLLog(path: aaolPath, strategy: strategy).leasePayloads() != nil, strategy.kind != .uring,
                           "AAOL, \(strategy)")
        }
    }

    /// Under a lease, a payload kept from the first scan still reads as it did after the log
    /// grew and a later read mapped the file again (the old mapping is kept, not unmapped).
    func testAPayloadKeptUnderALeaseOutlivesARemapping() throws {
        let dir = try TemporaryDirectory()
        let log = try OffsetLog(path: dir.path("log.offset"), strategy: .mmap)
        try log.append(batch: (0..<100).map(payload))
        let lease = try XCTUnwrap(log.leasePayloads())
        var kept: UnsafeRawBufferPointer?
        try log.forEachRecord { record in if kept == nil { kept = record.payload } }
        let first = try XCTUnwrap(kept)
        // 4 MiB more, read to the end: past the first mapping.
        try log.append(batch: (100..<4_100).map(payload))
        var count = 0
        try log.forEachRecord { _ in count += 1 }
        XCTAssertEqual(count, 4_100)
        XCTAssertEqual(Array(first), payload(0), "the kept payload reads as it was lent")
        XCTAssertNoThrow(try lease.end())
    }

    /// A file truncated while its payloads are leased: ending the lease says so, whether or not
    /// a page lent was touched (a vanished page reads as zeros).
    func testEndingALeaseReportsATruncation() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("log.offset")
        try OffsetLog(path: path).append(batch: (0..<2_000).map(payload))
        for touched in [false, true] {
            let log = try OffsetLog(path: path, access: .readOnly, strategy: .mmap)
            let lease = try XCTUnwrap(log.leasePayloads())
            var last: UnsafeRawBufferPointer?
            try log.forEachRecord { last = $0.payload }
            let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
            XCTAssertEqual(truncate(path, off_t(size / 2)), 0)
            if touched { XCTAssertEqual(try XCTUnwrap(last).reduce(0) { $0 | Int($1) }, 0, "a vanished page reads as zeros") }
            XCTAssertThrowsError(try lease.end(), touched ? "touched" : "untouched") { error in
                XCTAssertEqual((error as? FlumeLogError)?.code, .truncatedFrame, "\(error)")
            }
            // Whole again for the next round.
            try FileManager.default.removeItem(atPath: path)
            try OffsetLog(path: path).append(batch: (0..<2_000).map(payload))
        }
    }
}
