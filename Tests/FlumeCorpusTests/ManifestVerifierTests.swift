import FlumeCorpus
import FlumeJSON
import FlumeLog
import Foundation
import TestSupport
import XCTest

final class ManifestVerifierTests: XCTestCase {
    /// Every JS-written and real log of the corpus matches every field of its manifest.
    func testEveryCorpusLogConformsToItsManifest() throws {
        let logs = try CompatibilityCorpus.logsWithManifests()
        XCTAssertGreaterThanOrEqual(logs.count, 13)
        for (log, manifestPath, name) in logs {
            let manifest = try GoldenManifest.load(from: manifestPath)
            let width = try manifest.width
            let result = LogVerification.run(path: log, manifest: manifest, width: width, strategies: ReaderStrategy.all)
            XCTAssertEqual(result.status, .conforms, "\(name): \(result.allProblems)")
            XCTAssertEqual(result.summary?.records, manifest.recordCount, name)
        }
    }

    /// The checks can fail: each edited manifest field is caught and named.
    func testEditedManifestsAreCaught() throws {
        let root = try CompatibilityCorpus.require()
        let log = root.appendingPathComponent("js/js-deleted-u32.offset").path
        let original = try GoldenManifest.load(from: root.appendingPathComponent("js/js-deleted-u32.manifest.json").path)
        let edits: [(String, (inout GoldenManifest) -> Void)] = [
            ("records[2].sha256", { $0.records[2].sha256 = String(repeating: "0", count: 64) }),
            ("records[1].length", { $0.records[1].length += 1 }),
            ("records[5].js_treats_as_deleted", { $0.records[5].jsTreatsAsDeleted = nil }),
            ("since", { $0.since = 0 }),
            ("stream_sha256", { $0.streamSHA256 = "x" }),
            ("js_stream_sha256", { $0.jsStreamSHA256 = String(repeating: "1", count: 64) }),
            ("stream_offsets[1]", { $0.streamOffsets?.remove(at: 1) }),
            ("reverse_offsets[0]", { $0.reverseOffsets?.reverse() }),
            ("record_count", { $0.recordCount = 30 }),
            ("file_sha256", { $0.fileSHA256 = "0" }),
            ("deleted_offsets (reads as a tombstone)", { $0.deletedOffsets = [467] }),
            ("torn (file ends in a partial frame)", { $0.torn = .init(truncatedTo: 17465) }),
        ]
        for (field, edit) in edits {
            var manifest = original
            edit(&manifest)
            let result = LogVerification.run(path: log, manifest: manifest, width: .bits32, strategies: ReaderStrategy.all)
            XCTAssertEqual(result.status, .doesNotConform, field)
            XCTAssertTrue(result.allProblems.contains { $0.contains(field) }, "\(field) not named in \(result.allProblems)")
            // One strategy alone: its stream is hashed by a scan of its own beside its pass.
            let alone = LogVerification.run(path: log, manifest: manifest, width: .bits32, strategies: [ReaderStrategy.mmap])
            XCTAssertTrue(alone.allProblems.contains { $0.contains(field) }, "one strategy: \(field) not named in \(alone.allProblems)")
            if field.hasSuffix("sha256"), field != "file_sha256" {
                // One pass hashes the records, another the stream; a disagreeing hash has every
                // strategy hash for itself, so each names what it read.
                for strategy in result.strategies {
                    XCTAssertTrue(strategy.differences.contains { $0.field == field }, "\(field): \(strategy.strategy.kind)")
                }
            }
        }
    }

    /// A digest is held as bytes only when it is exactly 64 lowercase hex digits; any other text
    /// is kept as written, so a verification names it as the manifest has it.
    func testDigestsKeepTextThatIsNotLowercaseHex() {
        let lower = String(repeating: "0123456789abcdef", count: 4)
        let bytes: [UInt8] = (0..<32).map { UInt8(($0 % 8) * 0x22 + 0x01) }
        XCTAssertEqual(ManifestDigest(hex: lower).description, lower)
        XCTAssertTrue(bytes.withUnsafeBytes { ManifestDigest(hex: Hex.encode(bytes)).equals($0) })
        for text in [lower.uppercased(), String(lower.dropLast()) + "g", String(lower.dropLast()), lower + "0",
                     String(lower.dropLast()) + "\u{0}", String(lower.dropLast()) + "/"] {
            XCTAssertEqual(ManifestDigest(hex: text).description, text)
            XCTAssertFalse(bytes.withUnsafeBytes { ManifestDigest(hex: text).equals($0) })
        }
    }

