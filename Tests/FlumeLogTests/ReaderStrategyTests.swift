import FlumeLog
import Foundation
import TestSupport
import XCTest

/// Every reader strategy, through one parameterized path, against the in-memory reference.
final class ReaderStrategyTests: XCTestCase {
    func testEveryStrategyReadsTheCorpusLikeTheReference() throws {
        for (log, _, name) in try CompatibilityCorpus.logsWithManifests() {
            let bytes = try fileBytes(log)
            let reference = ReadOutcome.of { try MemoryLog(bytes: bytes) }
            guard case .read = reference else { return XCTFail("\(name): \(reference)") }
            for (strategy, outcome) in ReadOutcome.perStrategy(log, width: .bits32, strategies: everyStrategyVariant) {
                XCTAssertEqual(outcome, reference, "\(name) through \(strategy)")
            }
        }
    }

    /// Records larger than the buffers, frames crossing buffer ends, all widths, random order.
    func testEveryStrategyReadsGeneratedLogsLikeTheReference() throws {
        let dir = try TemporaryDirectory()
        var payloads = samplePayloads(count: 120)
        payloads[50] = [UInt8](repeating: 9, count: 70_000)
        for width in TrailerWidth.allCases {
            let path = dir.path("gen-\(width.bits).offset")
            let writer = try OffsetLog(path: path, width: width)
            let offsets = try writer.append(batch: payloads)
            try writer.delete(at: offsets[7])
            let reference = ReadOutcome.of { try MemoryLog(bytes: try fileBytes(path), width: width) }
            for strategy in everyStrategyVariant {
                let log = try OffsetLog(path: path, width: width, access: .readOnly, strategy: strategy)
                XCTAssertEqual(ReadOutcome.of { log }, reference, "\(width) \(strategy)")
                for index in offsets.indices.shuffled() {
                    XCTAssertEqual(try log.record(at: offsets[index]).payload,
                                   index == 7 ? [UInt8](repeating: 0, count: payloads[7].count) : payloads[index])
                }
            }
        }
    }

    /// A reader follows a log another writer appends to, under every strategy.
    func testLiveTailUnderEveryStrategy() throws {
        let dir = try TemporaryDirectory()
        for strategy in everyStrategyVariant {
            let path = dir.path("live-\(strategy.kind)-\(strategy.bufferSize)-\(strategy.readahead).offset")
            let writer = try OffsetLog(path: path)
            try writer.append(batch: samplePayloads(count: 10))
            let reader = try OffsetLog(path: path, access: .readOnly, strategy: strategy)
            XCTAssertEqual(try reader.records().count, 10)
            for round in 1...5 {
                try writer.append(batch: samplePayloads(count: 20, seed: UInt64(round)))
                XCTAssertEqual(try reader.records().count, 10 + 20 * (round - 1), "not refreshed yet")
                try reader.refresh()
                XCTAssertEqual(try reader.records().map(\.payload), try writer.records().map(\.payload), "\(strategy)")
                XCTAssertEqual(reader.since, writer.since)
            }
        }
    }

    /// A file cut short under a reader is an error from every strategy, never a crash (for
    /// mmap: no SIGBUS reaches the process) and never a silent short read.
    func testTruncationUnderneathIsAnErrorNotACrash() throws {
        let dir = try TemporaryDirectory()
        for strategy in everyStrategyVariant {
            let path = dir.path("shrinking.offset")
            try? FileManager.default.removeItem(atPath: path)
            let payloads = (0..<3000).map { [UInt8](repeating: UInt8(truncatingIfNeeded: $0 | 1), count: 700) }
            try OffsetLog(path: path).append(batch: payloads)
            let log = try OffsetLog(path: path, access: .readOnly, strategy: strategy)
            XCTAssertEqual(try log.records().count, 3000)

            XCTAssertEqual(truncate(path, 100_000), 0)
            XCTAssertThrowsError(try log.forEach { _ in }, "\(strategy)") { error in
                XCTAssertEqual((error as? FlumeLogError)?.code, .truncatedFrame, "\(strategy): \(error)")
            }
            XCTAssertThrowsError(try log.record(at: log.since!), "\(strategy)") { error in
                XCTAssertEqual((error as? FlumeLogError)?.code, .truncatedFrame, "\(strategy): \(error)")
            }
        }
    }

