import FlumeLog
import Foundation
import TestSupport
import XCTest

/// Writing AAOL as JS did for the corpus: appends one by one and `del()` with its `.stats`,
/// byte for byte; and what a read-write open does with each damaged copy, against what JS did.
final class AAOLWriteCorpusTests: XCTestCase {
    /// `aaol-deleted.log`: the first 150 payloads of js-small, then `del()` of the first record,
    /// the last of block 0 and the last of the log; the file and its `.stats` as JS wrote them.
    func testAppendsAndDeletionsAreByteIdenticalToJS() throws {
        let root = try CompatibilityCorpus.require()
        let source = try OffsetLog(path: root.appendingPathComponent("js/js-small-u32.offset").path, access: .readOnly)
        let payloads = try source.records().prefix(150).map(\.payload)
        let dir = try TemporaryDirectory()
        do {
            let log = try AAOLLog.create(dir.path("deleted.log"))
            for payload in payloads { try log.append(payload) }
            for offset: Int64 in [0, 64656, 104891] { try log.delete(at: offset) }
            try log.sync()
            XCTAssertEqual(log.deletedBytes, 1499)
            // The writer lock: a second read-write open is refused while this one is open.
            XCTAssertThrowsError(try AAOLLog(path: dir.path("deleted.log"), access: .readWrite)) {
                XCTAssertEqual(($0 as? FlumeLogError)?.code, .locked)
            }
        }
        XCTAssertEqual(try fileBytes(dir.path("deleted.log")), try fileBytes(root.appendingPathComponent("aaol/aaol-deleted.log").path))
        XCTAssertEqual(try fileBytes(dir.path("deleted.log.stats")), try fileBytes(root.appendingPathComponent("aaol/aaol-deleted.log.stats").path))
        // Reopened, the count carries on from the stats file.
        XCTAssertEqual(try AAOLLog(path: dir.path("deleted.log"), access: .readWrite).deletedBytes, 1499)
    }

    /// A read-write open refuses a damaged file, naming the offset, and changes nothing; with
    /// `repair` it keeps every whole record and cuts only the rest: for a bad length in a
    /// whole last block the bytes JS left; where JS destroyed records (a partial block) or
    /// crashed (a file shorter than a block), every record; appends then go where JS's did.
    func testReadWriteOpensOfDamagedCopies() throws {
        let root = try CompatibilityCorpus.require().appendingPathComponent("aaol")
        let dir = try TemporaryDirectory()
        let cases: [(name: String, records: Int, sameAsJS: String?, appendAt: Int64)] = [
            ("aaol-torn-badlen", 199, "aaol-torn-badlen.reopened.log", 138_572),
            ("aaol-torn-midblock", 191, nil, 133_146),
            ("aaol-torn-short", 63, nil, 39_369),
        ]
        for (name, records, sameAsJS, appendAt) in cases {
            let copy = try dir.copy(root.appendingPathComponent("\(name).log").path)
            let before = try fileBytes(copy)
            XCTAssertThrowsError(try AAOLLog(path: copy, access: .readWrite), name) { error in
                XCTAssertNotNil((error as? FlumeLogError)?.offset, "\(error)")
                XCTAssertTrue("\(error)".contains("nothing was changed"), "\(error)")
            }
            XCTAssertEqual(try fileBytes(copy), before, "\(name): a refused open changed the file")
            let repaired = try AAOLLog(path: copy, access: .readWrite, repair: true)
            XCTAssertTrue(repaired.repaired)
            var count = 0
            try repaired.forEach { _ in count += 1 }
            XCTAssertEqual(count, records, name)
            let size = try fileBytes(copy).count
            XCTAssertEqual(size % AAOLLog.defaultBlockSize, 0, "\(name): whole blocks after a repair")
            if let sameAsJS {
                XCTAssertEqual(try fileBytes(copy), try fileBytes(root.appendingPathComponent(sameAsJS).path), "\(name): the bytes JS left")
            }
            XCTAssertEqual(try repaired.append(Array(#"{"appended":"after reopen"}"#.utf8)), appendAt, name)
            let reread = try AAOLLog(path: copy)
            XCTAssertFalse(reread.openedExtent.isTorn, name)
            XCTAssertEqual(reread.since, appendAt, name)
        }
    }

    /// Intact files open read-write unchanged, and the next append goes where JS put it.
    func testAppendsAfterReopeningGoWhereJSPutThem() throws {
        let root = try CompatibilityCorpus.require().appendingPathComponent("aaol")
        let dir = try TemporaryDirectory()
        for (name, appendAt) in [("aaol-torn-blockcut", Int64(130_982)), ("aaol-torn-zerotail", 139_296), ("aaol-torn-zeropayload", 139_296)] {
            let copy = try dir.copy(root.appendingPathComponent("\(name).log").path)
            let before = try fileBytes(copy)
            let log = try AAOLLog(path: copy, access: .readWrite)
            XCTAssertFalse(log.repaired)
            XCTAssertEqual(try fileBytes(copy), before, "\(name): an intact open changed the file")
            XCTAssertEqual(try log.append(Array(#"{"appended":"after reopen"}"#.utf8)), appendAt, name)
        }
    }

    /// `compact()` of `aaol-deleted.log` gives `aaol-deleted-compacted.log` and its reset
    /// `.stats`, byte for byte.
    func testCompactionIsByteIdenticalToJS() throws {
        let root = try CompatibilityCorpus.require().appendingPathComponent("aaol")
        let dir = try TemporaryDirectory()
        let copy = try dir.copy(root.appendingPathComponent("aaol-deleted.log").path)
        _ = try dir.copy(root.appendingPathComponent("aaol-deleted.log.stats").path)
        XCTAssertEqual(try AAOLLog.compact(copy), 3)
        XCTAssertEqual(try fileBytes(copy), try fileBytes(root.appendingPathComponent("aaol-deleted-compacted.log").path))
        XCTAssertEqual(try fileBytes(copy + ".stats"), try fileBytes(root.appendingPathComponent("aaol-deleted-compacted.log.stats").path))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).sorted(), ["aaol-deleted.log", "aaol-deleted.log.stats"])
    }
}
