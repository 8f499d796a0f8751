import FlumeCorpus
import FlumeLog
import Foundation

/// Runs a suite: makes (or reuses) its corpora, checks them against their golden manifests,
/// fills the conformance matrix, then measures every case, interleaved: each repetition runs
/// every case of a cache state once, in a rotated order, with the references of each corpus
/// measured in the same round, so drift on a shared machine spreads over all of them.
public final class BenchmarkRunner {
    public struct Options {
        public var suite: BenchmarkSuite
        public var store: CorpusStore
        /// The compatibility corpus folder, when present.
        public var sharedCorpus: String?
        public var injections: [Injection]
        /// Scratch files (appends, recovery copies) go here: the corpus's filesystem.
        public var scratchDirectory: String

        public init(suite: BenchmarkSuite, store: CorpusStore = CorpusStore(), sharedCorpus: String?,
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
    private let progress: (String) -> Void

    public init(options: Options, progress: @escaping (String) -> Void = { _ in }) throws {
        self.options = options
        self.progress = progress
        tracker = try AllocationTracker()
    }

    /// A case to measure, before it has samples.
    struct Plan {
        var operation: Operation?
        var reference: ReferenceKind?
        var corpus: String
        var strategy: String
        var cache: String

        var id: String { "\(operation?.rawValue ?? reference!.rawValue)/\(corpus)/\(strategy)/\(cache)" }
    }

    /// The in-run references: what the machine does with the same file, without this code.
    enum ReferenceKind: String {
        /// read(2) of the whole file into one buffer: the bound for buffered and pread reads.
        case readCopy = "reference_read_copy"
        /// A validating frame walk in C over mmap: the bound for mmap reads.
        case cFrameWalk = "reference_c_frame_walk"

        var strategyName: String { self == .readCopy ? "read(2)" : "C mmap" }
    }

    struct Sample {
        var seconds: Double
        var usage: ResourceUsage
        var allocation: AllocationTracker.Delta?
        var records: Int64
        var bytes: Int64
        var checksum: String
        var expected: String
        var note: String?
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
        let workloadNames = uniqued(suite.groups.flatMap(\.corpora))
        for name in workloadNames {
            progress("corpus \(name): preparing")
            let recipe = try options.store.recipe(named: name)
            let corpus = try options.store.corpus(for: recipe) { recipe, bytes, target in
                self.progress("corpus \(recipe): generating, \(bytes >> 20)\(target.map { " of \($0 >> 20)" } ?? "") MiB")
            }
            progress("corpus \(name): checking against its manifest")
            conformance += verify(log: corpus.logPath, manifest: corpus.manifest, name: name, source: "generated")
            let ready = try PreparedCorpus(corpus, appendRecords: suite.appendRecords)
            prepared[name] = ready
            corpusInfo.append(.init(name: name, path: corpus.logPath, kind: recipe.kind.rawValue,
                                    fileBytes: corpus.manifest.fileSize, records: corpus.manifest.recordCount,
                                    trailerBits: recipe.offsetCodecBits, generatedSeconds: corpus.reused ? nil : corpus.seconds))
        }
        conformance += try conformanceMatrix()

        // Cases, grouped by cache state; references for every corpus and cache in use.
        var plans: [String: [Plan]] = [:]
        for group in suite.groups {
            for cache in group.caches {
                for corpus in group.corpora {
                    for operation in group.operations {
                        if operation.isAppend && cache == "cold" { continue }
                        let strategies = operation.usesReaderStrategy ? group.strategies : ["-"]
                        for strategy in strategies {
                            plans[cache, default: []].append(Plan(operation: operation, corpus: corpus, strategy: strategy, cache: cache))
                        }
                    }
                }
            }
        }
        for (cache, list) in plans {
            for corpus in uniqued(list.map(\.corpus)) {
                for reference in [ReferenceKind.readCopy, .cFrameWalk] {
                    plans[cache]!.append(Plan(reference: reference, corpus: corpus, strategy: reference.strategyName, cache: cache))
                }
            }
            plans[cache] = uniquedPlans(plans[cache]!)
        }

        var results: [BenchmarkResults.CaseResult] = []
        for cache in BenchmarkSuite.cacheNames {
            guard let list = plans[cache] else { continue }
            var samples: [String: [Sample]] = [:]
            if cache == "warm" {
                for corpus in prepared.values { try PageCache.warm(corpus.path) }
                for round in 0..<suite.warmups {
                    for (index, plan) in list.enumerated() {
                        progress("warm-up \(round + 1)/\(suite.warmups), case \(index + 1)/\(list.count): \(plan.id)")
                        _ = try measure(plan, prepared[plan.corpus]!)
                    }
                }
            }
            for repetition in 0..<suite.repetitions {
                let shift = (repetition * max(1, list.count / suite.repetitions + 1)) % list.count
                let order = Array(list[shift...]) + Array(list[..<shift])
                for (index, plan) in order.enumerated() {
                    progress("\(cache) cache, repetition \(repetition + 1)/\(suite.repetitions), case \(index + 1)/\(list.count): \(plan.id)")
                    samples[plan.id, default: []].append(try measure(plan, prepared[plan.corpus]!))
                }
            }
            results += list.map { summarize($0, samples: samples) }
        }

        return BenchmarkResults(
            schemaVersion: BenchmarkResults.schemaVersion, suite: suite.name, suiteDescription: suite.description,
            runID: Self.runID(suite: suite.name), machine: .current(jemalloc: tracker.version),
            repetitions: suite.repetitions, memoryBandwidthGBps: MemoryBandwidth.measure(),
            corpora: corpusInfo, cases: results.sorted { $0.id < $1.id }, conformance: conformance,
            injections: options.injections.map(\.description),
            totalSeconds: Double(MonotonicClock.now() - started) / 1e9)
    }

    /// A case's samples summarized, with its ratios to its reference, paired by repetition.
    private func summarize(_ plan: Plan, samples: [String: [Sample]]) -> BenchmarkResults.CaseResult {
        let mine = samples[plan.id]!
        let seconds = mine.map(\.seconds)
        var referenceID: String?
        var ratios: [Double]?
        if plan.operation != nil {
            let kind: ReferenceKind = plan.strategy == "mmap" ? .cFrameWalk : .readCopy
            let id = Plan(reference: kind, corpus: plan.corpus, strategy: kind.strategyName, cache: plan.cache).id
            referenceID = id
            if let theirs = samples[id] { ratios = zip(seconds, theirs.map(\.seconds)).map { $0 / $1 } }
        }
        func median<T: Comparable>(_ values: [T]) -> T { values.sorted()[values.count / 2] }
        let failing = mine.first { $0.checksum != $0.expected }
        let allocations = mine.compactMap(\.allocation)
        return BenchmarkResults.CaseResult(
            id: plan.id, operation: plan.operation?.rawValue ?? plan.reference!.rawValue, corpus: plan.corpus,
            strategy: plan.strategy, cache: plan.cache, isReference: plan.reference != nil, reference: referenceID,
            timeGated: plan.operation?.isTimeGated ?? false, seconds: seconds, ratios: ratios,
            statistics: SampleStatistics(seconds), medianRatio: ratios.map { SampleStatistics($0).median },
            records: mine[0].records, bytes: mine[0].bytes,
            userSeconds: median(mine.map(\.usage.userSeconds)), systemSeconds: median(mine.map(\.usage.systemSeconds)),
            minorFaults: median(mine.map(\.usage.minorFaults)), majorFaults: median(mine.map(\.usage.majorFaults)),
            readSyscalls: median(mine.map(\.usage.readSyscalls)), readBytes: median(mine.map(\.usage.readBytes)),
            storageReadBytes: median(mine.map(\.usage.storageReadBytes)),
            allocations: allocations.map(\.allocations).max(), allocatedBytes: allocations.map(\.bytes).max(),
            peakBytes: allocations.map(\.peakBytes).max(), residentBytes: allocations.map(\.residentBytes).max(),
            checksum: (failing ?? mine[0]).checksum, expectedChecksum: (failing ?? mine[0]).expected,
            conforms: failing == nil, note: failing?.note ?? mine.first { $0.note != nil }?.note)
    }

    /// The log checked against its manifest through each strategy: one matrix cell each.
    private func verify(log: String, manifest: GoldenManifest, name: String, source: String) -> [BenchmarkResults.ConformanceCell] {
        let width = TrailerWidth(rawValue: manifest.offsetCodecBits) ?? .bits32
        return ReaderStrategy.all.map { strategy in
            let result = LogVerification.run(path: log, manifest: manifest, width: width, strategies: [strategy])
            let detail = result.firstProblem
                ?? result.expectedErrorSeen.map { "fails as expected: \($0.code.rawValue) at \($0.offset ?? -1)" } ?? "conforms"
            return .init(log: name, source: source, strategy: strategy.kind.rawValue,
                         conforms: result.status == .conforms, detail: detail)
        }
    }

    /// The shared corpus's logs and the suite's conformance recipes, each under every strategy.
    private func conformanceMatrix() throws -> [BenchmarkResults.ConformanceCell] {
        var cells: [BenchmarkResults.ConformanceCell] = []
        if options.suite.conformance.sharedCorpus, let root = options.sharedCorpus {
            for folder in ["js", "real"] {
                let directory = "\(root)/\(folder)"
                let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
                    .filter { $0.hasSuffix(".manifest.json") }.sorted()
                for name in names {
                    let base = String(name.dropLast(".manifest.json".count))
                    progress("conformance: \(folder)/\(base)")
                    do {
                        let manifest = try GoldenManifest.load(from: "\(directory)/\(name)")
                        cells += verify(log: "\(directory)/\(base).offset", manifest: manifest, name: "\(folder)/\(base)", source: "shared")
                    } catch {
                        cells.append(.init(log: "\(folder)/\(base)", source: "shared", strategy: "all", conforms: false, detail: "\(error)"))
                    }
                }
            }
        }
        for name in options.suite.conformance.recipes {
            progress("conformance: \(name)")
            let corpus = try options.store.corpus(for: options.store.recipe(named: name))
            cells += verify(log: corpus.logPath, manifest: corpus.manifest, name: name, source: "generated")
        }
        return cells
    }

    static func runID(suite: String) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return "\(suite)-\(formatter.string(from: Date()))"
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
