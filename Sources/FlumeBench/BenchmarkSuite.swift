import FlumeCorpus
import FlumeLog
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A suite, read from `Benchmarks/<name>.json`: which corpora, operations, reader strategies
/// and cache states to measure, how often, and which logs make up the conformance matrix.
public struct BenchmarkSuite: Codable, Sendable, Equatable {
    public var name: String
    public var description: String
    /// Recorded repetitions of every case (at least 5), interleaved.
    public var repetitions: Int
    /// Unrecorded rounds before the recorded ones (warm cache only).
    public var warmups: Int
    public var groups: [Group]
    /// Logs checked against their manifests under every strategy (the conformance matrix).
    public var conformance: Conformance
    /// The file the suite was read from (not part of the suite's JSON).
    public var source: String?
    /// Random reads per random-read case.
    public var randomReads: Int
    /// Records written per append case.
    public var appendRecords: Int
    /// Cases whose instructions callgrind counts (when valgrind is installed), gated tightly.
    public var instructions: [InstructionCase]?

    /// A case counted by callgrind: an operation over a corpus through a strategy, once, in a
    /// process of its own (`flumebench exec-case`).
    public struct InstructionCase: Codable, Sendable, Equatable {
        /// `forward_scan`, `reverse_scan` or `view_last`.
        public var operation: Operation
        public var corpus: String
        public var strategy: ReaderStrategy.Kind

        public var id: String { "\(operation.rawValue)/\(corpus)/\(strategy.rawValue)" }

        public static let operations: [Operation] = [.forwardScan, .reverseScan, .viewLast]

