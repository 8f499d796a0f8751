/// Everything a suite run measured, losslessly: `results.json`. The CSV, the Markdown report
/// and the gate are all made from this.
public struct BenchmarkResults: Codable, Sendable {
    /// Bumped when the meaning of a field changes; the gate refuses to compare across versions.
    public static let schemaVersion = 1

    public var schemaVersion: Int
    public var suite: String
    public var suiteDescription: String
    public var runID: String
    public var machine: MachineContext
    public var repetitions: Int
    /// Single-core memory read bandwidth, GB/s, measured in this run.
    public var memoryBandwidthGBps: Double
    public var corpora: [CorpusInfo]
    public var cases: [CaseResult]
    public var conformance: [ConformanceCell]
    /// Test-only deliberate regressions active in this run (empty in real runs).
    public var injections: [String]
    public var totalSeconds: Double
    /// Per operation x log x cache: which strategy is fastest, and whether that holds (nil in
    /// results written before verdicts).
    public var verdicts: [StrategyVerdict]?
    /// `I/N` for the results of one shard of the suite (`run --shard`); nil for a whole run.
    public var shard: String?
    /// Instructions of the suite's callgrind cases (nil when the suite has none, or valgrind
    /// is missing: then `instructionsNote` says so).
    public var instructions: [InstructionCount]?
    public var instructionsNote: String?

    public struct CorpusInfo: Codable, Sendable {
        public var name: String
        public var path: String
        public var kind: String
        /// `offset`, `aaol` or `aaol+bipf` (nil in results written before formats were recorded).
        public var format: String?
        /// For a converted corpus: the corpus whose records it holds.
        public var convertedFrom: String?
        public var fileBytes: Int64
        public var records: Int
        public var trailerBits: Int
        public var generatedSeconds: Double?
    }

    /// One case: an operation on a corpus through a strategy, in a cache state.
    public struct CaseResult: Codable, Sendable {
        /// `operation/corpus/strategy/cache`: the key the gate matches on.
        public var id: String
        public var operation: CaseOperation
        public var corpus: String
        /// A reader strategy, `-` for writes, or the reference's label.
        public var strategy: CaseStrategy
        public var cache: CacheState
        public var isReference: Bool
        /// The id of the reference this case is compared with (same corpus, same cache).
        public var reference: String?
        public var timeGated: Bool
        /// Wall seconds per repetition, in run order.
        public var seconds: [Double]
        /// This case's seconds over its reference's, per repetition (paired: same round).
        public var ratios: [Double]?
        public var statistics: SampleStatistics
        /// Median of `ratios`.
        public var medianRatio: Double?
        /// In results pooled from several processes: each process's median ratio, in run order
        /// (the gate's evidence that a change is larger than the spread between processes).
        public var processMedianRatios: [Double]?
        public var records: Int64
        /// Payload bytes delivered per repetition.
        public var bytes: Int64
        // Per repetition (medians of the repetitions).
        public var userSeconds: Double
        public var systemSeconds: Double
        public var minorFaults: Int64
        public var majorFaults: Int64
        public var readSyscalls: Int64
        public var readBytes: Int64
        public var storageReadBytes: Int64
        /// jemalloc counts of one repetition (the largest seen, so one stray allocation shows).
        public var allocations: UInt64?
        public var allocatedBytes: UInt64?
        public var peakBytes: UInt64?
        public var residentBytes: UInt64?
        public var checksum: String
        public var expectedChecksum: String
        /// The checksum held in every repetition.
        public var conforms: Bool
        public var note: String?

        public var allocationsPerRecord: Double? {
            allocations.map { Double($0) / Double(max(records, 1)) }
        }

        public var readSyscallsPerMB: Double {
            Double(readSyscalls) / max(Double(bytes) / 1e6, 1e-9)
        }

        public var throughputMBps: Double { Double(bytes) / 1e6 / statistics.median }

