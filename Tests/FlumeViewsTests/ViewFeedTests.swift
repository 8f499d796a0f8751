import FlumeLog
import FlumeViews
import Foundation
import TestSupport
import XCTest

/// Feeds that read records on a second thread build exactly what one thread builds: over
/// several batches, with a record larger than a batch's arena, records that are not messages,
/// escaped and private content, repeated and non-canonical keys, and views resumed from
/// different positions.
final class ViewFeedTests: XCTestCase {
    /// A pretty-printed SSB record, as JS writes it; some are not messages at all.
    private func record(_ index: Int) -> [UInt8] {
        func id(_ sigil: String, _ n: Int, _ suffix: String) -> String {
            let bytes = (0..<32).map { UInt8(truncatingIfNeeded: (n &* 2_654_435_761) >> ($0 % 24) &+ $0 &* 31) }
            return sigil + Data(bytes).base64EncodedString() + suffix
        }
        if index % 997 == 500 { return Array("not JSON \(index)".utf8) }
        let feed = (index / 5) % 37
        let types = ["post", "vote", "contact", "po\\u0073t", "about"]
        var content: String
        if index % 11 == 3 {
            content = "\"\(Data(repeating: UInt8(index % 200), count: 40).base64EncodedString()).box\""
        } else {
            let text = index == 3000 ? String(repeating: "long ", count: 1_100_000) : "message \(index)"
            content = """
            {
                  "type": "\(types[index % types.count])",
                  "text": "\(text)",
                  "root": "\(id("%", index - 1, ".sha256"))",
                  "mentions": [{"link": "\(id("%", index / 2, ".sha256"))"}]
                }
            """
        }
        let author = index % 1499 == 700 ? "" : "\"author\": \"\(id("@", feed + 100_000, ".ed25519"))\",\n    "
        // Now and then a key seen before, or one that is not canonical.
        let key = index % 1000 == 999 ? id("%", index - 500, ".sha256") : index % 777 == 1 ? "%short\(index).sha256" : id("%", index, ".sha256")
        return Array("""
        {
          "key": "\(key)",
          "value": {
            "previous": null,
            \(author)"sequence": \(index / 37 + 1),
            "timestamp": \(1_420_000_000_000 + index * 1000),
            "hash": "sha256",
            "content": \(content),
            "signature": "sig.ed25519"
          },
          "timestamp": \(1_451_606_401_237 + index).5
        }
        """.utf8)
    }

    private func requireSecondCore() throws {
        guard ProcessInfo.processInfo.activeProcessorCount > 1 else { throw XCTSkip("one core: feeds never use a second thread") }
    }

    func testParallelRebuildsEqualOneThreadsRebuild() throws {
        try requireSecondCore()
        let dir = try TemporaryDirectory()
        let log = try OffsetLog(path: dir.path("log.offset"))
        try log.append(batch: (0..<10_000).map(record))
        let one = ViewDriver(log: log, directory: dir.path("one"), views: ViewKind.allCases, parallel: false)
        let two = ViewDriver(log: log, directory: dir.path("two"), views: ViewKind.allCases)
        let expected = try one.rebuildInMemory(), states = try two.rebuildInMemory()
        for kind in ViewKind.allCases { XCTAssertTrue(states[kind] == expected[kind], "\(kind.rawValue) differs") }
        XCTAssertFalse(one.lastFeedWasParallel)
        XCTAssertTrue(two.lastFeedWasParallel, "10,000 records on two cores should be read on two threads")
        XCTAssertEqual(two.skippedRecords, one.skippedRecords)
        XCTAssertEqual(one.skippedRecords, 10 + 7, "10 records are not JSON and 7 have no author")
        // Mapped, and buffered above: payloads read where they were lent (the 5.5 MB record
        // too), on both threads.
        let mapped = ViewDriver(log: try OffsetLog(path: dir.path("log.offset"), access: .readOnly, strategy: .mmap),
                                directory: dir.path("mapped"), views: ViewKind.allCases)
        let inPlace = try mapped.rebuildInMemory()
        for kind in ViewKind.allCases { XCTAssertTrue(inPlace[kind] == expected[kind], "\(kind.rawValue) differs, mapped") }
        XCTAssertTrue(mapped.lastFeedReadInPlace && mapped.lastFeedWasParallel)
        XCTAssertTrue(two.lastFeedReadInPlace, "buffered windows are lent too")
        XCTAssertEqual(mapped.skippedRecords, one.skippedRecords)
        // io_uring lends nothing lasting: payloads are copied into the batches.
        let copied = ViewDriver(log: try OffsetLog(path: dir.path("log.offset"), access: .readOnly, strategy: ReaderStrategy(.uring)),
                                directory: dir.path("copied"), views: ViewKind.allCases)
        let copies = try copied.rebuildInMemory()
        for kind in ViewKind.allCases { XCTAssertTrue(copies[kind] == expected[kind], "\(kind.rawValue) differs, copied") }
        XCTAssertTrue(!copied.lastFeedReadInPlace && copied.lastFeedWasParallel)
        let types = String(decoding: expected[.types]!, as: UTF8.self)
        XCTAssertTrue(types.contains("\"post\":{\"count\":3629"), "escaped and plain post types are one type")
    }

