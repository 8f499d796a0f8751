import FlumeLog
import Foundation
import TestSupport
import XCTest

/// offset2 logs built here, byte by byte: reads by seq both ways and from a seq, nulled and
/// replaced entries, and hostile bytes (a size of Int64.min, sizes and offsets past the end,
/// negative offsets) as typed errors naming the seq and the offset under every strategy, never
/// a crash or a huge allocation.
final class Offset2LogTests: XCTestCase {
    private func be(_ value: Int64) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }

    /// A directory holding exactly these three files.
    private func directory(_ dir: TemporaryDirectory, _ name: String, data: [UInt8], ofst: [UInt8], jrnl: [UInt8]) throws -> String {
        let path = dir.path(name)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        _ = try dir.write(data, as: name + "/data")
        _ = try dir.write(ofst, as: name + "/ofst")
        _ = try dir.write(jrnl, as: name + "/jrnl")
        return path
    }

    func testScansBothWaysFromAnySeqUnderEveryStrategy() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("log")
        do {
            let log = try Offset2Log(directory: path, access: .readWrite)
            for index in 0..<300 { try log.append(Array("entry \(index) ".utf8) + [UInt8](repeating: UInt8(index & 0xff), count: index * 7)) }
            try log.null(150)
            try log.replace(151, with: Array("short".utf8))
        }
        for strategy in ReaderStrategy.all {
            let log = try Offset2Log(directory: path, strategy: strategy)
            XCTAssertEqual(log.end, 300)
            XCTAssertEqual(log.since, 299)
            var forward: [Int64] = [], reverse: [Int64] = [], skipped: [Int64] = []
            try log.forEachRecord { forward.append($0.offset) }
            try log.forEachRecord(.reverse) { reverse.append($0.offset) }
            try log.forEachRecord(deleted: .skipped) { skipped.append($0.offset) }
            XCTAssertEqual(forward, Array(0..<300), "\(strategy)")
            XCTAssertEqual(reverse, Array((0..<300).reversed()), "\(strategy)")
            XCTAssertEqual(skipped, Array(0..<300).filter { $0 != 150 }, "\(strategy)")
            var from: [Int64] = []
            try log.forEachRecord(from: .after(296)) { from.append($0.offset) }
            XCTAssertEqual(from, [297, 298, 299])
            from = []
            try log.forEachRecord(.reverse, from: .including(2)) { from.append($0.offset) }
            XCTAssertEqual(from, [2, 1, 0])
            try log.withRecord(at: 151) { XCTAssertEqual(Array($0.payload), Array("short".utf8) + [UInt8](repeating: 0, count: "entry 151 ".utf8.count + 151 * 7 - 5)) }
            try log.withRecord(at: 150) { XCTAssertTrue($0.isDeleted) }
            XCTAssertThrowsError(try log.withRecord(at: 150, deleted: .skipped) { _ in }) { XCTAssertEqual(($0 as? FlumeLogError)?.code, .deleted) }
            XCTAssertThrowsError(try log.withRecord(at: 300) { _ in }) { XCTAssertEqual(($0 as? FlumeLogError)?.code, .offsetOutOfRange) }
            XCTAssertThrowsError(try log.withRecord(at: -1) { _ in }) { XCTAssertEqual(($0 as? FlumeLogError)?.code, .invalidArgument) }
        }
    }

    /// Entries whose bytes lie: each read fails with a typed error naming the seq, under every
    /// strategy, and the open (which checks only the last entry, as margaret) still succeeds.
    func testHostileEntriesAreTypedErrorsNamingTheSeq() throws {
        let dir = try TemporaryDirectory()
        let good = be(3) + Array("abc".utf8)
        let cases: [(String, [UInt8], FlumeLogError.Code)] = [
            ("min-size", be(.min) + [UInt8](repeating: 0, count: 8), .truncatedFrame),
            ("huge-size", be(1 << 62) + [UInt8](repeating: 0, count: 8), .truncatedFrame),
            ("negative-huge", be(-(1 << 62)) + [UInt8](repeating: 0, count: 8), .truncatedFrame),
        ]
        for (name, first, code) in cases {
            // Entry 0 is hostile; entry 1 is good and ends data, so the open check passes.
            let data = first + good
            let path = try directory(dir, name, data: data, ofst: be(0) + be(Int64(first.count)), jrnl: be(1))
            for strategy in ReaderStrategy.all {
                let log = try Offset2Log(directory: path, strategy: strategy)
                XCTAssertThrowsError(try log.withRecord(at: 0) { _ in }, name) { error in
                    let error = error as! FlumeLogError
                    XCTAssertEqual(error.code, code, name)
                    XCTAssertTrue(error.message.hasPrefix("seq 0:"), error.message)
                    XCTAssertEqual(error.offset, 0)
                }
                try log.withRecord(at: 1) { XCTAssertEqual(Array($0.payload), Array("abc".utf8)) }
                var cursor = try log.cursor()
                XCTAssertThrowsError(try cursor.next())
                XCTAssertThrowsError(try cursor.next(), "errors are sticky")
            }
        }
        // Offsets outside data: negative, and past its end.
        for (name, offset) in [("negative-offset", Int64(-8)), ("past-end", Int64(1 << 40))] {
            let path = try directory(dir, name, data: good, ofst: be(offset) + be(0), jrnl: be(1))
            for strategy in ReaderStrategy.all {
                let log = try Offset2Log(directory: path, strategy: strategy)
                XCTAssertThrowsError(try log.withRecord(at: 0) { _ in }) { error in
                    XCTAssertEqual((error as? FlumeLogError)?.code, .offsetOutOfRange, name)
                    XCTAssertEqual((error as? FlumeLogError)?.file, path + "/ofst")
                }
            }
        }
    }

    /// margaret's check reads the size at the table's last 8 bytes: a last offset or size that
    /// points anywhere is an error naming the file, never a read past the end.
    func testTheOpenCheckSurvivesAnyLastEntry() throws {
        let dir = try TemporaryDirectory()
        for (index, last) in [Int64.min, -1, 1 << 62, 5].enumerated() {
            let path = try directory(dir, "last-\(index)", data: be(3) + Array("abc".utf8), ofst: be(last), jrnl: be(0))
            XCTAssertThrowsError(try Offset2Log(directory: path)) { error in
                XCTAssertEqual((error as? FlumeLogError)?.code, .truncatedFrame)
            }
        }
        for (index, size) in [Int64.min, Int64.max, -(1 << 62)].enumerated() {
            let path = try directory(dir, "size-\(index)", data: be(size) + Array("abc".utf8), ofst: be(0), jrnl: be(0))
            XCTAssertThrowsError(try Offset2Log(directory: path)) { error in
                XCTAssertNotNil(error as? FlumeLogError, "\(error)")
            }
            // Salvage reads none of it, and says why.
            let salvage = try Offset2Log(directory: path, mode: .salvage)
            XCTAssertEqual(salvage.end, 0)
            XCTAssertFalse(salvage.salvage!.skipped.isEmpty)
        }
    }

    func testAFileWhereTheDirectoryShouldBeIsRefusedClearly() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write([1, 2, 3], as: "file")
        XCTAssertThrowsError(try Offset2Log(directory: file)) { XCTAssertEqual(($0 as? FlumeLogError)?.code, .invalidArgument) }
        try FileManager.default.createDirectory(atPath: dir.path("partial"), withIntermediateDirectories: true)
        _ = try dir.write([], as: "partial/data")
        XCTAssertThrowsError(try Offset2Log(directory: dir.path("partial"))) { error in
            XCTAssertEqual((error as? FlumeLogError)?.code, .invalidArgument)
            XCTAssertTrue("\(error)".contains("ofst"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path("partial/ofst")), "a read-only open created a file")
        XCTAssertThrowsError(try Offset2Log(directory: dir.path("partial"), access: .readOnly, mode: .salvage)) { _ in }
    }
}
