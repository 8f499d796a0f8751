import Foundation

extension StrategyBenchmark.Report {
    /// The ratios the reader-strategy issue sets as targets, as (what, ratio, required).
    public var targets: [(String, Double?, Double)] {
        func ratio(_ name: String) -> Double? {
            rows.first { $0.cache == .warm && $0.name == name }?.ratio
        }
        return [
            ("mmap forward scan / C frame walk (mmap)", ratio("mmap forward scan"), 0.9),
            ("buffered forward scan / read(2) copy-out", ratio("buffered forward scan"), 0.8),
            ("pread forward scan / read(2) copy-out", ratio("pread forward scan"), 0.8),
        ]
    }

    public var allConform: Bool { rows.allSatisfy(\.conforms) }

    public func markdown() -> String {
        let gib = Double(fileBytes) / Double(1 << 30)
        var text = """
            # Reader strategies

            Log `\(log)`: \(String(format: "%.2f", gib)) GiB, \(records) records, \(trailerBits)-bit trailers. \
            Each row is the median of \(repetitions) interleaved repetitions (every repetition runs \
            every case, in rotated order). Ratios compare median throughput with the reference \
            measured in the same run; above 1 is faster than the reference.

            Machine: \(machine.cpuModel), \(machine.cores) cores, \(machine.memoryGiB) GiB, \(machine.kernel); \
            jemalloc \(machine.jemalloc); commit \(machine.gitCommit); \(machine.date). \
            Single-core memory read bandwidth: \(String(format: "%.1f", memoryBandwidthGBps)) GB/s. \
            Read buffer: \(readBufferBytes / 1024) KiB.

            ## Targets (warm cache)

            | ratio | measured | required | met |
            |---|---:|---:|:---:|

            """
        for (what, ratio, required) in targets {
            let measured = ratio.map { String(format: "%.2f", $0) } ?? "n/a"
            text += "| \(what) | \(measured) | ≥ \(String(format: "%.2f", required)) | \((ratio ?? 0) >= required ? "yes" : "**no**") |\n"
        }
        for cache in StrategyBenchmark.CacheState.allCases {
            let selected = rows.filter { $0.cache == cache }
            guard !selected.isEmpty else { continue }
            text += """

                ## \(cache == .warm ? "Warm" : "Cold") cache

                | case | median s | GB/s | MAD s | min s | max s | reference | relative | allocations | records |
                |---|---:|---:|---:|---:|---:|---|---:|---:|:---:|

                """
            for row in selected {
                let relative = row.ratio.map { String(format: "%.2f", $0) } ?? "1.00 (reference)"
                text += "| \(row.name) | \(f4(row.seconds.median)) | \(f2(row.gigabytesPerSecond)) | \(f4(row.seconds.mad)) | "
                text += "\(f4(row.seconds.min)) | \(f4(row.seconds.max)) | \(row.reference ?? "–") | \(relative) | "
                text += "\(row.allocations.map(String.init) ?? "–") | \(row.conforms ? "ok" : "**WRONG**") |\n"
            }
        }
        text += """

            `records` is ok when a case read exactly the records and payload bytes of the C walk \
            (for read(2) copy-out: every byte of the file). Allocations are jemalloc's exact count \
            for opening the log and one full scan.

            """
        return text
    }

    /// A fixed set of columns, units in their names.
    public func csv() -> String {
        var text = "cache,case,reference,median_s,p90_s,min_s,max_s,mad_s,throughput_GBps,relative,records,payload_bytes,allocations,conforms\n"
        for row in rows {
            let fields: [String] = [
                row.cache.rawValue, row.name, row.reference ?? "", "\(row.seconds.median)", "\(row.seconds.p90)",
                "\(row.seconds.min)", "\(row.seconds.max)", "\(row.seconds.mad)", "\(row.gigabytesPerSecond)",
                row.ratio.map { "\($0)" } ?? "", "\(row.records)", "\(row.payloadBytes)",
                row.allocations.map(String.init) ?? "", row.conforms ? "true" : "false",
            ]
            text += fields.joined(separator: ",") + "\n"
        }
        return text
    }

    /// Writes report.md, results.csv and results.json into `directory`.
    public func write(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try markdown().write(toFile: directory + "/report.md", atomically: true, encoding: .utf8)
        try csv().write(toFile: directory + "/results.csv", atomically: true, encoding: .utf8)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: directory + "/results.json"))
    }

    private func f2(_ value: Double) -> String { String(format: "%.2f", value) }
    private func f4(_ value: Double) -> String { String(format: "%.4f", value) }
}
