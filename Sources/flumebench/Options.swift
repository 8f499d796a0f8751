import ArgumentParser
import FlumeLog

extension TrailerWidth: ExpressibleByArgument {
    public init?(argument: String) {
        guard let bits = Int(argument), let width = TrailerWidth(rawValue: bits) else { return nil }
        self = width
    }

    public static var allValueStrings: [String] { allCases.map { String($0.bits) } }
}

/// Where the compatibility corpus is: `--corpus`, else `$FLUME_CORPUS`, else `../shared/corpus`.
struct CorpusOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The compatibility corpus folder (default: $FLUME_CORPUS, else ../shared/corpus).", valueName: "dir"))
    var corpus: String?

    var directory: String {
        corpus ?? ProcessInfoEnvironment.value("FLUME_CORPUS") ?? "../shared/corpus"
    }
}

enum ProcessInfoEnvironment {
    static func value(_ name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        let value = String(cString: raw)
        return value.isEmpty ? nil : value
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--strategy buffered|mmap|pread|all`.
enum StrategyChoice: String, ExpressibleByArgument, CaseIterable {
    case buffered, mmap, pread, all

    var strategies: [ReaderStrategy] {
        switch self {
        case .all: ReaderStrategy.all
        case .buffered: [ReaderStrategy(.buffered)]
        case .mmap: [ReaderStrategy(.mmap)]
        case .pread: [ReaderStrategy(.pread)]
        }
    }
}
