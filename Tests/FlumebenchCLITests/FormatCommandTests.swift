import Foundation
import TestSupport
import XCTest

/// `--format` on the log commands, as a user runs them on ssb-db2's log.bipf.
final class FormatCommandTests: XCTestCase {
    func testVerifyAndDumpReadAAOLLogsAndAutoNamesItsEvidence() throws {
        let aaol = try CompatibilityCorpus.require().appendingPathComponent("aaol")
        let small = aaol.appendingPathComponent("aaol-small.log").path
        let verified = try FlumebenchProcess.run(["verify", small, "--format", "aaol"])
        XCTAssertEqual(verified.status, 0, verified.stderr)
        XCTAssertTrue(verified.stdout.contains("records        1000 (0 deleted)"), verified.stdout)
        XCTAssertTrue(verified.stdout.contains("798173 (since)"), verified.stdout)

        let auto = try FlumebenchProcess.run(["verify", aaol.appendingPathComponent("bipf-small.log").path, "--format", "auto"])
        XCTAssertEqual(auto.status, 0, auto.stderr)
        XCTAssertTrue(auto.stderr.contains("format: async-append-only-log") && auto.stderr.contains("block 0 holds 102 records"), auto.stderr)

        let torn = try FlumebenchProcess.run(["verify", aaol.appendingPathComponent("aaol-torn-short.log").path, "--format", "aaol"])
        XCTAssertEqual(torn.status, 0, torn.stderr)
        XCTAssertTrue(torn.stdout.contains("records        63") && torn.stdout.contains("partial block"), torn.stdout)

        let hidden = try FlumebenchProcess.run(["verify", aaol.appendingPathComponent("aaol-edge-empty-payload.log").path, "--format", "aaol"])
        XCTAssertTrue(hidden.stdout.contains("warning") && hidden.stdout.contains("zero-length record"), hidden.stdout)
        // An all-zero block after the last record's: JS streams a phantom record there; we warn.
        let phantom = try FlumebenchProcess.run(["verify", aaol.appendingPathComponent("aaol-torn-zeroblock.log").path, "--format", "aaol"])
        XCTAssertEqual(phantom.status, 0, phantom.stderr)
        XCTAssertTrue(phantom.stdout.contains("the last 1 block (from 196608) hold no record"), phantom.stdout)
        XCTAssertTrue(phantom.stdout.contains("records        200 (0 deleted)"), phantom.stdout)

        let dump = try FlumebenchProcess.run(["dump", small, "--format", "aaol", "--reverse", "--limit", "1"])
        XCTAssertEqual(dump.status, 0, dump.stderr)
        XCTAssertTrue(dump.stdout.hasPrefix("798173\t532\t{\"key\""), dump.stdout)

        // Read as an offset log, an AAOL file is all torn tail: refused, naming what it fits.
        let wrong = try FlumebenchProcess.run(["verify", small])
        XCTAssertEqual(wrong.status, 1, wrong.stdout)
        XCTAssertTrue(wrong.stderr.contains("DOES NOT CONFORM") && wrong.stderr.contains("no record was read")
                      && wrong.stderr.contains("try --format aaol"), wrong.stderr)
        XCTAssertFalse(wrong.stdout.contains("valid"), wrong.stdout)
        let emptyDump = try FlumebenchProcess.run(["dump", small])
        XCTAssertEqual(emptyDump.status, 1, emptyDump.stdout)
        XCTAssertTrue(emptyDump.stderr.contains("try --format aaol") && emptyDump.stdout.isEmpty, emptyDump.stderr)
        // Nor does any other command build, convert or write from it: nothing is written, and
        // `import` (a writer's open) does not cut the AAOL file as an offset log's torn tail.
        let scratch = try TemporaryDirectory()
        let copy = scratch.path("log.bipf")
        try FileManager.default.copyItem(atPath: small, toPath: copy)
        let jsonl = scratch.path("one.jsonl")
        try Data("{\"a\":1}\n".utf8).write(to: URL(fileURLWithPath: jsonl))
        let refused: [(command: [String], writes: String)] = [
            (["views", "rebuild", copy, "--dir", scratch.path("views")], scratch.path("views")),
            (["convert", copy, "--to", "aaol", "--out", scratch.path("converted.log")], scratch.path("converted.log")),
            (["import", "--jsonl", jsonl, "--out", copy], copy),
        ]
        for (command, writes) in refused {
            let result = try FlumebenchProcess.run(command)
            XCTAssertEqual(result.status, 1, "\(command): \(result.stdout)")
            XCTAssertTrue(result.stderr.contains("async-append-only-log"), "\(command): \(result.stderr)")
            if writes == copy {
                XCTAssertTrue(result.stderr.contains("nothing was changed"), result.stderr)
                XCTAssertEqual(try fileBytes(copy), try fileBytes(small), "\(command)")
            } else {
                XCTAssertTrue(result.stderr.contains("try --format aaol"), "\(command): \(result.stderr)")
                XCTAssertFalse(FileManager.default.fileExists(atPath: writes), "\(command)")
            }
        }
        // An offset log read as AAOL fails in its second block (its first reads as empty): every
        // command says so, and names the format the bytes fit.
        let offsetLog = try CompatibilityCorpus.require().appendingPathComponent("js/js-small-u32.offset").path
        for command in [["verify", offsetLog], ["ssb-validate", offsetLog], ["dump", offsetLog],
                        ["views", "rebuild", offsetLog, "--dir", scratch.path("aaol-views")]] {
            let result = try FlumebenchProcess.run(command + ["--format", "aaol"])
            XCTAssertEqual(result.status, 1, "\(command): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("hint: it reads as 32-bit flume offset log") && result.stderr.contains("try --format offset"),
                          "\(command): \(result.stderr)")
        }
        // Damage in a log of the format asked for gets no such hint: the bytes fit no other format.
        let payloads = samplePayloads(count: 200)
        var damagedBytes = ReferenceFraming.frames(payloads, bits: 32)
        // The low byte of the 101st frame's length.
        damagedBytes[ReferenceFraming.frames(Array(payloads.prefix(100)), bits: 32).count + 3] ^= 0x5A
        let damaged = try scratch.write(damagedBytes, as: "damaged.offset")
        for command in [["verify", damaged], ["dump", damaged], ["ssb-validate", damaged]] {
            let result = try FlumebenchProcess.run(command)
            XCTAssertEqual(result.status, 1, "\(command): \(result.stderr)")
            XCTAssertFalse(result.stderr.contains("hint: it reads as"), "\(command): \(result.stderr)")
        }
        // A crash in a log's first append leaves a partial frame that fits no format: a valid,
        // empty, torn offset log.
        let dir = try TemporaryDirectory()
        let partial = dir.path("partial.offset")
        try Data([0, 0, 0, 100, 0x7B, 0x22, 0x6B]).write(to: URL(fileURLWithPath: partial))
        let tornFrame = try FlumebenchProcess.run(["verify", partial])
        XCTAssertEqual(tornFrame.status, 0, tornFrame.stderr)
        XCTAssertTrue(tornFrame.stdout.contains("torn tail      7 bytes after offset 0"), tornFrame.stdout)
        XCTAssertEqual(try FlumebenchProcess.run(["dump", partial]).status, 0)
        let validated = try FlumebenchProcess.run(["ssb-validate", partial])
        XCTAssertEqual(validated.status, 0, validated.stderr)
        XCTAssertTrue(validated.stdout.contains("7 bytes of torn tail after offset 0 not read"), validated.stdout)

        let usage = try FlumebenchProcess.run(["verify", small, "--format", "aaol", "--width", "48"])
        XCTAssertEqual(usage.status, 64, usage.stderr)
    }

