import CReference
import FlumeLog
import Foundation

/// Every reader strategy scanning one log, against references measured in the same run:
/// a validating frame walk written in C over `mmap`, and raw `read(2)` copy-out of the file.
/// Cases are interleaved (each repetition rotates their order) so drift on a shared machine
/// spreads over all of them, and results are reported as ratios to the references.
public struct StrategyBenchmark: Sendable {
    public enum CacheState: String, Codable, Sendable, CaseIterable {
        case warm, cold
    }

    public enum Subject: Hashable, Sendable {
        /// C: mmap + validating frame walk (the bound for `mmap`).
        case cFrameWalk
        /// C: read(2) of the whole file into one buffer (the bound for `buffered` and `pread`).
        case readCopy
        case scan(ReaderStrategy.Kind, ScanDirection)

        public var name: String {
            switch self {
            case .cFrameWalk: "C frame walk (mmap)"
            case .readCopy: "read(2) copy-out"
            case .scan(let kind, let direction): "\(kind.rawValue) \(direction == .forward ? "forward" : "reverse") scan"
            }
        }

        /// The reference this subject is compared with.
        var reference: Subject? {
            switch self {
            case .cFrameWalk, .readCopy: nil
            case .scan(.mmap, _): .cFrameWalk
            case .scan: .readCopy
            }
        }
    }

    public struct Row: Codable, Sendable {
        public var name: String
        public var cache: CacheState
        public var isReference: Bool
        public var seconds: SampleStatistics
        public var gigabytesPerSecond: Double
        public var reference: String?
        /// Median throughput over the reference's median throughput.
        public var ratio: Double?
        public var records: Int64
        public var payloadBytes: Int64
        /// Allocations of one scan (open included); nil for the C references.
        public var allocations: UInt64?
        /// Records and payload bytes equal those of the C walk.
        public var conforms: Bool
    }

    public struct Report: Codable, Sendable {
        public var machine: MachineContext
        public var log: String
        public var fileBytes: Int64
        public var records: Int64
        public var trailerBits: Int
        public var repetitions: Int
        public var readBufferBytes: Int
        public var memoryBandwidthGBps: Double
        public var rows: [Row]
    }

    public var logPath: String
    public var width: TrailerWidth
    public var repetitions: Int
    public var caches: [CacheState]
    public var strategies: [ReaderStrategy]

    public init(logPath: String, width: TrailerWidth, repetitions: Int = 5, caches: [CacheState] = [.warm],
                strategies: [ReaderStrategy] = ReaderStrategy.all) {
        self.logPath = logPath
        self.width = width
        self.repetitions = repetitions
        self.caches = caches
        self.strategies = strategies
    }

    private struct Outcome {
        var records: Int64
        var payloadBytes: Int64
        var allocations: UInt64?
    }

    public func run(progress: (String) -> Void = { _ in }) throws -> Report {
        let tracker = try AllocationTracker()
        let extent = try OffsetLog(path: logPath, width: width, access: .readOnly).openedExtent
        let subjects: [Subject] = [.cFrameWalk, .readCopy]
            + strategies.map { .scan($0.kind, .forward) } + strategies.map { .scan($0.kind, .reverse) }
        let bufferSize = strategies.first { $0.kind == .buffered }?.bufferSize ?? ReaderStrategy.defaultBufferSize

        func measure(_ subject: Subject) throws -> (Outcome, Double) {
            switch subject {
            case .cFrameWalk:
                let (result, seconds) = MonotonicClock.time { flume_reference_walk_mmap(logPath, Int32(width.byteCount), extent.validEnd) }
                guard result.error_offset == -1 else {
                    throw FlumeLogError(.io, file: logPath, offset: result.error_offset, message: "the C reference walk failed")
                }
                return (Outcome(records: result.records, payloadBytes: result.payload_bytes), seconds)
            case .readCopy:
                let (bytes, seconds) = MonotonicClock.time { flume_reference_read_copy(logPath, bufferSize) }
                return (Outcome(records: -1, payloadBytes: bytes), seconds)
            case .scan(let kind, let direction):
                let strategy = strategies.first { $0.kind == kind }!
                let start = MonotonicClock.now()
                let (counts, delta) = try tracker.measure { try Self.scan(logPath, width, strategy, direction) }
                let seconds = Double(MonotonicClock.now() - start) / 1e9
                return (Outcome(records: counts.0, payloadBytes: counts.1, allocations: delta.allocations), seconds)
            }
        }

        var rows: [Row] = []
        for cache in caches {
            if cache == .warm {
                try PageCache.warm(logPath)
                for subject in subjects { _ = try measure(subject) } // warm-up round, not recorded
            }
            var samples: [Subject: [Double]] = [:]
            var outcomes: [Subject: Outcome] = [:]
            for repetition in 0..<repetitions {
                let shift = repetition % subjects.count
                let order = Array(subjects[shift...]) + Array(subjects[..<shift])
                for subject in order {
                    progress("\(cache.rawValue) cache, repetition \(repetition + 1)/\(repetitions): \(subject.name)")
                    if cache == .cold { try PageCache.evict(logPath) }
                    let (outcome, seconds) = try measure(subject)
                    samples[subject, default: []].append(seconds)
                    outcomes[subject] = outcome
                }
            }
            let walk = outcomes[.cFrameWalk]!
            let fileBytes = Double(extent.fileSize)
            for subject in subjects {
                let statistics = SampleStatistics(samples[subject]!)
                let outcome = outcomes[subject]!
                let conforms = subject == .readCopy
                    ? outcome.payloadBytes == extent.fileSize
                    : outcome.records == walk.records && outcome.payloadBytes == walk.payloadBytes
                var row = Row(name: subject.name, cache: cache, isReference: subject.reference == nil,
                              seconds: statistics, gigabytesPerSecond: fileBytes / statistics.median / 1e9,
                              reference: subject.reference?.name, ratio: nil, records: outcome.records,
                              payloadBytes: outcome.payloadBytes, allocations: outcome.allocations, conforms: conforms)
                if let reference = subject.reference {
                    row.ratio = SampleStatistics(samples[reference]!).median / statistics.median
                }
                rows.append(row)
            }
        }
        return Report(machine: .current(jemalloc: tracker.version), log: logPath, fileBytes: extent.fileSize,
                      records: rows.first { $0.name == Subject.cFrameWalk.name }?.records ?? 0,
                      trailerBits: width.bits, repetitions: repetitions, readBufferBytes: bufferSize,
                      memoryBandwidthGBps: Self.memoryBandwidth(), rows: rows)
    }

    /// One scan as a consumer does it: every record's length summed; nothing copied.
    static func scan(_ path: String, _ width: TrailerWidth, _ strategy: ReaderStrategy,
                     _ direction: ScanDirection) throws -> (Int64, Int64) {
        let log = try OffsetLog(path: path, width: width, access: .readOnly, strategy: strategy)
        var cursor = try log.cursor(direction)
        var records: Int64 = 0, bytes: Int64 = 0
        while let record = try cursor.next() {
            records &+= 1
            bytes &+= Int64(record.length)
        }
        return (records, bytes)
    }

    /// Single-core read bandwidth over 256 MiB of resident memory, best of five.
    static func memoryBandwidth() -> Double {
        let size = 256 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 4096)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 1)
        var best = Double.infinity
        for _ in 0..<5 {
            let (_, seconds) = MonotonicClock.time { flume_reference_memory_sum(buffer.baseAddress, size) }
            best = min(best, seconds)
        }
        return Double(size) / best / 1e9
    }
}
