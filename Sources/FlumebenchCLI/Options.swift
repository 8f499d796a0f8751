import ArgumentParser
import FlumeCorpus
import FlumeLog
import FlumeSSB
import Foundation

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

    /// `--format`, or the command's default.
    func choice(or fallback: FormatChoice = .offset) -> FormatChoice { format ?? fallback }

    @OptionGroup var width: WidthOption

    @Option(help: ArgumentHelp("AAOL block size in bytes (default 65536, as ssb-db2).", valueName: "bytes"))
    var blockSize: Int = AAOLLog.defaultBlockSize

    func validate() throws {
        if format == .aaol || format == .offset2, width.value != nil {
            throw ValidationError("--width is for --format offset; an \(format == .aaol ? "AAOL" : "offset2") log has no trailer")
        }
        if format != .aaol, blockSize != AAOLLog.defaultBlockSize { throw ValidationError("--block-size is for --format aaol") }
    }

    /// The format to read `log` with (`defaultChoice` without `--format`), `defaultWidth` for
    /// offset logs without `--width`. With
    /// `auto`, the format the bytes fit, and the evidence (an empty file is an empty log in every
    /// format: read as an offset log); a file that fits none, or more than one, is refused.
    func resolved(for log: String, defaultWidth: TrailerWidth = .bits32,
                  defaultChoice: FormatChoice = .offset) throws(FlumeLogError) -> (format: LogFormat, evidence: String?) {
        let choice = choice(or: defaultChoice)
        if choice == .offset || choice == .aaol, Self.holdsOffset2Files(log) {
            throw FlumeLogError(.invalidArgument, file: log, message: "cannot read a log from a directory; "
                                + "it holds go-ssb's offset2 files (data, ofst, jrnl): try --format offset2")
        }
        switch choice {
        case .offset: return (.offset(width.resolved(or: defaultWidth)), nil)
        case .aaol: return (.aaol(blockSize: blockSize), nil)
        case .offset2: return (.offset2, nil)
        case .auto:
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: log, isDirectory: &isDirectory), !isDirectory.boolValue,
               let size = try? FileManager.default.attributesOfItem(atPath: log)[.size] as? Int, size == 0 {
                return (.offset(width.resolved(or: defaultWidth)), "an empty file: an empty log in every format")
            }
            let detection = try LogFormat.detect(log)
            if case .offset(let found) = detection.format, let given = width.value, given != found {
                throw FlumeLogError(.invalidArgument, file: log, message: "--width \(given.bits) was given, but the bytes fit \(found.bits)-bit trailers (\(detection.evidence))")
            }
            return (detection.format, detection.evidence)
        }
    }
}

extension FormatOptions {
    /// Whether `path` is a directory with margaret's `data` and `ofst` files in it. One
    /// `stat` for a file: every command asks this first (FileManager's first use cost 2 % of a
    /// small scan's instructions).
    static func holdsOffset2Files(_ path: String) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else { return false }
        return ["data", "ofst"].allSatisfy { access(path + "/" + $0, F_OK) == 0 }
    }

    /// For a non-empty file that `format` read no record from: when its bytes fit another
    /// format, what to say: the problem and a hint naming that format (it is a log of that
    /// format, not a torn log of this one: a crash in a log's first append fits none), else nil.
    static func otherFormat(of log: String, readAs format: LogFormat) -> (problem: String, hint: String)? {
        let fileSize = (try? FileManager.default.attributesOfItem(atPath: log)[.size] as? NSNumber)?.int64Value ?? 0
        guard fileSize > 0, let detection = try? LogFormat.detect(log), detection.format != format else { return nil }
        return ("no record was read: all \(fileSize) bytes are a torn tail as a \(format)",
                "hint: it reads as \(detection.format) (\(detection.evidence)): try --format \(detection.format.name)")
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
        do {
            let (format, evidence) = try resolved()
            if let evidence { printError("format: \(format) (\(evidence))") }
            return try format.openReadOnly(log, strategy: strategy)
        } catch {
            printError("flumebench \(command): \(error)")
            throw ExitStatus.forOpening(error)
        }
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

    var strategies: [ReaderStrategy] {
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
    func resolved(for log: any ReadableLog) throws -> RecordEncoding {
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
