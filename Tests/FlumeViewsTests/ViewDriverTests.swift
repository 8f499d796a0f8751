import FlumeLog
import FlumeSSB
import FlumeViews
import Foundation
import TestSupport
import XCTest

final class ViewDriverTests: XCTestCase {
    private func json(_ path: String) throws -> NSObject {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! NSObject
    }

    private func json(bytes: [UInt8]) throws -> NSObject {
        try JSONSerialization.jsonObject(with: Data(bytes)) as! NSObject
    }

    private func corpus(_ relative: String) throws -> String {
        try CompatibilityCorpus.require().appendingPathComponent(relative).path
    }

    /// `last` equals the state file JS flumeview-reduce wrote, `seq` and `version` included,
    /// for every JS-written log that has one; keys and clock equal what JS read back.
    func testViewsEqualWhatJSBuilt() throws {
        let dir = try TemporaryDirectory()
        for (log, folder) in [("js-small-u32", "js"), ("ssb-patchql-fifty-replies", "real")] {
            let driver = ViewDriver(log: try OffsetLog(path: try corpus("\(folder)/\(log).offset"), access: .readOnly),
                                    directory: dir.path(log), views: [.last, .keys, .clock])
            try driver.update()
            XCTAssertEqual(try json(driver.statePath(.last)), try json(try corpus("views/\(log).last.json")), log)
            XCTAssertEqual((try json(driver.statePath(.keys)) as! NSDictionary)["value"] as? NSDictionary,
                           try json(try corpus("views/\(log).keys.json")) as? NSDictionary, log)
            XCTAssertEqual((try json(driver.statePath(.clock)) as! NSDictionary)["value"] as? NSArray,
                           try json(try corpus("views/\(log).clock.json")) as? NSArray, log)
        }
        XCTAssertEqual(try json(try corpus("views/js-small-u32.flumeview-reduce-last.json")),
                       try json(dir.path("js-small-u32") + "/last.json"))
    }

    /// The log ends with a deleted record: the views stop at the last live one, as in JS.
    func testDeletedLastRecordLeavesViewsAtTheLastLiveRecord() throws {
        let dir = try TemporaryDirectory()
        let driver = ViewDriver(log: try OffsetLog(path: try corpus("js/js-deleted-u32.offset"), access: .readOnly),
                                directory: dir.url.path, views: [.last, .keys, .clock])
        let outcomes = try driver.update()
        XCTAssertEqual(outcomes.map(\.since), [16495, 16495, 16495])
        let note = try json(try corpus("views/js-deleted-u32.last.not-written.json")) as! NSDictionary
        XCTAssertEqual(try json(driver.statePath(.last)), note["in_memory_state"] as? NSObject)
        XCTAssertEqual((try json(driver.statePath(.keys)) as! NSDictionary)["value"] as? NSDictionary,
                       try json(try corpus("views/js-deleted-u32.keys.json")) as? NSDictionary)
        // In sync: a second update applies nothing.
        XCTAssertEqual(try driver.update().map(\.recordsApplied), [0, 0, 0])
    }

    /// Nothing new to apply: every state's header says it has seen the log's last live record,
    /// so no state is parsed or written (an update of the 1 GiB corpus's views took seconds
    /// parsing states it then left as they were). `check` still reads them whole.
    func testUpToDateStatesAreLeftUnread() throws {
        let dir = try TemporaryDirectory()
        let log = try OffsetLog(path: try corpus("js/js-small-u32.offset"), access: .readOnly)
        let driver = ViewDriver(log: log, directory: dir.url.path, views: ViewKind.allCases)
        try driver.update()
        // A value no parser accepts behind a header that says "up to date": not read, not fed.
        let keys = driver.statePath(.keys)
        try Data("{\"seq\":\(log.since!),\"version\":1,\"value\":not json}".utf8).write(to: URL(fileURLWithPath: keys))
        let stamps = try ViewKind.allCases.map { try FileManager.default.attributesOfItem(atPath: driver.statePath($0))[.modificationDate] as! Date }
        let outcomes = try ViewDriver(log: log, directory: dir.url.path, views: ViewKind.allCases).update()
        XCTAssertTrue(outcomes.allSatisfy { $0.action == .resumed && $0.recordsApplied == 0 && $0.since == log.since })
        XCTAssertEqual(try ViewKind.allCases.map { try FileManager.default.attributesOfItem(atPath: driver.statePath($0))[.modificationDate] as! Date },
                       stamps)
        let checked = try ViewDriver(log: log, directory: dir.url.path, views: [.keys]).check()
        XCTAssertEqual(checked.map(\.agrees), [false])
        // A header in another shape (pretty-printed) is read whole, as before.
        let pretty = "{\n  \"seq\": \(log.since!),\n  \"version\": 1,\n  \"value\": []\n}"
        try Data(pretty.utf8).write(to: URL(fileURLWithPath: driver.statePath(.clock)))
        let reread = try ViewDriver(log: log, directory: dir.url.path, views: [.clock]).update()
        XCTAssertEqual(reread.map(\.action), [.resumed])
    }

