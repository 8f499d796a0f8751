import FlumeLog
import Foundation
import TestSupport
import XCTest

/// `summarize(spareCore:)` walks a large log in two halves side by side; what it finds must be
/// exactly what one whole walk finds: the counts, and the first damage.
final class HalvesWalkTests: XCTestCase {
    /// About 40 MiB of frames from 20 bytes to 6 KiB, some deleted and some empty: over the
    /// size a log is walked in halves at.
    private func writeLog(_ path: String, width: TrailerWidth = .bits32) throws -> [Int64] {
        var generator = SystemRandomNumberGenerator()
        var payloads: [[UInt8]] = []
        var total = 0
        while total < 40 << 20 {
            let count = payloads.count % 97 == 0 ? 0 : Int.random(in: 20...6000, using: &generator)
            payloads.append([UInt8](repeating: UInt8(truncatingIfNeeded: payloads.count), count: count))
            total += count + width.frameOverhead
        }
        let writer = try OffsetLog(path: path, width: width)
        let offsets = try writer.append(batch: payloads)
        for index in stride(from: 5, to: offsets.count, by: 1000) { try writer.delete(at: offsets[index]) }
        return offsets
    }

    private func outcome(_ path: String, width: TrailerWidth, strategy: ReaderStrategy, spareCore: Bool) -> Result<LogSummary, FlumeLogError> {
        Result { () throws(FlumeLogError) -> LogSummary in
            let log = try OffsetLog(path: path, width: width, access: .readOnly, strategy: strategy)
            return try log.summarize(extent: log.openedExtent, spareCore: spareCore)
        }
    }

    func testHalvesCountWhatAWholeWalkCounts() throws {
        let dir = try TemporaryDirectory()
        for width in TrailerWidth.allCases {
            let path = dir.path("halves-\(width.bits).offset")
            let offsets = try writeLog(path, width: width)
            for strategy in ReaderStrategy.all {
                let log = try OffsetLog(path: path, width: width, access: .readOnly, strategy: strategy)
                let whole = try log.summarize(extent: log.openedExtent)
                XCTAssertEqual(whole.records, offsets.count)
                XCTAssertEqual(try log.summarize(extent: log.openedExtent, spareCore: true), whole, "\(width) \(strategy)")
                // Split under every strategy: each opens a second source of its kind.
                XCTAssertEqual(try log.summarizeInHalves(extent: log.openedExtent), whole, "\(width) \(strategy)")
            }
        }
    }

