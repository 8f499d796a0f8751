import ArgumentParser
import FlumeBench
import FlumeCorpus
import Foundation

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a benchmark suite and write its reports (the default command).",
        discussion: """
            Makes (or reuses) the suite's corpora, checks each against its golden manifest under \
            every reader strategy, fills the conformance matrix (the compatibility corpus when \
            present, and generated negative corpora), then measures every case: operations x \
            corpora x strategies x cache states, repetitions interleaved, with jemalloc \
            allocation counts, CPU time, page faults, read system calls and a checksum of what was \
            read. References (read(2) copy-out, a C frame walk) are measured in the same run and \
            every time is also given as a ratio to them.

            Writes Reports/<run>/ and Reports/latest/: report.md (for people), results.csv (fixed \
            columns), results.json (everything; what `gate` reads), charts/*.svg. Suites live in \
            Benchmarks/ (smoke: seconds, for CI; default: a few minutes; full: the 1 GiB corpora).

            Run from the project root. Exit status: 0 done and everything read correctly, 1 a \
            conformance or checksum failure (the report names it), 64 usage error.
            """
    )

    @Option(help: "The suite: a name in Benchmarks/ (smoke, default, full) or a suite file.")
    var suite = "default"

    @Option(help: ArgumentHelp("Where reports go (a folder per run, plus latest/).", valueName: "dir"))
    var reports = "Reports"

    @Option(help: ArgumentHelp("Also write this run's results.json here (for `baseline update --from`).", valueName: "file"))
    var resultsCopy: String?

    @OptionGroup var corpus: CorpusOptions

    @Option(name: .customLong("inject"), help: .hidden)
    var injections: [String] = []

    func run() throws {
        let definition: BenchmarkSuite
        do { definition = try BenchmarkSuite.load(suite) } catch {
            printError("flumebench run: \(error)")
            throw ExitStatus.usage
        }
        let parsedInjections = try injections.map { argument -> Injection in
            guard let injection = Injection(argument: argument) else {
                printError("flumebench run: unknown injection \(argument)")
                throw ExitStatus.usage
            }
            return injection
        }
        let shared = FileManager.default.fileExists(atPath: corpus.directory + "/js") ? corpus.directory : nil
        if shared == nil, definition.conformance.sharedCorpus {
            printError("note: no compatibility corpus at \(corpus.directory); the conformance matrix holds generated corpora only")
        }
        let progress = Progress()
        let results: BenchmarkResults
        do {
            let runner = try BenchmarkRunner(
                options: .init(suite: definition, sharedCorpus: shared, injections: parsedInjections),
                progress: { progress.show("[\(definition.name)] \($0)") })
            results = try runner.run()
        } catch {
            progress.clear()
            printError("flumebench run: \(error)")
            throw ExitStatus.doesNotConform
        }
        progress.clear()
        let folder = "\(reports)/\(results.runID)"
        try results.write(to: folder)
        try? FileManager.default.removeItem(atPath: "\(reports)/latest")
        try results.write(to: "\(reports)/latest")
        if let resultsCopy {
            try? FileManager.default.removeItem(atPath: resultsCopy)
            try FileManager.default.copyItem(atPath: "\(folder)/results.json", toPath: resultsCopy)
        }

        let cells = results.conformance.count, failedCells = results.conformanceFailures.count
        print("suite \(results.suite): \(results.cases.count) cases in \(String(format: "%.0f", results.totalSeconds)) s; "
              + "conformance \(cells - failedCells)/\(cells); checksums \(results.cases.count - results.checksumFailures.count)/\(results.cases.count)")
        print("report: \(reports)/latest/report.md (also \(folder)/)")
        if failedCells > 0 || !results.checksumFailures.isEmpty {
            for cell in results.conformanceFailures.prefix(5) { printError("DOES NOT CONFORM: \(cell.log) [\(cell.strategy)]: \(cell.detail)") }
            for row in results.checksumFailures.prefix(5) { printError("WRONG DATA: \(row.id): read \(row.checksum), expected \(row.expectedChecksum)") }
            throw ExitStatus.doesNotConform
        }
    }
}

struct Gate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare a run with a baseline: pass, conformance failure, or regression.",
        discussion: """
            Deterministic figures are held to tight bounds: allocations per record, read system \
            calls per MB, checksums and the conformance matrix. Times are compared only as ratios \
            to the reference measured in the same run, and fail only when the growth is at least \
            the minimum effect (10 %) and significant (one-sided Mann-Whitney U, p < 0.01). \
            Improvements are reported, never failed.

            Exit status: 0 pass, 1 conformance failure, 2 performance regression, 64 usage error \
            (a file missing or unreadable, different schema versions, nothing in common).
            """
    )

    @Option(help: ArgumentHelp("The baseline results (Benchmarks/baselines/<suite>.json).", valueName: "file"))
    var baseline: String

    @Option(help: ArgumentHelp("The run to judge.", valueName: "file"))
    var current = "Reports/latest/results.json"

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

struct Baseline: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the gate's baselines (Benchmarks/baselines/).",
        subcommands: [Update.self]
    )

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a run the baseline of its suite.",
            discussion: """
                Writes Benchmarks/baselines/<suite>.json from one run's results.json (default: \
                Reports/latest/results.json) or, better, from several runs of the suite (repeat \
                --from; `--runs N` makes them): their samples are pooled, so the gate measures a \
                run against the spread between runs. Refuses runs with conformance or checksum \
                failures or injected regressions. Commit the file to change what CI gates against.
                """
        )

        @Option(help: ArgumentHelp("A run to adopt (repeatable).", valueName: "file"))
        var from: [String] = []

        @Option(help: "Run the suite this many times first and pool the runs.")
        var runs: Int?

        @Option(help: "With --runs: the suite to run.")
        var suite = "smoke"

        @Option(help: ArgumentHelp("The baselines folder.", valueName: "dir"))
        var directory = "Benchmarks/baselines"

        func run() throws {
            var files = from
            if let runs {
                for index in 0..<runs {
                    let copy = FileManager.default.temporaryDirectory.appendingPathComponent("flumebench-baseline-\(getpid())-\(index).json").path
                    try? FileManager.default.removeItem(atPath: copy)
                    // Baseline runs are not reference runs: their reports stay out of Reports/.
                    let reports = FileManager.default.temporaryDirectory.appendingPathComponent("flumebench-baseline-reports-\(getpid())").path
                    var command = try Run.parse(["--suite", suite, "--results-copy", copy, "--reports", reports])
                    printError("baseline run \(index + 1) of \(runs)")
                    try command.run()
                    files.append(copy)
                }
            }
            if files.isEmpty { files = ["Reports/latest/results.json"] }
            let results: BenchmarkResults
            do {
                let loaded = try files.map { try BenchmarkResults.load(from: $0) }
                for (file, run) in zip(files, loaded)
                where !run.injections.isEmpty || !run.conformanceFailures.isEmpty || !run.checksumFailures.isEmpty {
                    printError("flumebench baseline update: \(file) has failures or injected regressions; it cannot be a baseline")
                    throw ExitStatus.doesNotConform
                }
                results = try BenchmarkResults.pooled(loaded)
            } catch let error as ExitCode {
                throw error
            } catch {
                printError("flumebench baseline update: \(error)")
                throw ExitStatus.usage
            }
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let target = "\(directory)/\(results.suite).json"
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(results).write(to: URL(fileURLWithPath: target))
            print("baseline of suite \(results.suite): \(target) (\(files.count) run(s) pooled, \(results.cases.count) cases, commit \(results.machine.gitCommit))")
        }
    }
}