    func testChangingOneVersionRebuildsThatViewOnly() throws {
        let dir = try TemporaryDirectory()
        let log = try OffsetLog(path: try corpus("js/js-small-u32.offset"), access: .readOnly)
        let first = try ViewDriver(log: log, directory: dir.url.path, views: ViewKind.allCases).update()
        XCTAssertTrue(first.allSatisfy { $0.action == .rebuilt(reason: "no state") && $0.recordsApplied == 1000 })
        let again = try ViewDriver(log: log, directory: dir.url.path, views: ViewKind.allCases, versions: [.keys: 2]).update()
        for outcome in again {
            if outcome.view == .keys {
                XCTAssertEqual(outcome.action, .rebuilt(reason: "version 1 → 2"))
                XCTAssertEqual(outcome.recordsApplied, 1000)
            } else {
                XCTAssertEqual(outcome.action, .resumed, "\(outcome.view)")
                XCTAssertEqual(outcome.recordsApplied, 0, "\(outcome.view)")
            }
        }
    }

    func testUntrustworthyStatesAreRebuilt() throws {
        let dir = try TemporaryDirectory()
        let log = try OffsetLog(path: try corpus("js/js-small-u32.offset"), access: .readOnly)
        let driver = ViewDriver(log: log, directory: dir.url.path, views: [.last, .keys, .types])
        try driver.update()
        try Data("{\"seq\":802218,\"version\":1,\"val".utf8).write(to: URL(fileURLWithPath: driver.statePath(.last)))
        try Data("{\"seq\":999999999,\"version\":1,\"value\":{}}".utf8).write(to: URL(fileURLWithPath: driver.statePath(.keys)))
        try Data("{\"seq\":5,\"version\":1,\"value\":{}}".utf8).write(to: URL(fileURLWithPath: driver.statePath(.types)))
        let outcomes = try driver.update()
        XCTAssertEqual(outcomes[0].action, .rebuilt(reason: "state unreadable"))
        XCTAssertEqual(outcomes[1].action, .rebuilt(reason: "state at 999999999 is ahead of the log (end 802762)"))
        XCTAssertEqual(outcomes[2].action, .rebuilt(reason: "state at 5 names no record of this log"))
        XCTAssertEqual(outcomes.map(\.recordsApplied), [1000, 1000, 1000])
    }

    /// Appends are picked up incrementally, and the result equals a rebuild from scratch; a
    /// temporary file left by a killed writer is never read as state.
    func testIncrementalUpdatesEqualARebuild() throws {
        let dir = try TemporaryDirectory()
        let root = try CompatibilityCorpus.require()
        let lines = try String(contentsOf: root.appendingPathComponent("ssb/ssb-stream-small.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { Array($0.utf8) }
        let log = try OffsetLog(path: dir.path("growing.offset"))
        let views = dir.path("views")
        var total = 0
        for chunk in stride(from: 0, to: lines.count, by: 250) {
            try log.append(batch: Array(lines[chunk..<min(chunk + 250, lines.count)]))
            let outcomes = try ViewDriver(log: log, directory: views, views: ViewKind.allCases).update()
            XCTAssertEqual(Set(outcomes.map(\.recordsApplied)), [min(250, lines.count - chunk)])
            total += outcomes[0].recordsApplied
            try Data("{\"seq\":".utf8).write(to: URL(fileURLWithPath: views + "/.keys.json.tmp-99999"))
        }
        XCTAssertEqual(total, lines.count)
        let fresh = try ViewDriver(log: log, directory: dir.path("unused"), views: ViewKind.allCases).rebuildInMemory()
        for kind in ViewKind.allCases {
            XCTAssertEqual(try json(views + "/\(kind.rawValue).json"), try json(bytes: fresh[kind]!), "\(kind)")
        }
        // And the JS-written log's own last view equals the one built from its payloads.
        XCTAssertEqual(try json(views + "/last.json"), try json(try corpus("views/js-small-u32.last.json")))
    }

    /// `keys.json` lists its members in log order, so two builds of one log (in two processes,
    /// with two hash seeds) write the same bytes.
    func testKeysAreWrittenInLogOrder() throws {
        let dir = try TemporaryDirectory()
        let log = try OffsetLog(path: try corpus("real/ssb-patchql-fifty-replies.offset"), access: .readOnly)
        let driver = ViewDriver(log: log, directory: dir.url.path, views: [.keys])
        try driver.update()
        let text = try String(contentsOfFile: driver.statePath(.keys), encoding: .utf8)
        let offsets = text.matches(of: try Regex(#""%[^"]*":(\d+)"#)).map { Int(text[$0.range].split(separator: ":").last!)! }
        var inLog: [Int] = []
        try log.forEach { record in
            if try SSBMessage.parse(record.payload).isMessage { inLog.append(Int(record.offset)) }
        }
        XCTAssertGreaterThan(offsets.count, 50)
        XCTAssertEqual(offsets, inLog)
    }

    func testBacklinksPointFromRepliesToTheirThread() throws {
        let dir = try TemporaryDirectory()
        let log = try OffsetLog(path: try corpus("real/ssb-patchql-fifty-replies.offset"), access: .readOnly)
        let driver = ViewDriver(log: log, directory: dir.url.path, views: [.links, .keys])
        try driver.update()
        let links = (try json(driver.statePath(.links)) as! NSDictionary)["value"] as! [String: [Int]]
        let keys = (try json(driver.statePath(.keys)) as! NSDictionary)["value"] as! [String: Int]
        var checked = 0
        try log.forEach { record in
            for target in try SSBMessage.links(in: record.payload) {
                XCTAssertTrue(links[target]?.contains(Int(record.offset)) ?? false, "\(target) ← \(record.offset)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 50)
        XCTAssertTrue(links.keys.contains { keys[$0] != nil }, "some replies link to messages in the log")
    }
}