    func testParametersAreValidatedAndDescribed() {
        XCTAssertThrowsError(try ReaderStrategy.pread(bufferSize: 1024))
        XCTAssertThrowsError(try ReaderStrategy.pread(readahead: -1))
        XCTAssertThrowsError(try ReaderStrategy.uring(bufferSize: 65536, inFlight: 65536))
        XCTAssertEqual(ReaderStrategy.all.map(\.kind), [.buffered, .mmap, .pread, .uring])
        XCTAssertEqual(ReaderStrategy(.uring).description, "io_uring, 256 KiB reads, 8 in flight")
        XCTAssertEqual(ReaderStrategy(.pread).description, "pread, 256 KiB buffer, 2 MiB readahead")
        XCTAssertEqual(ReaderStrategy.mmap.description, "mmap, read-only shared mapping")
    }

    /// Evicting and warming one file, observed with mincore(2).
    func testPageCacheEvictAndWarm() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("cache.offset")
        try OffsetLog(path: path).append(batch: (0..<2000).map { _ in [UInt8](repeating: 7, count: 1000) })
        try PageCache.evict(path)
        let cold = try residentFraction(path)
        try PageCache.warm(path)
        let warm = try residentFraction(path)
        XCTAssertEqual(warm, 1.0)
        if cold > 0.5 { throw XCTSkip("this filesystem keeps evicted pages (tmpfs?): \(cold) resident after evict") }
        XCTAssertLessThan(cold, 0.1)
    }

    /// The kernel reads ahead of forward reads only. A reverse scan through a window (buffered,
    /// pread, uring) asks for the 8 MiB before its window itself, from its second window on
    /// (the open reads the first, and asks for nothing): once a reverse scan of a cold file
    /// has passed its first window, that stretch is in the page cache (or on its way there).
    func testReverseScansOfAColdFileAskForTheStretchBeforeTheirWindow() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("cold-reverse.offset")
        try OffsetLog(path: path).append(batch: (0..<12_000).map { _ in [UInt8](repeating: 5, count: 1020) })
        for strategy in [ReaderStrategy.standard, ReaderStrategy(.pread), ReaderStrategy(.uring)] {
            let cold = try Self.evictSettled(path)
            try XCTSkipIf(cold > 0.05, "this file system keeps evicted pages (tmpfs?): \(cold)")
            let log = try OffsetLog(path: path, access: .readOnly, strategy: strategy)
            var cursor = try log.cursor(.reverse)
            // 300 records of 1 KiB: into the second 256 KiB window.
            for _ in 0..<300 { XCTAssertNotNil(try cursor.next()) }
            // Two 256 KiB windows of 12 MiB are 4 %; with the stretch before them, 70 %.
            let resident = try Self.poll(atLeast: 0.15) { try XCTUnwrap(PageCache.residentFraction(path)) }
            XCTAssertGreaterThan(resident, 0.15, "\(strategy)")
        }
    }

    /// The asking runs on a thread of its own (`readahead(2)` may wait for the device): a
    /// second reverse scan of the same open log, started from the end again, asks again, and
    /// the thread has ended by the time the log is released (joined, so that none outlives it).
    func testASecondReverseScanAsksAgainAndTheAskingThreadEnds() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("cold-reverse-twice.offset")
        try OffsetLog(path: path).append(batch: (0..<12_000).map { _ in [UInt8](repeating: 6, count: 1020) })
        let threadsBefore = Self.threads(named: "flume-readahead")
        for strategy in [ReaderStrategy.standard, ReaderStrategy(.pread), ReaderStrategy(.uring)] {
            do {
                // Cold: a cached stretch is not asked for (`cachestat`), and then no thread starts.
                try PageCache.evict(path)
                let log = try OffsetLog(path: path, access: .readOnly, strategy: strategy)
                var first = try log.cursor(.reverse)
                while try first.next() != nil {}
                // The thread names itself once it runs.
                let asking = Self.poll(atLeast: Double(threadsBefore + 1)) { Double(Self.threads(named: "flume-readahead")) }
                XCTAssertEqual(Int(asking), threadsBefore + 1, "\(strategy)")
                let cold = try Self.evictSettled(path)
                try XCTSkipIf(cold > 0.05, "this file system keeps evicted pages (tmpfs?): \(cold)")
                var second = try log.cursor(.reverse)
                for _ in 0..<300 { XCTAssertNotNil(try second.next()) }
                let resident = try Self.poll(atLeast: 0.15) { try XCTUnwrap(PageCache.residentFraction(path)) }
                XCTAssertGreaterThan(resident, 0.15, "\(strategy): the second scan asked for nothing")
            }
            // Joined as the log is released: gone at once, not polled for.
            XCTAssertEqual(Self.threads(named: "flume-readahead"), threadsBefore, "\(strategy): the asking thread outlived its log")
        }
    }

    /// A forward scan of a cold mapping keeps the kernel's readahead a window ahead of it, even
    /// when the open has already read the first page (by itself, under `MADV_RANDOM`). Under
    /// `MADV_SEQUENTIAL` that first page made the kernel take every fault after it for a random
    /// read: it read each window while the scan waited, a major fault per window (64 MiB
    /// at 8 MiB windows: 8), instead of starting the next one early (1 or 2 in all).
    func testAForwardScanOfAColdMappingReadsAhead() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("cold-forward.offset")
        try OffsetLog(path: path).append(batch: (0..<64_000).map { _ in [UInt8](repeating: 4, count: 1020) })
        try PageCache.evict(path)
        let cold = try XCTUnwrap(PageCache.residentFraction(path))
        try XCTSkipIf(cold > 0.05, "this file system keeps evicted pages (tmpfs?): \(cold)")
        let log = try OffsetLog(path: path, access: .readOnly, strategy: .mmap)
        let before = Self.majorFaults()
        var cursor = try log.cursor()
        var records = 0
        while try cursor.next() != nil { records += 1 }
        XCTAssertEqual(records, 64_000)
        XCTAssertLessThanOrEqual(Self.majorFaults() - before, 3, "the scan waited on the disk window after window")
    }

    /// Page faults that had to read from the disk, so far (`getrusage`).
    private static func majorFaults() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_majflt
    }

    /// The threads of this process that carry `name` (`/proc/self/task/*/comm`).
    private static func threads(named name: String) -> Int {
        guard let tasks = opendir("/proc/self/task") else { return 0 }
        defer { closedir(tasks) }
        var count = 0
        while let entry = readdir(tasks) {
            let task = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard task != ".", task != "..", let comm = fopen("/proc/self/task/\(task)/comm", "r") else { continue }
            var line = [CChar](repeating: 0, count: 64)
            if fgets(&line, 64, comm) != nil,
               String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) == name + "\n" {
                count += 1
            }
            fclose(comm)
        }
        return count
    }

    /// Evicts `path` until at most 5 % of it stays cached (or 2 s pass), and returns what stays:
    /// reads the previous scan's readahead had in flight land after an eviction.
    private static func evictSettled(_ path: String) throws -> Double {
        try PageCache.evict(path)
        return try poll(atMost: 0) {
            let resident = try XCTUnwrap(PageCache.residentFraction(path))
            if resident > 0.05 { try PageCache.evict(path) }
            return resident > 0.05 ? resident : 0
        }
    }

    /// Samples `value` every 10 ms for up to 2 s, until it reaches `atLeast` (or falls to `atMost`).
    private static func poll(atLeast floor: Double = -.infinity, atMost ceiling: Int = .max,
                             _ value: () throws -> Double) rethrows -> Double {
        var now = try value()
        for _ in 0..<200 where now < floor || now > Double(ceiling) {
            usleep(10_000)
            now = try value()
        }
        return now
    }

    /// A scan of a mapping hands back the pages it has passed (`MADV_DONTNEED`): a scan of a
    /// 192 MiB log, either way, never holds more than 100 MiB of it mapped (the process's
    /// `RssFile`), though it touches every page.
    func testMmapScansKeepABoundedPartOfTheFileMapped() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("big.offset")
        try OffsetLog(path: path).append(batch: Array(repeating: [UInt8](repeating: 3, count: 1 << 20), count: 192))
        try PageCache.warm(path)
        for direction in [ScanDirection.forward, .reverse] {
            let log = try OffsetLog(path: path, access: .readOnly, strategy: .mmap)
            let before = try residentFileBytes()
            var peak = 0, records = 0, sum = 0
            try log.forEach(direction) { record in
                for page in stride(from: 0, to: record.payload.count, by: 4096) { sum &+= Int(record.payload[page]) }
                records += 1
                peak = max(peak, try residentFileBytes() - before)
            }
            XCTAssertEqual(records, 192)
            XCTAssertEqual(sum, 3 * 256 * 192)
            XCTAssertLessThan(peak, 100 << 20, "\(direction): \(peak >> 20) MiB of the 192 MiB file mapped at once")
        }
    }

    /// Reads by offset announced in bulk and climbing through the file (a manifest check reads
    /// every record so) hand back what they passed too, as does a second scan of the same log;
    /// the same reads one by one, unannounced, keep every page they map.
    func testMmapReadsByOffsetInOrderKeepABoundedPartOfTheFileMapped() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("big.offset")
        let offsets = try OffsetLog(path: path).append(batch: Array(repeating: [UInt8](repeating: 5, count: 1 << 20), count: 192))
        try PageCache.warm(path)
        func peakMapped(_ read: (OffsetLog, (Record) throws -> Void) throws -> Void) throws -> Int {
            let log = try OffsetLog(path: path, access: .readOnly, strategy: .mmap)
            let before = try residentFileBytes()
            var peak = 0, sum = 0
            try read(log) { record in
                for page in stride(from: 0, to: record.payload.count, by: 4096) { sum &+= Int(record.payload[page]) }
                peak = max(peak, try residentFileBytes() - before)
            }
            XCTAssertEqual(sum, 5 * 256 * 192)
            return peak
        }
        let announced = try peakMapped { log, body in try log.forEachRecord(at: offsets, body) }
        XCTAssertLessThan(announced, 100 << 20, "announced: \(announced >> 20) MiB of the 192 MiB file mapped at once")
        let rescanned = try peakMapped { log, body in
            try log.forEach { _ in }
            try log.forEach { try body($0) }
        }
        XCTAssertLessThan(rescanned, 100 << 20, "second scan: \(rescanned >> 20) MiB of the 192 MiB file mapped at once")
        let reversedTwice = try peakMapped { log, body in
            try log.forEach(.reverse) { _ in }
            try log.forEach(.reverse) { try body($0) }
        }
        XCTAssertLessThan(reversedTwice, 100 << 20, "second reverse scan: \(reversedTwice >> 20) MiB of the 192 MiB file mapped at once")
        let oneByOne = try peakMapped { log, body in
            for offset in offsets { try log.withRecord(at: offset, body) }
        }
        XCTAssertGreaterThan(oneByOne, 150 << 20, "unannounced reads keep what they map")
    }

    /// File-backed pages mapped into this process (`RssFile` of /proc/self/status).
    private func residentFileBytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try XCTUnwrap(status.split(separator: "\n").first { $0.hasPrefix("RssFile:") })
        return try XCTUnwrap(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1])) * 1024
    }

    private func residentFraction(_ path: String) throws -> Double {
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        var info = stat()
        fstat(fd, &info)
        let length = Int(info.st_size)
        let map = try XCTUnwrap(mmap(nil, length, PROT_READ, MAP_SHARED, fd, 0))
        defer { munmap(map, length) }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        var vector = [UInt8](repeating: 0, count: (length + page - 1) / page)
        XCTAssertEqual(mincore(map, length, &vector), 0)
        return Double(vector.filter { $0 & 1 == 1 }.count) / Double(vector.count)
    }
}
