import ArgumentParser
import FlumeCorpus
import FlumeLog

extension TrailerWidth: ExpressibleByArgument {
    public init?(argument: String) {
        guard let bits = Int(argument), let width = TrailerWidth(rawValue: bits) else { return nil }
        self = width
    }

    public static var allValueStrings: [String] { allCases.map { String($0.bits) } }
}

extension ReaderStrategy.Kind: ExpressibleByArgument {}

/// The log a command reads, and how to read it: `LOG [--width 32|48|53]`.
struct LogOptions: ParsableArguments {
    @Argument(help: "The log file (a flumelog-offset log.offset).")
    var log: String

    @OptionGroup var width: WidthOption
}

/// `--width 32|48|53`: the trailer width, which the file itself does not record.
struct WidthOption: ParsableArguments {
    @Option(name: .customLong("width"), help: "Trailer width in bits: 32, 48 or 53 (default 32).")
    var value: TrailerWidth?

    /// The width given, else `fallback` (32-bit, as JS writes by default).
    func resolved(or fallback: TrailerWidth = .bits32) -> TrailerWidth { value ?? fallback }
}

/// `--strategy buffered|mmap|pread`: one reader strategy, for commands that read once.
struct StrategyOption: ParsableArguments {
    @Option(name: .customLong("strategy"), help: "Reader strategy.")
    var kind: ReaderStrategy.Kind = .buffered

    var strategy: ReaderStrategy { ReaderStrategy(kind) }
}

/// `--strategy buffered|mmap|pread|all`: for commands that check every strategy agrees.
struct StrategiesOption: ParsableArguments {
    /// A strategy, or `all` of them.
    enum Choice: String, ExpressibleByArgument, CaseIterable {
        case buffered, mmap, pread, all
    }

    @Option(name: .customLong("strategy"), help: "Reader strategy; with `all` every strategy must conform and agree.")
    var choice: Choice = .all

    var strategies: [ReaderStrategy] {
        guard let kind = ReaderStrategy.Kind(rawValue: choice.rawValue) else { return ReaderStrategy.all }
        return [ReaderStrategy(kind)]
    }
}

/// Where the compatibility corpus is: `--corpus`, else `$FLUME_CORPUS`, else `../shared/corpus`.
struct CorpusOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The compatibility corpus folder (default: $FLUME_CORPUS, else ../shared/corpus).", valueName: "dir"))
    var corpus: String?

    var shared: SharedCorpus { SharedCorpus(explicit: corpus) }
}