    /// With several strategies, the first hashes the records and the stream, and the others
    /// are held to it record by record (64-bit checksums of what each read).
    func testStrategiesShareTheHashing() {
        XCTAssertEqual(LogVerification.hashingPlan(strategies: 1), [.records])
        XCTAssertEqual(LogVerification.hashingPlan(strategies: 4), [.all, [], [], []])
        XCTAssertNil(RecordChecksums([1, 2, nil, 4]).firstDisagreement(with: RecordChecksums([1, 2, 3, 4])))
        XCTAssertNil(RecordChecksums([1, nil]).firstDisagreement(with: RecordChecksums([1, 9])))
        XCTAssertEqual(RecordChecksums([1, 2, 3, 4]).firstDisagreement(with: RecordChecksums([1, 2, nil, 5])), 3)
        XCTAssertEqual(RecordChecksums([0, nil, 7])[0], 0)
        XCTAssertNil(RecordChecksums([0, nil, 7])[1])
    }

    /// A reverse scan's offsets are held to their lists as they come, noting what `expectList`
    /// notes on the whole list: the first index where they part, the end of either list.
    func testOffsetsHeldAsTheyComePartWhereWholeListsDo() {
        let forward: [Int64] = [0, 10, 25, 40]
        for actual: [Int64] in [[40, 25, 10, 0], [40, 10, 25, 0], [40, 25], [40, 25, 10, 0, 7], [], [1]] {
            for reversed in [false, true] {
                var whole: [ManifestDifference] = [], arriving: [ManifestDifference] = []
                whole.expectList("list", reversed ? Array(forward.reversed()) : forward, actual)
                var check = OffsetListCheck("list", expected: forward, reversed: reversed)
                actual.forEach { check.add($0) }
                check.finish(into: &arriving)
                XCTAssertEqual(arriving, whole, "\(actual), reversed: \(reversed)")
            }
        }
    }

