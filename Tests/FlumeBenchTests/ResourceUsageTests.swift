import FlumeBench
import FlumeLog
import TestSupport
import XCTest

/// The kernel's counters, as the harness reads them, count what the readers do.
final class ResourceUsageTests: XCTestCase {
    func testReadSyscallsOfABufferedScanAreOnePerBuffer() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("log.offset")
        let log = try OffsetLog(path: path)
        _ = try log.append(batch: (0..<2048).map { _ in [UInt8](repeating: 7, count: 4084) }) // 8 MiB exactly
        try log.sync()
        let reader = try OffsetLog(path: path, access: .readOnly, strategy: .buffered(bufferSize: 256 << 10))
        let before = ResourceUsage.now()
        var records = 0
        try reader.forEach { _ in records += 1 }
        let delta = ResourceUsage.delta(from: before, to: .now())
        XCTAssertEqual(records, 2048)
        // 8 MiB through a 256 KiB buffer: 32 reads, give or take the ends.
        XCTAssertGreaterThanOrEqual(delta.readSyscalls, 32)
        XCTAssertLessThanOrEqual(delta.readSyscalls, 36)
        XCTAssertGreaterThanOrEqual(delta.readBytes, 8 << 20)
        XCTAssertLessThan(delta.readBytes, (8 << 20) + (1 << 20))
    }

    func testMmapScansMakeNoReadCalls() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("log.offset")
        _ = try OffsetLog(path: path).append(batch: (0..<1000).map { _ in [UInt8](repeating: 1, count: 1000) })
        let reader = try OffsetLog(path: path, access: .readOnly, strategy: .mmap)
        let before = ResourceUsage.now()
        try reader.forEach { _ in }
        XCTAssertLessThanOrEqual(ResourceUsage.delta(from: before, to: .now()).readSyscalls, 1)
    }

    /// An AAOL file of 8 MiB (128 blocks) read through a 256 KiB buffer: the open, a forward
    /// and a reverse scan each read every byte once (the reverse walk reads each block once).
    func testAAOLScansReadEveryByteOnce() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("log.aaol")
        let log = try AAOLLog.create(path)
        for _ in 0..<(128 * 16) { try log.appendDeferred([UInt8](repeating: 7, count: 4000)) } // 16 records per block
        try log.sync()
        for direction in [ScanDirection.forward, .reverse] {
            let before = ResourceUsage.now()
            let reader = try AAOLLog(path: path, strategy: .buffered(bufferSize: 256 << 10))
            var records = 0
            try reader.forEach(direction) { _ in records += 1 }
            let delta = ResourceUsage.delta(from: before, to: .now())
            XCTAssertEqual(records, 128 * 16)
            // The open reads the last block's window (256 KiB), the scan 8 MiB: 33 reads and a few.
            XCTAssertLessThanOrEqual(delta.readSyscalls, 40, "\(direction)")
            XCTAssertLessThan(delta.readBytes, (8 << 20) + (512 << 10), "\(direction)")
        }
    }
}
