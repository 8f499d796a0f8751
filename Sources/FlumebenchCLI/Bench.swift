import ArgumentParser
import FlumeBench
import FlumeLog
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#endif

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark your own logs: which reader strategy is fastest for each operation, on this machine, or that none is.",
        discussion: """
            Reads each LOG (log.offset, ssb-db2's log.bipf, any format the project reads; told \
            from the bytes unless --format says) under every reader strategy: open, forward and \
            reverse scans, a scan from the middle, uniform and skewed random reads, and, when the \
            records are SSB messages, view rebuilds (in memory), with a warm and a cold page \
            cache. Rounds are interleaved; each verdict compares the fastest strategy with the \
            runner-up, paired by round, with a 95 % interval, and calls a difference only when \
            the whole interval lies above 1.02. Rounds go on past --repetitions while a verdict \
            is unsettled and --time-budget allows. Cold rounds are proven cold: the share of the \
            file in the page cache is measured (mincore) before each.

            LOG is never opened for writing. With --include-writes, appends and a torn-tail \
            recovery are measured on copies in a temporary folder (offset logs), after checking \
            there is room. Every strategy must read exactly the same records: a difference is a \
            conformance failure on your data (exit 1).

            Writes report.md (the verdict table first), results.json (with a `verdicts` list), \
            results.csv and charts to --reports (default: Reports/ in a checkout, else \
            ./flumebench-reports/). Exit status: 0 done, 1 strategies read different data, 64 \
            usage error, 66 a log cannot be opened, 70 the harness failed.
            """
    )

    @Argument(help: ArgumentHelp("The logs to measure.", valueName: "log"))
    var logs: [String]

    @OptionGroup var framing: FormatOptions

    @OptionGroup var exports: ExportOptions

    @Option(help: ArgumentHelp("Comma-separated reader strategies (default: all).", valueName: "list"))
    var strategies = ReaderStrategy.Kind.allCases.map(\.rawValue).joined(separator: ",")

    @Option(help: ArgumentHelp("Comma-separated cache states: warm, cold (default: both).", valueName: "list"))
    var cache = "warm,cold"

    @Option(help: ArgumentHelp("Comma-separated operations (default: the reads, and view_all for SSB logs).", valueName: "list"))
    var operations = "open,forward_scan,reverse_scan,scan_from_offset,random_uniform,random_skewed,view_all"

    @Flag(help: "Also measure appends and torn-tail recovery, on copies in a temporary folder (offset logs).")
    var includeWrites = false

    @Option(help: "Rounds at least (5 or more).")
    var repetitions = 5

    @Option(help: ArgumentHelp("Seconds the measuring may take: more rounds while a verdict is unsettled.", valueName: "seconds"))
    var timeBudget: Double = 120

    @Option(help: "Reads per random-read case.")
    var randomReads = 20_000

    @Option(help: ArgumentHelp("Where reports go (a folder per run, plus latest/).", valueName: "dir"))
    var reports: String?

    func validate() throws {
        guard repetitions >= 5 else { throw ValidationError("--repetitions must be at least 5") }
        guard timeBudget > 0, randomReads > 0 else { throw ValidationError("--time-budget and --random-reads must be positive") }
    }

    func run() throws {
        let kinds = try Self.names(strategies, "strategy", ReaderStrategy.Kind.allCases)
        noteUringFallback(kinds)
        let caches = try Self.names(cache, "cache state", CacheState.allCases)
        var chosen = try Self.names(operations, "operation", Operation.allCases)
        if includeWrites { chosen += [.appendSingle, .appendBatch, .openWithRecovery] }

        // Each log under a name of its own (its file name, numbered when two are alike).
        var named: [String: BenchmarkRunner.UserLog] = [:], order: [String] = []
        for path in logs {
            let resolved: (format: LogFormat, evidence: String?)
            do { resolved = try framing.resolved(for: path, defaultChoice: .auto) } catch {
                printError("flumebench bench: \(error)")
                throw ExitStatus.forOpening(error)
            }
            if let evidence = resolved.evidence { printError("\(path): \(resolved.format) (\(evidence))") }
            let base = URL(fileURLWithPath: path).lastPathComponent
            var name = base, number = 2
            while named[name] != nil { name = "\(base)-\(number)"; number += 1 }
            named[name] = .init(path: path, format: resolved.format)
            order.append(name)
        }

        let scratch = try PrivateFolder.make(prefix: "flumebench-bench")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        if includeWrites { try Self.requireRoom(for: logs, in: scratch) }

        let suite = BenchmarkSuite(
            name: "bench", description: "Your logs (\(order.joined(separator: ", "))) read every way under every strategy.",
            repetitions: repetitions, warmups: 1,
            groups: [.init(corpora: order, operations: chosen, strategies: kinds, caches: caches)],
            conformance: .init(sharedCorpus: false, recipes: []), randomReads: randomReads, appendRecords: 1000)
        var options = BenchmarkRunner.Options(suite: suite, sharedCorpus: nil, scratchDirectory: scratch + "/scratch")
        options.logs = named
        options.timeBudget = timeBudget
        let progress = Progress()
        let results: BenchmarkResults
        do {
            let runner = try BenchmarkRunner(options: options, progress: { progress.show("[bench] \($0)") })
            results = try runner.run()
        } catch {
            progress.clear()
            printError("flumebench bench: \(error)")
            throw ExitStatus.forRun(error)
        }
        progress.clear()
        for verdict in results.verdicts ?? [] {
            print("\(verdict.operation) \(verdict.corpus) \(verdict.cache): \(verdict.sentence)")
        }
        try Run.publish(results, reports: reports ?? ProjectPaths.current.reports, exports: exports)
    }

    /// The values of a comma-separated list, each one of `valid` (exit 64 naming the valid ones).
    static func names<T: RawRepresentable<String>>(_ list: String, _ what: String, _ valid: [T]) throws -> [T] {
        do {
            return try BenchmarkSuite.values(list.split(separator: ",").map { $0.trimmingWhitespace }, what, valid: valid)
        } catch {
            printError("flumebench bench: \(error)")
            throw ExitStatus.usage
        }
    }

    /// Write cases copy a log and append to it: refuse when the folder's file system has less
    /// room than twice the logs plus 64 MiB.
    static func requireRoom(for logs: [String], in folder: String) throws {
        var status = statvfs()
        guard statvfs(folder, &status) == 0 else { return }
        let free = Int64(status.f_bavail) * Int64(status.f_frsize)
        let needed = logs.reduce(Int64(64 << 20)) { total, path in
            total + 2 * (FileDescriptor.size(atPath: path) ?? 0)
        }
        guard free >= needed else {
            printError("flumebench bench: --include-writes needs \(needed >> 20) MiB free in \(folder), which has \(free >> 20) MiB")
            throw ExitStatus.cannotOpen
        }
    }
}
