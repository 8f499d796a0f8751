import Foundation

/// Runs another program to completion: the one place the harness starts processes (git, the
/// base build's runs, valgrind, machine facts).
public enum Subprocess {
    public struct Outcome: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `executable` (a path) with `arguments`, in `directory`, its environment this
    /// process's with `environment` laid over it; both outputs captured (read side by side, so
    /// neither pipe fills while the other is read).
    public static func run(_ executable: String, _ arguments: [String], in directory: String? = nil,
                           environment: [String: String] = [:]) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        nonisolated(unsafe) var stdout = Data()
        let reader = DispatchQueue(label: "subprocess-stdout")
        reader.async { stdout = out.fileHandleForReading.readDataToEndOfFile() }
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        reader.sync {}
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                       stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A command's trimmed standard output (`arguments[0]` found on the PATH), nil when it
    /// cannot run, fails, or prints nothing.
    public static func output(_ arguments: [String]) -> String? {
        guard let outcome = try? run("/usr/bin/env", arguments), outcome.status == 0 else { return nil }
        let text = outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
