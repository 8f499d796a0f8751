import FlumeLog
import Foundation
import TestSupport
import XCTest

/// Appending a payload stream writes exactly the bytes JS writes.
final class ImportByteIdentityTests: XCTestCase {
    private func lines(_ path: String) throws -> [[UInt8]] {
        var lines = try fileBytes(path).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
        if lines.last == [] { lines.removeLast() }
        return lines
    }

    /// `ssb-stream-small.jsonl` appended one record at a time is `js-small-u32.offset`, byte for byte;
    /// the unicode stream likewise.
    func testJSONLStreamsReproduceTheJSFiles() throws {
        let root = try CompatibilityCorpus.require()
        let dir = try TemporaryDirectory()
        for (stream, log) in [("ssb-stream-small", "js-small-u32"), ("ssb-stream-unicode", "js-unicode-u32")] {
            let payloads = try lines(root.appendingPathComponent("ssb/\(stream).jsonl").path)
            let path = dir.path("\(log).offset")
            let written = try OffsetLog(path: path, width: .bits32)
            for payload in payloads { try written.append(payload) }
            XCTAssertEqual(try fileBytes(path), try fileBytes(root.appendingPathComponent("js/\(log).offset").path), stream)

            let batched = dir.path("\(log)-batch.offset")
            try OffsetLog(path: batched, width: .bits32).append(batch: payloads)
            XCTAssertEqual(try fileBytes(batched), try fileBytes(path), "a batch writes the same bytes")
        }
    }

    /// For 48 and 53 bits, the same stream gives JS's framing with the wider trailer: the JS
    /// 32-bit file re-framed byte by byte.
    func testWiderTrailersMatchTheReferenceFraming() throws {
        let root = try CompatibilityCorpus.require()
        let dir = try TemporaryDirectory()
        let payloads = try lines(root.appendingPathComponent("ssb/ssb-stream-small.jsonl").path)
        for width in [TrailerWidth.bits48, .bits53] {
            let path = dir.path("small-\(width.bits).offset")
            try OffsetLog(path: path, width: width).append(batch: payloads)
            XCTAssertEqual(try fileBytes(path), ReferenceFraming.frames(payloads, bits: width.bits))
            let log = try OffsetLog(path: path, width: width, access: .readOnly)
            XCTAssertEqual(try log.records().map(\.payload), payloads)
        }
    }
}