    /// A damaged frame in either half, and a torn tail, are found as a whole walk finds them.
    func testDamageInEitherHalfIsTheWholeWalksFirstDamage() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("damaged.offset")
        let offsets = try writeLog(path)
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64)
        let pristine = try Data(contentsOf: URL(fileURLWithPath: path))
        // A length in the first quarter, a trailer in the last; then garbage after the end.
        let early = offsets[offsets.count / 4], late = offsets[offsets.count * 3 / 4]
        let lateNext = offsets[offsets.count * 3 / 4 + 1]
        let damages: [(String, (inout Data) -> Void)] = [
            ("first half", { $0[Int(early) + 1] ^= 0x40 }),
            ("second half", { $0[Int(lateNext) - 2] ^= 0x01 }),
            ("both halves", { $0[Int(early) + 1] ^= 0x40; $0[Int(late) + 2] ^= 0x08 }),
            ("torn tail", { $0.append(contentsOf: [0, 0, 9, 0, 1, 2]) }),
        ]
        for (name, damage) in damages {
            var bytes = pristine
            damage(&bytes)
            try bytes.write(to: URL(fileURLWithPath: path))
            for strategy in ReaderStrategy.all {
                let whole = outcome(path, width: .bits32, strategy: strategy, spareCore: false)
                let halves = outcome(path, width: .bits32, strategy: strategy, spareCore: true)
                switch (whole, halves) {
                case (.success(let a), .success(let b)):
                    XCTAssertEqual(a, b, "\(name) \(strategy)")
                    XCTAssertEqual(name, "torn tail", "\(name) \(strategy): read without an error")
                case (.failure(let a), .failure(let b)):
                    XCTAssertEqual(a.code, b.code, "\(name) \(strategy)")
                    XCTAssertEqual(a.offset, b.offset, "\(name) \(strategy)")
                    XCTAssertEqual(a.description, b.description, "\(name) \(strategy)")
                default:
                    XCTFail("\(name) \(strategy): whole \(whole), halves \(halves)")
                }
            }
        }
        XCTAssertEqual(Int64(pristine.count), size)
    }

    /// A payload that holds a frame of its own with a trailer naming its position, just past the
    /// middle: the boundary search takes it, the first half's walk does not end there, and the
    /// log is walked whole.
    func testAFrameInsideAPayloadIsNotTakenForTheMiddle() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("decoy.offset")
        let overhead = TrailerWidth.bits32.frameOverhead
        // 20 MiB of small records, one 24 MiB record across the middle, 4 MiB more.
        let small = [UInt8](repeating: 7, count: 1000)
        let before = (20 << 20) / (small.count + overhead), after = (4 << 20) / (small.count + overhead)
        let bigLength = 24 << 20
        let bigOffset = Int64(before * (small.count + overhead))
        let end = bigOffset + Int64(bigLength + overhead) + Int64(after * (small.count + overhead))
        let decoy = end / 2 + 1000
        var big = [UInt8](repeating: 0, count: bigLength)
        let at = Int(decoy - bigOffset - 4)
        func put(_ value: UInt32, _ index: Int) { withUnsafeBytes(of: value.bigEndian) { big.replaceSubrange(index..<index + 4, with: $0) } }
        put(UInt32(decoy), at - 4)
        put(10, at)
        put(10, at + 14)
        put(UInt32(decoy + 10 + Int64(overhead)), at + 18)
        let writer = try OffsetLog(path: path)
        try writer.append(batch: Array(repeating: small, count: before) + [big] + Array(repeating: small, count: after))
        XCTAssertEqual(writer.end, end)
        for strategy in ReaderStrategy.all {
            let log = try OffsetLog(path: path, access: .readOnly, strategy: strategy)
            XCTAssertEqual(log.reader.frameBoundary(from: end / 2), decoy, "\(strategy)")
            XCTAssertNil(try log.summarizeInHalves(extent: log.openedExtent), "\(strategy)")
            let summary = try log.summarize(extent: log.openedExtent, spareCore: true)
            XCTAssertEqual(summary, try log.summarize(extent: log.openedExtent))
            XCTAssertEqual(summary.records, before + 1 + after)
        }
    }

    /// AAOL logs split at a block boundary: the same counts, the same hidden bytes (a record's
    /// length zeroed in each half leaves the rest of its block behind the marker), and the same
    /// first damage (a length no block holds) as one walk.
    func testAAOLHalvesFindWhatOneWalkFinds() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("halves.aaol")
        var generator = SystemRandomNumberGenerator()
        var payloads: [[UInt8]] = []
        var total = 0
        while total < 40 << 20 {
            let count = Int.random(in: 20...3000, using: &generator)
            payloads.append([UInt8](repeating: UInt8(truncatingIfNeeded: payloads.count | 1), count: count))
            total += count + 2
        }
        let offsets = try AAOLLog(path: path, access: .readWrite).append(contentsOf: payloads)
        let pristine = try Data(contentsOf: URL(fileURLWithPath: path))
        // Record starts past a block's first record, so the bytes behind a zeroed length are hidden.
        let early = Int(offsets[offsets.count / 5 + 1]), late = Int(offsets[offsets.count * 4 / 5 + 1])
        let edits: [(String, (inout Data) -> Void)] = [
            ("as written", { _ in }),
            ("hidden bytes in both halves", { $0[early] = 0; $0[early + 1] = 0; $0[late] = 0; $0[late + 1] = 0 }),
            ("damage in the first half", { $0[early] = 0xff; $0[early + 1] = 0xff }),
            ("damage in the second half", { $0[late] = 0xff; $0[late + 1] = 0xff }),
        ]
        for (name, edit) in edits {
            var bytes = pristine
            edit(&bytes)
            try bytes.write(to: URL(fileURLWithPath: path))
            for strategy in ReaderStrategy.all {
                func summary(spareCore: Bool) -> Result<AAOLSummary, FlumeLogError> {
                    Result { () throws(FlumeLogError) -> AAOLSummary in
                        try AAOLLog(path: path, strategy: strategy).summarize(spareCore: spareCore)
                    }
                }
                // Split where a second source can be had: under every strategy.
                let log = try AAOLLog(path: path, strategy: strategy)
                let halves = Result { () throws(FlumeLogError) in try log.walkInHalves() }
                if case .success(let walk) = halves { XCTAssertNotNil(walk, "\(name) \(strategy)") }
                switch (summary(spareCore: false), summary(spareCore: true)) {
                case (.success(let whole), .success(let halves)):
                    XCTAssertEqual(whole, halves, "\(name) \(strategy)")
                    XCTAssertEqual(whole.hiddenBytes.count, name.hasPrefix("hidden") ? 2 : 0, "\(name) \(strategy)")
                    XCTAssertFalse(name.hasPrefix("damage"), "\(name) \(strategy): read without an error")
                case (.failure(let whole), .failure(let halves)):
                    XCTAssertEqual(whole.description, halves.description, "\(name) \(strategy)")
                    XCTAssertEqual(whole.offset, Int64(name.hasSuffix("first half") ? early : late), "\(name) \(strategy)")
                case (let whole, let halves):
                    XCTFail("\(name) \(strategy): whole \(whole), halves \(halves)")
                }
            }
        }
    }
}
