extension BenchmarkResults {
    /// Joins the results of a suite's shards (`run --shard I/N`) into the results of the whole
    /// suite: every shard's cases (a reference measured by several shards kept once), every
    /// conformance cell once, the corpora, and the verdicts made again. Refuses results of
    /// different suites or schemas, and names the shards missing. The machine is the first
    /// shard's; when the shards ran on machines of different fingerprints, the merged results
    /// hold none, so no gate compares their times with a baseline's.
    public static func merged(_ shards: [BenchmarkResults]) throws(BenchError) -> BenchmarkResults {
        guard var merged = shards.first else { throw BenchError(.results, message: "no results to merge") }
        for shard in shards {
            guard shard.suite == merged.suite, shard.schemaVersion == merged.schemaVersion else {
                throw BenchError(.results, message: "cannot merge run \(shard.runID) (suite \(shard.suite), schema \(shard.schemaVersion)) with suite \(merged.suite), schema \(merged.schemaVersion)")
            }
        }
        let parts = shards.compactMap { $0.shard.flatMap(BenchmarkShard.init) }
        guard parts.count == shards.count else {
            throw BenchError(.results, message: "every result must come from `run --shard I/N`; \(shards.count - parts.count) did not")
        }
        let count = parts[0].count
        guard parts.allSatisfy({ $0.count == count }) else {
            throw BenchError(.results, message: "the shards split the suite differently: \(parts.map(\.description).joined(separator: ", "))")
        }
        let missing = (1...count).filter { index in !parts.contains { $0.index == index } }
        guard missing.isEmpty else {
            throw BenchError(.results, message: "shard\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(count)" }.joined(separator: ", ")) missing: merge needs all \(count)")
        }
        var seenCases = Set<String>(), seenCells = Set<String>(), seenCorpora = Set<String>()
        merged.cases = []
        merged.conformance = []
        merged.corpora = []
        for shard in shards.sorted(by: { BenchmarkShard($0.shard!)!.index < BenchmarkShard($1.shard!)!.index }) {
            merged.cases += shard.cases.filter { seenCases.insert($0.id).inserted }
            merged.conformance += shard.conformance.filter { seenCells.insert("\($0.source) \($0.log) \($0.strategy)").inserted }
            merged.corpora += shard.corpora.filter { seenCorpora.insert($0.name).inserted }
        }
        merged.cases.sort { $0.id < $1.id }
        merged.shard = nil
        // `suite-merged-<the first shard's date and time>`.
        merged.runID = "\(merged.suite)-merged-" + shards.map(\.runID).sorted().first!.dropFirst(merged.suite.count + 1)
        merged.totalSeconds = shards.map(\.totalSeconds).max() ?? 0
        merged.injections = Array(Set(shards.flatMap(\.injections))).sorted()
        let first = merged.machine.fingerprint
        if shards.contains(where: { shard in
            guard let theirs = shard.machine.fingerprint, let first else { return true }
            return !theirs.differences(from: first).isEmpty
        }) {
            merged.machine.fingerprint = nil
        }
        merged.verdicts = merged.strategyVerdicts()
        return merged
    }
}
