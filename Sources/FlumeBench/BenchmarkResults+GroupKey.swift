extension BenchmarkResults {
    /// The cases that compete: one operation on one corpus in one cache state (the operation
    /// left out where only corpus and cache matter, as for the references).
    public struct GroupKey: Hashable, Comparable, Sendable {
        public var operation: CaseOperation?
        public var corpus: String
        public var cache: CacheState

        public init(operation: CaseOperation? = nil, corpus: String, cache: CacheState) {
            self.operation = operation
            self.corpus = corpus
            self.cache = cache
        }

        public static func < (a: GroupKey, b: GroupKey) -> Bool {
            (a.operation?.description ?? "", a.corpus, a.cache) < (b.operation?.description ?? "", b.corpus, b.cache)
        }
    }
}

extension BenchmarkResults.CaseResult {
    /// The group this case competes in.
    public var groupKey: BenchmarkResults.GroupKey { .init(operation: operation, corpus: corpus, cache: cache) }
}
