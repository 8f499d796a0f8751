import FlumeCorpus
import FlumeLog
import FlumeSSB
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a suite: makes (or reuses) its corpora, checks them against their golden manifests,
/// fills the conformance matrix, then measures every case, interleaved: each repetition runs
/// every case of a cache state once, in a rotated order (`roundOrder`), with the references of
/// each corpus measured in the same round, so drift on a shared machine spreads over all of them.
public final class BenchmarkRunner {
    public struct Options {
        public var suite: BenchmarkSuite
        public var store: CorpusStore
        /// The compatibility corpus, when present.
        public var sharedCorpus: SharedCorpus?
        public var injections: [Injection]
        /// Scratch files (appends, recovery copies) go here: the corpus's filesystem.
        public var scratchDirectory: String
        /// Users' own logs (`flumebench bench`), by the name a group uses for them: read as they
        /// are, never written; each strategy must read the same records.
        public var logs: [String: UserLog] = [:]
        /// Seconds the measuring may take: rounds go on past the suite's repetitions while a
        /// verdict is unsettled and time remains (nil: exactly the suite's repetitions).
        public var timeBudget: Double?
        /// Only this part of the suite (`run --shard I/N`); nil for all of it.
        public var shard: BenchmarkShard?
        /// The flumebench binary, run for the suite's instruction cases (under callgrind) and its
        /// whole-process cases (nil: neither is measured).
        public var flumebenchBinary: String?
        /// The simdjson reference's helper, run where views are measured (nil: it is not, and
        /// the report says why).
        public var simdjsonReference: SimdJSONReference?

        public init(suite: BenchmarkSuite, store: CorpusStore = CorpusStore(), sharedCorpus: SharedCorpus?,
                    injections: [Injection] = [], scratchDirectory: String = "Corpus/cache/scratch") {
            self.suite = suite
            self.store = store
            self.sharedCorpus = sharedCorpus
            self.injections = injections
            self.scratchDirectory = scratchDirectory
        }
    }

    let options: Options
    let tracker: AllocationTracker
    let progress: (String) -> Void
    /// Per corpus, the libsodium reference's inputs, gathered at its first round.
    var signatureInputs: [String: SignatureInputs] = [:]

    public init(options: Options, progress: @escaping (String) -> Void = { _ in }) throws {
        self.options = options
        self.progress = progress
        tracker = try AllocationTracker()
    }

    /// A case to measure, before it has samples.
    struct Plan {
        var operation: CaseOperation
        var corpus: String
        var strategy: CaseStrategy
        var cache: CacheState

        /// `operation/corpus/strategy/cache`: the key of the case in results and baselines.
        var id: String { "\(operation)/\(corpus)/\(strategy)/\(cache.rawValue)" }

        static func reference(_ kind: ReferenceKind, corpus: String, cache: CacheState) -> Plan {
            Plan(operation: .reference(kind), corpus: corpus, strategy: .reference(kind), cache: cache)
        }
    }

    /// A log of the user's, by path, in a format.
    public struct UserLog: Sendable {
        public var path: String
        public var format: LogFormat

        public init(path: String, format: LogFormat) {
            self.path = path
            self.format = format
        }
    }

    /// A cold repetition may start with at most this share of its file cached (5 %).
    static let coldResidency = 0.05

    struct Sample {
        /// Cold cases: the share of the file in the page cache right before the repetition.
        var resident: Double?
        var seconds: Double
        var usage: ResourceUsage
        var allocation: AllocationTracker.Delta?
        var records: Int64
        var bytes: Int64
        var checksum: String
        var expected: String
        var note: String?
        /// A whole-process case's child: its peak resident memory.
        var processPeakBytes: UInt64?
    }

    public func run() throws -> BenchmarkResults {
        let started = MonotonicClock.now()
        let suite = options.suite
        try FileManager.default.createDirectory(atPath: options.scratchDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: options.scratchDirectory) }

