import ArgumentParser
import FlumeLog
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a log's records are framed, as plain values: `FormatOptions` once parsed, or what
/// `verify`'s direct parse read (without ArgumentParser's property wrappers, whose first
/// creation costs a small log's `verify` a fifth of its instructions).
struct LogFraming: Equatable {
    typealias FormatChoice = FormatOptions.FormatChoice

    /// `--format`; nil: the command's default.
    var format: FormatChoice?
    /// `--width`; nil: the command's default.
    var width: TrailerWidth?
    /// `--block-size`.
    var blockSize: Int = AAOLLog.defaultBlockSize

    /// `--format`, or the command's default.
    func choice(or fallback: FormatChoice = .offset) -> FormatChoice { format ?? fallback }

    func validate() throws {
        if format == .aaol || format == .offset2, width != nil {
            throw ValidationError("--width is for --format offset; an \(format == .aaol ? "AAOL" : "offset2") log has no trailer")
        }
        if format != .aaol, blockSize != AAOLLog.defaultBlockSize { throw ValidationError("--block-size is for --format aaol") }
    }

    /// Opens `log` read-only in its format (printing the evidence when `auto` found it); a
    /// failure is printed as `flumebench COMMAND: error` and becomes the exit status. A file of
    /// another format, read as an offset log, holds no record: it is refused with a hint naming
    /// its format (exit 1), so that no command lists, converts or builds views from nothing
    /// and reports success.
    func openReadOnly(_ log: String, strategy: ReaderStrategy = .standard, command: String) throws -> any ReadableLog {
        let opened: any ReadableLog
        do {
            let (format, evidence) = try resolved(for: log)
            if let evidence { printError("format: \(format) (\(evidence))") }
            opened = try format.openReadOnly(log, strategy: strategy)
        } catch {
            printError("flumebench \(command): \(error)")
            throw ExitStatus.forOpening(error)
        }
        if opened.since == nil, case .offset = opened.format, let other = Self.otherFormat(of: log, readAs: opened.format) {
            printError("flumebench \(command): \(log): \(other.problem)")
            printError(other.hint)
            throw ExitStatus.doesNotConform
        }
        return opened
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
        case .offset: return (.offset(width ?? defaultWidth), nil)
        case .aaol: return (.aaol(blockSize: blockSize), nil)
        case .offset2: return (.offset2, nil)
        case .auto:
            var info = stat()
            if stat(log, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size == 0 {
                return (.offset(width ?? defaultWidth), "an empty file: an empty log in every format")
            }
            let detection = try LogFormat.detect(log)
            if case .offset(let found) = detection.format, let given = width, given != found {
                throw FlumeLogError(.invalidArgument, file: log, message: "--width \(given.bits) was given, but the bytes fit \(found.bits)-bit trailers (\(detection.evidence))")
            }
            return (detection.format, detection.evidence)
        }
    }
}

extension LogFraming {
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
        let fileSize = FileDescriptor.size(atPath: log) ?? 0
        guard fileSize > 0, let hint = formatHint(for: log, readAs: format) else { return nil }
        return ("no record was read: all \(fileSize) bytes are a torn tail as a \(format)", hint)
    }

    /// For a log that `format` failed to read (or read no record from): when its bytes fit one
    /// other format, a hint naming it; else nil (damage in a log of this format).
    static func formatHint(for log: String, readAs format: LogFormat) -> String? {
        guard let detection = try? LogFormat.detect(log), detection.format != format else { return nil }
        return "hint: it reads as \(detection.format) (\(detection.evidence)): try --format \(detection.format.name)"
    }

    /// Prints a failure to read `log` as `format` as `flumebench COMMAND: error`, with the
    /// format hint when its bytes fit another format, and returns the exit status it means.
    static func reportFailure(_ error: FlumeLogError, reading log: String, as format: LogFormat, command: String) -> ExitCode {
        printError("flumebench \(command): \(error)")
        if let hint = formatHint(for: log, readAs: format) { printError(hint) }
        return ExitStatus.forOpening(error)
    }
}
