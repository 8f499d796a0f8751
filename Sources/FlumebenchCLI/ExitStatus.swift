import ArgumentParser
import FlumeBench
import FlumeCorpus
import FlumeLog
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The exit statuses the CLI promises (sysexits where one fits).
enum ExitStatus {
    /// The log (or a run's data) does not conform: it was read, and it is wrong.
    static let doesNotConform = ExitCode(1)
    /// `gate`: the two sides cannot be compared (another machine's baseline, a base that does
    /// not build or run).
    static let notComparable = ExitCode(3)
    static let usage = ExitCode(64)
    static let cannotOpen = ExitCode(66)
    /// The tool itself could not do its work (a harness failure, not a verdict on a log).
    static let software = ExitCode(70)

    /// 66 when the file could not be opened at all; 1 when it opened but is not a valid log.
    static func forOpening(_ error: FlumeLogError) -> ExitCode {
        switch error.code {
        case .io, .invalidArgument, .locked: cannotOpen
        default: doesNotConform
        }
    }

    /// What a failed benchmark run says: 64 for what the user named (a suite, a corpus, a
    /// recipe, a results file), 66 for a file that cannot be opened, 70 for the harness.
    static func forRun(_ error: Error) -> ExitCode {
        switch error {
        case let error as BenchError: error.code == .harness ? software : usage
        case is CorpusError: usage
        case let error as FlumeLogError where error.code == .io: cannotOpen
        default: software
        }
    }
}

/// Diagnostics go to stderr, results to stdout.
func printError(_ message: String) {
    StandardStream.error.write(message + "\n")
}