    func testAMissingManifestFieldIsNamed() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("bad.manifest.json")
        try Data(#"{"file": "x", "file_size": 1}"#.utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try GoldenManifest.load(from: path)) {
            XCTAssertTrue("\($0)".contains("missing field"), "\($0)")
        }
    }

    /// `load` parses the long arrays in place and the rest with JSONDecoder; the result equals
    /// JSONDecoder's on the whole file for every manifest of the shared corpus and for edited
    /// copies (escapes, unknown members, reordered keys, nulls); what it does not expect is
    /// left to JSONDecoder, whose errors name the field.
    func testManifestsLoadAsJSONDecoderReadsThem() throws {
        let dir = try TemporaryDirectory()
        func decoded(_ path: String) throws -> GoldenManifest {
            try JSONDecoder().decode(GoldenManifest.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        }
        for (_, manifest, name) in try CompatibilityCorpus.logsWithManifests() {
            XCTAssertEqual(try GoldenManifest.load(from: manifest), try decoded(manifest), name)
        }
        let hex64 = String(repeating: "0123456789abcdef", count: 4)
        let edits: [(String, String)] = [
            (#"{"records": [{"sha256": "ab", "length": 2, "offset": 0, "note": {"x": [1, """]}}], "file": "a"b.offset", "file_size": 10, "#
             + #""file_sha256": "00", "offset_codec_bits": 32, "record_count": 1, "stream_sha256": "11", "since": 0, "stream_offsets": null}"#, "reordered"),
            (#"{"records": [{"sha256": "ab", "length": 2, "offset": 0, "js_get_error": "flumelog:deleted", "js_treats_as_deleted": true}], "#
             + #""file": "x", "file_size": 10, "file_sha256": "00", "offset_codec_bits": 32, "record_count": 1, "stream_sha256": "11", "#
             + #""since": 0, "deleted_offsets": [0], "reverse_offsets": [0, -5]}"#, "escaped hash"),
            (#"{"records": [{"sha256": "ab", "length": 2.5, "offset": 0}], "file": "x", "file_size": 10, "file_sha256": "00", "#
             + #""offset_codec_bits": 32, "record_count": 1, "stream_sha256": "11", "since": 0}"#, "fraction"),
            // Integers at the edges of the in-place parse: 18 digits it reads, 19 it leaves to
            // JSONDecoder, a sign, an exponent.
            (#"{"records": [{"sha256": "ab", "length": 2, "offset": 123456789012345678}, "#
             + #"{"sha256": "cd", "length": 3, "offset": -7}], "file": "x", "file_size": 10, "file_sha256": "00", "#
             + #""offset_codec_bits": 32, "record_count": 2, "stream_sha256": "11", "since": -1, "stream_offsets": [0, -0]}"#, "integers"),
            (#"{"records": [{"sha256": "ab", "length": 2, "offset": 1234567890123456789}], "file": "x", "file_size": 10, "#
             + #""file_sha256": "00", "offset_codec_bits": 32, "record_count": 1, "stream_sha256": "11", "since": 0}"#, "19 digits"),
            (#"{"records": [{"sha256": "ab", "length": 1e1, "offset": 0}], "file": "x", "file_size": 10, "file_sha256": "00", "#
             + #""offset_codec_bits": 32, "record_count": 1, "stream_sha256": "11", "since": 0}"#, "exponent"),
            // Entries laid out as written (taken whole), then ones that start so and differ
            // later (a fourth member, a digest one digit short), after a record_count too large
            // to make room for.
            (#"{"file": "x", "file_size": 10, "file_sha256": "00", "offset_codec_bits": 32, "record_count": 99999999999, "#
             + #""records": [\#n    {"offset": 0, "length": 2, "sha256": "\#(hex64)"},\#n    {"offset": 14, "length": 3, "#
             + #""sha256": "\#(hex64)", "js_treats_as_deleted": true},{"offset": 29, "length": 1, "sha256": "\#(hex64.dropLast())"}], "#
             + #""stream_sha256": "11", "since": 29}"#, "laid out"),
        ]
        for (text, name) in edits {
            let path = dir.path("\(name).manifest.json")
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            let decoder = Result { try decoded(path) }, loaded = Result { try GoldenManifest.load(from: path) }
            switch (decoder, loaded) {
            case (.success(let expected), .success(let actual)): XCTAssertEqual(actual, expected, name)
            case (.failure, .failure): break
            default: XCTFail("\(name): JSONDecoder \(decoder), load \(loaded)")
            }
        }
        XCTAssertEqual(try GoldenManifest.load(from: dir.path("escaped hash.manifest.json")).records.first?.sha256, "ab")
        XCTAssertEqual(try GoldenManifest.load(from: dir.path("integers.manifest.json")).records.map(\.offset), [123456789012345678, -7])
        XCTAssertEqual(try GoldenManifest.load(from: dir.path("19 digits.manifest.json")).records.first?.offset, 1234567890123456789)
        let laidOut = try GoldenManifest.load(from: dir.path("laid out.manifest.json")).records
        XCTAssertEqual(laidOut.map(\.offset), [0, 14, 29])
        XCTAssertEqual(laidOut.map(\.jsTreatsAsDeleted), [nil, true, nil])
        XCTAssertEqual(laidOut.map(\.sha256), [hex64, hex64, String(hex64.dropLast())])
    }

    func testWrongWidthGivesAHint() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write(ReferenceFraming.frames(samplePayloads(count: 5), bits: 53), as: "w53.offset")
        let result = LogVerification.run(path: path, manifest: nil, width: .bits32, strategies: ReaderStrategy.all)
        XCTAssertEqual(result.status, .doesNotConform)
        XCTAssertEqual(result.widthHint, .bits53)
    }

    /// A manifest naming no width the format has is an error naming it, never read as 32-bit.
    func testAManifestWithAnUnknownWidthIsRefused() throws {
        let root = try CompatibilityCorpus.require()
        var manifest = try GoldenManifest.load(from: root.appendingPathComponent("js/js-small-u32.manifest.json").path)
        XCTAssertEqual(try manifest.width, .bits32)
        manifest.offsetCodecBits = 40
        XCTAssertThrowsError(try manifest.width) { error in
            XCTAssertEqual((error as? CorpusError)?.code, .manifest)
            XCTAssertTrue("\(error)".contains("offset_codec_bits is 40"), "\(error)")
        }
    }

    /// A file that cannot be hashed is reported with the system's own reason.
    func testHashingAFileNamesTheRealReason() throws {
        let dir = try TemporaryDirectory()
        XCTAssertThrowsError(try ManifestVerifier.sizeAndSHA256(ofFileAt: dir.path("missing"))) {
            XCTAssertEqual(($0 as? FlumeLogError)?.errno, ENOENT)
        }
        XCTAssertThrowsError(try ManifestVerifier.sizeAndSHA256(ofFileAt: dir.url.path)) {
            // A directory opens, and reading it fails with EISDIR (the old code said ENOENT).
            XCTAssertEqual(($0 as? FlumeLogError)?.errno, EISDIR, "\($0)")
        }
        // Hashed ahead on a thread of its own: the same answer, the same errors, as often as asked.
        let file = dir.path("bytes")
        try Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }).write(to: URL(fileURLWithPath: file))
        let pending = PendingFileDigest(path: file)
        let direct = try ManifestVerifier.sizeAndSHA256(ofFileAt: file)
        for _ in 0..<2 {
            let ahead = try pending.value()
            XCTAssertEqual([String(ahead.0), ahead.1], [String(direct.0), direct.1])
        }
        XCTAssertThrowsError(try PendingFileDigest(path: dir.path("missing")).value()) {
            XCTAssertEqual(($0 as? FlumeLogError)?.errno, ENOENT)
        }
    }
}
