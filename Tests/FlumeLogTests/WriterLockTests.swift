import FlumeLog
import Foundation
import TestSupport
import XCTest

/// The writer lock, checked across two processes: util-linux `flock(1)` takes the same
/// `flock(2)` lock from another process.
final class WriterLockTests: XCTestCase {
    private func flockTool() throws -> String {
        for path in ["/usr/bin/flock", "/bin/flock"] where FileManager.default.isExecutableFile(atPath: path) { return path }
        throw XCTSkip("flock(1) from util-linux is not installed")
    }

    func testAnotherProcessCannotLockWhileWeWrite() throws {
        let tool = try flockTool()
        let dir = try TemporaryDirectory()
        let path = dir.path("locked.offset")
        let log = try OffsetLog(path: path)
        try log.append(Array("held".utf8))

        let other = Process()
        other.executableURL = URL(fileURLWithPath: tool)
        other.arguments = ["--nonblock", "--conflict-exit-code", "75", path, "true"]
        try other.run()
        other.waitUntilExit()
        XCTAssertEqual(other.terminationStatus, 75, "another process took the writer lock we hold")

        // A second writer in this process is refused too (the lock belongs to the open file).
        XCTAssertThrowsError(try OffsetLog(path: path)) { XCTAssertEqual(($0 as? FlumeLogError)?.code, .locked) }
        // Readers take no lock.
        XCTAssertEqual(try OffsetLog(path: path, access: .readOnly).records().count, 1)
    }

    func testWeCannotOpenForWritingWhileAnotherProcessHoldsTheLock() throws {
        let tool = try flockTool()
        let dir = try TemporaryDirectory()
        let path = dir.path("held-elsewhere.offset")
        FileManager.default.createFile(atPath: path, contents: nil)

        // The holder keeps the lock until its stdin closes.
        let holder = Process()
        let output = Pipe(), input = Pipe()
        holder.executableURL = URL(fileURLWithPath: tool)
        holder.arguments = ["--nonblock", path, "sh", "-c", "echo held; read line || true"]
        holder.standardOutput = output
        holder.standardInput = input
        try holder.run()
        defer { try? input.fileHandleForWriting.close(); holder.waitUntilExit() }
        XCTAssertEqual(String(decoding: output.fileHandleForReading.availableData, as: UTF8.self), "held\n")

        XCTAssertThrowsError(try OffsetLog(path: path)) { error in
            let error = error as? FlumeLogError
            XCTAssertEqual(error?.code, .locked)
            XCTAssertTrue(error?.description.contains("locked by another process") ?? false)
        }
        try input.fileHandleForWriting.close()
        holder.waitUntilExit()
        XCTAssertEqual(holder.terminationStatus, 0)
        XCTAssertNoThrow(try OffsetLog(path: path), "the lock is free once the other process ends")
    }
}