        enum CodingKeys: String, CodingKey { case operation, corpus, strategy }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(operation.rawValue, forKey: .operation)
            try container.encode(corpus, forKey: .corpus)
            try container.encode(strategy.rawValue, forKey: .strategy)
        }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            operation = try BenchmarkSuite.values([try container.decode(String.self, forKey: .operation)], "operation",
                                                  in: "instructions", valid: Self.operations)[0]
            corpus = try container.decode(String.self, forKey: .corpus)
            strategy = try BenchmarkSuite.values([try container.decode(String.self, forKey: .strategy)], "strategy",
                                                 in: "instructions", valid: ReaderStrategy.Kind.allCases)[0]
        }
    }

    public init(name: String, description: String, repetitions: Int, warmups: Int, groups: [Group],
                conformance: Conformance, randomReads: Int, appendRecords: Int) {
        self.name = name
        self.description = description
        self.repetitions = repetitions
        self.warmups = warmups
        self.groups = groups
        self.conformance = conformance
        self.randomReads = randomReads
        self.appendRecords = appendRecords
    }

    enum CodingKeys: String, CodingKey {
        case name, description, repetitions, warmups, groups, conformance, instructions
        case randomReads = "random_reads"
        case appendRecords = "append_records"
    }

    /// Operations measured over corpora, each under each strategy and cache state. Names in
    /// the file are checked as they are read: an unknown one is refused, naming the valid ones.
    public struct Group: Codable, Sendable, Equatable {
        public var corpora: [String]
        public var operations: [Operation]
        public var strategies: [ReaderStrategy.Kind]
        public var caches: [CacheState]

        public init(corpora: [String], operations: [Operation], strategies: [ReaderStrategy.Kind], caches: [CacheState]) {
            self.corpora = corpora
            self.operations = operations
            self.strategies = strategies
            self.caches = caches
        }

        enum CodingKeys: String, CodingKey { case corpora, operations, strategies, caches }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            corpora = try container.decode([String].self, forKey: .corpora)
            operations = try Self.names(container, .operations, "operation", Operation.allCases)
            strategies = try Self.names(container, .strategies, "strategy", ReaderStrategy.Kind.allCases)
            caches = try Self.names(container, .caches, "cache state", CacheState.allCases)
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(corpora, forKey: .corpora)
            try container.encode(operations.map(\.rawValue), forKey: .operations)
            try container.encode(strategies.map(\.rawValue), forKey: .strategies)
            try container.encode(caches.map(\.rawValue), forKey: .caches)
        }

        /// The names under `key`, each one of `valid`.
        private static func names<T: RawRepresentable<String>>(
            _ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys, _ what: String, _ valid: [T]
        ) throws -> [T] {
            try BenchmarkSuite.values(try container.decode([String].self, forKey: key), what, in: key.rawValue, valid: valid)
        }
    }

    public struct Conformance: Codable, Sendable, Equatable {
        /// Include every log of the compatibility corpus (`../shared/corpus` or `$FLUME_CORPUS`) when present.
        public var sharedCorpus: Bool
        /// Generated corpora (recipes), negative ones included.
        public var recipes: [String]

        public init(sharedCorpus: Bool, recipes: [String]) {
            self.sharedCorpus = sharedCorpus
            self.recipes = recipes
        }

        enum CodingKeys: String, CodingKey {
            case sharedCorpus = "shared_corpus"
            case recipes
        }
    }

    /// Each name as one of `valid`; an unknown one is refused naming `what` it should be, where
    /// it stood (`field`), and the valid ones.
    public static func values<T: RawRepresentable<String>>(_ names: [String], _ what: String, in field: String? = nil,
                                                           valid: [T]) throws(BenchError) -> [T] {
        var values: [T] = []
        for name in names {
            guard let value = T(rawValue: name) else {
                let place = field.map { " in \"\($0)\"" } ?? ""
                throw BenchError(.suite, message: "unknown \(what) \"\(name)\"\(place) (valid: \(valid.map(\.rawValue).joined(separator: ", ")))")
            }
            values.append(value)
        }
        return values
    }

    /// Reads and checks a suite file; `nameOrPath` is a name in `directory` or a path.
    public static func load(_ nameOrPath: String, directory: String = "Benchmarks") throws -> BenchmarkSuite {
        let path = nameOrPath.hasSuffix(".json") || nameOrPath.contains("/") ? nameOrPath : "\(directory)/\(nameOrPath).json"
        guard let data = FileManager.default.contents(atPath: path) else {
            guard FileManager.default.fileExists(atPath: directory) || path != "\(directory)/\(nameOrPath).json" else {
                throw BenchError(.suite, file: path, message: "no suites at \(directory): run from a checkout, install with `make install`, or name a suite file")
            }
            let known = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
                .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
            throw BenchError(.suite, file: path, message: "no such suite (known in \(directory): \(known.joined(separator: ", ")))")
        }
        var suite: BenchmarkSuite
        do {
            suite = try JSONDecoder().decode(BenchmarkSuite.self, from: data)
            try suite.validate()
        } catch var error as BenchError {
            error.file = path
            throw error
        } catch {
            throw BenchError(.suite, file: path, message: "not a suite: \(error)")
        }
        suite.source = path
        return suite
    }

    /// Checks what the names alone cannot: counts, and that every group has something to do.
    public func validate() throws(BenchError) {
        func fail(_ reason: String) -> BenchError { BenchError(.suite, file: source, message: "suite \(name): \(reason)") }
        guard repetitions >= 5 else { throw fail("repetitions must be at least 5 (statistics need them)") }
        guard warmups >= 0, randomReads >= 1, appendRecords >= 1 else {
            throw fail("warmups, random_reads and append_records must be positive")
        }
        for group in groups {
            guard !group.corpora.isEmpty, !group.operations.isEmpty, !group.caches.isEmpty,
                  !group.strategies.isEmpty || group.operations.allSatisfy(\.isAppend) else {
                throw fail("a group needs corpora, operations, strategies and caches")
            }
        }
    }

    /// Checks that every corpus the suite names has a recipe in `store`.
    public func validateCorpora(in store: CorpusStore) throws(BenchError) {
        let known = (try? store.recipes().map(\.name)) ?? []
        let named = groups.flatMap(\.corpora) + conformance.recipes
        for name in named where !known.contains(name) && !name.hasSuffix(".json") {
            throw BenchError(.suite, file: source, message: "unknown corpus \"\(name)\" (valid: \(known.joined(separator: ", ")))")
        }
    }
}
