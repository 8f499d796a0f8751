import FlumeCorpus
import FlumeLog
import Foundation
import TestSupport
import XCTest

/// A view rebuild killed at random moments never leaves a state that is later read as valid
/// but wrong: after each kill, every state file is either the old one or a complete new one,
/// and `views update` then `views check` agree with a fresh rebuild.
final class ViewCrashTests: XCTestCase {
    func testKilledRebuildsLeaveNoWrongState() throws {
        let dir = try TemporaryDirectory()
        let log = dir.path("ssb.offset")
        let recipe = CorpusRecipe(name: "view-crash", kind: .ssb, seed: 7, targetBytes: 24 << 20, ssb: .realistic)
        let corpus = try CorpusStore(cacheDirectory: dir.path("cache")).corpus(for: recipe)
        try FileManager.default.moveItem(atPath: corpus.logPath, toPath: log)
        let views = dir.path("views")
        let first = try FlumebenchProcess.run(["views", "rebuild", log, "--dir", views])
        XCTAssertEqual(first.status, 0, first.stderr)
        // The log grows, so the stored states fall behind.
        try OffsetLog(path: log).append(batch: (0..<500).map { index in
            Array("{\"key\":\"%k\(index)\",\"value\":{\"author\":\"@a\",\"sequence\":\(index),\"timestamp\":1,\"content\":{\"type\":\"t\"}},\"timestamp\":2}".utf8)
        })
        var random = SystemRandomNumberGenerator()
        for round in 0..<8 {
            let (process, _) = try FlumebenchProcess.start(["views", "rebuild", log, "--dir", views])
            usleep(UInt32.random(in: 50_000...900_000, using: &random))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            for name in ["last", "keys", "clock", "types", "links"] {
                let data = try Data(contentsOf: URL(fileURLWithPath: "\(views)/\(name).json"))
                let state = try JSONSerialization.jsonObject(with: data) as? [String: Any]
                XCTAssertNotNil(state?["seq"], "round \(round): \(name).json is not a whole state")
            }
            let update = try FlumebenchProcess.run(["views", "update", log, "--dir", views])
            XCTAssertEqual(update.status, 0, update.stderr)
            let check = try FlumebenchProcess.run(["views", "check", log, "--dir", views])
            XCTAssertEqual(check.status, 0, "round \(round): \(check.stdout)")
        }
    }
}
