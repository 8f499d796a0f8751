extension BenchmarkResults {
    /// Several runs of one suite as one baseline: each case's samples from every run together,
    /// so the gate compares a run with the spread between runs, not only within one.
    public static func pooled(_ runs: [BenchmarkResults]) throws(BenchError) -> BenchmarkResults {
        guard var pooled = runs.first else { throw BenchError(.results, message: "no runs to pool") }
        for run in runs.dropFirst() {
            guard run.suite == pooled.suite, run.schemaVersion == pooled.schemaVersion else {
                throw BenchError(.results, message: "cannot pool run \(run.runID) (suite \(run.suite)) with suite \(pooled.suite)")
            }
        }
        guard runs.count > 1 else { return pooled }
        let byID = runs.map { Dictionary($0.cases.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }) }
        pooled.cases = pooled.cases.compactMap { first in
            let all = byID.compactMap { $0[first.id] }
            guard all.count == runs.count else { return nil }
            var merged = first
            merged.seconds = all.flatMap(\.seconds)
            merged.statistics = SampleStatistics(merged.seconds)
            if first.ratios != nil {
                merged.ratios = all.flatMap { $0.ratios ?? [] }
                merged.medianRatio = SampleStatistics(merged.ratios!).median
                merged.processMedianRatios = all.flatMap { $0.processMedianRatios ?? $0.medianRatio.map { [$0] } ?? [] }
            }
            merged.allocations = all.compactMap(\.allocations).max()
            merged.conforms = all.allSatisfy(\.conforms)
            return merged
        }
        pooled.runID = runs.map(\.runID).joined(separator: "+")
        pooled.repetitions = runs.map(\.repetitions).reduce(0, +)
        return pooled
    }
}