        // Corpora: made once, cached, verified under every strategy before anything is timed.
        var prepared: [String: PreparedCorpus] = [:]
        var corpusInfo: [BenchmarkResults.CorpusInfo] = []
        var conformance: [BenchmarkResults.ConformanceCell] = []
        // A shard measures its groups only, and prepares only their corpora.
        let groupKeys = BenchmarkShard.groupKeys(of: suite)
        func inShard(_ operation: Operation, _ corpus: String, _ cache: CacheState) -> Bool {
            options.shard.map { $0.owns(BenchmarkShard.key(operation: operation.rawValue, corpus: corpus, cache: cache), among: groupKeys) } ?? true
        }
        let workloadNames = uniqued(suite.groups.flatMap { group in
            group.corpora.filter { corpus in group.operations.contains { op in group.caches.contains { inShard(op, corpus, $0) } } }
        })
        for name in workloadNames {
            if let log = options.logs[name] {
                progress("log \(name): reading it once under every strategy")
                let ready = try PreparedCorpus(userLog: log.path, name: name, format: log.format, appendRecords: suite.appendRecords)
                prepared[name] = ready
                let bits = if case .offset(let width) = log.format { width.bits } else { 0 }
                corpusInfo.append(.init(name: name, path: log.path, kind: ready.kind, format: ready.formatLabel, convertedFrom: nil,
                                        fileBytes: ready.fileSize, records: ready.offsets.count, trailerBits: bits, generatedSeconds: nil))
                conformance += try agreement(ready)
                continue
            }
            progress("corpus \(name): preparing")
            let recipe = try options.store.recipe(named: name)
            let corpus = try options.store.corpus(for: recipe) { recipe, bytes, target in
                self.progress("corpus \(recipe): generating, \(bytes >> 20)\(target.map { " of \($0 >> 20)" } ?? "") MiB")
            }
            progress("corpus \(name): checking against its manifest")
            conformance += try verify(log: corpus.logPath, manifest: corpus.manifest, name: name, source: "generated")
            let base = try recipe.convert.map { try options.store.corpus(for: options.store.recipe(named: $0.base)) }
            let ready = try PreparedCorpus(corpus, convertedFrom: base, appendRecords: suite.appendRecords)
            prepared[name] = ready
            corpusInfo.append(.init(name: name, path: corpus.logPath, kind: recipe.kind.rawValue, format: ready.formatLabel,
                                    convertedFrom: recipe.convert?.base,
                                    fileBytes: ready.fileSize, records: corpus.manifest.recordCount,
                                    trailerBits: recipe.offsetCodecBits, generatedSeconds: corpus.reused ? nil : corpus.seconds))
        }
        if (options.shard?.index ?? 1) == 1 { conformance += try conformanceMatrix() }

        // Cases, grouped by cache state; references for every corpus and cache in use.
        var plans: [CacheState: [Plan]] = [:]
        for group in suite.groups {
            for cache in group.caches {
                for corpus in group.corpora {
                    for operation in group.operations where inShard(operation, corpus, cache) && prepared[corpus]!.supports(operation) {
                        if (operation.isAppend || operation == .convert || operation == .ssbValidate || operation.runsInOwnProcess)
                            && cache == .cold { continue }
                        if operation.runsInOwnProcess && options.flumebenchBinary == nil { continue }
                        let strategies = operation.usesReaderStrategy ? group.strategies.map(CaseStrategy.reader) : [.none]
                        for strategy in strategies {
                            plans[cache, default: []].append(Plan(operation: .operation(operation), corpus: corpus,
                                                                  strategy: strategy, cache: cache))
                        }
                    }
                }
            }
        }
        for (cache, list) in plans {
            for corpus in uniqued(list.map(\.corpus)) {
                let viewsMeasured = list.contains { $0.corpus == corpus && $0.operation.operation?.rebuildsViews == true }
                let validationMeasured = list.contains { $0.corpus == corpus && $0.operation.operation == .ssbValidate }
                let verifyProcessMeasured = list.contains { $0.corpus == corpus && $0.operation.operation?.verifiesInOwnProcess == true }
                let reverseScanned = cache == .cold && list.contains { $0.corpus == corpus && $0.operation.operation == .reverseScan }
                for reference in ReferenceKind.allCases where prepared[corpus]!.supports(reference)
                    && (reference != .simdjsonFields || (viewsMeasured && options.simdjsonReference != nil)) && (![.libsodiumVerify, .libsodiumVerifyEveryCore].contains(reference) || validationMeasured)
                    && (reference != .catProcess || verifyProcessMeasured) && (reference != .readCopyBackward || reverseScanned) {
                    plans[cache]!.append(.reference(reference, corpus: corpus, cache: cache))
                }
            }
            plans[cache] = uniquedPlans(plans[cache]!)
        }

