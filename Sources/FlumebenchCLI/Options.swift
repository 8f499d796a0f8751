import ArgumentParser
import FlumeCorpus
import FlumeLog
import FlumeSSB
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension TrailerWidth: ExpressibleByArgument {
    public init?(argument: String) {
        guard let bits = Int(argument), let width = TrailerWidth(rawValue: bits) else { return nil }
        self = width
    }

    public static var allValueStrings: [String] { allCases.map { String($0.bits) } }
}

extension ReaderStrategy.Kind: ExpressibleByArgument {}

/// How a log's records are framed: `[--format offset|aaol|auto] [--width 32|48|53]
/// [--block-size N]`, for commands that take one log (`LogOptions`) or several (`bench`).
struct FormatOptions: ParsableArguments {
    /// `offset` (flumelog-offset), `aaol` (async-append-only-log, ssb-db2's log.bipf),
    /// `offset2` (go-ssb's margaret offset2 directory), or `auto`.
    enum FormatChoice: String, ExpressibleByArgument, CaseIterable {
        case offset, aaol, offset2, auto
    }

    @Option(help: "How records are framed: offset (flumelog-offset), aaol (async-append-only-log), offset2 (go-ssb's margaret offset2: LOG is a directory of data, ofst, jrnl) or auto (told from the bytes; the evidence is printed). Default: offset (bench: auto).")
    var format: FormatChoice?

    @OptionGroup var width: WidthOption

    @Option(help: ArgumentHelp("AAOL block size in bytes (default 65536, as ssb-db2).", valueName: "bytes"))
    var blockSize: Int = AAOLLog.defaultBlockSize

    /// The options as plain values.
    var framing: LogFraming { LogFraming(format: format, width: width.value, blockSize: blockSize) }

    /// `--format`, or the command's default.
    func choice(or fallback: FormatChoice = .offset) -> FormatChoice { framing.choice(or: fallback) }

    func validate() throws { try framing.validate() }

    /// The format to read `log` with; see `LogFraming.resolved`.
    func resolved(for log: String, defaultWidth: TrailerWidth = .bits32,
                  defaultChoice: FormatChoice = .offset) throws(FlumeLogError) -> (format: LogFormat, evidence: String?) {
        try framing.resolved(for: log, defaultWidth: defaultWidth, defaultChoice: defaultChoice)
    }
}

/// The log a command reads, and how its records are framed:
/// `LOG [--format offset|aaol|auto] [--width 32|48|53] [--block-size N]`.
struct LogOptions: ParsableArguments {
    typealias FormatChoice = FormatOptions.FormatChoice

    @Argument(help: "The log: a file (log.offset, or with --format aaol ssb-db2's log.bipf), or with --format offset2 go-ssb's log directory (data, ofst, jrnl).")
    var log: String

    @OptionGroup var framing: FormatOptions

    var format: FormatChoice { framing.choice() }
    var width: WidthOption { framing.width }

    /// Opens the log read-only in its format (printing the evidence when `auto` found it); a
    /// failure is printed as `flumebench COMMAND: error` and becomes the exit status.
    func openReadOnly(strategy: ReaderStrategy = .standard, command: String) throws -> any ReadableLog {
        try framing.framing.openReadOnly(log, strategy: strategy, command: command)
    }

    /// The format to read the log with; see `FormatOptions.resolved`.
    func resolved(defaultWidth: TrailerWidth = .bits32) throws(FlumeLogError) -> (format: LogFormat, evidence: String?) {
        try framing.resolved(for: log, defaultWidth: defaultWidth)
    }
}

/// `--width 32|48|53`: the trailer width, which the file itself does not record.
struct WidthOption: ParsableArguments {
    @Option(name: .customLong("width"), help: "Trailer width in bits: 32, 48 or 53 (default 32).")
    var value: TrailerWidth?

    /// The width given, else `fallback` (32-bit, as JS writes by default).
    func resolved(or fallback: TrailerWidth = .bits32) -> TrailerWidth { value ?? fallback }
}

/// `--strategy buffered|mmap|pread|uring`: one reader strategy, for commands that read once.
struct StrategyOption: ParsableArguments {
    @Option(name: .customLong("strategy"), help: "Reader strategy.")
    var kind: ReaderStrategy.Kind = .buffered

    var strategy: ReaderStrategy {
        noteUringFallback([kind])
        return ReaderStrategy(kind)
    }
}

/// `--strategy buffered|mmap|pread|uring|all`: for commands that check every strategy agrees.
struct StrategiesOption: ParsableArguments {
    /// A strategy, or `all` of them.
    enum Choice: String, ExpressibleByArgument, CaseIterable {
        case buffered, mmap, pread, uring, all
    }

    @Option(name: .customLong("strategy"), help: "Reader strategy; with `all` every strategy must conform and agree.")
    var choice: Choice = defaultChoice

    static let defaultChoice = Choice.all

    var strategies: [ReaderStrategy] { Self.strategies(for: choice) }

    /// The strategy chosen, or all of them; says on stderr when `uring` falls back.
    static func strategies(for choice: Choice) -> [ReaderStrategy] {
        let chosen = ReaderStrategy.Kind(rawValue: choice.rawValue).map { [ReaderStrategy($0)] } ?? ReaderStrategy.all
        noteUringFallback(chosen.map(\.kind))
        return chosen
    }
}

/// Says once on stderr, when `uring` is among `kinds` and the kernel refuses io_uring, that it
/// reads with pread(2) instead.
func noteUringFallback(_ kinds: [ReaderStrategy.Kind]) {
    guard kinds.contains(.uring), let reason = ReaderStrategy.uringUnavailableReason, !uringFallbackNoted else { return }
    uringFallbackNoted = true
    printError("flumebench: io_uring is unavailable here (\(reason)); the uring strategy reads with pread(2)")
}

/// Where the compatibility corpus is: `--corpus`, else `$FLUME_CORPUS`, else `../shared/corpus`.
struct CorpusOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The compatibility corpus folder (default: $FLUME_CORPUS, else ../shared/corpus).", valueName: "dir"))
    var corpus: String?

    var shared: SharedCorpus { SharedCorpus(explicit: corpus) }
}

/// `--records json|bipf|auto`: how the records of an SSB log are written.
struct RecordsOption: ParsableArguments {
    enum Choice: String, ExpressibleByArgument, CaseIterable {
        case json, bipf, gossb, auto
    }

    @Option(name: .customLong("records"), help: "How records are written: json, bipf (ssb-db2's log.bipf), gossb (go-ssb's legacy multimsg, in an offset2 log) or auto (from the first record).")
    var choice: Choice = .auto

    /// The encoding given, or the one the log's first live record shows (JSON for an empty log).
    func resolved(for log: any ReadableLog) throws -> RecordEncoding { try Self.resolved(choice, for: log) }

    /// The encoding `choice` names, or the one the log's first live record shows.
    static func resolved(_ choice: Choice, for log: any ReadableLog) throws -> RecordEncoding {
        if let given = RecordEncoding(rawValue: choice.rawValue) { return given }
        var found: RecordEncoding?
        do {
            var cursor = try log.records(.forward, from: .beginning, deleted: .skipped)
            if let first = try cursor.next() { found = RecordEncoding.of(first.payload) }
        } catch {
            printError("flumebench: \(error)")
            throw ExitStatus.forOpening(error)
        }
        return found ?? .json
    }
}

/// The command line's main thread alone reads and sets it.
nonisolated(unsafe) private var uringFallbackNoted = false
