import FlumeCorpus
import FlumeLog

/// The conformance matrix: every log read under every strategy and held against its manifest
/// (or, for a user's log, against the first read).
extension BenchmarkRunner {
    /// A user's log read forwards and backwards under every strategy: each must read exactly
    /// the records the first read found (one matrix cell each).
    func agreement(_ log: PreparedCorpus) throws -> [BenchmarkResults.ConformanceCell] {
        let expected = log.checksum(0..<log.offsets.count)
        return ReaderStrategy.all.map { strategy in
            var detail = "conforms"
            do {
                let reader = try log.format.openReadOnly(log.path, strategy: strategy)
                for direction in [ScanDirection.forward, .reverse] {
                    var sum: UInt64 = 0, count = 0
                    try reader.forEachRecord(direction) { record in
                        sum &+= PayloadChecksum.record(offset: record.offset, payload: record.payload)
                        count += 1
                    }
                    if sum != expected || count != log.offsets.count {
                        detail = "a \(direction) scan read \(count) records with checksum \(String(sum, radix: 16)); the first read found \(log.offsets.count), \(String(expected, radix: 16))"
                        break
                    }
                }
            } catch {
                detail = "\(error)"
            }
            return .init(log: log.name, source: "user", strategy: strategy.kind.rawValue, conforms: detail == "conforms", detail: detail)
        }
    }

    /// The log checked against its manifest through each strategy: one matrix cell each.
    func verify(log: String, manifest: CorpusManifest, name: String, source: String) throws -> [BenchmarkResults.ConformanceCell] {
        guard let manifest = manifest.golden else {
            let checked: [(strategy: ReaderStrategy, problems: [String])]
            switch manifest {
            case .aaol(let json): checked = try AAOLManifestVerifier(path: log, manifest: json).check(strategies: ReaderStrategy.all)
            case .offset2(let json): checked = try Offset2ManifestVerifier(directory: log, manifest: json).check(strategies: ReaderStrategy.all)
            case .offset: return []
            }
            return checked.map { strategy, problems in
                .init(log: name, source: source, strategy: strategy.kind.rawValue, conforms: problems.isEmpty, detail: problems.first ?? "conforms")
            }
        }
        let width = try manifest.width
        return ReaderStrategy.all.map { strategy in
            let result = LogVerification.run(path: log, manifest: manifest, width: width, strategies: [strategy])
            let detail = result.firstProblem
                ?? result.expectedErrorSeen.map { "fails as expected: \($0.code.rawValue) at \($0.offset ?? -1)" } ?? "conforms"
            return .init(log: name, source: source, strategy: strategy.kind.rawValue,
                         conforms: result.status == .conforms, detail: detail)
        }
    }

    /// The shared corpus's logs (each folder's manifests in their own schema) and the suite's
    /// conformance recipes, each under every strategy.
    func conformanceMatrix() throws -> [BenchmarkResults.ConformanceCell] {
        var cells: [BenchmarkResults.ConformanceCell] = []
        if options.suite.conformance.sharedCorpus, let shared = options.sharedCorpus {
            let folders: [(entries: [SharedCorpus.Entry], load: (String) throws -> CorpusManifest)] = [
                (shared.offsetLogs(), { .offset(try GoldenManifest.load(from: $0)) }),
                (shared.aaolLogs(), { .aaol(try AAOLManifestVerifier.load($0)) }),
                (shared.offset2Logs(), { .offset2(try Offset2ManifestVerifier.load($0)) }),
            ]
            for (entries, load) in folders {
                for entry in entries {
                    progress("conformance: \(entry.name)")
                    do {
                        cells += try verify(log: entry.logPath, manifest: try load(entry.manifestPath), name: entry.name, source: "shared")
                    } catch {
                        cells.append(.init(log: entry.name, source: "shared", strategy: BenchmarkResults.ConformanceCell.everyStrategy, conforms: false, detail: "\(error)"))
                    }
                }
            }
        }
        for name in options.suite.conformance.recipes {
            progress("conformance: \(name)")
            let recipe = try options.store.recipe(named: name)
            let corpus = try options.store.corpus(for: recipe)
            cells += try verify(log: corpus.logPath, manifest: corpus.manifest, name: name, source: "generated")
        }
        return cells
    }
}
