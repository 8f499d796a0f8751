import Foundation
import XCTest

/// The built `flumebench` executable, run as a separate process.
public enum FlumebenchProcess {
    public struct Outcome {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The binary beside the test bundle, or an `XCTSkip`.
    public static func binary() throws -> URL {
        let candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(), Bundle.main.bundleURL]
            .flatMap { [$0.appendingPathComponent("flumebench"), $0.deletingLastPathComponent().appendingPathComponent("flumebench")] }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw XCTSkip("flumebench binary not found beside the test bundle (\(candidates.map(\.path)))")
        }
        return found
    }

    /// Runs `flumebench arguments...` to completion (`executable`: another flumebench, an
    /// installed one; `environment`: variables added to this process's).
    @discardableResult
    public static func run(_ arguments: [String], as user: String? = nil, in directory: URL? = nil,
                           executable: URL? = nil, environment: [String: String] = [:]) throws -> Outcome {
        let process = Process()
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let flumebench = try executable ?? binary()
        if let user {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=\(user)", "--regid=\(user)", "--clear-groups", flumebench.path] + arguments
        } else {
            process.executableURL = flumebench
            process.arguments = arguments
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                       stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Starts `flumebench arguments...` with stdout on a pipe; the caller ends it.
    public static func start(_ arguments: [String]) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, out)
    }
}
