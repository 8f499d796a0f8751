import FlumeBench
import FlumeLog
import Foundation
import TestSupport
import XCTest

/// A writer killed with SIGKILL at random moments, over and over, under each sync policy:
/// after every kill, recovery keeps every acknowledged record intact and in order, and
/// returns nothing half-written.
final class CrashConsistencyTests: XCTestCase {
    func testSIGKILLLosesNoAcknowledgedRecord() throws {
        let dir = try TemporaryDirectory()
        var random = SystemRandomNumberGenerator()
        var kills = 0, tornTails = 0, acknowledged = 0
        for policy in ["none", "eachAppend", "eachBatch"] {
            let path = dir.path("crash-\(policy).offset")
            var lastAcknowledged = -1
            for round in 0..<34 {
                let batch = [1, 8, 64][round % 3]
                let (writer, output) = try FlumebenchProcess.start(["stress-append", path, "--sync", policy, "--batch", "\(batch)"])
                // Kill while it writes: after its first acknowledgement, at a random moment.
                let first = output.fileHandleForReading.availableData
                usleep(UInt32.random(in: 0...40_000, using: &random))
                kill(writer.processIdentifier, SIGKILL)
                writer.waitUntilExit()
                XCTAssertEqual(writer.terminationReason, .uncaughtSignal, "\(policy) round \(round): the writer ended by itself")
                kills += 1
                let acks = String(decoding: first + output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                    .split(separator: "\n").compactMap { line in line.split(separator: " ").dropFirst().first.flatMap { Int($0) } }
                lastAcknowledged = max(lastAcknowledged, acks.max() ?? -1)

                // Recover as the next writer would, then check every record.
                let log = try OffsetLog(path: path)
                if log.recoveredTornTail { tornTails += 1 }
                var count = 0
                try log.forEach { record in
                    XCTAssertEqual(StressPayload.index(of: record.payload), count,
                                   "\(policy) round \(round): record at \(record.offset) is not intact record #\(count)")
                    count += 1
                }
                XCTAssertGreaterThan(count, lastAcknowledged, "\(policy) round \(round): acknowledged #\(lastAcknowledged) lost")
            }
            acknowledged += lastAcknowledged + 1
        }
        XCTAssertGreaterThanOrEqual(kills, 100)
        print("crash consistency: \(kills) SIGKILLs, \(acknowledged) acknowledged records, all present; \(tornTails) torn tails recovered")
    }
}
