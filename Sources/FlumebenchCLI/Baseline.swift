import ArgumentParser
import FlumeBench
import FlumeLog
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct Baseline: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Manage the gate's baselines (Benchmarks/baselines/).",
        subcommands: [Update.self]
    )

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
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
        var directory = ProjectPaths.current.baselines

        func run() throws {
            var files = from
            if let runs {
                // Baseline runs are not reference runs: their reports go to a private folder
                // (mkdtemp: no name to guess or plant), removed afterwards.
                let scratch = try PrivateFolder.make(prefix: "flumebench-baseline")
                defer { try? FileManager.default.removeItem(atPath: scratch) }
                for index in 0..<runs {
                    let copy = "\(scratch)/run-\(index).json"
                    let command = try Run.parse(["--suite", suite, "--results-copy", copy, "--reports", "\(scratch)/reports"])
                    printError("baseline run \(index + 1) of \(runs)")
                    try command.run()
                    files.append(copy)
                }
                try adopt(files)
                return
            }
            try adopt(files)
        }

        /// Pools the runs in `files` and writes the suite's baseline.
        private func adopt(_ given: [String]) throws {
            let files = given.isEmpty ? [ProjectPaths.current.latestResults] : given
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
            try AtomicFile.write(results.jsonBytes(), to: target)
            print("baseline of suite \(results.suite): \(target) (\(files.count) run(s) pooled, \(results.cases.count) cases, commit \(results.machine.gitCommit))")
        }
    }
}
