import ArgumentParser
import FlumeBench
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the results of a suite's shards (`run --shard I/N`) into one run's reports.",
        discussion: """
            Reads each shard's results.json, checks they are the same suite split the same way and \
            that no shard is missing (naming the missing ones), and writes the reports of the \
            whole suite (report.md, results.csv, results.json, charts) as `run` does; `gate` \
            accepts the merged results.json. When the shards ran on machines of different \
            fingerprints, the merged results hold none (times are then not compared with a baseline).

            Exit status: 0 done, 1 a shard read wrong data, 64 the results do not fit together \
            (other suites, a shard missing), 66 a file cannot be read.
            """
    )

    @Argument(help: ArgumentHelp("The shards' results.json files.", valueName: "results"))
    var results: [String]

    @Option(help: ArgumentHelp("Where reports go (default: Reports in a checkout, else ./flumebench-reports).", valueName: "dir"))
    var reports: String?

    @Option(help: ArgumentHelp("Also write the merged results.json here.", valueName: "file"))
    var resultsCopy: String?

    @OptionGroup var exports: ExportOptions

    func run() throws {
        var shards: [BenchmarkResults] = []
        for path in results {
            do {
                shards.append(try BenchmarkResults.load(from: path))
            } catch {
                printError("flumebench merge: \(path): \(error)")
                throw ExitStatus.cannotOpen
            }
        }
        let merged: BenchmarkResults
        do {
            merged = try BenchmarkResults.merged(shards)
        } catch {
            printError("flumebench merge: \(error)")
            throw ExitStatus.usage
        }
        try Run.publish(merged, reports: reports ?? ProjectPaths.current.reports, resultsCopy: resultsCopy, exports: exports)
    }
}
