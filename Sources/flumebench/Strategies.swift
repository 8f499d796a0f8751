import ArgumentParser
import FlumeBench
import FlumeCorpus
import FlumeLog
import Foundation

struct Strategies: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare the reader strategies on one log, against C and read(2) references.",
        discussion: """
            Scans LOG (forward and reverse) with every reader strategy, interleaved with two \
            references measured in the same run: a validating frame walk in C over mmap, and \
            read(2) copy-out of the file. Reports medians, ratios to the references, jemalloc \
            allocation counts, and whether every case read the same records. Without LOG, a \
            the corpus of --recipe (default `large`, 1 GiB of signed SSB) is generated once into Corpus/cache/.

            Writes report.md, results.csv and results.json into --out. Exit status 1 when a case \
            read different records from the references.
            """
    )

    @Argument(help: "The log to scan (default: the corpus of --recipe).")
    var log: String?

    @Option(help: "Trailer width in bits: 32, 48 or 53.")
    var width: TrailerWidth = .bits32

    @Option(help: "Without LOG: the corpus recipe to scan (see `corpus list`).")
    var recipe = "large"

    @Option(help: "Interleaved repetitions of every case (5 or more for a report).")
    var repetitions: Int = 5

    @Option(help: "Page cache state: warm, cold or both.")
    var cache: CacheChoice = .warm

    @Option(help: "Buffer size of the buffered and pread strategies and of the read(2) reference, in KiB.")
    var bufferKib: Int = ReaderStrategy.defaultBufferSize / 1024

    @Option(help: "Where the reports go.")
    var out: String = "Reports/strategies"

    enum CacheChoice: String, ExpressibleByArgument, CaseIterable {
        case warm, cold, both
    }

    func validate() throws {
        guard repetitions >= 1 else { throw ValidationError("--repetitions must be at least 1") }
        guard (try? ReaderStrategy.buffered(bufferSize: bufferKib * 1024)) != nil else {
            throw ValidationError("--buffer-kib must be 4 ... 1048576")
        }
    }

    func run() throws {
        let path = try log ?? Self.generatedLog(recipe: recipe)
        let caches: [StrategyBenchmark.CacheState] = cache == .both ? [.warm, .cold] : cache == .cold ? [.cold] : [.warm]
        let strategies = [try ReaderStrategy.buffered(bufferSize: bufferKib * 1024), .mmap,
                          try ReaderStrategy.pread(bufferSize: bufferKib * 1024)]
        let benchmark = StrategyBenchmark(logPath: path, width: width, repetitions: repetitions, caches: caches,
                                          strategies: strategies)
        let progress = Progress()
        let report: StrategyBenchmark.Report
        do {
            report = try benchmark.run { progress.show($0) }
        } catch let error as FlumeLogError {
            progress.clear()
            printError("flumebench strategies: \(error)")
            throw ExitStatus.forOpening(error)
        }
        progress.clear()
        try report.write(to: out)
        for (what, ratio, required) in report.targets {
            print("\(what): \(ratio.map { String(format: "%.2f", $0) } ?? "n/a") (target ≥ \(required))")
        }
        print("report: \(out)/report.md")
        if !report.allConform {
            printError("flumebench strategies: a case read different records from the references (see the report)")
            throw ExitStatus.doesNotConform
        }
    }

    /// The corpus of `recipe` (cached in Corpus/cache/, generated when missing).
    static func generatedLog(recipe name: String) throws -> String {
        let store = CorpusStore()
        let progress = Progress()
        let corpus = try store.corpus(for: try store.recipe(named: name)) { recipe, bytes, target in
            progress.show("generating \(recipe): \(bytes >> 20)\(target.map { " of \($0 >> 20)" } ?? "") MiB")
        }
        progress.clear()
        if !corpus.reused { printError(Corpus.Generate.describe(corpus)) }
        return corpus.logPath
    }
}

/// One status line on stderr, rewritten in place; shown only on a terminal.
final class Progress {
    private let enabled = isatty(2) == 1
    private var shown = false

    func show(_ line: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
        shown = true
    }

    func clear() {
        guard enabled, shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        shown = false
    }
}
