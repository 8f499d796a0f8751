import ArgumentParser
import FlumeBench
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct Gate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Compare a run with a baseline: pass, conformance failure, or regression.",
        discussion: """
            Deterministic figures are held to tight bounds: allocations per record, read system \
            calls per MB, checksums and the conformance matrix. Times are compared only as ratios \
            to the reference measured in the same run, and fail only when the growth is at least \
            the minimum effect (\(Int(FlumeBench.Gate.Thresholds().minimumEffect * 100)) %; \(Int(FlumeBench.Gate.Thresholds().minimumEffectBetweenProcesses * 100)) % for random reads and view rebuilds, \
            which move that much between processes of unchanged code) and significant (one-sided Mann-Whitney U, p < \(FlumeBench.Gate.Thresholds().significance)). \
            Improvements are reported, never failed.

            Times are compared only between runs of the same machine: every results.json holds \
            the machine's fingerprint (CPU vendor, family, model, stepping, the flags that change \
            code paths, cache sizes, cores, memory, kernel, filesystem, virtualization). When the \
            baseline's differs (or it has none), the gate says so in one sentence, compares the \
            deterministic figures only, and exits 3 unless --allow-other-machine: never a silent \
            pass.

            With --against REV (what CI should use: runners differ from job to job), the base is \
            REV built in release in a worktree cached by commit under .build/ab/, and both builds \
            run the suite in this job, interleaved (base, this, this, base, ... for --pairs), each \
            side's runs pooled: the same machine by construction, so times are compared.

            Exit status: 0 pass, 1 conformance failure, 2 performance regression, 3 not comparable \
            (another machine's baseline, without --allow-other-machine), 64 usage error (a file \
            missing or unreadable, different schema versions, nothing in common).
            """
    )

    @Option(help: ArgumentHelp("The baseline results (Benchmarks/baselines/<suite>.json).", valueName: "file"))
    var baseline: String?

    @Option(help: ArgumentHelp("Instead of a baseline file: a git revision, built in release in a cached worktree (.build/ab/<commit>) and run in this job, interleaved with this build (same-job A/B).", valueName: "rev"))
    var against: String?

    @Option(help: "With --against: the suite both sides run.")
    var suite = "smoke"

    @Option(help: "With --against: pairs of runs, interleaved base, this build, this build, base, ...")
    var pairs = 2

    @Option(name: .customLong("base-binary"), help: .hidden)
    var baseBinary: String?

    @Option(name: .customLong("inject"), help: .hidden)
    var injections: [String] = []

    @Option(help: ArgumentHelp("The run to judge (default: the latest run's results.json).", valueName: "file"))
    var current = ProjectPaths.current.latestResults

    @OptionGroup var exports: ExportOptions

    @Flag(help: "Also list notes (cases only on one side).")
    var verbose = false

    @Flag(help: "Compare the deterministic figures only (conformance, checksums, allocations, read calls), never times: for a committed baseline in CI, where times are judged by the same-job A/B (--against) because runners of the same CPU model still differ by up to 40 % in random reads.")
    var deterministicOnly = false

    @Flag(help: "When the baseline comes from another machine, gate on the deterministic figures alone and exit 0 instead of 3.")
    var allowOtherMachine = false

    func validate() throws {
        guard (baseline == nil) != (against == nil && baseBinary == nil) else {
            throw ValidationError("give --baseline FILE, or --against REV (same-job A/B)")
        }
        guard pairs >= 1 else { throw ValidationError("--pairs must be at least 1") }
        if deterministicOnly, baseline == nil { throw ValidationError("--deterministic-only goes with --baseline (the A/B's point is its times)") }
        if baseline != nil, !injections.isEmpty { throw ValidationError("--inject goes with --against (it applies to this build's runs)") }
    }

    func run() throws {
        let old: BenchmarkResults, new: BenchmarkResults
        do {
            if let baseline {
                old = try BenchmarkResults.load(from: baseline)
                new = try BenchmarkResults.load(from: current)
            } else {
                (old, new) = try sameJobRuns()
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError("flumebench gate: \(error)")
            throw ExitStatus.usage
        }
        guard old.schemaVersion == new.schemaVersion else {
            printError("flumebench gate: the baseline has schema \(old.schemaVersion), the run \(new.schemaVersion): update the baseline")
            throw ExitStatus.usage
        }
        let otherMachine = deterministicOnly ? nil : FlumeBench.Gate.machineDifference(baseline: old, current: new)
        if deterministicOnly {
            printError("note: --deterministic-only: times are not compared; allocations, read calls, checksums and conformance are.")
        } else if let otherMachine {
            printError("note: \(otherMachine): times are not compared against it; allocations and read calls are.")
        }
        var report = FlumeBench.Gate().compare(baseline: old, current: new, comparesTimes: otherMachine == nil && !deterministicOnly)
        guard report.comparedCases > 0 || report.verdict == .conformanceFailure else {
            printError("flumebench gate: no case of the run (suite \(new.suite)) is in the baseline (suite \(old.suite))")
            throw ExitStatus.usage
        }
        if !new.injections.isEmpty { printError("note: this run had injected regressions: \(new.injections.joined(separator: ", "))") }
        for finding in report.findings where verbose || finding.kind != .note {
            if finding.kind == .improvement { print(finding) } else { printError("\(finding)") }
        }
        if report.verdict == .pass, otherMachine != nil, !allowOtherMachine { report.verdict = .notComparable }
        print(report.summary)
        try exports.publish(new, gate: report)
        if report.verdict == .notComparable {
            printError("flumebench gate: exit 3: pass --allow-other-machine to accept the deterministic figures alone, or record a baseline on this machine")
        }
        if report.verdict != .pass { throw ExitCode(Int32(report.verdict.rawValue)) }
    }
}
