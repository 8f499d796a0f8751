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

    /// offset2 logs split at the first seq framed past the middle of `data`: the same counts,
    /// the same entries inspected in the same order, the same first unchained frame (across the
    /// split or after it) and the same first damage (in `ofst` or in `data`) as one walk.
    func testOffset2HalvesFindWhatOneWalkFinds() throws {
        let dir = try TemporaryDirectory()
        let directory = dir.path("halves-offset2")
        var generator = SystemRandomNumberGenerator()
        var frames: [Int64] = []
        var end: Int64 = 0
        do {
            let writer = try Offset2Log(directory: directory, access: .readWrite)
            while end < 40 << 20 {
                let payload = [UInt8](repeating: UInt8(truncatingIfNeeded: frames.count | 1), count: Int.random(in: 20...6000, using: &generator))
                frames.append(end)
                _ = try payload.withUnsafeBytes { try writer.appendDeferred($0) }
                end += 8 + Int64(payload.count)
            }
            try writer.flush()
            for seq in stride(from: 3, to: frames.count, by: 1000) { try writer.null(Int64(seq)) }
        }
        let split = try XCTUnwrap(frames.firstIndex { $0 >= end / 2 })
        let data = URL(fileURLWithPath: directory + "/data"), ofst = URL(fileURLWithPath: directory + "/ofst")
        let pristine = (data: try Data(contentsOf: data), ofst: try Data(contentsOf: ofst))
        func put(_ value: Int64, at index: Int, in bytes: inout Data) {
            withUnsafeBytes(of: value.bigEndian) { bytes.replaceSubrange(index..<index + 8, with: $0) }
        }
        /// Shrinks `seq`'s frame by 8 bytes: the next frame no longer starts where it ends.
        func unchain(_ seq: Int, _ bytes: inout Data) {
            let size = bytes[Int(frames[seq])..<Int(frames[seq]) + 8].reduce(Int64(0)) { $0 << 8 | Int64($1) }
            put(size - 8, at: Int(frames[seq]), in: &bytes)
        }
        let early = frames.count / 4, late = frames.count * 3 / 4
        let edits: [(String, unchained: Int?, (inout Data, inout Data) -> Void)] = [
            ("as written", nil, { _, _ in }),
            ("unchained at the split", split, { data, _ in unchain(split - 1, &data); unchain(late, &data) }),
            ("unchained in the second half", late + 1, { data, _ in unchain(late, &data) }),
            ("an offset outside data in the first half", nil, { _, ofst in put(end + 100, at: early * 8, in: &ofst) }),
            ("a size past the end in the second half", nil, { data, _ in put(1 << 40, at: Int(frames[late]), in: &data) }),
        ]
        struct SeenSeqs: RecordInspector {
            var seqs: [Int64] = []
            var bytes = 0
            mutating func inspect(_ record: Record) { seqs.append(record.offset); bytes += record.payload.count }
            mutating func add(_ later: SeenSeqs) { seqs += later.seqs; bytes += later.bytes }
        }
        for (name, unchained, edit) in edits {
            var bytes = pristine
            edit(&bytes.data, &bytes.ofst)
            try bytes.data.write(to: data)
            try bytes.ofst.write(to: ofst)
            for strategy in ReaderStrategy.all {
                func summary(spareCore: Bool) -> Result<(Offset2Summary, SeenSeqs), FlumeLogError> {
                    Result { () throws(FlumeLogError) in
                        var seen = SeenSeqs()
                        let summary = try Offset2Log(directory: directory, strategy: strategy).summarize(spareCore: spareCore, inspecting: &seen)
                        return (summary, seen)
                    }
                }
                // Split where a second source can be had: under every strategy.
                let log = try Offset2Log(directory: directory, strategy: strategy)
                if case .success(let halves) = Result(catching: { () throws(FlumeLogError) in try log.walkInHalves(NoInspection()) }) {
                    XCTAssertNotNil(halves, "\(name) \(strategy)")
                }
                switch (summary(spareCore: false), summary(spareCore: true)) {
                case (.success(let whole), .success(let halves)):
                    XCTAssertEqual(whole.0, halves.0, "\(name) \(strategy)")
                    XCTAssertEqual(whole.1.seqs, halves.1.seqs, "\(name) \(strategy)")
                    XCTAssertEqual(whole.1.bytes, halves.1.bytes, "\(name) \(strategy)")
                    XCTAssertEqual(whole.0.entries, Int64(frames.count), "\(name) \(strategy)")
                    XCTAssertEqual(whole.0.nulledEntries, Int64((frames.count - 3 + 999) / 1000), "\(name) \(strategy)")
                    XCTAssertEqual(whole.0.firstUnchainedSeq, unchained.map(Int64.init), "\(name) \(strategy)")
                    XCTAssertFalse(name.hasPrefix("an offset") || name.hasPrefix("a size"), "\(name) \(strategy): read without an error")
                case (.failure(let whole), .failure(let halves)):
                    XCTAssertEqual(whole.description, halves.description, "\(name) \(strategy)")
                    XCTAssertEqual(whole.offset, name.hasPrefix("an offset") ? Int64(early * 8) : frames[late], "\(name) \(strategy)")
                case (let whole, let halves):
                    XCTFail("\(name) \(strategy): whole \(whole), halves \(halves)")
                }
            }
        }
    }
}
