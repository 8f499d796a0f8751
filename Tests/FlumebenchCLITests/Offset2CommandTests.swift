import Foundation
import TestSupport
import XCTest

/// go-ssb offset2 directories through the command line, as a go-ssb user meets them: verify
/// (margaret's verdict, and what salvage would keep), salvage into a copy margaret opens,
/// conversion to a JS client's log with signatures intact, dump, ssb-validate; nothing read
/// is ever changed.
final class Offset2CommandTests: XCTestCase {
    private func folder() throws -> URL { try CompatibilityCorpus.require().appendingPathComponent("go-offset2") }

    func testVerifyNamesMargaretsVerdictAndWhatSalvageKeeps() throws {
        let folder = try folder()
        let small = try FlumebenchProcess.run(["verify", folder.appendingPathComponent("small").path, "--format", "auto"])
        XCTAssertEqual(small.status, 0, small.stderr)
        XCTAssertTrue(small.stderr.contains("format: go-ssb margaret offset2 log"), small.stderr)
        XCTAssertTrue(small.stdout.contains("entries        1000 (0 nulled)"), small.stdout)

        let nulled = try FlumebenchProcess.run(["verify", folder.appendingPathComponent("nulled").path, "--format", "offset2"])
        XCTAssertTrue(nulled.stdout.contains("entries        20 (3 nulled)"), nulled.stdout)

        let torn = try FlumebenchProcess.run(["verify", folder.appendingPathComponent("torn-data-no-ofst").path, "--format", "offset2"])
        XCTAssertEqual(torn.status, 1, torn.stderr)
        XCTAssertTrue(torn.stderr.contains("DOES NOT CONFORM"), torn.stderr)
        XCTAssertTrue(torn.stderr.contains("data file size difference -519"), torn.stderr)
        XCTAssertTrue(torn.stderr.contains("would keep 20 entries"), torn.stderr)

        let manifest = try FlumebenchProcess.run(["verify", folder.appendingPathComponent("torn-ofst-partial").path, "--format", "offset2",
                                                  "--manifest", folder.appendingPathComponent("torn-ofst-partial.manifest.json").path])
        XCTAssertEqual(manifest.status, 0, manifest.stderr)
        XCTAssertTrue(manifest.stdout.contains("margaret's verdict included"), manifest.stdout)

        let usage = try FlumebenchProcess.run(["verify", folder.appendingPathComponent("small").path, "--format", "offset2", "--width", "48"])
        XCTAssertEqual(usage.status, 64, usage.stderr)
    }

    func testSalvageWritesACopyThatVerifiesAndLeavesTheOriginal() throws {
        let dir = try TemporaryDirectory()
        let source = try folder().appendingPathComponent("torn-data-partial").path
        let before = try ["data", "ofst", "jrnl"].map { try fileBytes(source + "/" + $0) }
        let report = try FlumebenchProcess.run(["salvage", source])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stdout.contains("margaret refuses it") && report.stdout.contains("kept           20 entries"), report.stdout)
        let out = dir.path("repaired")
        let written = try FlumebenchProcess.run(["salvage", source, "--out", out])
        XCTAssertEqual(written.status, 0, written.stderr)
        let verified = try FlumebenchProcess.run(["verify", out, "--format", "offset2"])
        XCTAssertEqual(verified.status, 0, verified.stderr)
        XCTAssertTrue(verified.stdout.contains("entries        20 (0 nulled)"), verified.stdout)
        XCTAssertEqual(try ["data", "ofst", "jrnl"].map { try fileBytes(source + "/" + $0) }, before)
        let again = try FlumebenchProcess.run(["salvage", source, "--out", out])
        XCTAssertEqual(again.status, 66, "an existing destination is refused: \(again.stderr)")
    }

    /// A go-ssb user moving to a JS client: the multimsgs become `{key, value, timestamp}`
    /// records (JSON for log.offset, BIPF for ssb-db2) whose signatures verify.
    func testAGoSSBLogConvertsToJSLogsThatValidate() throws {
        let dir = try TemporaryDirectory()
        let source = try folder().appendingPathComponent("four_ssb_messages").path
        let dump = try FlumebenchProcess.run(["dump", source, "--format", "offset2"])
        XCTAssertTrue(dump.stdout.hasPrefix("0\t439\tgossb:{\"key\":\"%X74B80kTcYhBLDgbpdvhclNyJtjs43wlT3wf5yjyYl8=.sha256\""), dump.stdout)
        let validated = try FlumebenchProcess.run(["ssb-validate", source, "--format", "offset2"])
        XCTAssertEqual(validated.status, 0, validated.stderr)
        XCTAssertTrue(validated.stdout.contains("valid: 2 messages from 1 feeds"), validated.stdout)
        for (target, records, name) in [("offset", "gossb-json", "log.offset"), ("aaol", "gossb-bipf", "log.bipf")] {
            let out = dir.path(name)
            let converted = try FlumebenchProcess.run(["convert", source, "--format", "offset2", "--to", target, "--records", records, "--out", out])
            XCTAssertEqual(converted.status, 0, converted.stderr)
            let check = try FlumebenchProcess.run(["ssb-validate", out, "--format", target])
            XCTAssertEqual(check.status, 0, "\(name): \(check.stderr)")
            XCTAssertTrue(check.stdout.contains("valid: 2 messages"), check.stdout)
        }
        // Raw payloads that are not go-ssb's codec are named, not misread.
        let small = try folder().appendingPathComponent("small").path
        let refused = try FlumebenchProcess.run(["convert", small, "--format", "offset2", "--to", "offset", "--records", "gossb-json", "--out", dir.path("x")])
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("unsupported go-ssb payload codec (type 123)"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path("x")))
    }

    func testConvertToOffset2WritesMargaretsFilesAndRefusesAnExistingDirectory() throws {
        let root = try CompatibilityCorpus.require()
        let dir = try TemporaryDirectory()
        let out = dir.path("small")
        let converted = try FlumebenchProcess.run(["convert", root.appendingPathComponent("js/js-small-u32.offset").path, "--to", "offset2", "--out", out])
        XCTAssertEqual(converted.status, 0, converted.stderr)
        for name in ["data", "ofst", "jrnl"] {
            XCTAssertEqual(try fileBytes(out + "/" + name), try fileBytes(root.appendingPathComponent("go-offset2/small/" + name).path), name)
        }
        let refused = try FlumebenchProcess.run(["convert", root.appendingPathComponent("js/js-small-u32.offset").path, "--to", "offset2", "--out", out])
        XCTAssertEqual(refused.status, 66, refused.stderr)
        let forced = try FlumebenchProcess.run(["convert", root.appendingPathComponent("js/js-small-u32.offset").path, "--to", "offset2", "--out", out, "--force"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.url.path), ["small"], "no temporary left behind")
    }
}