        var results: [BenchmarkResults.CaseResult] = []
        // The estimate: the planned measurements (warm-ups and the suite's rounds) and the time
        // the ones done took.
        let planned = plans.reduce(0) { total, entry in
            total + entry.value.count * (suite.repetitions + (entry.key == .warm ? suite.warmups : 0))
        }
        var done = 0
        let measuringStarted = MonotonicClock.now()
        func left() -> String {
            guard done > 0, done < planned else { return "" }
            let elapsed = Double(MonotonicClock.now() - measuringStarted) / 1e9
            return String(printf: " (~%.0f s left)", elapsed / Double(done) * Double(planned - done))
        }
        for cache in CacheState.allCases {
            guard let list = plans[cache] else { continue }
            var samples: [String: [Sample]] = [:]
            if cache == .warm {
                // Dropped, then read back whole: the pages cached as sequential reads cache them,
                // whatever read them before (the corpus's writes, the checks' strategies). The
                // same suite by the same binary ran 10-25 % slower against the references on
                // corpora fresh from their writes than on ones read back; `gate --against` runs
                // its base on corpora of its own, which favoured the candidate.
                for corpus in prepared.values {
                    try PageCache.evict(corpus.path)
                    try PageCache.warm(corpus.path)
                }
                for round in 0..<suite.warmups {
                    for (index, plan) in list.enumerated() {
                        progress("warm-up \(round + 1)/\(suite.warmups), case \(index + 1)/\(list.count): \(plan.id)\(left())")
                        _ = try measure(plan, prepared[plan.corpus]!)
                        done += 1
                    }
                }
            }
            var repetition = 0
            while repetition < suite.repetitions || moreRounds(list, samples, round: repetition, started: started) {
                let order = Self.roundOrder(list, round: repetition, repetitions: suite.repetitions)
                let of = repetition < suite.repetitions ? "\(suite.repetitions)" : "\(suite.repetitions)+ (verdicts unsettled)"
                for (index, plan) in order.enumerated() {
                    progress("\(cache.rawValue) cache, repetition \(repetition + 1)/\(of), case \(index + 1)/\(list.count): \(plan.id)\(left())")
                    samples[plan.id, default: []].append(try measure(plan, prepared[plan.corpus]!))
                    done += 1
                }
                repetition += 1
            }
            results += list.map { summarize($0, samples: samples) }
        }

