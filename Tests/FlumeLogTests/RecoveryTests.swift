import FlumeLog
import Foundation
import TestSupport
import XCTest

final class RecoveryTests: XCTestCase {
    private struct TornManifest: Decodable {
        struct Entry: Decodable { var offset: Int64 }
        struct Torn: Decodable { var truncated_to: Int64 }
        struct Readback: Decodable { var file_size_after_open: Int64? }
        var offset_codec_bits: Int
        var since: Int64
        var records: [Entry]
        var torn: Torn?
        var js_readback: Readback?
    }

    /// Every torn file of the corpus: a read-write open cuts it where JS does and yields the
    /// manifest's records; a read-only open yields the same and leaves the file as it was.
    func testCorpusTornFilesRecoverLikeJS() throws {
        let dir = try TemporaryDirectory()
        var tornSeen = 0
        for (logPath, manifestPath, name) in try CompatibilityCorpus.logsWithManifests() {
            let manifest = try JSONDecoder().decode(TornManifest.self, from: Data(contentsOf: URL(fileURLWithPath: manifestPath)))
            guard let torn = manifest.torn else { continue }
            tornSeen += 1
            let width = try TrailerWidth(bits: manifest.offset_codec_bits)
            let original = try fileBytes(logPath)

            for strategy in everyStrategyVariant {
                let readOnly = try OffsetLog(path: logPath, width: width, access: .readOnly, strategy: strategy)
                XCTAssertEqual(readOnly.openedExtent.fileSize, torn.truncated_to, name)
                XCTAssertTrue(readOnly.openedExtent.isTorn, name)
                XCTAssertEqual(try readOnly.records().map(\.offset), manifest.records.map(\.offset), "\(name) \(strategy)")
                XCTAssertEqual(try readOnly.records(.reverse).map(\.offset), manifest.records.map(\.offset).reversed(), name)
                XCTAssertEqual(readOnly.since, manifest.since, name)
                XCTAssertEqual(try fileBytes(logPath), original, "\(name): a read-only open changed the file")
            }

            let copy = try dir.copy(logPath)
            let recovered = try OffsetLog(path: copy, width: width)
            XCTAssertTrue(recovered.recoveredTornTail, name)
            XCTAssertEqual(Int64(try fileBytes(copy).count), manifest.js_readback?.file_size_after_open, name)
            XCTAssertEqual(try fileBytes(copy), Array(original[0..<Int(recovered.end)]), name)
            XCTAssertEqual(try recovered.records().map(\.offset), manifest.records.map(\.offset), name)
            XCTAssertEqual(recovered.since, manifest.since, name)
            // Appending after recovery continues from the cut.
            let offset = try recovered.append(Array("after recovery".utf8))
            XCTAssertEqual(try OffsetLog(path: copy, width: width, access: .readOnly).record(at: offset).payload,
                           Array("after recovery".utf8))
        }
        XCTAssertGreaterThanOrEqual(tornSeen, 3, "the corpus should hold torn files")
    }

    /// For every width and every cut inside the last two frames (a single append and the tail
    /// of a batch), both opens find JS's restore point, and the read-only open changes nothing.
    func testEveryCutPointRecoversToTheLastCompleteFrame() throws {
        let dir = try TemporaryDirectory()
        let payloads = samplePayloads(count: 9)
        for width in TrailerWidth.allCases {
            let full = ReferenceFraming.frames(payloads, bits: width.bits)
            let offsets = try MemoryLog(bytes: full, width: width).records().map(\.offset)
            for cut in Int(offsets[offsets.count - 2])..<full.count {
                let bytes = Array(full[0..<cut])
                let jsEnd = ReferenceFraming.jsRestoredSize(bytes, bits: width.bits)
                let expected = offsets.filter { $0 < jsEnd }
                let path = try dir.write(bytes, as: "cut.offset")

                for strategy in ReaderStrategy.all {
                    let readOnly = try OffsetLog(path: path, width: width, access: .readOnly, strategy: strategy)
                    XCTAssertEqual(readOnly.end, Int64(jsEnd), "\(width) cut \(cut)")
                    XCTAssertEqual(try readOnly.records().map(\.offset), expected, "\(width) cut \(cut) \(strategy)")
                    XCTAssertEqual(try fileBytes(path), bytes)
                }

                let recovered = try OffsetLog(path: path, width: width)
                XCTAssertEqual(try fileBytes(path).count, jsEnd, "\(width) cut \(cut)")
                XCTAssertEqual(recovered.since, expected.last)
                XCTAssertEqual(try recovered.records(.reverse).map(\.offset), expected.reversed())
            }
        }
    }

