import CReference
import FlumeLog
import Foundation
import TestSupport
import XCTest

/// The backward `read(2)` reference reads every byte of a file once, from its end, with or
/// without its asking thread, whatever the file's size against its window: the harness checks
/// its byte count against the file's size, and the report sets its time beside reverse scans.
final class BackwardCopyReferenceTests: XCTestCase {
    private static let window = 64 << 10

    func testItReadsEveryByteOfFilesOfAnySizeAgainstItsWindow() throws {
        let folder = try TemporaryDirectory()
        for size in [0, 1, Self.window - 1, Self.window, Self.window + 1, 3 * Self.window + 17, 40 * Self.window + 5] {
            let path = folder.path("file-\(size)")
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
            for (distance, chunk) in [(0, 0), (2 * Self.window, Self.window / 4), (8 * Self.window, Self.window)] {
                XCTAssertEqual(flume_reference_read_copy_backward(path, Self.window, distance, chunk), Int64(size),
                               "size \(size), distance \(distance), chunk \(chunk)")
            }
        }
    }

    /// A file dropped from the page cache is cached whole after one backward copy: every page
    /// was read, none skipped at a window's edge.
    func testAColdFileIsCachedWholeAfterIt() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("cold")
        let size = 5 << 20 + 4097
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data((0..<size).map { UInt8(truncatingIfNeeded: $0) })))
        try PageCache.evict(path)
        guard let before = try PageCache.residentFraction(path) else { throw XCTSkip("the kernel does not tell which pages are cached") }
        XCTAssertLessThan(before, 0.5, "the file stayed cached; nothing to prove")
        XCTAssertEqual(flume_reference_read_copy_backward(path, Self.window, 16 * Self.window, Self.window), Int64(size))
        XCTAssertEqual(try PageCache.residentFraction(path), 1.0)
    }

    func testAMissingFileIsAnError() {
        XCTAssertEqual(flume_reference_read_copy_backward("/nonexistent/log.offset", Self.window, 0, 0), -1)
        XCTAssertEqual(flume_reference_read_copy_backward("/dev/null", 0, 0, 0), -1, "no window")
    }
}
