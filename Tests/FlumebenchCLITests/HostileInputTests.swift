import FlumeLog
import Foundation
import TestSupport
import XCTest

/// The README's hostile-input table, one test per row: what `flumebench verify` answers
/// (exit code and error code) and what the library throws, for inputs meant to break a reader.
final class HostileInputTests: XCTestCase {
    /// Frames 0 ("first", 17 bytes), 17 (40 x's, 52 bytes), 69 ("third") of a 32-bit log.
    private func log(_ change: (inout [UInt8]) -> Void = { _ in }) -> [UInt8] {
        var bytes = ReferenceFraming.frames([Array("first".utf8), [UInt8](repeating: 0x78, count: 40), Array("third".utf8)], bits: 32)
        change(&bytes)
        return bytes
    }

    private func verify(_ bytes: [UInt8], width: Int = 32) throws -> FlumebenchProcess.Outcome {
        let dir = try TemporaryDirectory()
        let path = try dir.write(bytes, as: "hostile.offset")
        let outcome = try FlumebenchProcess.run(["verify", path, "--width", "\(width)"])
        XCTAssertEqual(try fileBytes(path), bytes, "verify changed the file")
        return outcome
    }

    private func assertRejected(_ outcome: FlumebenchProcess.Outcome, _ code: FlumeLogError.Code, at offset: Int64,
                                file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(outcome.status, 1, outcome.stderr, file: file, line: line)
        XCTAssertTrue(outcome.stderr.contains("offset \(offset): "), outcome.stderr, file: file, line: line)
        XCTAssertTrue(outcome.stderr.contains("[\(code.rawValue)]"), outcome.stderr, file: file, line: line)
    }

    func testHugeLength() throws {
        assertRejected(try verify(log { $0.replaceSubrange(17..<21, with: [0xFF, 0xFF, 0xFF, 0xFF]) }), .truncatedFrame, at: 17)
        assertRejected(try verify(log { $0.replaceSubrange(0..<4, with: [0xFF, 0xFF, 0xFF, 0xFF]) }), .truncatedFrame, at: 0)
    }

    func testLengthPastTheEndOfTheFile() throws {
        // The last frame claims 1000 more bytes than the file holds, yet ends like a frame.
        assertRejected(try verify(log { $0[71] = 0x03 }), .truncatedFrame, at: 69)
    }

    func testLeadingAndTrailingLengthsDiffer() throws {
        assertRejected(try verify(log { $0[20] = 39 }), .lengthMismatch, at: 17)
    }

    func testTrailerMismatch() throws {
        assertRejected(try verify(log { $0[68] ^= 0x10 }), .trailerMismatch, at: 17)
    }

    func testZeroLengthAndAllZeroPayloadsAreRecords() throws {
        let bytes = ReferenceFraming.frames([[], [0, 0, 0, 0], Array("x".utf8)], bits: 32)
        let outcome = try verify(bytes)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertTrue(outcome.stdout.contains("3 (1 deleted, 1 empty)"), outcome.stdout)
    }

    func testWrongTrailerWidthNamesTheRightOne() throws {
        let outcome = try verify(ReferenceFraming.frames(samplePayloads(count: 5), bits: 48), width: 32)
        XCTAssertEqual(outcome.status, 1)
        XCTAssertTrue(outcome.stderr.contains("offset 0: "), outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("try --width 48"), outcome.stderr)
    }

    func testEmptyFileIsAnEmptyLog() throws {
        let outcome = try verify([])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertTrue(outcome.stdout.contains("records        0"), outcome.stdout)
        XCTAssertTrue(outcome.stdout.contains("-1 (since)"), outcome.stdout)
    }

    func testTornTailIsReportedNotAnError() throws {
        let outcome = try verify(Array(log().dropLast(5)))
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertTrue(outcome.stdout.contains("12 bytes after offset 69"), outcome.stdout)
    }

    func testDirectory() throws {
        let dir = try TemporaryDirectory()
        let outcome = try FlumebenchProcess.run(["verify", dir.url.path])
        XCTAssertEqual(outcome.status, 66)
        XCTAssertTrue(outcome.stderr.contains("cannot read a log from a directory [invalidArgument]"), outcome.stderr)
        // One that holds margaret's files is named as what it is.
        for name in ["data", "ofst", "jrnl"] { try Data().write(to: dir.url.appendingPathComponent(name)) }
        for command in ["verify", "ssb-validate", "dump"] {
            let offset2 = try FlumebenchProcess.run([command, dir.url.path])
            XCTAssertEqual(offset2.status, 66, command)
            XCTAssertTrue(offset2.stderr.contains("try --format offset2"), "\(command): \(offset2.stderr)")
        }
    }

    func testFIFODoesNotBlock() throws {
        let dir = try TemporaryDirectory()
        let fifo = dir.path("fifo")
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let outcome = try FlumebenchProcess.run(["verify", fifo])
        XCTAssertEqual(outcome.status, 66)
        XCTAssertTrue(outcome.stderr.contains("a FIFO [invalidArgument]"), outcome.stderr)
    }

    func testMissingFile() throws {
        let outcome = try FlumebenchProcess.run(["verify", "/nonexistent/log.offset"])
        XCTAssertEqual(outcome.status, 66)
        XCTAssertTrue(outcome.stderr.contains("No such file or directory"), outcome.stderr)
    }

    /// Root reads anything, so as root the check runs as uid 65534, nobody (setpriv).
    func testUnreadableFile() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.url.path)
        let path = try dir.write(log(), as: "secret.offset")
        XCTAssertEqual(chmod(path, 0o000), 0)
        let asUser: String? = getuid() == 0 ? "65534" : nil
        if asUser != nil, !FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") {
            throw XCTSkip("running as root without setpriv(1): cannot make a file unreadable")
        }
        let outcome = try FlumebenchProcess.run(["verify", path], as: asUser)
        XCTAssertEqual(outcome.status, 66, outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("Permission denied"), outcome.stderr)
    }

    /// A file cut short while it is read: the library's answer (the CLI reads too fast to race).
    func testFileShrinkingDuringAScan() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("shrinking.offset")
        try OffsetLog(path: path).append(batch: (0..<2000).map { _ in [UInt8](repeating: 0x61, count: 500) })
        for strategy in ReaderStrategy.all {
            let log = try OffsetLog(path: path, access: .readOnly, strategy: strategy)
            var cursor = try log.cursor()
            _ = try cursor.next()
            XCTAssertEqual(truncate(path, 50_000), 0)
            XCTAssertThrowsError(try { while try cursor.next() != nil {} }(), "\(strategy)") {
                XCTAssertEqual(($0 as? FlumeLogError)?.code, .truncatedFrame, "\(strategy)")
            }
            try? FileManager.default.removeItem(atPath: path)
            try OffsetLog(path: path).append(batch: (0..<2000).map { _ in [UInt8](repeating: 0x61, count: 500) })
        }
    }
}