    func testTornFirstFrameRecoversToAnEmptyLog() throws {
        let dir = try TemporaryDirectory()
        let full = ReferenceFraming.frames([Array("only record".utf8)], bits: 32)
        let path = try dir.write(Array(full[0..<10]), as: "first.offset")
        XCTAssertEqual(try OffsetLog(path: path, access: .readOnly).openedExtent.validEnd, 0)
        let log = try OffsetLog(path: path)
        XCTAssertNil(log.since)
        XCTAssertEqual(try fileBytes(path), [])
    }

    /// A damaged last frame is not a torn append: the open fails and the file loses nothing.
    func testDamagedLastFrameIsReportedNotCut() throws {
        let dir = try TemporaryDirectory()
        for width in TrailerWidth.allCases {
            var bytes = ReferenceFraming.frames(samplePayloads(count: 5), bits: width.bits)
            bytes[bytes.count - 1] ^= 0x40 // the last trailer
            let path = try dir.write(bytes, as: "damaged.offset")
            XCTAssertThrowsError(try OffsetLog(path: path, width: width)) { error in
                XCTAssertEqual((error as? FlumeLogError)?.code, .trailerMismatch)
            }
            XCTAssertEqual(try fileBytes(path), bytes, "recovery must not cut a damaged frame")
        }
    }

    /// A file without a single frame whose bytes are a log of another format is that log, not
    /// a torn one: JS would cut all of it; a writer's open refuses it (`otherFormat`, naming
    /// the format it reads as) and the file loses nothing. A read-only open still reads it as
    /// an empty, torn offset log, as JS does, and changes nothing either.
    func testAnotherFormatsLogIsNotCutAsATornTail() throws {
        let dir = try TemporaryDirectory()
        let aaol = dir.path("log.bipf")
        try AAOLLog(path: aaol, access: .readWrite).append(contentsOf: samplePayloads(count: 40).filter { !$0.isEmpty })
        let bytes = try fileBytes(aaol)
        XCTAssertEqual(try OffsetLog(path: aaol, access: .readOnly).openedExtent.validEnd, 0)
        XCTAssertThrowsError(try OffsetLog(path: aaol)) { error in
            let error = error as? FlumeLogError
            XCTAssertEqual(error?.code, .otherFormat)
            XCTAssertEqual(error?.offset, 0)
            XCTAssertTrue(error?.message.contains("async-append-only-log") == true, "\(String(describing: error))")
            XCTAssertTrue(error?.message.contains("nothing was changed") == true, "\(String(describing: error))")
        }
        XCTAssertEqual(try fileBytes(aaol), bytes, "a writer's open must not cut another format's log")
        // A 53-bit log read at 32 bits fits no frame either: refused, not cut.
        let wide = try dir.write(ReferenceFraming.frames(samplePayloads(count: 5), bits: 53), as: "wide.offset")
        let wideBytes = try fileBytes(wide)
        XCTAssertThrowsError(try OffsetLog(path: wide, width: .bits32))
        XCTAssertEqual(try fileBytes(wide), wideBytes)
        XCTAssertEqual(try OffsetLog(path: wide, width: .bits53).openedExtent.validEnd, Int64(wideBytes.count))
    }
}
