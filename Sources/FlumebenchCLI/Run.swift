import ArgumentParser
import FlumeBench
import FlumeCorpus
import FlumeLog
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
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

            Runs from the project root (its Benchmarks/, Corpus/ and Reports/), or anywhere once \
            installed (`make install`: the installed suites and recipes, corpora cached in \
            $XDG_CACHE_HOME/flumebench, reports in ./flumebench-reports). Exit status: 0 done and everything read correctly, 1 a \
            conformance or checksum failure (the report names it), 64 usage error (an unknown \
            suite, operation, strategy, cache state or corpus), 66 a file cannot be opened, 70 \
            the harness failed (nothing was judged).
            """
    )

    @Option(help: "The suite: a name in Benchmarks/ (smoke, default, full) or a suite file.")
    var suite = "default"

    @Option(help: ArgumentHelp("Where reports go (a folder per run, plus latest/; default: Reports in a checkout, else ./flumebench-reports).", valueName: "dir"))
    var reports = ProjectPaths.current.reports

    @Option(help: ArgumentHelp("Also write this run's results.json here (for `baseline update --from`).", valueName: "file"))
    var resultsCopy: String?

    @OptionGroup var corpus: CorpusOptions

    @OptionGroup var exports: ExportOptions

    @Option(help: ArgumentHelp("Run only part I of N of the suite, for a CI matrix: its operation x corpus x cache groups dealt round-robin (every strategy of a group in one shard); shard 1 also checks the conformance matrix. Join the parts with `flumebench merge`.", valueName: "I/N"))
    var shard: String?

    func validate() throws {
        if let shard, BenchmarkShard(shard) == nil { throw ValidationError("--shard \(shard): give I/N with 1 <= I <= N") }
    }

    @Option(name: .customLong("inject"), help: .hidden)
    var injections: [String] = []

    func run() throws {
        let paths = ProjectPaths.current
        let store = CorpusStore(recipesDirectory: paths.recipes, cacheDirectory: paths.cache)
        let definition: BenchmarkSuite
        do {
            definition = try BenchmarkSuite.load(suite, directory: paths.suites)
            try definition.validateCorpora(in: store)
        } catch {
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
        let shared = corpus.shared.exists ? corpus.shared : nil
        if shared == nil, definition.conformance.sharedCorpus {
            printError("note: no compatibility corpus at \(corpus.shared.root); the conformance matrix holds generated corpora only")
        }
        let progress = Progress()
        let results: BenchmarkResults
        do {
            var runOptions = BenchmarkRunner.Options(suite: definition, store: store, sharedCorpus: shared, injections: parsedInjections,
                                                     scratchDirectory: paths.cache + "/scratch")
            runOptions.shard = shard.flatMap(BenchmarkShard.init)
            runOptions.flumebenchBinary = ProjectPaths.executable
            runOptions.simdjsonReference = SimdJSONReference.locate(beside: ProjectPaths.executable)
            if runOptions.simdjsonReference == nil, definition.groups.contains(where: { $0.operations.contains(where: \.rebuildsViews) }) {
                printError("note: no \(SimdJSONReference.executableName) beside \(ProjectPaths.executable) or on the PATH "
                           + "(make build builds it): views are measured without the simdjson reference")
            }
            let runner = try BenchmarkRunner(
                options: runOptions,
                progress: { progress.show("[\(definition.name)] \($0)") })
            results = try runner.run()
        } catch {
            progress.clear()
            printError("flumebench run: \(error)")
            throw ExitStatus.forRun(error)
        }
        progress.clear()
        try Self.publish(results, reports: reports, resultsCopy: resultsCopy, exports: exports)
    }

    /// Writes a run's reports into `reports/<run>/` and `reports/latest/`, prints its summary,
    /// and exits 1 when something read wrong data or a strategy did not conform.
    static func publish(_ results: BenchmarkResults, reports: String, resultsCopy: String? = nil, exports: ExportOptions? = nil) throws {
        let folder = "\(reports)/\(results.runID)"
        try results.write(to: folder)
        try? FileManager.default.removeItem(atPath: "\(reports)/latest")
        try results.write(to: "\(reports)/latest")
        if let resultsCopy { try AtomicFile.write(results.jsonBytes(), to: resultsCopy) }

        let cells = results.conformance.count, failedCells = results.conformanceFailures.count
        print("suite \(results.suite): \(results.cases.count) cases in \(String(printf: "%.0f", results.totalSeconds)) s; "
              + "conformance \(cells - failedCells)/\(cells); checksums \(results.cases.count - results.checksumFailures.count)/\(results.cases.count)")
        print("report: \(reports)/latest/report.md (also \(folder)/)")
        try exports?.publish(results)
        if failedCells > 0 || !results.checksumFailures.isEmpty {
            for cell in results.conformanceFailures.prefix(5) { printError("DOES NOT CONFORM: \(cell.log) [\(cell.strategy)]: \(cell.detail)") }
            for row in results.checksumFailures.prefix(5) { printError("WRONG DATA: \(row.id): read \(row.checksum), expected \(row.expectedChecksum)") }
            throw ExitStatus.doesNotConform
        }
    }
}