    /// `log.offset` → raw AAOL and BIPF AAOL byte-identical to what JS wrote, and back; the
    /// source untouched, an existing destination refused.
    func testConversionsAreByteIdenticalToJS() throws {
        let root = try CompatibilityCorpus.require()
        let dir = try TemporaryDirectory()
        let cases: [(source: String, arguments: [String], expected: String)] = [
            ("js/js-small-u32.offset", ["--to", "aaol"], "aaol/aaol-small.log"),
            ("js/js-small-u32.offset", ["--to", "aaol", "--records", "bipf"], "aaol/bipf-small.log"),
            ("js/js-unicode-u32.offset", ["--to", "aaol", "--records", "bipf"], "aaol/bipf-unicode.log"),
            ("aaol/aaol-small.log", ["--format", "aaol", "--to", "offset"], "js/js-small-u32.offset"),
            ("aaol/bipf-small.log", ["--format", "aaol", "--to", "offset", "--records", "json"], "js/js-small-u32.offset"),
        ]
        for (index, conversion) in cases.enumerated() {
            let source = root.appendingPathComponent(conversion.source).path
            let before = try fileBytes(source)
            let out = dir.path("out-\(index)")
            let result = try FlumebenchProcess.run(["convert", source] + conversion.arguments + ["--out", out])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(try fileBytes(out), try fileBytes(root.appendingPathComponent(conversion.expected).path),
                           "\(conversion.source) \(conversion.arguments)")
            XCTAssertEqual(try fileBytes(source), before)
            let again = try FlumebenchProcess.run(["convert", source] + conversion.arguments + ["--out", out])
            XCTAssertEqual(again.status, 66, "an existing destination is refused")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.hasPrefix(".") }, [],
                       "no temporary left behind")
    }
}
