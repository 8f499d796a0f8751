import FlumeBench
import FlumeCorpus
import FlumeLog
import TestSupport
import XCTest

/// The `uring` strategy reads a forward scan through io_uring: the kernel counts none of its
/// reads as read-like system calls (`/proc/self/io`'s `syscr`), where `pread` makes one per
/// window. The records are the same either way.
final class UringReadTests: XCTestCase {
    func testForwardScanReadsThroughTheRing() throws {
        if let reason = ReaderStrategy.uringUnavailableReason {
            throw XCTSkip("io_uring is unavailable here (\(reason)): the uring strategy reads with pread(2)")
        }
        let dir = try TemporaryDirectory()
        let path = dir.path("log.offset")
        let writer = try OffsetLog(path: path, width: .bits32)
        var generator = SplitMix64(seed: 15)
        // Mixed sizes, some larger than a read, so frames cross slots and the wrap.
        try writer.append(batch: (0..<12_000).map { index in
            [UInt8](repeating: UInt8(truncatingIfNeeded: index | 1), count: index % 997 == 0 ? 300_000 : Int(generator.next() % 3_000))
        })
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64)

        var calls: [ReaderStrategy.Kind: Int64] = [:]
        var payloads: [ReaderStrategy.Kind: [[UInt8]]] = [:]
        for kind in [ReaderStrategy.Kind.pread, .uring] {
            let log = try OffsetLog(path: path, access: .readOnly, strategy: ReaderStrategy(kind))
            var read: [[UInt8]] = []
            let before = ResourceUsage.now()
            var cursor = try log.cursor(.forward)
            while let record = try cursor.next() { read.append([UInt8](record.payload)) }
            calls[kind] = ResourceUsage.delta(from: before, to: ResourceUsage.now()).readSyscalls
            payloads[kind] = read
        }
        XCTAssertEqual(payloads[.uring]?.count, 12_000)
        XCTAssertEqual(payloads[.uring], payloads[.pread])
        let windows = size / Int64(ReaderStrategy.defaultBufferSize)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(calls[.pread]), windows / 2, "pread: a call per window")
        XCTAssertLessThanOrEqual(try XCTUnwrap(calls[.uring]), 2, "uring: the scan's reads go through the ring")
        print("forward scan of \(size) bytes: pread \(calls[.pread]!) read calls, uring \(calls[.uring]!)")
    }

    /// A forward stream over a file in the page cache takes two slots in turn (its reads complete
    /// as they are submitted: more slots would only push them out of the core's cache before
    /// they are decoded); over a cold file it keeps every slot in flight. The records are the same.
    func testAWarmStreamTakesTwoSlotsAColdOneEverySlot() throws {
        if let reason = ReaderStrategy.uringUnavailableReason {
            throw XCTSkip("io_uring is unavailable here (\(reason)): the uring strategy reads with pread(2)")
        }
        let kernel = ProcessInfo.processInfo.operatingSystemVersion
        guard (kernel.majorVersion, kernel.minorVersion) >= (6, 5) else {
            throw XCTSkip("Linux \(kernel.majorVersion).\(kernel.minorVersion) has no cachestat(2): every stream keeps every slot in flight")
        }
        let dir = try TemporaryDirectory()
        let path = dir.path("log.offset")
        var generator = SplitMix64(seed: 17)
        try OffsetLog(path: path, width: .bits32).append(batch: (0..<8_000).map { index in
            [UInt8](repeating: UInt8(truncatingIfNeeded: index | 1), count: 1_000 + Int(generator.next() % 2_000))
        })
        let strategy = ReaderStrategy(.uring)
        func scan() throws -> (slots: Int?, payloads: [[UInt8]]) {
            let log = try OffsetLog(path: path, access: .readOnly, strategy: strategy)
            var payloads: [[UInt8]] = []
            var cursor = try log.cursor(.forward)
            while let record = try cursor.next() { payloads.append([UInt8](record.payload)) }
            return (log.reader.uringSlotsInTurn, payloads)
        }
        try PageCache.warm(path)
        let warm = try scan()
        XCTAssertEqual(warm.slots, 2, "a warm stream")
        XCTAssertEqual(warm.payloads.count, 8_000)
        try PageCache.evict(path)
        guard try PageCache.residentFraction(path) == 0 else { throw XCTSkip("this file system keeps the file's pages cached") }
        let cold = try scan()
        XCTAssertEqual(cold.slots, strategy.readahead / strategy.bufferSize, "a cold stream")
        XCTAssertEqual(cold.payloads, warm.payloads)
    }

    /// Reads by offset in bulk (`forEachRecord(at:)`): io_uring submits each 64 together, and
    /// only records too large for a batch read (8 KiB) are read one by one.
    func testReadsByOffsetInBulkGoThroughTheRing() throws {
        if let reason = ReaderStrategy.uringUnavailableReason {
            throw XCTSkip("io_uring is unavailable here (\(reason)): the uring strategy reads with pread(2)")
        }
        let dir = try TemporaryDirectory()
        let path = dir.path("log.offset")
        var generator = SplitMix64(seed: 16)
        let payloads = (0..<3_000).map { index in
            [UInt8](repeating: UInt8(truncatingIfNeeded: index | 1), count: index % 101 == 0 ? 20_000 : Int(generator.next() % 2_000))
        }
        let offsets = try OffsetLog(path: path, width: .bits32).append(batch: payloads)
        let order = Array(offsets.indices.reversed().enumerated().map { $0.offset % 2 == 0 ? $0.element : offsets.count - 1 - $0.element })
        let large = payloads.filter { $0.count > 8192 - 32 }.count

        var calls: [ReaderStrategy.Kind: Int64] = [:]
        for kind in [ReaderStrategy.Kind.pread, .uring] {
            let log = try OffsetLog(path: path, access: .readOnly, strategy: ReaderStrategy(kind))
            var read: [[UInt8]] = []
            let before = ResourceUsage.now()
            try log.forEachRecord(at: order.map { offsets[$0] }) { read.append([UInt8]($0.payload)) }
            calls[kind] = ResourceUsage.delta(from: before, to: ResourceUsage.now()).readSyscalls
            XCTAssertEqual(read, order.map { payloads[$0] }, "\(kind)")
            // An offset inside a record fails as a single read does, after the records before it.
            var seen = 0
            XCTAssertThrowsError(try log.forEachRecord(at: [offsets[5], offsets[9] + 1, offsets[7]]) { _ in seen += 1 }) { error in
                XCTAssertEqual((error as? FlumeLogError)?.code, .notAFrameStart, "\(kind): \(error)")
            }
            XCTAssertEqual(seen, 1, "\(kind)")
        }
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(calls[.pread]), Int64(offsets.count) / 2, "pread: a read per record")
        XCTAssertLessThanOrEqual(try XCTUnwrap(calls[.uring]), Int64(large) + 2, "uring: only records larger than a batch read")
        print("\(offsets.count) reads by offset: pread \(calls[.pread]!) read calls, uring \(calls[.uring]!) (\(large) large records)")
    }
    /// Reads by offset in file order (a manifest's) share the batch's reads: an offset in the
    /// first half of the read before it is not read again. Records up to 4 KiB still come from
    /// the batch, never from a read of their own.
    func testReadsByOffsetInFileOrderShareTheirReads() throws {
        if let reason = ReaderStrategy.uringUnavailableReason {
            throw XCTSkip("io_uring is unavailable here (\(reason)): the uring strategy reads with pread(2)")
        }
        let dir = try TemporaryDirectory()
        let path = dir.path("log.offset")
        var generator = SplitMix64(seed: 17)
        let payloads = (0..<4_000).map { index in
            [UInt8](repeating: UInt8(truncatingIfNeeded: index | 1), count: Int(generator.next() % (4096 - 32)))
        }
        let offsets = try OffsetLog(path: path, width: .bits32).append(batch: payloads)
        let log = try OffsetLog(path: path, access: .readOnly, strategy: ReaderStrategy(.uring))
        var read: [[UInt8]] = []
        let before = ResourceUsage.now()
        try log.forEachRecord(at: offsets) { read.append([UInt8]($0.payload)) }
        let calls = ResourceUsage.delta(from: before, to: ResourceUsage.now()).readSyscalls
        XCTAssertEqual(read, payloads)
        XCTAssertLessThanOrEqual(calls, 2, "uring: every record from a shared batch read")
        // Each read spans 8 KiB and the next starts past its first half: about one per 4 KiB.
        let size = try XCTUnwrap(offsets.last) + Int64(payloads.last!.count) + 12
        let reads = try XCTUnwrap(log.reader.uringReadsByOffset)
        XCTAssertLessThanOrEqual(reads, Int(size / 4096) + offsets.count / 64 + 1, "\(offsets.count) records, \(size) bytes")
        XCTAssertGreaterThanOrEqual(reads, Int(size / 8192))
    }
}
