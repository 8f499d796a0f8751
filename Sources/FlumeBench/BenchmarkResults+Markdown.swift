import Foundation

extension BenchmarkResults {
    /// The charts the report embeds: file name and SVG text.
    public func charts() -> [(name: String, svg: String)] {
        var charts: [(String, String)] = []
        for cache in ["warm", "cold"] {
            let scans = cases.filter { $0.operation == Operation.forwardScan.rawValue && $0.cache == cache && !$0.isReference }
            guard !scans.isEmpty else { continue }
            let references = cases.filter { $0.cache == cache && $0.operation == "reference_read_copy" }
            let bars = (scans + references).sorted { ($0.corpus, $0.strategy) < ($1.corpus, $1.strategy) }.map {
                SVGChart.Bar(label: "\($0.corpus) · \($0.strategy)", value: $0.throughputMBps / 1000, series: $0.strategy)
            }
            charts.append(("forward-scan-\(cache).svg",
                           SVGChart(title: "Forward scan throughput, \(cache) cache (higher is better)", unit: "GB/s", bars: bars).svg()))
        }
        let gated = cases.filter { !$0.isReference && $0.cache == "warm" && $0.medianRatio != nil && $0.operation.contains("scan") }
        if !gated.isEmpty {
            let bars = gated.sorted { ($0.operation, $0.corpus, $0.strategy) < ($1.operation, $1.corpus, $1.strategy) }.map {
                SVGChart.Bar(label: "\($0.operation) · \($0.corpus) · \($0.strategy)", value: $0.medianRatio!, series: $0.strategy)
            }
            charts.append(("scan-ratio-to-reference-warm.svg",
                           SVGChart(title: "Scan time / reference time, warm cache (lower is better; 1 = the reference)",
                                    unit: "× reference", bars: bars, marker: 1).svg()))
        }
        return charts
    }

