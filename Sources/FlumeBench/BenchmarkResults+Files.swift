import FlumeLog
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension BenchmarkResults {
    /// Writes results.json, results.csv, report.md and charts/ into `directory`, each file
    /// atomically (a reader never finds half a report).
    public func write(to directory: String) throws {
        let charts = directory + "/charts"
        try? FileManager.default.removeItem(atPath: charts)
        try FileManager.default.createDirectory(atPath: charts, withIntermediateDirectories: true)
        try AtomicFile.write(jsonBytes(), to: directory + "/results.json")
        try AtomicFile.write(Array(csv().utf8), to: directory + "/results.csv")
        try AtomicFile.write(Array(markdown().utf8), to: directory + "/report.md")
        for chart in self.charts() {
            try AtomicFile.write(Array(chart.svg.utf8), to: "\(charts)/\(chart.name)")
        }
    }

    /// `results.json`: pretty-printed, keys sorted, so two runs diff line by line.
    public func jsonBytes() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return Array(try encoder.encode(self))
    }

    /// Reads a results.json (a run, or a baseline).
    public static func load(from path: String) throws(BenchError) -> BenchmarkResults {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BenchError(.results, file: path, message: "cannot read")
        }
        do { return try JSONDecoder().decode(BenchmarkResults.self, from: data) } catch {
            throw BenchError(.results, file: path, message: "not a flumebench results.json: \(error)")
        }
    }
}
