import Foundation

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
    /// Random reads per random-read case.
    public var randomReads: Int
    /// Records written per append case.
    public var appendRecords: Int

    enum CodingKeys: String, CodingKey {
        case name, description, repetitions, warmups, groups, conformance
        case randomReads = "random_reads"
        case appendRecords = "append_records"
    }

    /// Operations measured over corpora, each under each strategy and cache state.
    public struct Group: Codable, Sendable, Equatable {
        public var corpora: [String]
        public var operations: [Operation]
        public var strategies: [String]
        public var caches: [String]
    }

    public struct Conformance: Codable, Sendable, Equatable {
        /// Include every log of the compatibility corpus (`../shared/corpus` or `$FLUME_CORPUS`) when present.
        public var sharedCorpus: Bool
        /// Generated corpora (recipes), negative ones included.
        public var recipes: [String]

        enum CodingKeys: String, CodingKey {
            case sharedCorpus = "shared_corpus"
            case recipes
        }
    }

    public static let strategyNames = ["buffered", "mmap", "pread"]
    public static let cacheNames = ["warm", "cold"]

    /// Reads and checks a suite file; `nameOrPath` is a name in `directory` or a path.
    public static func load(_ nameOrPath: String, directory: String = "Benchmarks") throws -> BenchmarkSuite {
        let path = nameOrPath.hasSuffix(".json") || nameOrPath.contains("/") ? nameOrPath : "\(directory)/\(nameOrPath).json"
        guard let data = FileManager.default.contents(atPath: path) else {
            let known = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
                .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
            throw SuiteError(reason: "no suite \(path) (known in \(directory): \(known.joined(separator: ", ")))")
        }
        let suite: BenchmarkSuite
        do { suite = try JSONDecoder().decode(BenchmarkSuite.self, from: data) } catch {
            throw SuiteError(reason: "\(path) is not a suite: \(error)")
        }
        try suite.validate()
        return suite
    }

    public func validate() throws {
        guard repetitions >= 5 else { throw SuiteError(reason: "suite \(name): repetitions must be at least 5 (statistics need them)") }
        guard warmups >= 0, randomReads >= 1, appendRecords >= 1 else {
            throw SuiteError(reason: "suite \(name): warmups, random_reads and append_records must be positive")
        }
        for group in groups {
            for strategy in group.strategies where !Self.strategyNames.contains(strategy) {
                throw SuiteError(reason: "suite \(name): unknown strategy \(strategy) (known: \(Self.strategyNames.joined(separator: ", ")))")
            }
            for cache in group.caches where !Self.cacheNames.contains(cache) {
                throw SuiteError(reason: "suite \(name): unknown cache state \(cache) (warm or cold)")
            }
            guard !group.corpora.isEmpty, !group.operations.isEmpty, !group.caches.isEmpty else {
                throw SuiteError(reason: "suite \(name): a group needs corpora, operations and caches")
            }
        }
    }
}

public struct SuiteError: Error, CustomStringConvertible {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}
