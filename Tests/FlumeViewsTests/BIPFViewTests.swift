import FlumeJSON
import FlumeLog
import FlumeSSB
import FlumeViews
import Foundation
import TestSupport
import XCTest

/// Views over ssb-db2's log (AAOL blocks of BIPF records, read in place) equal the views over
/// the same messages in `log.offset`: `last` identical, every other view the same with each
/// offset log position replaced by the AAOL offset of the same message.
final class BIPFViewTests: XCTestCase {
    func testViewsOverBIPFLogsEqualTheViewsOverTheirSourceLogs() throws {
        let root = try CompatibilityCorpus.require()
        for (bipf, source) in [("bipf-small", "js/js-small-u32.offset"), ("bipf-unicode", "js/js-unicode-u32.offset")] {
            let manifest = try JSValue.parse(Array(try Data(contentsOf: root.appendingPathComponent("aaol/\(bipf).manifest.json"))))
            var aaolOffset: [Double: Double] = [:]
            for record in manifest["records"]!.arrayValue! {
                aaolOffset[record["source_offset"]!.numberValue!] = record["offset"]!.numberValue!
            }
            let offsetLog = try OffsetLog(path: root.appendingPathComponent(source).path, access: .readOnly)
            let views = ViewKind.allCases
            let expected = try ViewDriver(log: offsetLog, directory: "/nonexistent", views: views).rebuildInMemory()
            for strategy in ReaderStrategy.all {
                let aaol = try AAOLLog(path: root.appendingPathComponent("aaol/\(bipf).log").path, strategy: strategy)
                var first = try aaol.records(.forward, from: .beginning, deleted: .skipped)
                XCTAssertEqual(RecordEncoding.of(try XCTUnwrap(try first.next()).payload), .bipf)
                let driver = ViewDriver(log: aaol, encoding: .bipf, directory: "/nonexistent", views: views)
                let states = try driver.rebuildInMemory()
                XCTAssertEqual(driver.skippedRecords, 0, bipf)
                for view in views {
                    let label = "\(bipf) [\(strategy.kind)] \(view)"
                    let mine = try JSValue.parse(states[view]!)["value"]!
                    var theirs = try JSValue.parse(expected[view]!)["value"]!
                    if view != .last { theirs = Self.mapOffsets(theirs, view: view, aaolOffset) }
                    XCTAssertTrue(mine.isEqualIgnoringMemberOrder(theirs), label)
                }
                let last = try JSValue.parse(states[.last]!)
                XCTAssertEqual(last["seq"]?.numberValue, manifest["since"]?.numberValue, bipf)
            }
        }
    }

    /// A view's value with every offset log position replaced by the position of the same
    /// message in another log (an AAOL offset, an offset2 seq).
    static func mapOffsets(_ value: JSValue, view: ViewKind, _ map: [Double: Double]) -> JSValue {
        func offset(_ value: JSValue) -> JSValue { .number(map[value.numberValue!]!) }
        switch view {
        case .keys, .links:
            var object = JSObject()
            for member in value.objectValue!.members {
                object[member.key] = member.value.arrayValue.map { .array($0.map(offset)) } ?? offset(member.value)
            }
            return .object(object)
        case .clock:
            return .array(value.arrayValue!.map { triple in
                let items = triple.arrayValue!
                return .array([items[0], items[1], offset(items[2])])
            })
        case .types:
            var object = JSObject()
            for member in value.objectValue!.members {
                var entry = member.value.objectValue!
                entry["offsets"] = .array(entry["offsets"]!.arrayValue!.map(offset))
                object[member.key] = .object(entry)
            }
            return .object(object)
        case .last:
            return value
        }
    }
}