    /// The report a person reads: verdicts first, then the comparisons, then the details.
    public func markdown() -> String {
        var text = """
            # flumebench: suite `\(suite)`

            \(suiteDescription)

            Run `\(runID)` at commit `\(machine.gitCommit)`, \(repetitions) interleaved repetitions per case, \
            \(String(format: "%.0f", totalSeconds)) s in all.\(injections.isEmpty ? "" : " **Injected regressions: \(injections.joined(separator: ", ")) (a gate test run).**")

            | machine | |
            |---|---|
            | CPU | \(machine.cpuModel), \(machine.cores) cores |
            | memory | \(machine.memoryGiB) GiB; single-core read bandwidth \(String(format: "%.1f", memoryBandwidthGBps)) GB/s (this run) |
            | kernel, filesystem | \(machine.kernel), \(machine.filesystem ?? "unknown") |
            | Swift, jemalloc | \(machine.swiftVersion ?? "unknown"), \(machine.jemalloc) |


            """
        let conformanceFailures = self.conformanceFailures.count
        let checksumFailures = self.checksumFailures.count
        text += "## Verdict\n\n"
        text += "- Conformance matrix: \(conformance.count - conformanceFailures) of \(conformance.count) cells conform"
        text += conformanceFailures == 0 ? ".\n" : " — **\(conformanceFailures) do not** (see the matrix).\n"
        text += "- Checksums: \(cases.count - checksumFailures) of \(cases.count) cases read exactly the golden data"
        text += checksumFailures == 0 ? ".\n" : " — **\(checksumFailures) did not**: \(self.checksumFailures.prefix(5).map { "`\($0.id)`" }.joined(separator: ", ")).\n"
        text += "- Times are compared as ratios to references measured in the same run (the gate does the same); "
        text += "absolute times on shared machines drift between runs.\n\n"

        text += "## Corpora\n\n| corpus | kind | size | records | trailer |\n|---|---|---:|---:|---:|\n"
        for corpus in corpora {
            text += "| \(corpus.name) | \(corpus.kind) | \(Formatting.bytes(corpus.fileBytes)) | \(corpus.records) | \(corpus.trailerBits)-bit |\n"
        }

        text += "\n## References (measured in this run)\n\n"
        text += "Every case's **ratio** is its time over its reference's time in the same repetition (median of the pairs): "
        text += "`mmap` cases against the C frame walk over mmap, all others against read(2) copy-out of the same file.\n\n"
        text += "| corpus | cache | read(2) copy-out | C frame walk (mmap) |\n|---|---|---:|---:|\n"
        let references = Dictionary(grouping: cases.filter(\.isReference)) { "\($0.corpus)|\($0.cache)" }
        for key in references.keys.sorted() {
            let rows = references[key]!
            func rate(_ operation: String) -> String {
                rows.first { $0.operation == operation }.map { String(format: "%.2f GB/s (%.4f s)", $0.throughputMBps / 1000, $0.statistics.median) } ?? "—"
            }
            let parts = key.split(separator: "|")
            text += "| \(parts[0]) | \(parts[1]) | \(rate("reference_read_copy")) | \(rate("reference_c_frame_walk")) |\n"
        }

        for chart in charts() { text += "\n![\(chart.name)](charts/\(chart.name))\n" }

        text += "\n## Strategy comparison (median ratio to reference; lower is better)\n\n"
        let comparable = cases.filter { !$0.isReference && $0.strategy != "-" }
        let strategies = ["buffered", "mmap", "pread"].filter { name in comparable.contains { $0.strategy == name } }
        text += "| operation | corpus | cache | " + strategies.joined(separator: " | ") + " | best |\n"
        text += "|---|---|---|" + strategies.map { _ in "---:|" }.joined() + "---|\n"
        let grouped = Dictionary(grouping: comparable) { "\($0.operation)|\($0.corpus)|\($0.cache)" }
        for key in grouped.keys.sorted() {
            let rows = grouped[key]!
            let parts = key.split(separator: "|")
            let cells = strategies.map { name in rows.first { $0.strategy == name }?.medianRatio.map { String(format: "%.2f", $0) } ?? "—" }
            let best = rows.min { $0.statistics.median < $1.statistics.median }?.strategy ?? "—"
            text += "| \(parts[0]) | \(parts[1]) | \(parts[2]) | " + cells.joined(separator: " | ") + " | \(best) |\n"
        }

        text += "\n## Every case\n\nPer operation, with a **Relative** column: median time over the fastest case of the same operation, corpus and cache (1.00 = fastest).\n"
        let fastest = fastestMedianByGroup()
        for operation in Operation.allCases.map(\.rawValue) {
            let rows = cases.filter { $0.operation == operation }
            guard !rows.isEmpty else { continue }
            text += "\n### \(operation)\n\n| corpus | strategy | cache | median s | MAD s | min–max s | MB/s | Relative | ratio | allocs/record | checks |\n"
            text += "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n"
            for row in rows {
                let relative = fastest["\(row.operation)/\(row.corpus)/\(row.cache)"].map { String(format: "%.2f", row.statistics.median / $0) } ?? "—"
                text += "| \(row.corpus) | \(row.strategy) | \(row.cache) | \(String(format: "%.4f", row.statistics.median)) | "
                text += "\(String(format: "%.4f", row.statistics.mad)) | \(String(format: "%.4f–%.4f", row.statistics.min, row.statistics.max)) | "
                text += "\(row.bytes > 0 ? String(format: "%.0f", row.throughputMBps) : "—") | \(relative) | \(row.medianRatio.map { String(format: "%.2f", $0) } ?? "—") | "
                text += "\(row.allocationsPerRecord.map { String(format: "%.3f", $0) } ?? "—") | \(row.conforms ? "ok" : "**WRONG DATA**") |\n"
            }
        }

        text += "\n## Conformance matrix\n\nRows: logs (the compatibility corpus written by JS, and generated corpora, negative ones included); columns: reader strategies. "
        text += "A negative corpus conforms when every strategy reports the error its manifest expects.\n\n"
        let matrixStrategies = ["buffered", "mmap", "pread"]
        text += "| log | source | " + matrixStrategies.joined(separator: " | ") + " | note |\n|---|---|" + matrixStrategies.map { _ in ":---:|" }.joined() + "---|\n"
        let byLog = Dictionary(grouping: conformance, by: \.log)
        for log in byLog.keys.sorted() {
            let cells = byLog[log]!
            let marks = matrixStrategies.map { name in cells.first { $0.strategy == name || $0.strategy == "all" }.map { $0.conforms ? "✓" : "✗" } ?? "—" }
            let note = cells.first { !$0.conforms }?.detail ?? cells.first { $0.detail != "conforms" }?.detail ?? ""
            text += "| \(log) | \(cells[0].source) | " + marks.joined(separator: " | ") + " | \(note.replacingOccurrences(of: "|", with: "\\|")) |\n"
        }

        text += "\n## Allocations and system calls (one repetition)\n\n"
        text += "| case | allocations | per record | bytes allocated | peak | read syscalls | syscalls/MB | minor faults |\n|---|---:|---:|---:|---:|---:|---:|---:|\n"
        for row in cases where !row.isReference {
            text += "| `\(row.id)` | \(row.allocations.map(String.init) ?? "—") | \(row.allocationsPerRecord.map { String(format: "%.3f", $0) } ?? "—") | "
            text += "\(row.allocatedBytes.map { Formatting.bytes(Int64($0)) } ?? "—") | \(row.peakBytes.map { Formatting.bytes(Int64($0)) } ?? "—") | "
            text += "\(row.readSyscalls) | \(String(format: "%.1f", row.readSyscallsPerMB)) | \(row.minorFaults) |\n"
        }
        text += "\nFiles: `results.json` (everything, lossless), `results.csv` (one row per case, fixed columns), `charts/`.\n"
        return text
    }

    /// Writes results.json, results.csv, report.md and charts/ into `directory`.
    public func write(to directory: String) throws {
        let charts = directory + "/charts"
        try? FileManager.default.removeItem(atPath: charts)
        try FileManager.default.createDirectory(atPath: charts, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: directory + "/results.json"))
        try csv().write(toFile: directory + "/results.csv", atomically: true, encoding: .utf8)
        try markdown().write(toFile: directory + "/report.md", atomically: true, encoding: .utf8)
        for chart in self.charts() {
            try chart.svg.write(toFile: "\(charts)/\(chart.name)", atomically: true, encoding: .utf8)
        }
    }

    /// Reads a results.json (a run, or a baseline).
    public static func load(from path: String) throws -> BenchmarkResults {
        guard let data = FileManager.default.contents(atPath: path) else { throw SuiteError(reason: "cannot read \(path)") }
        do { return try JSONDecoder().decode(BenchmarkResults.self, from: data) } catch {
            throw SuiteError(reason: "\(path) is not a flumebench results.json: \(error)")
        }
    }
}