        var finished = BenchmarkResults(
            schemaVersion: BenchmarkResults.schemaVersion, suite: suite.name, suiteDescription: suite.description,
            runID: Self.runID(suite: suite.name), machine: .current(jemalloc: tracker.version),
            repetitions: suite.repetitions, memoryBandwidthGBps: MemoryBandwidth.measure(),
            corpora: corpusInfo, cases: results.sorted { $0.id < $1.id }, conformance: conformance,
            injections: options.injections.map(\.description),
            totalSeconds: Double(MonotonicClock.now() - started) / 1e9)
        finished.verdicts = finished.strategyVerdicts()
        finished.shard = options.shard?.description
        if let cases = suite.instructions, !cases.isEmpty, (options.shard?.index ?? 1) == 1, let binary = options.flumebenchBinary {
            let (counter, unavailable) = InstructionCounter.make(binary: binary, scratch: options.scratchDirectory)
            if let counter {
                finished.instructions = try countInstructions(cases, counter, prepared: prepared)
            } else {
                finished.instructionsNote = unavailable
            }
        }
        return finished
    }

    /// Whether another round is worth its time: a time budget is set and not spent (a round
    /// takes about as long as the last one did), and some verdict is still unsettled.
    private func moreRounds(_ list: [Plan], _ samples: [String: [Sample]], round: Int, started: UInt64) -> Bool {
        guard let budget = options.timeBudget, round < 100 else { return false }
        let elapsed = Double(MonotonicClock.now() - started) / 1e9
        let lastRound = list.reduce(0) { $0 + (samples[$1.id]?.last?.seconds ?? 0) } * 1.5
        guard elapsed + lastRound < budget else { return false }
        let groups = Dictionary(grouping: list.filter { $0.strategy.readerKind != nil }) { "\($0.operation)/\($0.corpus)/\($0.cache)" }
        return groups.values.contains { plans in
            let verdict = StrategyVerdict.judge(operation: "", corpus: "", cache: "",
                                                seconds: plans.map { ($0.strategy.description, samples[$0.id]?.map(\.seconds) ?? []) })
            return verdict?.isUnsettled ?? false
        }
    }

    /// A case's samples summarized, with its ratios to its reference, paired by repetition.
    private func summarize(_ plan: Plan, samples: [String: [Sample]]) -> BenchmarkResults.CaseResult {
        let mine = samples[plan.id]!
        let seconds = mine.map(\.seconds)
        var referenceID: String?
        var ratios: [Double]?
        if case .operation(let operation) = plan.operation {
            let id = Plan.reference(.forCase(operation, plan.strategy), corpus: plan.corpus, cache: plan.cache).id
            referenceID = id
            if let theirs = samples[id] { ratios = zip(seconds, theirs.map(\.seconds)).map { $0 / $1 } }
        }
        let failing = mine.first { $0.checksum != $0.expected }
        let allocations = mine.compactMap(\.allocation)
        var result = BenchmarkResults.CaseResult(
            id: plan.id, operation: plan.operation, corpus: plan.corpus,
            strategy: plan.strategy, cache: plan.cache, isReference: plan.operation.operation == nil, reference: referenceID,
            timeGated: plan.operation.operation?.isTimeGated ?? false, seconds: seconds, ratios: ratios,
            statistics: SampleStatistics(seconds), medianRatio: ratios.map { SampleStatistics($0).median },
            records: mine[0].records, bytes: mine[0].bytes,
            userSeconds: SampleStatistics.middle(mine.map(\.usage.userSeconds)), systemSeconds: SampleStatistics.middle(mine.map(\.usage.systemSeconds)),
            minorFaults: SampleStatistics.middle(mine.map(\.usage.minorFaults)), majorFaults: SampleStatistics.middle(mine.map(\.usage.majorFaults)),
            readSyscalls: SampleStatistics.middle(mine.map(\.usage.readSyscalls)), readBytes: SampleStatistics.middle(mine.map(\.usage.readBytes)),
            storageReadBytes: SampleStatistics.middle(mine.map(\.usage.storageReadBytes)),
            allocations: allocations.map(\.allocations).max(), allocatedBytes: allocations.map(\.bytes).max(),
            peakBytes: allocations.map(\.peakBytes).max(), residentBytes: allocations.map(\.residentBytes).max(),
            checksum: (failing ?? mine[0]).checksum, expectedChecksum: (failing ?? mine[0]).expected,
            conforms: failing == nil, note: failing?.note ?? mine.first { $0.note != nil }?.note)
        result.processPeakBytes = mine.compactMap(\.processPeakBytes).max()
        let resident = mine.compactMap(\.resident)
        if let highest = resident.max() {
            result.residentPercent = highest * 100
            result.notCold = highest > Self.coldResidency
        }
        return result
    }

    static func runID(suite: String) -> String {
        var seconds = time(nil), utc = tm()
        gmtime_r(&seconds, &utc)
        return suite + String(printf: "-%04d%02d%02d-%02d%02d%02d", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                      utc.tm_hour, utc.tm_min, utc.tm_sec)
    }

    private func uniqued(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    private func uniquedPlans(_ plans: [Plan]) -> [Plan] {
        var seen = Set<String>()
        return plans.filter { seen.insert($0.id).inserted }
    }
}
