import Foundation
import TestSupport
import XCTest

/// `corpus generate|list` and `ssb-validate` as a user runs them.
final class CorpusCommandTests: XCTestCase {
    private let root = CompatibilityCorpus.packageRoot

    func testGenerateTwiceGivesIdenticalFilesThatVerify() throws {
        let dir = try TemporaryDirectory()
        var digests: [Data] = []
        for round in 0..<2 {
            let out = dir.path("round\(round)")
            let generated = try FlumebenchProcess.run(["corpus", "generate", "fault-length-mismatch", "--out", out], in: root)
            XCTAssertEqual(generated.status, 0, generated.stderr)
            XCTAssertTrue(generated.stdout.contains("fault-length-mismatch: \(out)/fault-length-mismatch.offset"), generated.stdout)
            digests.append(try Data(contentsOf: URL(fileURLWithPath: "\(out)/fault-length-mismatch.offset")))
            digests.append(try Data(contentsOf: URL(fileURLWithPath: "\(out)/fault-length-mismatch.manifest.json")))
            let verified = try FlumebenchProcess.run(["verify", "\(out)/fault-length-mismatch.offset",
                                                      "--manifest", "\(out)/fault-length-mismatch.manifest.json"], in: root)
            XCTAssertEqual(verified.status, 0, verified.stderr)
            XCTAssertTrue(verified.stdout.contains("fails as expected: lengthMismatch"), verified.stdout)
        }
        XCTAssertEqual(digests[0], digests[2])
        XCTAssertEqual(digests[1], digests[3])
        let again = try FlumebenchProcess.run(["corpus", "generate", "fault-length-mismatch", "--out", dir.path("round1")], in: root)
        XCTAssertTrue(again.stdout.contains("cached"), again.stdout)
    }

    func testListAndUnknownRecipes() throws {
        let list = try FlumebenchProcess.run(["corpus", "list"], in: root)
        XCTAssertEqual(list.status, 0, list.stderr)
        for name in ["small", "medium", "large", "synthetic-fixed-1k", "fault-wrong-width"] {
            XCTAssertTrue(list.stdout.contains(name), "corpus list lacks \(name)")
        }
        let unknown = try FlumebenchProcess.run(["corpus", "generate", "no-such-recipe"], in: root)
        XCTAssertEqual(unknown.status, 64)
        XCTAssertTrue(unknown.stderr.contains("known: "), unknown.stderr)
    }

    func testSSBValidateAcceptsGeneratedSSBAndNamesTheFirstTamperedMessage() throws {
        let dir = try TemporaryDirectory()
        let generated = try FlumebenchProcess.run(["corpus", "generate", "small", "--out", dir.path("c")], in: root)
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let log = dir.path("c/small.offset")
        let valid = try FlumebenchProcess.run(["ssb-validate", log])
        XCTAssertEqual(valid.status, 0, valid.stderr)
        XCTAssertTrue(valid.stdout.hasPrefix("valid: "), valid.stdout)

        // Flip one base64 letter of the 40th signature: same length, frame intact.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: log))
        let marker = Data(#""signature":"#.utf8)
        var searchFrom = bytes.startIndex
        var found: Range<Data.Index>?
        for _ in 0..<40 {
            found = bytes.range(of: marker, in: searchFrom..<bytes.endIndex)
            searchFrom = found!.upperBound
        }
        let at = bytes[found!.upperBound...].firstIndex { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\"") }!
        bytes[at] = bytes[at] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let tampered = dir.path("tampered.offset")
        try bytes.write(to: URL(fileURLWithPath: tampered))
        let invalid = try FlumebenchProcess.run(["ssb-validate", tampered])
        XCTAssertEqual(invalid.status, 1)
        XCTAssertTrue(invalid.stderr.contains("message at offset"), invalid.stderr)
        XCTAssertTrue(invalid.stderr.contains("key is not the hash") || invalid.stderr.contains("signature"), invalid.stderr)

        let missing = try FlumebenchProcess.run(["ssb-validate", dir.path("none.offset")])
        XCTAssertEqual(missing.status, 66)
    }

