extension BenchmarkResults {
    /// The charts the report embeds: file name and SVG text.
    public func charts() -> [(name: String, svg: String)] {
        var charts: [(String, String)] = []
        for cache in CacheState.allCases {
            let scans = cases.filter { $0.operation == .operation(.forwardScan) && $0.cache == cache }
            guard !scans.isEmpty else { continue }
            let references = cases.filter { $0.cache == cache && $0.operation == .reference(.readCopy) }
            let bars = (scans + references).sorted { ($0.corpus, $0.strategy.description) < ($1.corpus, $1.strategy.description) }.map {
                SVGChart.Bar(label: "\($0.corpus) · \($0.strategy)", value: $0.throughputMBps / 1000, series: $0.strategy.description)
            }
            charts.append(("forward-scan-\(cache.rawValue).svg",
                           SVGChart(title: "Forward scan throughput, \(cache.rawValue) cache (higher is better)", unit: "GB/s", bars: bars).svg()))
        }
        let scanOperations: Set<Operation> = [.forwardScan, .reverseScan, .scanFromOffset]
        let gated = cases.filter {
            $0.cache == .warm && $0.medianRatio != nil && $0.operation.operation.map(scanOperations.contains) == true
        }
        if !gated.isEmpty {
            let bars = gated.sorted { ($0.operation.description, $0.corpus, $0.strategy.description) < ($1.operation.description, $1.corpus, $1.strategy.description) }.map {
                SVGChart.Bar(label: "\($0.operation) · \($0.corpus) · \($0.strategy)", value: $0.medianRatio!, series: $0.strategy.description)
            }
            charts.append(("scan-ratio-to-reference-warm.svg",
                           SVGChart(title: "Scan time / reference time, warm cache (lower is better; 1 = the reference)",
                                    unit: "× reference", bars: bars, marker: 1).svg()))
        }
        return charts + strategyCharts()
    }

    /// Per operation and cache state: each strategy's time over the fastest strategy's on the
    /// same log, paired by round, with its 95 % interval as a whisker (the verdicts, drawn).
    func strategyCharts() -> [(name: String, svg: String)] {
        let compared = cases.filter { $0.strategy.readerKind != nil }
        let groups = Dictionary(grouping: compared, by: \.groupKey)
        let byChart = Dictionary(grouping: groups.keys) { "\($0.operation!)/\($0.cache.rawValue)" }
        return byChart.keys.sorted().compactMap { chartKey in
            var bars: [SVGChart.Bar] = []
            for key in byChart[chartKey]!.sorted() {
                let rows = groups[key]!.sorted { $0.strategy.description < $1.strategy.description }
                guard rows.count > 1, let fastest = rows.min(by: { $0.statistics.median < $1.statistics.median }) else { continue }
                for row in rows {
                    let (ratio, low, high) = row.id == fastest.id ? (1, 1, 1) : StrategyVerdict.pairedRatio(row.seconds, over: fastest.seconds)
                    bars.append(.init(label: "\(row.corpus) · \(row.strategy)", value: ratio, series: row.strategy.description,
                                      low: row.id == fastest.id ? nil : low, high: row.id == fastest.id ? nil : high))
                }
            }
            guard !bars.isEmpty else { return nil }
            let parts = chartKey.split(separator: "/")
            return ("strategies-\(parts[0])-\(parts[1]).svg",
                    SVGChart(title: "\(parts[0]), \(parts[1]) cache: time over the fastest strategy's (lower is better; whiskers: 95 % interval)",
                             unit: "× fastest", bars: bars, marker: 1).svg())
        }
    }
}
