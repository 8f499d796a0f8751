import ArgumentParser
import FlumeLog
import Foundation

/// The exit statuses the CLI promises (sysexits where one fits).
enum ExitStatus {
    static let doesNotConform = ExitCode(1)
    static let usage = ExitCode(64)
    static let cannotOpen = ExitCode(66)

    /// 66 when the file could not be opened at all; 1 when it opened but is not a valid log.
    static func forOpening(_ error: FlumeLogError) -> ExitCode {
        switch error.code {
        case .io, .invalidArgument, .locked: cannotOpen
        default: doesNotConform
        }
    }
}

/// Diagnostics go to stderr, results to stdout.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
