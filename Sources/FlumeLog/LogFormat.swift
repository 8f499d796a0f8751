/// How a log file frames its records: the value every command's `--format` names and every
/// consumer opens logs by. One decoder per format; every reader strategy reads every format.
public enum LogFormat: Sendable, Hashable, CustomStringConvertible {
    /// flumelog-offset (`log.offset`): `u32 length | payload | u32 length | uintW end`, big-endian.
    case offset(TrailerWidth)
    /// async-append-only-log (ssb-db2's `log.bipf`): blocks of `u16le length | payload` records.
    case aaol(blockSize: Int)
    /// go-ssb's margaret offset2: a directory of `data` (`i64be size | payload` frames),
    /// `ofst` (an i64be offset per entry) and `jrnl` (the last seq); records are seqs.
    case offset2

    /// ssb-db2's AAOL, 64 KiB blocks.
    public static let aaolDefault = LogFormat.aaol(blockSize: AAOLLog.defaultBlockSize)

    public var description: String {
        switch self {
        case .offset(let width): "\(width.bits)-bit flume offset log"
        case .aaol(let blockSize): "async-append-only-log (\(blockSize == 65536 ? "64 KiB" : "\(blockSize)-byte") blocks)"
        case .offset2: "go-ssb margaret offset2 log"
        }
    }

    /// The short name `--format` takes.
    public var name: String {
        switch self {
        case .offset: "offset"
        case .aaol: "aaol"
        case .offset2: "offset2"
        }
    }

    /// The options that name this format to a `flumebench` command (`--format`, and the
    /// trailer width or block size), for the harness's runs of the binary.
    public var commandLineArguments: [String] {
        switch self {
        case .offset(let width): ["--format", name, "--width", "\(width.bits)"]
        case .aaol(let blockSize): ["--format", name, "--block-size", "\(blockSize)"]
        case .offset2: ["--format", name]
        }
    }

    /// Opens the log at `path` (offset2: a directory) read-only in this format: nothing is changed.
    public func openReadOnly(_ path: String, strategy: ReaderStrategy = .standard) throws(FlumeLogError) -> any ReadableLog {
        switch self {
        case .offset(let width): try OffsetLog(path: path, width: width, access: .readOnly, strategy: strategy)
        case .aaol(let blockSize): try AAOLLog(path: path, blockSize: blockSize, strategy: strategy)
        case .offset2: try Offset2Log(directory: path, strategy: strategy)
        }
    }
}
