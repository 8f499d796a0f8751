import FlumeLog
import Foundation
import TestSupport
import XCTest

/// The `flumebench` executable as a user runs it: exit codes, output, and files untouched.
final class FlumebenchCommandTests: XCTestCase {
    @discardableResult
    private func flumebench(_ arguments: String...) throws -> FlumebenchProcess.Outcome {
        try FlumebenchProcess.run(arguments)
    }

    private func corpus(_ relative: String) throws -> String {
        try CompatibilityCorpus.require().appendingPathComponent(relative).path
    }

    func testVerifyConformingLogsExitZero() throws {
        let result = try flumebench("verify", try corpus("js/js-small-u32.offset"),
                                    "--manifest", try corpus("js/js-small-u32.manifest.json"))
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("conforms to"), result.stdout)
        XCTAssertTrue(result.stdout.contains("1000 (0 deleted"), result.stdout)

        let summary = try flumebench("verify", try corpus("js/js-torn-u32-payhalf.offset"))
        XCTAssertEqual(summary.status, 0, summary.stderr)
        XCTAssertTrue(summary.stdout.contains("278 bytes after offset 13447"), summary.stdout)
        XCTAssertTrue(summary.stdout.contains("12923 (since)"), summary.stdout)
    }

    func testVerifyNeverModifiesTheLog() throws {
        let dir = try TemporaryDirectory()
        for name in ["js-torn-u32-trl2", "js-deleted-u32"] {
            let copy = try dir.copy(try corpus("js/\(name).offset"))
            let before = try fileBytes(copy)
            let modified = try FileManager.default.attributesOfItem(atPath: copy)[.modificationDate] as? Date
            try flumebench("verify", copy, "--manifest", try corpus("js/\(name).manifest.json"))
            try flumebench("verify", copy)
            try flumebench("dump", copy)
            XCTAssertEqual(try fileBytes(copy), before, name)
            XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: copy)[.modificationDate] as? Date, modified)
        }
    }

    func testVerifyNamesTheFirstDifferenceAndItsOffset() throws {
        let dir = try TemporaryDirectory()
        let copy = try dir.copy(try corpus("js/js-small-u32.offset"))
        var bytes = try fileBytes(copy)
        bytes[1398 + 4 + 10] ^= 0x20 // inside the payload of the record at 1398
        _ = try dir.write(bytes, as: "js-small-u32.offset")
        let changed = try flumebench("verify", copy, "--manifest", try corpus("js/js-small-u32.manifest.json"))
        XCTAssertEqual(changed.status, 1)
        XCTAssertTrue(changed.stderr.contains("records[3].sha256 at offset 1398"), changed.stderr)

        bytes = try fileBytes(copy)
        bytes[933 + 2] ^= 0x01 // the leading length of the record at 933
        _ = try dir.write(bytes, as: "js-small-u32.offset")
        let damaged = try flumebench("verify", copy)
        XCTAssertEqual(damaged.status, 1)
        XCTAssertTrue(damaged.stderr.contains("offset 933"), damaged.stderr)
        XCTAssertTrue(damaged.stderr.contains("[truncatedFrame]") || damaged.stderr.contains("[lengthMismatch]"), damaged.stderr)
    }

    /// Needs no corpus: a user's clone has none.
    func testVerifyExitCodesForUsageAndUnopenableFiles() throws {
        let dir = try TemporaryDirectory()
        let log = try dir.write(ReferenceFraming.frames(samplePayloads(count: 3), bits: 32), as: "small.offset")
        XCTAssertEqual(try flumebench("verify", log).status, 0)
        XCTAssertEqual(try flumebench("verify", "/nonexistent/log.offset").status, 66)
        XCTAssertEqual(try flumebench("verify", log, "--manifest", "/nonexistent.json").status, 66)
        XCTAssertEqual(try flumebench("verify", "--width", "64", "x.offset").status, 64)
        XCTAssertEqual(try flumebench("verify").status, 64)
        XCTAssertEqual(try flumebench("verify", dir.url.path).status, 66)
    }

    func testImportWritesJSBytesAndRespectsTheLock() throws {
        let dir = try TemporaryDirectory()
        let out = dir.path("imported.offset")
        let result = try flumebench("import", "--jsonl", try corpus("ssb/ssb-stream-small.jsonl"), "--width", "32", "--out", out)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("imported 1000 records"), result.stdout)
        XCTAssertEqual(try fileBytes(out), try fileBytes(try corpus("js/js-small-u32.offset")))

        let held = try OffsetLog(path: out)
        let locked = try flumebench("import", "--jsonl", try corpus("ssb/ssb-stream-unicode.jsonl"), "--width", "32", "--out", out)
        XCTAssertEqual(locked.status, 66)
        XCTAssertTrue(locked.stderr.contains("locked by another process"), locked.stderr)
        XCTAssertEqual(held.end, Int64(try fileBytes(out).count), "the refused import wrote nothing")
    }

    func testDumpPrintsOneLinePerRecord() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("dump.offset")
        let log = try OffsetLog(path: path, width: .bits48)
        try log.append(batch: [Array("line one\nline two".utf8), [0xFF, 0x00, 0x10], Array("deleted soon".utf8), []])
        try log.delete(at: 48)
        let result = try flumebench("dump", path, "--width", "48")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "0\t17\tline one\\nline two\n31\t3\thex:ff0010\n48\t12\t(deleted)\n74\t0\t\n")
    }

    /// `views` reports its own peak memory, not its parent's: after a spawn (vfork, then exec)
    /// `ru_maxrss` keeps the spawning process's peak, which the benchmark harness's is.
    func testViewsReportTheirOwnPeakMemory() throws {
        let dir = try TemporaryDirectory()
        let ballast = UnsafeMutableRawBufferPointer.allocate(byteCount: 768 << 20, alignment: 4096)
        defer { ballast.deallocate() }
        for page in stride(from: 0, to: ballast.count, by: 4096) { ballast[page] = 1 }  // resident in this process
        let result = try flumebench("views", "rebuild", try corpus("js/js-small-u32.offset"), "--dir", dir.path("views"))
        XCTAssertEqual(result.status, 0, result.stderr)
        let megabytes = result.stdout.firstRange(of: "peak resident ").flatMap { Int(result.stdout[$0.upperBound...].prefix { $0.isNumber }) }
        XCTAssertNotNil(megabytes, result.stdout)
        XCTAssertLessThan(megabytes ?? .max, 512, "a 1 MB log's views, while this process holds 768 MiB")
        XCTAssertGreaterThan(megabytes ?? 0, 1)
    }
}
