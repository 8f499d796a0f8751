import ArgumentParser
import FlumeBench
import Foundation

struct Gate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare a run with a baseline: pass, conformance failure, or regression.",
        discussion: """
            Deterministic figures are held to tight bounds: allocations per record, read system \
            calls per MB, checksums and the conformance matrix. Times are compared only as ratios \
            to the reference measured in the same run, and fail only when the growth is at least \
            the minimum effect (\(Int(FlumeBench.Gate.Thresholds().minimumEffect * 100)) %) and significant (one-sided Mann-Whitney U, p < \(FlumeBench.Gate.Thresholds().significance)). \
            Improvements are reported, never failed.

            Exit status: 0 pass, 1 conformance failure, 2 performance regression, 64 usage error \
            (a file missing or unreadable, different schema versions, nothing in common).
            """
    )

    @Option(help: ArgumentHelp("The baseline results (Benchmarks/baselines/<suite>.json).", valueName: "file"))
    var baseline: String

    @Option(help: ArgumentHelp("The run to judge (default: the latest run's results.json).", valueName: "file"))
    var current = ProjectPaths.current.latestResults

    @Flag(help: "Also list notes (cases only on one side).")
    var verbose = false

    func run() throws {
        let old: BenchmarkResults, new: BenchmarkResults
        do {
            old = try BenchmarkResults.load(from: baseline)
            new = try BenchmarkResults.load(from: current)
        } catch {
            printError("flumebench gate: \(error)")
            throw ExitStatus.usage
        }
        guard old.schemaVersion == new.schemaVersion else {
            printError("flumebench gate: the baseline has schema \(old.schemaVersion), the run \(new.schemaVersion): update the baseline")
            throw ExitStatus.usage
        }
        let report = FlumeBench.Gate().compare(baseline: old, current: new)
        guard report.comparedCases > 0 || report.verdict == .conformanceFailure else {
            printError("flumebench gate: no case of \(current) (suite \(new.suite)) is in the baseline (suite \(old.suite))")
            throw ExitStatus.usage
        }
        if !new.injections.isEmpty { printError("note: this run had injected regressions: \(new.injections.joined(separator: ", "))") }
        for finding in report.findings where verbose || finding.kind != .note {
            if finding.kind == .improvement { print(finding) } else { printError("\(finding)") }
        }
        print(report.summary)
        if report.verdict != .pass { throw ExitCode(Int32(report.verdict.rawValue)) }
    }
}
