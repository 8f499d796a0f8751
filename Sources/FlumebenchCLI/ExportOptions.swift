import ArgumentParser
import FlumeBench
import FlumeCorpus
import FlumeLog
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `--export KIND=FILE` (repeatable) and GitHub Actions' summary and annotations: what `run`,
/// `bench` and `gate` hand to CI tools.
struct ExportOptions: ParsableArguments {
    @Option(name: .customLong("export"), help: ArgumentHelp(
        "Also write the results for a CI tool: github-benchmark=FILE (and FILE-throughput.json), bmf=FILE, gobench=FILE, junit=FILE. Repeatable.",
        valueName: "kind=file"))
    var requests: [String] = []

    /// The requests, parsed.
    func parsed() throws -> [(kind: BenchmarkExport, path: String)] {
        try requests.map { request in
            let parts = request.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[1].isEmpty, let kind = BenchmarkExport(rawValue: parts[0]) else {
                throw ValidationError("--export \(request): give KIND=FILE, KIND one of \(BenchmarkExport.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return (kind, parts[1])
        }
    }

    func validate() throws { _ = try parsed() }

    /// Writes every requested export, then (under GitHub Actions) the job summary and the
    /// `::error` annotations.
    func publish(_ results: BenchmarkResults, gate: FlumeBench.Gate.Report? = nil) throws {
        for (kind, path) in try parsed() {
            do {
                try results.export(kind, to: path, gate: gate)
            } catch {
                printError("flumebench: cannot write the \(kind.rawValue) export to \(path): \(error.reason)")
                throw ExitStatus.cannotOpen
            }
            printError("export: \(kind.rawValue) → \(path)" + (kind == .githubBenchmark ? " and \(BenchmarkExport.throughputPath(for: path))" : ""))
        }
        let environment = ProcessInfo.processInfo.environment
        if let summary = environment["GITHUB_STEP_SUMMARY"], !summary.isEmpty {
            do {
                let file = try FileDescriptor.open(summary, .readWrite, create: true)
                defer { file.close() }
                try file.pwriteFully(Array((results.stepSummary(gate: gate) + "\n").utf8), at: file.size())
            } catch {
                printError("flumebench: cannot append to GITHUB_STEP_SUMMARY (\(summary)): \(error)")
            }
        }
        if environment["GITHUB_ACTIONS"] == "true" || environment["GITHUB_STEP_SUMMARY"] != nil {
            for line in results.annotations(gate: gate) { print(line) }
        }
    }
}
