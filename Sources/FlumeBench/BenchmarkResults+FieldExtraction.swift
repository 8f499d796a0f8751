import Foundation

extension BenchmarkResults {
    /// Each view rebuild's rate as a ratio to simdjson On-Demand pulling the fields the views
    /// read out of the same log in the same rounds (paired by repetition, median): 1.00 means
    /// as fast as the reference, above 1 faster. Nil when no simdjson reference was measured.
    public struct FieldExtractionRatio: Sendable {
        public var view: CaseResult
        public var reference: CaseResult
        /// Messages per second, the view's and the reference's (the same messages).
        public var viewRate: Double
        public var referenceRate: Double
        /// The reference's time over the view's, paired by repetition (median).
        public var ratio: Double
    }

    public func fieldExtractionRatios() -> [FieldExtractionRatio] {
        let references = cases.filter { $0.operation == .reference(.simdjsonFields) }
        return cases.compactMap { view in
            guard case .operation(let operation) = view.operation, operation.views != nil,
                  let reference = references.first(where: { $0.corpus == view.corpus && $0.cache == view.cache }) else { return nil }
            let pairs = zip(reference.seconds, view.seconds).map { $0 / $1 }.sorted()
            guard !pairs.isEmpty, view.statistics.median > 0, reference.statistics.median > 0 else { return nil }
            let messages = Double(view.records)
            return FieldExtractionRatio(view: view, reference: reference, viewRate: messages / view.statistics.median,
                                        referenceRate: messages / reference.statistics.median, ratio: pairs[pairs.count / 2])
        }
    }

    /// The report's section: views against the simdjson reference, with the targets.
    func fieldExtractionSection() -> String {
        let ratios = fieldExtractionRatios()
        guard !ratios.isEmpty else { return "" }
        var text = "\n## Views against simdjson (field extraction)\n\n"
        text += "simdjson On-Demand reads `key`, `value.author`, `value.sequence`, `value.timestamp` and `value.content.type` "
        text += "out of every message of the same log over mmap, in the same rounds: the JSON field-extraction bound. "
        text += "A view's ratio is its rate over the reference's (paired by round, median; above 1.00 is faster). "
        text += "Targets: `view_last` ≥ 1.00, `view_all` (last, keys, clock and types) ≥ 0.67.\n\n"
        text += "| view | corpus | strategy | cache | view messages/s | simdjson messages/s | ratio |\n|---|---|---|---|---:|---:|---:|\n"
        for entry in ratios {
            text += "| \(entry.view.operation) | \(entry.view.corpus) | \(entry.view.strategy) | \(entry.view.cache.rawValue) | "
            text += String(format: "%.2f M | %.2f M | %.2f |\n", entry.viewRate / 1e6, entry.referenceRate / 1e6, entry.ratio)
        }
        return text
    }
}