    /// A log.bipf converted from a log.offset with deleted records lacks them, as ssb-db2's
    /// migration drops them: a gap the strict check refuses with a hint, `--allow-gaps` counts.
    func testSSBValidateExplainsAndCountsTheGapsOfAMigratedLog() throws {
        let dir = try TemporaryDirectory()
        let generated = try FlumebenchProcess.run(["corpus", "generate", "small", "--out", dir.path("c")], in: root)
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let migrated = dir.path("log.bipf")
        let converted = try FlumebenchProcess.run(["convert", dir.path("c/small.offset"), "--to", "aaol", "--records", "bipf", "--out", migrated])
        XCTAssertEqual(converted.status, 0, converted.stderr)

        let strict = try FlumebenchProcess.run(["ssb-validate", migrated, "--format", "aaol"])
        XCTAssertEqual(strict.status, 1, strict.stdout)
        XCTAssertTrue(strict.stderr.contains(" missing") && strict.stderr.contains("--allow-gaps"), strict.stderr)
        let lenient = try FlumebenchProcess.run(["ssb-validate", migrated, "--format", "aaol", "--allow-gaps"])
        XCTAssertEqual(lenient.status, 0, lenient.stderr)
        XCTAssertNotNil(lenient.stdout.range(of: #"valid: \d+ messages .* \d+ gaps in feeds \(\d+ messages missing\)"#, options: .regularExpression),
                        lenient.stdout)
        // Read as an offset log (no --format), it holds no record: refused, the format named.
        let unframed = try FlumebenchProcess.run(["ssb-validate", migrated])
        XCTAssertEqual(unframed.status, 1, unframed.stdout)
        XCTAssertTrue(unframed.stderr.contains("no record was read") && unframed.stderr.contains("try --format aaol"), unframed.stderr)

        // The source, with its deleted records in place, needs no leniency.
        let source = try FlumebenchProcess.run(["ssb-validate", dir.path("c/small.offset")])
        XCTAssertEqual(source.status, 0, source.stderr)
        XCTAssertFalse(source.stdout.contains("gaps"), source.stdout)
        // Cut inside a record: the messages before it are valid, the torn tail is named.
        let torn = dir.path("torn.offset")
        try Data(try fileBytes(dir.path("c/small.offset")).prefix(100_000)).write(to: URL(fileURLWithPath: torn))
        let tornRun = try FlumebenchProcess.run(["ssb-validate", torn])
        XCTAssertEqual(tornRun.status, 0, tornRun.stderr)
        XCTAssertNotNil(tornRun.stdout.range(of: #"\d+ bytes of torn tail after offset \d+ not read"#, options: .regularExpression), tornRun.stdout)
    }

    /// The corpus cache's files (manifest, marker) are written as every state file is: a new
    /// temporary created exclusively, never through a link (O_EXCL | O_NOFOLLOW), synced, then
    /// renamed into place. Seen in the system calls themselves (strace).
    func testCorpusFilesAreCreatedExclusivelyAndSyncedBeforeTheRename() throws {
        let strace = "/usr/bin/strace"
        guard FileManager.default.isExecutableFile(atPath: strace) else { throw XCTSkip("strace is not installed") }
        let dir = try TemporaryDirectory()
        let out = dir.path("cache"), trace = dir.path("trace")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: strace)
        process.arguments = ["-f", "-qq", "-e", "trace=openat,fsync,rename,renameat,renameat2", "-o", trace,
                             try FlumebenchProcess.binary().path, "corpus", "generate", "small", "--out", out]
        process.currentDirectoryURL = root
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard let lines = try? String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n"), !lines.isEmpty else {
            throw XCTSkip("strace cannot trace processes here")
        }
        XCTAssertEqual(process.terminationStatus, 0)
        for name in ["small.manifest.json", "small.complete"] {
            // openat(..., "DIR/.NAME.tmp-...", flags) = FD, then fsync(FD), then rename(temp, DIR/NAME).
            let temporaryPrefix = "\(out)/.\(name).tmp-"
            guard let opened = lines.firstIndex(where: { $0.contains("openat(") && $0.contains("\"\(temporaryPrefix)") }) else {
                XCTFail("\(name): no temporary created: \(lines.filter { $0.contains(name) })")
                continue
            }
            let open = lines[opened]
            XCTAssertTrue(open.contains("O_EXCL") && open.contains("O_NOFOLLOW"), String(open))
            let descriptor = open.split(separator: "=").last!.trimmingCharacters(in: .whitespaces)
            let renamed = lines[opened...].firstIndex { $0.contains("rename") && $0.contains("\"\(out)/\(name)\"") }
            XCTAssertNotNil(renamed, "\(name) was not renamed into place")
            let synced = lines[opened..<(renamed ?? lines.endIndex)].contains { $0.contains("fsync(\(descriptor))") }
            XCTAssertTrue(synced, "\(name): no fsync of descriptor \(descriptor) before the rename")
        }
    }
}
