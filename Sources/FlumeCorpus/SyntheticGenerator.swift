import FlumeLog

/// Writes records of random bytes whose sizes follow the recipe's distribution: a corpus that
/// varies one thing (payload size, record count) and nothing else.
struct SyntheticGenerator {
    let recipe: CorpusRecipe

    func write(to sink: inout CorpusSink, progress: (Int64) -> Void) throws {
        let sampler = try PayloadSizes.Sampler(recipe.payload!)
        var random = SplitMix64(seed: recipe.seed)
        var batch: [[UInt8]] = []
        var batchBytes = 0
        var lastReport: Int64 = 0
        func finished() -> Bool {
            if let count = recipe.recordCount, sink.recordCount + batch.count >= count { return true }
            if let target = recipe.targetBytes, sink.end + Int64(batchBytes) >= target { return true }
            return false
        }
        while !finished() {
            var payload = random.bytes(sampler.next(&random))
            // Never all zero bytes: JS would take the record for a deleted one.
            payload[0] |= 1
            batchBytes += payload.count + sink.manifest.width.frameOverhead
            batch.append(payload)
            if batchBytes >= 8 << 20 {
                try sink.append(batch)
                batch.removeAll(keepingCapacity: true)
                batchBytes = 0
                if sink.end - lastReport >= 16 << 20 {
                    progress(sink.end)
                    lastReport = sink.end
                }
            }
        }
        try sink.append(batch)
        progress(sink.end)
    }
}
