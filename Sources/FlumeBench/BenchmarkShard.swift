/// One of N parts of a suite (`run --shard I/N`), for CI matrices. The suite's comparison
/// groups (operation x corpus x cache: every strategy of one, so the comparisons inside a shard
/// hold) are sorted by name and dealt round-robin; each shard measures its groups with their
/// references, and shard 1 also checks the conformance matrix. `merge` joins the shards.
public struct BenchmarkShard: Sendable, Equatable, CustomStringConvertible {
    /// 1-based.
    public let index: Int
    public let count: Int

    /// `I/N`, 1 <= I <= N; nil otherwise.
    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (1...count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    public var description: String { "\(index)/\(count)" }

    /// The suite's comparison groups, `operation/corpus/cache`, sorted.
    public static func groupKeys(of suite: BenchmarkSuite) -> [String] {
        var keys = Set<String>()
        for group in suite.groups {
            for operation in group.operations {
                for corpus in group.corpora {
                    for cache in group.caches { keys.insert(key(operation: operation.rawValue, corpus: corpus, cache: cache)) }
                }
            }
        }
        return keys.sorted()
    }

    public static func key(operation: String, corpus: String, cache: CacheState) -> String { "\(operation)/\(corpus)/\(cache.rawValue)" }

    /// Whether this shard measures the group `key` of `keys` (`groupKeys`).
    public func owns(_ key: String, among keys: [String]) -> Bool {
        guard let position = keys.firstIndex(of: key) else { return false }
        return position % count == index - 1
    }
}
