import FlumeLog
import FlumeViews
import Foundation

/// How fast views rebuild from a log, against a plain scan of the same log measured in the
/// same run (interleaved): records per second, allocations per record, and the ratio.
public struct ViewRebuildBenchmark: Sendable {
    public struct Report: Codable, Sendable {
        public var machine: MachineContext
        public var log: String
        public var fileBytes: Int64
        public var records: Int
        public var views: [String]
        public var repetitions: Int
        public var scanSeconds: SampleStatistics
        public var rebuildSeconds: SampleStatistics
        public var rebuildRecordsPerSecond: Double
        public var rebuildAllocationsPerRecord: Double
        /// Rebuild time over plain-scan time.
        public var rebuildToScanRatio: Double
        /// Writing every state file once (atomic), after a rebuild.
        public var writeSeconds: Double
        public var skippedRecords: Int
    }

    public var logPath: String
    public var width: TrailerWidth
    public var views: [ViewKind]
    public var repetitions: Int

    public init(logPath: String, width: TrailerWidth = .bits32, views: [ViewKind] = [.last, .keys, .clock, .types],
                repetitions: Int = 5) {
        self.logPath = logPath
        self.width = width
        self.views = views
        self.repetitions = repetitions
    }

    public func run(progress: (String) -> Void = { _ in }) throws -> Report {
        let tracker = try AllocationTracker()
        try PageCache.warm(logPath)
        let log = try OffsetLog(path: logPath, width: width, access: .readOnly)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("flumebench-views-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let driver = ViewDriver(log: log, directory: scratch, views: views)
        var scans: [Double] = [], rebuilds: [Double] = []
        var records = 0
        var allocations: UInt64 = 0
        _ = try StrategyBenchmark.scan(logPath, width, .standard, .forward) // warm-up
        for repetition in 0..<repetitions {
            progress("repetition \(repetition + 1)/\(repetitions): scan")
            let (_, scan) = try MonotonicClock.time { try StrategyBenchmark.scan(logPath, width, .standard, .forward) }
            scans.append(scan)
            progress("repetition \(repetition + 1)/\(repetitions): rebuild \(views.map(\.rawValue).joined(separator: "+"))")
            let start = MonotonicClock.now()
            let (count, delta) = try tracker.measure { try driver.rebuildWithoutWriting() }
            rebuilds.append(Double(MonotonicClock.now() - start) / 1e9)
            records = count
            allocations = delta.allocations
        }
        progress("writing states")
        let (_, write) = try MonotonicClock.time { try driver.rebuild() }
        let rebuild = SampleStatistics(rebuilds), scan = SampleStatistics(scans)
        return Report(machine: .current(jemalloc: tracker.version), log: logPath, fileBytes: log.end, records: records,
                      views: views.map(\.rawValue), repetitions: repetitions, scanSeconds: scan, rebuildSeconds: rebuild,
                      rebuildRecordsPerSecond: Double(records) / rebuild.median,
                      rebuildAllocationsPerRecord: Double(allocations) / Double(max(records, 1)),
                      rebuildToScanRatio: rebuild.median / scan.median,
                      writeSeconds: max(0, write - rebuild.median), skippedRecords: driver.skippedRecords)
    }
}

extension ViewRebuildBenchmark.Report {
    public func markdown() -> String {
        """
        # View rebuild

        Log `\(log)`: \(String(format: "%.2f", Double(fileBytes) / Double(1 << 30))) GiB, \(records) records. \
        Views: \(views.joined(separator: ", ")). Medians of \(repetitions) interleaved repetitions, \
        one core, release build, warm cache.

        Machine: \(machine.cpuModel), \(machine.cores) cores, \(machine.kernel); jemalloc \(machine.jemalloc); \
        commit \(machine.gitCommit); \(machine.date).

        | measure | value |
        |---|---:|
        | rebuild, records per second | \(String(format: "%.0f", rebuildRecordsPerSecond)) |
        | rebuild, median s (min–max) | \(String(format: "%.3f", rebuildSeconds.median)) (\(String(format: "%.3f", rebuildSeconds.min))–\(String(format: "%.3f", rebuildSeconds.max))) |
        | plain scan, median s | \(String(format: "%.3f", scanSeconds.median)) |
        | rebuild / plain scan | \(String(format: "%.1f", rebuildToScanRatio))× |
        | allocations per record (rebuild) | \(String(format: "%.2f", rebuildAllocationsPerRecord)) |
        | writing all state files once, s | \(String(format: "%.2f", writeSeconds)) |
        | records that were not SSB messages | \(skippedRecords) |

        The rebuild parses each record once with the JSON field scanner and feeds every view;
        state files are written separately (atomically) and timed apart.

        """
    }

    public func write(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try markdown().write(toFile: directory + "/report.md", atomically: true, encoding: .utf8)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: directory + "/results.json"))
    }
}
