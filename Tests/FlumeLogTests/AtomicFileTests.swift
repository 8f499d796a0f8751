import FlumeLog
import Foundation
import TestSupport
import XCTest

/// The one atomic write: whole files or nothing, never through a planted link.
final class AtomicFileTests: XCTestCase {
    func testWritesReplacesAndLeavesNoTemporary() throws {
        let dir = try TemporaryDirectory()
        let target = dir.path("state.json")
        try AtomicFile.write(Array("first".utf8), to: target)
        try AtomicFile.write(Array("second, longer".utf8), to: target)
        XCTAssertEqual(try fileBytes(target), Array("second, longer".utf8))
        try AtomicFile.write([], to: target)
        XCTAssertEqual(try fileBytes(target), [])
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.url.path)
        XCTAssertEqual(names, ["state.json"], "a temporary was left behind")
    }

    /// Links planted at every name a writer used to pick (`.NAME.tmp-PID`, `NAME.tmp-PID`) and
    /// at names of the current form are never written through: the file they point at keeps
    /// its bytes, and the target gets the new content.
    func testAPlantedSymlinkIsNeverFollowed() throws {
        let dir = try TemporaryDirectory()
        let victim = try dir.write(Array("precious".utf8), as: "victim")
        let target = dir.path("last.json")
        let pid = ProcessInfo.processInfo.processIdentifier
        var planted = [".last.json.tmp-\(pid)", "last.json.tmp-\(pid)"]
        planted += (0..<64).map { ".last.json.tmp-\(pid)-\(String($0, radix: 16))" }
        for name in planted {
            try FileManager.default.createSymbolicLink(atPath: dir.path(name), withDestinationPath: victim)
        }
        for round in 0..<20 { try AtomicFile.write(Array("state \(round)".utf8), to: target) }
        XCTAssertEqual(try fileBytes(victim), Array("precious".utf8))
        XCTAssertEqual(try fileBytes(target), Array("state 19".utf8))
        for name in planted {
            XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: dir.path(name)), victim)
        }
    }

    func testAFailureNamesTheFileAndTheReason() throws {
        let dir = try TemporaryDirectory()
        XCTAssertThrowsError(try AtomicFile.write([1], to: dir.path("missing-folder/state.json"))) { error in
            let failure = error as? FlumeLogError
            XCTAssertEqual(failure?.code, .io)
            XCTAssertEqual(failure?.errno, ENOENT)
            XCTAssertTrue(failure?.file?.contains("missing-folder") == true, "\(error)")
        }
    }

    func testPrivateFoldersAreNewAndPrivate() throws {
        let first = try PrivateFolder.make(prefix: "flumebench-test")
        let second = try PrivateFolder.make(prefix: "flumebench-test")
        defer {
            try? FileManager.default.removeItem(atPath: first)
            try? FileManager.default.removeItem(atPath: second)
        }
        XCTAssertNotEqual(first, second)
        let mode = try FileManager.default.attributesOfItem(atPath: first)[.posixPermissions] as? NSNumber
        XCTAssertEqual(mode?.intValue, 0o700)
    }
}
