import FlumeLog
import TestSupport
import XCTest

/// Page-cache control and residency, what proves a cold measurement cold.
final class PageCacheTests: XCTestCase {
    /// `mincore` tells a cached file from an evicted one (the proof a cold case is cold).
    func testResidencyOfAWarmAndAnEvictedFile() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write([UInt8](repeating: 7, count: 8 << 20), as: "file")
        try PageCache.warm(path)
        XCTAssertGreaterThan(try XCTUnwrap(PageCache.residentFraction(path)), 0.99)
        try PageCache.evict(path)
        let after = try XCTUnwrap(PageCache.residentFraction(path))
        try XCTSkipIf(after > 0.5, "this file system keeps evicted pages (tmpfs?): \(after)")
        XCTAssertLessThan(after, 0.05)
    }
}