    /// An AAOL's payloads are read where its blocks were lent too (`mmap`, `buffered`, `pread`),
    /// on both threads, and build what a feed that copies them (`uring`) builds.
    func testAAOLFeedsReadInPlaceAndBuildWhatACopyingFeedBuilds() throws {
        try requireSecondCore()
        let dir = try TemporaryDirectory()
        let path = dir.path("log.aaol")
        // Record 3000 is larger than a block; AAOL holds none such.
        try AAOLLog.create(path).append(contentsOf: (0..<8_000).map { $0 == 3000 ? record(2999) : record($0) })
        let copying = ViewDriver(log: try AAOLLog(path: path, strategy: ReaderStrategy(.uring)), directory: dir.path("copied"),
                                 views: ViewKind.allCases)
        let expected = try copying.rebuildInMemory()
        XCTAssertTrue(!copying.lastFeedReadInPlace && copying.lastFeedWasParallel)
        for strategy in [ReaderStrategy.mmap, .standard, ReaderStrategy(.pread)] {
            let driver = ViewDriver(log: try AAOLLog(path: path, strategy: strategy), directory: dir.path("\(strategy.kind)"),
                                    views: ViewKind.allCases)
            let states = try driver.rebuildInMemory()
            for kind in ViewKind.allCases { XCTAssertTrue(states[kind] == expected[kind], "\(kind.rawValue) differs, \(strategy)") }
            XCTAssertTrue(driver.lastFeedReadInPlace && driver.lastFeedWasParallel, "\(strategy)")
            XCTAssertEqual(driver.skippedRecords, copying.skippedRecords)
        }
    }

    /// A log found damaged past the first batches: the feed throws the reader's error, and its
    /// worker thread, waiting on a batch that will not fill, is ended (the call returns).
    func testDamageFoundMidwayThrowsAndEndsTheWorker() throws {
        try requireSecondCore()
        let dir = try TemporaryDirectory()
        let path = dir.path("log.offset")
        let log = try OffsetLog(path: path)
        try log.append(batch: (0..<10_000).map(record))
        var offsets: [Int64] = []
        try log.forEach(deleted: .visible) { offsets.append($0.offset) }
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        try handle.seek(toOffset: UInt64(offsets[9_000]))
        try handle.write(contentsOf: [0x7F, 0xFF, 0xFF, 0xFF])
        try handle.close()
        let damaged = try OffsetLog(path: path, access: .readOnly)
        let driver = ViewDriver(log: damaged, directory: dir.path("views"), views: ViewKind.allCases)
        XCTAssertThrowsError(try driver.rebuild()) { error in
            XCTAssertTrue("\(error)".contains("\(offsets[9_000])"), "the error names the damaged frame: \(error)")
        }
    }

    /// The keys view holds every message's key with the offset of its latest record, whether
    /// the key is canonical or not, as a JS object assigned in log order does.
    func testKeysHoldEachKeysLatestOffset() throws {
        let dir = try TemporaryDirectory()
        let log = try OffsetLog(path: dir.path("log.offset"))
        try log.append(batch: (0..<10_000).map(record))
        var expected: [String: Int64] = [:]
        try log.forEach(deleted: .skipped) { record in
            guard let object = try? JSONSerialization.jsonObject(with: Data(record.payload)) as? [String: Any],
                  let key = object["key"] as? String, (object["value"] as? [String: Any])?["author"] != nil else { return }
            expected[key] = record.offset
        }
        XCTAssertEqual(expected.count, 10_000 - 10 - 7 - 10, "not JSON, no author, repeated keys")
        let driver = ViewDriver(log: log, directory: dir.path("views"), views: [.keys])
        try driver.rebuild()
        let state = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: driver.statePath(.keys)))) as! [String: Any]
        let keys = (state["value"] as! [String: NSNumber]).mapValues(\.int64Value)
        XCTAssertEqual(keys, expected)
        XCTAssertTrue(keys.keys.contains("%short1.sha256"))
    }

    /// Views at different positions: `last` and `clock` resume from the first half of the log
    /// while the others are built from the start; both threads' feeds write the same files,
    /// which equal a rebuild from scratch.
    func testParallelUpdatesResumeEachViewFromItsOwnPosition() throws {
        try requireSecondCore()
        let dir = try TemporaryDirectory()
        let log = try OffsetLog(path: dir.path("log.offset"))
        try log.append(batch: (0..<5_000).map(record))
        for (name, parallel) in [("one", false), ("two", true)] {
            try ViewDriver(log: log, directory: dir.path(name), views: [.last, .clock], parallel: parallel).update()
        }
        try log.append(batch: (5_000..<12_000).map(record))
        var applied: [String: [Int]] = [:]
        for (name, parallel) in [("one", false), ("two", true)] {
            let driver = ViewDriver(log: log, directory: dir.path(name), views: ViewKind.allCases, parallel: parallel)
            applied[name] = try driver.update().map(\.recordsApplied)
            XCTAssertEqual(driver.lastFeedWasParallel, parallel, name)
        }
        XCTAssertEqual(applied["one"], [7_000, 12_000, 7_000, 12_000, 12_000])
        XCTAssertEqual(applied["two"], applied["one"])
        let scratch = try ViewDriver(log: log, directory: dir.path("scratch"), views: ViewKind.allCases, parallel: false).rebuildInMemory()
        for kind in ViewKind.allCases {
            let one = try Data(contentsOf: URL(fileURLWithPath: dir.path("one") + "/\(kind.rawValue).json"))
            let two = try Data(contentsOf: URL(fileURLWithPath: dir.path("two") + "/\(kind.rawValue).json"))
            XCTAssertEqual(two, one, kind.rawValue)
            XCTAssertEqual(Array(one), scratch[kind], "\(kind.rawValue) resumed differs from a rebuild")
        }
    }
}
