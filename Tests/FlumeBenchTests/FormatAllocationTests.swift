import FlumeBench
import FlumeBIPF
import FlumeCorpus
import FlumeJSON
import FlumeLog
import FlumeSSB
import FlumeViews
import TestSupport
import XCTest

/// AAOL scans and views over BIPF records allocate as little as their offset and JSON
/// counterparts: a fixed number of times per scan, nothing per record (jemalloc counts,
/// release build).
final class FormatAllocationTests: XCTestCase {
    private func makeAAOL(_ path: String, records: Int) throws {
        let log = try AAOLLog.create(path)
        for index in 0..<records { try log.appendDeferred(Array("{\"n\":\(index),\"pad\":\"0123456789abcdef\"}".utf8)) }
        try log.sync()
    }

    private func openAndScan(_ path: String, _ strategy: ReaderStrategy, _ direction: ScanDirection) throws -> Int {
        var cursor = try AAOLLog(path: path, strategy: strategy).cursor(direction)
        var checksum = 0
        while let record = try cursor.next() { checksum &+= record.length &+ Int(record.payload[record.length / 2]) }
        return checksum
    }

    func testAAOLScansAllocateTheSameWhateverTheRecordCount() throws {
        try requireReleaseBuild()
        let tracker = try AllocationTracker()
        let dir = try TemporaryDirectory()
        // A reverse scan holds one block's record starts: from three blocks on, the count is
        // fixed (100k records, 4.5 MB, are many more). The logs are cached, so a reverse scan
        // through a window starts no readahead thread (a cold one would, once).
        let small = dir.path("few.log"), large = dir.path("many.log")
        try makeAAOL(small, records: 100_000)
        try makeAAOL(large, records: 300_000)
        for strategy in ReaderStrategy.all {
            for direction in [ScanDirection.forward, .reverse] {
                _ = try openAndScan(small, strategy, direction)
                let (_, few) = try tracker.measure { try openAndScan(small, strategy, direction) }
                let (_, many) = try tracker.measure { try openAndScan(large, strategy, direction) }
                XCTAssertEqual(few.allocations, many.allocations, "\(strategy) \(direction)")
                XCTAssertLessThanOrEqual(many.allocations, 26, "\(strategy) \(direction)")
                print("allocations for AAOL open + full \(direction) scan, \(strategy.kind): 100k records \(few.allocations), 300k records \(many.allocations)")
            }
        }
    }

    /// `small`'s messages as JSON in `log.offset` and as BIPF in AAOL, once and ten times over
    /// (the same feeds, ten times the records): BIPF views read fields in place and allocate no
    /// more than JSON views. `last` (a state per feed) allocates nothing per record; the views
    /// that store an entry per record (clock, types, keys) only grow their state, geometrically.
    func testViewsOverBIPFAllocateNothingPerRecord() throws {
        try requireReleaseBuild()
        let tracker = try AllocationTracker()
        let dir = try TemporaryDirectory()
        let store = CorpusStore(recipesDirectory: CompatibilityCorpus.packageRoot.appendingPathComponent("Corpus/recipes").path,
                                cacheDirectory: dir.path("cache"))
        let small = try store.corpus(for: store.recipe(named: "small"))
        var messages: [[UInt8]] = []
        try OffsetLog(path: small.logPath, access: .readOnly).forEach(deleted: .skipped) { messages.append(Array($0.payload)) }
        func logs(copies: Int) throws -> (json: any ReadableLog, bipf: any ReadableLog) {
            let json = try OffsetLog(path: dir.path("json-\(copies).offset"))
            let bipf = try AAOLLog.create(dir.path("bipf-\(copies).log"))
            for _ in 0..<copies {
                try json.append(batch: messages)
                for message in messages { try bipf.appendDeferred(BIPF.encode(JSValue.parse(message))) }
            }
            try bipf.sync()
            return (json, bipf)
        }
        func allocations(_ log: any ReadableLog, _ encoding: RecordEncoding, _ views: [ViewKind] = [.last]) throws -> (applied: Int, allocations: Int) {
            let driver = ViewDriver(log: log, encoding: encoding, directory: dir.path("views"), views: views)
            _ = try driver.rebuildWithoutWriting()
            let (applied, delta) = try tracker.measure { try driver.rebuildWithoutWriting() }
            return (applied, Int(delta.allocations))
        }
        let once = try logs(copies: 1), tenfold = try logs(copies: 10)
        let json1 = try allocations(once.json, .json), bipf1 = try allocations(once.bipf, .bipf)
        let json10 = try allocations(tenfold.json, .json), bipf10 = try allocations(tenfold.bipf, .bipf)
        XCTAssertEqual([json1.applied, bipf1.applied, json10.applied / 10, bipf10.applied / 10], Array(repeating: messages.count, count: 4))
        XCTAssertLessThanOrEqual(bipf1.allocations, json1.allocations)
        XCTAssertLessThanOrEqual(bipf10.allocations, bipf1.allocations + 8, "BIPF views allocate per record")
        XCTAssertLessThanOrEqual(json10.allocations, json1.allocations + 8, "JSON views allocate per record")
        let every: [ViewKind] = [.last, .keys, .clock, .types]
        let jsonEvery = try allocations(tenfold.json, .json, every), bipfEvery = try allocations(tenfold.bipf, .bipf, every)
        XCTAssertLessThanOrEqual(bipfEvery.allocations, jsonEvery.allocations)
        XCTAssertLessThan(jsonEvery.allocations, jsonEvery.applied / 20, "views allocate per record")
        print("allocations for last + keys + clock + types over \(jsonEvery.applied) records: JSON \(jsonEvery.allocations), BIPF \(bipfEvery.allocations)")
        print("allocations for last: \(messages.count) records JSON \(json1.allocations), BIPF \(bipf1.allocations); ten times the records JSON \(json10.allocations), BIPF \(bipf10.allocations)")
    }
}
