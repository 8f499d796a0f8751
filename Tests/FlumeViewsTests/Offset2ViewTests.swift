import FlumeJSON
import FlumeLog
import FlumeSSB
import FlumeViews
import Foundation
import TestSupport
import XCTest

/// Views over go-ssb offset2 logs, keyed by seq: over `small` (margaret wrote js-small's
/// records) they equal the views over `js/js-small-u32.offset` with each offset replaced by the
/// record's seq; over `four_ssb_messages` (go-ssb's own multimsg payloads) `last`, `keys` and
/// `clock` hold the two messages.
final class Offset2ViewTests: XCTestCase {
    func testViewsOverMargaretsLogEqualTheViewsOverTheJSLogKeyedBySeq() throws {
        let root = try CompatibilityCorpus.require()
        let offsetLog = try OffsetLog(path: root.appendingPathComponent("js/js-small-u32.offset").path, access: .readOnly)
        var seqOf: [Double: Double] = [:]
        try offsetLog.forEachRecord { seqOf[Double($0.offset)] = Double(seqOf.count) }
        let views = ViewKind.allCases
        let expected = try ViewDriver(log: offsetLog, directory: "/nonexistent", views: views).rebuildInMemory()
        for strategy in ReaderStrategy.all {
            let log = try Offset2Log(directory: root.appendingPathComponent("go-offset2/small").path, strategy: strategy)
            let states = try ViewDriver(log: log, directory: "/nonexistent", views: views).rebuildInMemory()
            for view in views {
                let mine = try JSValue.parse(states[view]!)["value"]!
                var theirs = try JSValue.parse(expected[view]!)["value"]!
                if view != .last { theirs = BIPFViewTests.mapOffsets(theirs, view: view, seqOf) }
                XCTAssertTrue(mine.isEqualIgnoringMemberOrder(theirs), "\(view) [\(strategy.kind)]")
            }
            XCTAssertEqual(try JSValue.parse(states[.last]!)["seq"]?.numberValue, 999)
        }
    }

    func testViewsReadGoSSBMultimsgs() throws {
        let root = try CompatibilityCorpus.require()
        let log = try Offset2Log(directory: root.appendingPathComponent("go-offset2/four_ssb_messages").path)
        var first = try log.records(.forward, from: .beginning, deleted: .skipped)
        XCTAssertEqual(RecordEncoding.of(try XCTUnwrap(try first.next()).payload), .goSSB)
        let driver = ViewDriver(log: log, encoding: .goSSB, directory: "/nonexistent", views: [.last, .keys, .clock])
        let states = try driver.rebuildInMemory()
        XCTAssertEqual(driver.skippedRecords, 0)
        let keys = try JSValue.parse(states[.keys]!)["value"]!
        XCTAssertEqual(keys["%X74B80kTcYhBLDgbpdvhclNyJtjs43wlT3wf5yjyYl8=.sha256"]?.integerValue, 0)
        XCTAssertEqual(keys["%mwUvRYEZzLv3yW0askvRY0pGgEEaGrSM6rCB8GJOYvQ=.sha256"]?.integerValue, 1)
        let last = try JSValue.parse(states[.last]!)["value"]!["@aqZiZ+qLxWAO+e1F8TbH3hEV1fYRvaHj9ryyJ5DZIMM=.ed25519"]
        XCTAssertEqual(last?["sequence"]?.integerValue, 2)
        XCTAssertEqual(last?["ts"]?.integerValue, 1571240483357)
    }
}
