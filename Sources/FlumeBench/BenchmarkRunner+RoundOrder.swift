extension BenchmarkRunner {
    /// The order of the cases in round `round`: the groups of cases that differ only in
    /// strategy rotated through the round (so drift on a shared machine spreads over all of
    /// them), and each group's strategies rotated too, so that no strategy always comes first
    /// after a different case. The first case after another can pay for what that one left
    /// behind: `verify_process` of the small corpus right after an in-process case on a 64 MiB
    /// corpus ran 0.4-0.8 ms slower, and in a fixed order that was always `buffered`'s turn, a
    /// verdict against a strategy for its place in the list.
    static func roundOrder(_ list: [Plan], round: Int, repetitions: Int) -> [Plan] {
        var groups: [ArraySlice<Plan>] = []
        var start = list.startIndex
        while start < list.endIndex {
            var end = start + 1
            while end < list.endIndex, list[end].differsOnlyInStrategy(from: list[start]) { end += 1 }
            groups.append(list[start..<end])
            start = end
        }
        guard !groups.isEmpty else { return [] }
        let shift = (round * max(1, groups.count / max(1, repetitions) + 1)) % groups.count
        return (groups[shift...] + groups[..<shift]).flatMap { group in
            let turn = round % group.count
            return Array(group.dropFirst(turn) + group.prefix(turn))
        }
    }
}

extension BenchmarkRunner.Plan {
    /// The same operation on the same corpus and cache state: cases a verdict compares.
    func differsOnlyInStrategy(from other: Self) -> Bool {
        operation == other.operation && corpus == other.corpus && cache == other.cache
    }
}
