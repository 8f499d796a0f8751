import Crypto
import FlumeCorpus
import FlumeJSON
import FlumeLog
import Foundation
import TestSupport
import XCTest

/// Every go-ssb offset2 directory of the compatibility corpus (written by margaret's own
/// offset2 package, or damaged copies of one) read under every strategy as its manifest says:
/// margaret's verdict word for word, every entry, nulled and replaced entries, queries; salvage
/// of every directory margaret refuses; margaret's writes reproduced byte for byte; and no
/// read-only operation changing a byte.
final class Offset2CorpusTests: XCTestCase {
    private func folder() throws -> URL { try CompatibilityCorpus.require().appendingPathComponent("go-offset2") }

    private func manifests() throws -> [(directory: String, name: String, json: JSValue)] {
        let folder = try folder()
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".manifest.json") }.sorted()
        return try names.map { name in
            let base = String(name.dropLast(".manifest.json".count))
            return (folder.appendingPathComponent(base).path, base, try Offset2ManifestVerifier.load(folder.appendingPathComponent(name).path))
        }
    }

    private func digests(_ directory: String) throws -> [String: String] {
        var found: [String: String] = [:]
        for name in ["data", "ofst", "jrnl"] {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
            found[name] = Hex.encode(SHA256.hash(data: bytes)) + " \(bytes.count)"
        }
        return found
    }

    func testEveryDirectoryConformsToItsManifestUnderEveryStrategy() throws {
        let all = try manifests()
        XCTAssertEqual(all.count, 14)
        for (directory, name, json) in all {
            let before = try digests(directory)
            let results = try Offset2ManifestVerifier(directory: directory, manifest: json).check(strategies: ReaderStrategy.all)
            for (strategy, problems) in results {
                XCTAssertEqual(problems, [], "\(name) [\(strategy.kind)]")
            }
            XCTAssertEqual(try digests(directory), before, "\(name): a read-only open changed a file")
        }
    }

    /// margaret's verdict on each directory it refuses, as a typed error: the code, the file
    /// and offset, and margaret's words; the manifest's text exactly.
    func testEveryRefusedDirectoryFailsWithMargaretsErrorAsATypedError() throws {
        let expected: [String: (FlumeLogError.Code, String)] = [
            "torn-data-no-ofst": (.trailingBytes, "data"),
            "torn-data-partial": (.trailingBytes, "data"),
            "torn-ofst-partial": (.truncatedFrame, "data"),
            "torn-data-short": (.truncatedFrame, "data"),
            "torn-data-short-header": (.truncatedFrame, "data"),
            "torn-jrnl-behind": (.journalMismatch, "jrnl"),
            "torn-jrnl-empty": (.journalMismatch, "jrnl"),
            "torn-jrnl-short": (.journalMismatch, "jrnl"),
        ]
        var refused = 0
        for (directory, name, json) in try manifests() where json["margaret_open"]?["result"]?.stringValue == "error" {
            refused += 1
            let (code, file) = try XCTUnwrap(expected[name], name)
            for strategy in ReaderStrategy.all {
                XCTAssertThrowsError(try Offset2Log(directory: directory, strategy: strategy), name) { error in
                    let error = error as! FlumeLogError
                    XCTAssertEqual(error.code, code, name)
                    XCTAssertEqual(error.file, directory + "/" + file, name)
                    XCTAssertNotNil(error.offset, name)
                    XCTAssertTrue(error.message.contains("\"\(json["margaret_open"]!["error"]!.stringValue!)\""), "\(name): \(error)")
                }
            }
        }
        XCTAssertEqual(refused, expected.count)
    }

    /// Salvage keeps every complete entry of every directory margaret refuses (20, or 19
    /// where seq 19 itself is cut), says what it skipped, and writes a copy margaret's check
    /// passes, holding those entries byte for byte; the original is untouched.
    func testSalvageKeepsEveryCompleteEntryAndWritesACopyThatOpens() throws {
        let dir = try TemporaryDirectory()
        for (directory, name, json) in try manifests() where name.hasPrefix("torn-") {
            let before = try digests(directory)
            let complete = (json["entries"]?.arrayValue ?? []).filter { $0["sha256"] != nil }
            let log = try Offset2Log(directory: directory, mode: .salvage)
            XCTAssertEqual(log.end, Int64(complete.count), name)
            XCTAssertEqual(log.end, name.hasPrefix("torn-data-short") ? 19 : 20, name)
            let refused = json["margaret_open"]?["result"]?.stringValue == "error"
            XCTAssertEqual(log.salvage?.margaretVerdict != nil, refused, name)
            if refused { XCTAssertFalse(log.salvage!.skipped.isEmpty, name) }
            let copy = dir.path(name)
            try log.writeRepairedCopy(to: copy)
            let repaired = try Offset2Log(directory: copy)
            XCTAssertEqual(repaired.end, log.end, name)
            for (seq, entry) in complete.enumerated() {
                let digest = try repaired.withRecord(at: Int64(seq)) { Hex.encode(SHA256.hash(data: $0.payload)) }
                XCTAssertEqual(digest, entry["sha256"]?.stringValue, "\(name) seq \(seq)")
            }
            XCTAssertEqual(try digests(directory), before, name)
        }
    }

    /// margaret's one recovery, a journal one append ahead: a read-only open reads the 20
    /// entries and leaves `jrnl` alone; a read-write open rewrites it as margaret does, and
    /// the next append gives margaret's three files.
    func testJournalAheadIsRepairedOnlyByAReadWriteOpenThenAppendsAsMargaret() throws {
        let (directory, _, json) = try XCTUnwrap(try manifests().first { $0.name == "torn-jrnl-ahead" })
        let dir = try TemporaryDirectory()
        let copy = dir.path("ahead")
        try FileManager.default.copyItem(atPath: directory, toPath: copy)
        let readOnly = try Offset2Log(directory: copy)
        XCTAssertTrue(readOnly.openedExtent.journalAhead)
        XCTAssertEqual(readOnly.since, 19)
        XCTAssertEqual(try digests(copy), try digests(directory))
        let writable = try Offset2Log(directory: copy, access: .readWrite)
        XCTAssertTrue(writable.repairedJournal)
        XCTAssertEqual(try fileBytes(copy + "/jrnl"), [0, 0, 0, 0, 0, 0, 0, 19])
        // The manifest records the files after margaret's append, not the payload: these 27
        // bytes give its data sha256 (so the payload is pinned by that digest).
        XCTAssertEqual(try writable.append(Array(#"{"appended":"after reopen"}"#.utf8)), 20)
        let after = try XCTUnwrap(json["margaret_append_after_open"]?["files_after_append"])
        for name in ["data", "ofst", "jrnl"] {
            let expected = "\(after[name]!["sha256"]!.stringValue!) \(after[name]!["size"]!.integerValue!)"
            XCTAssertEqual(try digests(copy)[name], expected, name)
        }
    }

    /// `small`, `nulled`, `replaced` and `empty` written again with margaret's calls (Append,
    /// Null, Replace) give margaret's three files byte for byte; the refused Replace fails in
    /// margaret's words and changes nothing.
    func testWritingTheCorpusPayloadsReproducesMargaretsFiles() throws {
        let folder = try folder()
        let small = try Offset2Log(directory: folder.appendingPathComponent("small").path)
        var payloads: [[UInt8]] = []
        try small.forEachRecord { payloads.append(Array($0.payload)) }
        XCTAssertEqual(payloads.count, 1000)
        let dir = try TemporaryDirectory()
        func write(_ name: String, _ count: Int, then body: (Offset2Log) throws -> Void = { _ in }) throws {
            let log = try Offset2Log(directory: dir.path(name), access: .readWrite)
            for payload in payloads.prefix(count) { try log.append(payload) }
            try body(log)
            XCTAssertEqual(try digests(dir.path(name)), try digests(folder.appendingPathComponent(name).path), name)
        }
        try write("small", 1000)
        try write("empty", 0)
        try write("nulled", 20) { log in
            for seq: Int64 in [0, 9, 19, 9] { try log.null(seq) }
            XCTAssertTrue(try log.isNulled(9))
            XCTAssertThrowsError(try log.withRecord(at: 9, deleted: .skipped) { _ in }) { XCTAssertEqual(($0 as? FlumeLogError)?.code, .deleted) }
        }
        try write("replaced", 20) { log in
            try log.replace(5, with: Array(#"{"replaced":true}"#.utf8))
            let longer = [UInt8](repeating: 0x20, count: payloads[6].count + 1)
            XCTAssertThrowsError(try log.replace(6, with: longer)) { error in
                XCTAssertTrue("\(error)".contains("offset2/replace: can't overwrite entry with larger data (diff:1)"), "\(error)")
            }
        }
        // margaret's modes: a 0700 directory of 0600 files.
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.path("empty"))
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o700)
        for name in ["data", "ofst", "jrnl"] {
            let file = try FileManager.default.attributesOfItem(atPath: dir.path("empty") + "/" + name)
            XCTAssertEqual((file[.posixPermissions] as? NSNumber)?.intValue, 0o600, name)
        }
        // The writer lock: a second read-write open is refused while one is open.
        let open = try Offset2Log(directory: dir.path("small"), access: .readWrite)
        XCTAssertThrowsError(try Offset2Log(directory: dir.path("small"), access: .readWrite)) {
            XCTAssertEqual(($0 as? FlumeLogError)?.code, .locked)
        }
        _ = open
    }

    /// `small`'s payloads are the JS-written log's records: converting either way gives the
    /// other byte for byte.
    func testConversionBetweenOffset2AndTheJSLogIsByteIdentical() throws {
        let root = try CompatibilityCorpus.require()
        let dir = try TemporaryDirectory()
        let small = try Offset2Log(directory: root.appendingPathComponent("go-offset2/small").path)
        try LogConverter(to: .offset(.bits32)).write(small, into: dir.path("small.offset"))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir.path("small.offset"))),
                       try Data(contentsOf: root.appendingPathComponent("js/js-small-u32.offset")))
        let js = try OffsetLog(path: root.appendingPathComponent("js/js-small-u32.offset").path, access: .readOnly)
        try LogConverter(to: .offset2).write(js, into: dir.path("small"))
        XCTAssertEqual(try digests(dir.path("small")), try digests(root.appendingPathComponent("go-offset2/small").path))
    }
}
