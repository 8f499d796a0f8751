import FlumeJSON
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

    /// `aaol-boundary.log` written again from its own records with the calls JS made (one
    /// `append` each, one `appendTransaction` of the records marked `tx`, one `append([...])`
    /// of those marked `arr`): every placement rule gives JS's bytes. Then what a transaction
    /// may not be: larger than a block, or holding an empty payload (nothing written).
    func testEveryPlacementRuleIsByteIdenticalToJS() throws {
        let root = try CompatibilityCorpus.require().appendingPathComponent("aaol")
        let manifest = try JSValue.parse(Array(try fileBytes(root.appendingPathComponent("aaol-boundary.manifest.json").path)))
        var kinds: [Int64: String] = [:]
        for record in manifest["records"]?.arrayValue ?? [] {
            if let offset = record["offset"]?.integerValue, let kind = record["kind"]?.stringValue { kinds[offset] = kind }
        }
        let source = try AAOLLog(path: root.appendingPathComponent("aaol-boundary.log").path)
        var records: [(payload: [UInt8], kind: String?)] = []
        try source.forEach { records.append((Array($0.payload), kinds[$0.offset])) }
        XCTAssertEqual(records.filter { $0.kind == "tx" }.count, 3)
        XCTAssertEqual(records.filter { $0.kind == "arr" }.count, 3)
        let dir = try TemporaryDirectory()
        let log = try AAOLLog.create(dir.path("boundary.log"))
        var index = 0
        while index < records.count {
            let kind = records[index].kind
            if kind == "tx" || kind == "arr" {
                let group = records[index...].prefix { $0.kind == kind }.map(\.payload)
                let offsets = kind == "tx" ? try log.appendTransaction(group) : try log.append(contentsOf: group)
                XCTAssertEqual(offsets, kind == "tx" ? [393216, 393518, 393820] : [458052, 458752, 459154])
                index += group.count
            } else {
                try log.append(records[index].payload)
                index += 1
            }
        }
        try log.sync()
        XCTAssertEqual(try fileBytes(dir.path("boundary.log")), try fileBytes(root.appendingPathComponent("aaol-boundary.log").path))

        let before = try fileBytes(dir.path("boundary.log"))
        XCTAssertThrowsError(try log.appendTransaction([[UInt8](repeating: 1, count: 40000), [UInt8](repeating: 2, count: 25531)])) {
            XCTAssertEqual(($0 as? FlumeLogError)?.code, .valueTooLarge)
        }
        XCTAssertThrowsError(try log.appendTransaction([[UInt8](repeating: 1, count: 10), []])) {
            XCTAssertEqual(($0 as? FlumeLogError)?.code, .invalidArgument)
        }
        XCTAssertEqual(try log.appendTransaction([[UInt8]]()), [])
        XCTAssertEqual(try fileBytes(dir.path("boundary.log")), before, "a refused transaction wrote something")
        // The largest transaction: exactly one block, moved to a block of its own.
        let offsets = try log.appendTransaction([[UInt8](repeating: 1, count: 40000), [UInt8](repeating: 2, count: 25530)])
        XCTAssertEqual(offsets, [524288, 524288 + 40002])
        XCTAssertEqual(try log.append([7]), 589824)
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
