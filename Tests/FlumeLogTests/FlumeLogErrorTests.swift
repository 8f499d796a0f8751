import FlumeLog
import Foundation
import TestSupport
import XCTest

/// Each error code, triggered from crafted bytes, with the offset it must name.
final class FlumeLogErrorTests: XCTestCase {
    private let payloads = [Array("first".utf8), [UInt8](repeating: UInt8(ascii: "x"), count: 40), Array("third".utf8)]

    /// Frames 0 ("first"), 17 (40 x's), 69 ("third") in a 32-bit log.
    private func craft(_ change: (inout [UInt8]) -> Void) -> [UInt8] {
        var bytes = ReferenceFraming.frames(payloads, bits: 32)
        change(&bytes)
        return bytes
    }

    private func scanError(_ bytes: [UInt8], _ direction: ScanDirection = .forward) -> FlumeLogError? {
        do {
            let log = try MemoryLog(bytes: bytes)
            _ = try log.records(direction)
            return nil
        } catch {
            return error as? FlumeLogError
        }
    }

    func testTruncatedFrame() {
        let error = scanError(craft { $0[17] = 0x7F })
        XCTAssertEqual(error?.code, .truncatedFrame)
        XCTAssertEqual(error?.offset, 17)
    }

    func testLengthMismatch() {
        let bytes = craft { $0[20] = 39 }
        XCTAssertEqual(scanError(bytes)?.code, .lengthMismatch)
        XCTAssertEqual(scanError(bytes)?.offset, 17)
        XCTAssertEqual(scanError(bytes, .reverse)?.code, .lengthMismatch)
        XCTAssertEqual(scanError(bytes, .reverse)?.offset, 17)
    }

    func testTrailerMismatch() {
        let bytes = craft { $0[68] ^= 1 }
        XCTAssertEqual(scanError(bytes)?.code, .trailerMismatch)
        XCTAssertEqual(scanError(bytes)?.offset, 17)
        XCTAssertEqual(scanError(bytes, .reverse)?.code, .trailerMismatch)
        XCTAssertEqual(scanError(bytes, .reverse)?.offset, 17)
    }

    func testNotAFrameStartAndOffsetOutOfRange() throws {
        let log = try MemoryLog(bytes: craft { _ in })
        for offset: Int64 in [1, 4, 16, 18, 68] {
            XCTAssertThrowsError(try log.record(at: offset)) {
                XCTAssertEqual(($0 as? FlumeLogError)?.code, .notAFrameStart, "offset \(offset)")
                XCTAssertEqual(($0 as? FlumeLogError)?.offset, offset)
            }
        }
        for offset: Int64 in [-1, log.end, log.end + 100] {
            XCTAssertThrowsError(try log.record(at: offset)) {
                XCTAssertEqual(($0 as? FlumeLogError)?.code, .offsetOutOfRange, "offset \(offset)")
            }
        }
        XCTAssertEqual(try log.record(at: 69).payload, Array("third".utf8))
    }

    func testDeleted() throws {
        let log = try MemoryLog(bytes: craft { _ in })
        try log.delete(at: 17)
        XCTAssertThrowsError(try log.record(at: 17, deleted: .skipped)) {
            XCTAssertEqual(($0 as? FlumeLogError)?.code, .deleted)
            XCTAssertEqual(($0 as? FlumeLogError)?.offset, 17)
        }
    }

    /// A sparse 32-bit log that ends 30 bytes short of 4 GiB: a frame that would end past
    /// 2^32 - 1 is refused and the file is unchanged.
    func testValueTooLargeLeavesTheFileUnchanged() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("sparse.offset")
        let end = Int64(UInt32.max) - 30
        let length = UInt32(end - 12)
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        let lengthBytes = withUnsafeBytes(of: length.bigEndian) { Data($0) }
        try handle.write(contentsOf: lengthBytes)
        try handle.seek(toOffset: UInt64(end - 8))
        try handle.write(contentsOf: lengthBytes + withUnsafeBytes(of: UInt32(end).bigEndian) { Data($0) })
        try handle.close()

        let log = try OffsetLog(path: path)
        XCTAssertEqual(log.end, end)
        XCTAssertThrowsError(try log.append([UInt8](repeating: 1, count: 19))) {
            XCTAssertEqual(($0 as? FlumeLogError)?.code, .valueTooLarge)
            XCTAssertEqual(($0 as? FlumeLogError)?.offset, end)
        }
        XCTAssertThrowsError(try log.append(batch: [[UInt8](repeating: 1, count: 2), [UInt8](repeating: 1, count: 18)])) {
            XCTAssertEqual(($0 as? FlumeLogError)?.code, .valueTooLarge)
        }
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64, end)
        XCTAssertEqual(try log.append([UInt8](repeating: 1, count: 18)), end, "a frame ending exactly at 2^32-1 fits")
    }

    func testIOErrorsNameTheFileAndErrno() {
        XCTAssertThrowsError(try OffsetLog(path: "/nonexistent/dir/log.offset", access: .readOnly)) { error in
            let error = error as? FlumeLogError
            XCTAssertEqual(error?.code, .io)
            XCTAssertEqual(error?.errno, ENOENT)
            XCTAssertEqual(error?.file, "/nonexistent/dir/log.offset")
            XCTAssertTrue(error?.description.contains("No such file") ?? false, error?.description ?? "")
        }
    }

    func testDirectoryAndFIFOAreRefusedWithoutBlocking() throws {
        let dir = try TemporaryDirectory()
        XCTAssertThrowsError(try OffsetLog(path: dir.url.path, access: .readOnly)) {
            XCTAssertEqual(($0 as? FlumeLogError)?.code, .invalidArgument)
            XCTAssertTrue(($0 as? FlumeLogError)?.message.contains("directory") ?? false)
        }
        let fifo = dir.path("fifo")
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        XCTAssertThrowsError(try OffsetLog(path: fifo, access: .readOnly)) {
            XCTAssertEqual(($0 as? FlumeLogError)?.code, .invalidArgument)
        }
    }

    func testWrongWidthFailsAtTheFirstFrame() throws {
        let bytes = ReferenceFraming.frames(samplePayloads(count: 4), bits: 48)
        XCTAssertThrowsError(try MemoryLog(bytes: bytes, width: .bits32)) {
            XCTAssertEqual(($0 as? FlumeLogError)?.offset, 0)
        }
        XCTAssertEqual(try MemoryLog(bytes: bytes, width: .bits48).records().count, 4)
    }
}
