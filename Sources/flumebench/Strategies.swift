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
            realistic SSB-shaped log of --size-mib MiB is generated once into Corpus/cache/.

            Writes report.md, results.csv and results.json into --out. Exit status 1 when a case \
            read different records from the references.
            """
    )

    @Argument(help: "The log to scan (default: a generated SSB-shaped log).")
    var log: String?

    @Option(help: "Trailer width in bits: 32, 48 or 53.")
    var width: TrailerWidth = .bits32

    @Option(help: "Size of the generated log, in MiB.")
    var sizeMib: Int = 1024

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
        guard sizeMib >= 1 else { throw ValidationError("--size-mib must be at least 1") }
        guard (try? ReaderStrategy.buffered(bufferSize: bufferKib * 1024)) != nil else {
            throw ValidationError("--buffer-kib must be 4 ... 1048576")
        }
    }

    func run() throws {
        let path = try log ?? Self.generatedLog(sizeMib: sizeMib, width: width)
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

    /// The cached SSB-shaped log of `sizeMib` MiB, generated when missing.
    static func generatedLog(sizeMib: Int, width: TrailerWidth) throws -> String {
        let directory = "Corpus/cache"
        let path = "\(directory)/ssb-shaped-v2-\(sizeMib)MiB-w\(width.bits).offset"
        let marker = path + ".complete"
        if FileManager.default.fileExists(atPath: marker) { return path }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let progress = Progress()
        let target = Int64(sizeMib) << 20
        let (records, seconds) = try MonotonicClock.time {
            try SSBShapedLog(seed: 1, targetBytes: target, width: width).write(to: path) { written in
                progress.show("generating \(path): \(written >> 20) of \(sizeMib) MiB")
            }
        }
        progress.clear()
        printError("generated \(path): \(records) records in \(String(format: "%.1f", seconds)) s")
        try "\(records) records\n".write(toFile: marker, atomically: true, encoding: .utf8)
        return path
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
