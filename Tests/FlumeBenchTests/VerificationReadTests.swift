import FlumeBench
import FlumeCorpus
import FlumeLog
import TestSupport
import XCTest

/// `verify` reads the log once per strategy (one validating forward pass), and a reverse scan
/// reads every byte once: counted by the kernel (`/proc/self/io`), so the figures are exact
/// whatever the machine. Before, a verify read the file about three times per strategy.
final class VerificationReadTests: XCTestCase {
    /// Records of mixed sizes (some larger than a read window, which are mapped rather than
    /// read), so windows move both ways. Returns the file's size and a floor for the bytes one
    /// pass reads with `read(2)`/`pread(2)`: all but the large payloads (whose heads may be
    /// read into a window before the record is found too large and mapped).
    private func makeLog(_ path: String) throws -> (size: Int64, readInOnePass: Int64) {
        let log = try OffsetLog(path: path, width: .bits32)
        var generator = SplitMix64(seed: 12)
        var batch: [[UInt8]] = []
        for index in 0..<20_000 {
            let size = index % 997 == 0 ? 300_000 : Int(generator.next() % 3_000)
            batch.append([UInt8](repeating: UInt8(truncatingIfNeeded: index | 1), count: size))
        }
        try log.append(batch: batch)
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64)
        return (size, size - Int64(batch.filter { $0.count == 300_000 }.count * 300_000))
    }

    /// Bytes the process read while `body` ran.
    private func bytesRead(_ body: () throws -> Void) rethrows -> Int64 {
        let before = ResourceUsage.now()
        try body()
        return ResourceUsage.delta(from: before, to: ResourceUsage.now()).readBytes
    }

    func testVerifyReadsTheLogOncePerStrategy() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("log.offset")
        let (size, onePass) = try makeLog(path)
        // The open finds the valid end from the last 64 KiB; nothing else is read twice.
        let slack: Int64 = 256 * 1024
        for kind in [ReaderStrategy.Kind.buffered, .pread] {
            var result: LogVerification?
            let once = bytesRead { result = LogVerification.run(path: path, manifest: nil, width: .bits32, strategies: [ReaderStrategy(kind)]) }
            XCTAssertEqual(result?.status, .conforms)
            XCTAssertEqual(result?.summary?.records, 20_000)
            XCTAssertGreaterThanOrEqual(once, onePass, "\(kind)")
            XCTAssertLessThanOrEqual(once, size + slack, "\(kind): one pass")
            let thorough = bytesRead { result = LogVerification.run(path: path, manifest: nil, width: .bits32, strategies: [ReaderStrategy(kind)], thorough: true) }
            XCTAssertEqual(result?.status, .conforms)
            XCTAssertLessThanOrEqual(thorough, 2 * size + slack, "\(kind): --thorough adds one backward pass")
            print("verify \(kind): \(once) bytes read for a \(size)-byte log; thorough \(thorough)")
        }
        let all = bytesRead { _ = LogVerification.run(path: path, manifest: nil, width: .bits32, strategies: ReaderStrategy.all) }
        // mmap reads through page faults, not read calls: two strategies' passes are counted.
        XCTAssertLessThanOrEqual(all, 2 * size + 2 * slack, "every strategy: one pass each")
    }

    func testReverseScanReadsEveryByteOnce() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("log.offset")
        let (size, onePass) = try makeLog(path)
        for kind in [ReaderStrategy.Kind.buffered, .pread] {
            let log = try OffsetLog(path: path, access: .readOnly, strategy: ReaderStrategy(kind))
            var records = 0
            let read = try bytesRead {
                var cursor = try log.cursor(.reverse)
                while try cursor.next() != nil { records += 1 }
            }
            XCTAssertEqual(records, 20_000)
            XCTAssertGreaterThanOrEqual(read, onePass, "\(kind)")
            XCTAssertLessThanOrEqual(read, size + 64 * 1024, "\(kind): a reverse scan reads each window once")
            print("reverse scan \(kind): \(read) bytes read for a \(size)-byte log")
        }
    }

    /// go-ssb's offset2: a reverse scan reads `data` once too (it read it twice: each window was
    /// loaded for a frame's head, ending there, then again for the payload above it).
    func testOffset2ReverseScanReadsEveryByteOnce() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("offset2")
        let writer = try Offset2Log(directory: path, access: .readWrite)
        var generator = SplitMix64(seed: 13)
        for index in 0..<8_000 {
            try writer.append([UInt8](repeating: UInt8(truncatingIfNeeded: index | 1), count: 1 + Int(generator.next() % 2_000)))
        }
        try writer.sync()
        let files = try PageCache.files(of: path)
        let size = files.reduce(Int64(0)) { $0 + (FileDescriptor.size(atPath: $1) ?? 0) }
        for kind in [ReaderStrategy.Kind.buffered, .pread, .uring] {
            let log = try Offset2Log(directory: path, strategy: ReaderStrategy(kind))
            var records = 0
            let read = try bytesRead {
                var cursor = try log.cursor(.reverse)
                while try cursor.next() != nil { records += 1 }
            }
            XCTAssertEqual(records, 8_000)
            // Each window once but for the frame it starts inside (up to 2 KiB of 32 windows), and
            // `ofst` in one window: 8.19 MB for 8.09 (16.05 MB before).
            XCTAssertLessThanOrEqual(read, size + 128 * 1024, "\(kind): a reverse scan reads each window once")
            print("offset2 reverse scan \(kind): \(read) bytes read for \(size) bytes of files")
        }
    }
}
