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
        return charts
    }
}