        public init(id: String, operation: CaseOperation, corpus: String, strategy: CaseStrategy, cache: CacheState,
                    isReference: Bool, reference: String?, timeGated: Bool, seconds: [Double],
                    ratios: [Double]?, statistics: SampleStatistics, medianRatio: Double?, records: Int64,
                    bytes: Int64, userSeconds: Double, systemSeconds: Double, minorFaults: Int64,
                    majorFaults: Int64, readSyscalls: Int64, readBytes: Int64, storageReadBytes: Int64,
                    allocations: UInt64?, allocatedBytes: UInt64?, peakBytes: UInt64?, residentBytes: UInt64?,
                    checksum: String, expectedChecksum: String, conforms: Bool, note: String?) {
            self.id = id
            self.operation = operation
            self.corpus = corpus
            self.strategy = strategy
            self.cache = cache
            self.isReference = isReference
            self.reference = reference
            self.timeGated = timeGated
            self.seconds = seconds
            self.ratios = ratios
            self.statistics = statistics
            self.medianRatio = medianRatio
            self.records = records
            self.bytes = bytes
            self.userSeconds = userSeconds
            self.systemSeconds = systemSeconds
            self.minorFaults = minorFaults
            self.majorFaults = majorFaults
            self.readSyscalls = readSyscalls
            self.readBytes = readBytes
            self.storageReadBytes = storageReadBytes
            self.allocations = allocations
            self.allocatedBytes = allocatedBytes
            self.peakBytes = peakBytes
            self.residentBytes = residentBytes
            self.checksum = checksum
            self.expectedChecksum = expectedChecksum
            self.conforms = conforms
            self.note = note
        }

        /// Cold cases: the highest share of the file found in the page cache right before a
        /// repetition, in percent (`mincore`), and whether a repetition started warm anyway.
        public var residentPercent: Double?
        public var notCold: Bool?
        /// Whole-process cases: the child's peak resident memory (its own `VmHWM`, as it prints
        /// it; the largest of the repetitions), in bytes; it has no jemalloc counts the harness
        /// could read.
        public var processPeakBytes: UInt64?
}

    /// One cell of the conformance matrix: a log read through a strategy.
    public struct ConformanceCell: Codable, Sendable {
        /// The `strategy` of a cell that failed before any strategy could run (an unreadable manifest).
        public static let everyStrategy = "all"

        public var log: String
        /// `shared` (the compatibility corpus) or `generated`.
        public var source: String
        public var strategy: String
        public var conforms: Bool
        /// The first difference, or the expected error seen for a negative corpus.
        public var detail: String

        public init(log: String, source: String, strategy: String, conforms: Bool, detail: String) {
            self.log = log
            self.source = source
            self.strategy = strategy
            self.conforms = conforms
            self.detail = detail
        }
    }

    public var conformanceFailures: [ConformanceCell] { conformance.filter { !$0.conforms } }
    public var checksumFailures: [CaseResult] { cases.filter { !$0.conforms } }

    public init(schemaVersion: Int, suite: String, suiteDescription: String, runID: String,
                machine: MachineContext, repetitions: Int, memoryBandwidthGBps: Double, corpora: [CorpusInfo],
                cases: [CaseResult], conformance: [ConformanceCell], injections: [String], totalSeconds: Double) {
        self.schemaVersion = schemaVersion
        self.suite = suite
        self.suiteDescription = suiteDescription
        self.runID = runID
        self.machine = machine
        self.repetitions = repetitions
        self.memoryBandwidthGBps = memoryBandwidthGBps
        self.corpora = corpora
        self.cases = cases
        self.conformance = conformance
        self.injections = injections
        self.totalSeconds = totalSeconds
    }
}

extension BenchmarkResults.CaseResult {
    /// This case's time over `other`'s, paired by round (the cases of a cache state run in the
    /// same rounds), the median of the pairs: how many times as fast `other` ran.
    func timeRatio(over other: Self) -> Double {
        SampleStatistics(zip(seconds, other.seconds).map { $0 / $1 }).median
    }
}
