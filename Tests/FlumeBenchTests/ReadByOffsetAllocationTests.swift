import FlumeBench
import FlumeLog
import TestSupport
import XCTest

/// Reads by offset in bulk (`forEachRecord(at:)`, what the random-read benchmarks and a user
/// holding an index call) allocate nothing per record, through any format's `ReadableLog` and
/// every strategy: ten times the reads, (almost) the same count. Passed as any collection,
/// the offsets were iterated generically and cost an allocation each.
final class ReadByOffsetAllocationTests: XCTestCase {
    func testReadsByOffsetInBulkAllocateNothingPerRecord() throws {
        try requireReleaseBuild()
        let tracker = try AllocationTracker()
        let dir = try TemporaryDirectory()
        let payloads = (0..<3_000).map { [UInt8](repeating: UInt8(truncatingIfNeeded: $0), count: 50 + $0 % 700) }
        let offsetPath = dir.path("log.offset"), aaolPath = dir.path("log.aaol")
        let offsets = try OffsetLog(path: offsetPath).append(batch: payloads)
        let aaol = try AAOLLog.create(aaolPath)
        let aaolOffsets = try payloads.map { try aaol.appendDeferred($0) }
        try aaol.sync()
        for strategy in ReaderStrategy.all {
            let logs: [(String, any ReadableLog, [Int64])] = [
                ("offset", try OffsetLog(path: offsetPath, access: .readOnly, strategy: strategy), offsets),
                ("aaol", try AAOLLog(path: aaolPath, strategy: strategy), aaolOffsets),
            ]
            for (format, log, offsets) in logs {
                let few = Array(offsets.reversed().prefix(300)), many = Array(offsets.reversed())
                var sum = 0
                try log.forEachRecord(at: few, deleted: .visible) { sum &+= $0.length }
                let (_, fewReads) = try tracker.measure { try log.forEachRecord(at: few, deleted: .visible) { sum &+= $0.length } }
                let (_, manyReads) = try tracker.measure { try log.forEachRecord(at: many, deleted: .visible) { sum &+= $0.length } }
                // AAOL reads a block per distinct block it lands in, which grows a little with the reads.
                XCTAssertLessThanOrEqual(manyReads.allocations, fewReads.allocations + UInt64(many.count / 100), "\(format) \(strategy.kind): 300 reads \(fewReads.allocations), 3000 reads \(manyReads.allocations)")
                print("allocations for reads by offset in bulk, \(format) \(strategy.kind): 300 reads \(fewReads.allocations), 3000 reads \(manyReads.allocations)")
            }
        }
    }
}
