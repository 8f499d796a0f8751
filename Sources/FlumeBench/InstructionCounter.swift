#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Counts the instructions a process executes under callgrind (valgrind): the one speed figure
/// that does not move with the machine, the load or the CPU model, so the gate can hold it
/// tightly on any runner. valgrind 3.19 cannot read Swift 6.3's DWARF 5, so the binary runs as
/// a copy without debug information (`strip --strip-debug`); counts do not need symbols.
public struct InstructionCounter {
    public let valgrind: String
    /// The stripped copy of the binary that is counted.
    public let binary: String

    /// A counter for `binary`, its stripped copy in `scratch`; nil when valgrind or strip is
    /// not installed (the reason in `unavailable`).
    public static func make(binary: String, scratch: String) -> (counter: InstructionCounter?, unavailable: String?) {
        guard let valgrind = which("valgrind") else { return (nil, "valgrind is not installed (apt-get install valgrind): instruction counts not measured") }
        guard let strip = which("strip") else { return (nil, "strip (binutils) is not installed: instruction counts not measured") }
        let copy = scratch + "/flumebench-stripped"
        try? FileManager.default.removeItem(atPath: copy)
        guard (try? FileManager.default.copyItem(atPath: binary, toPath: copy)) != nil,
              (try? Subprocess.run(strip, ["--strip-debug", copy]))?.status == 0 else {
            return (nil, "could not make a stripped copy of \(binary) for valgrind: instruction counts not measured")
        }
        return (InstructionCounter(valgrind: valgrind, binary: copy), nil)
    }

    /// Instructions executed by `binary arguments...` (callgrind's `Collected`), with
    /// deterministic hashing so two runs of the same code hash alike.
    public func count(_ arguments: [String]) throws -> UInt64 {
        let outcome = try Subprocess.run(valgrind, ["--tool=callgrind", "--callgrind-out-file=/dev/null", binary] + arguments,
                                   environment: ["SWIFT_DETERMINISTIC_HASHING": "1"])
        guard outcome.status == 0 else {
            throw BenchError(.harness, message: "under callgrind, flumebench \(arguments.joined(separator: " ")) exited \(outcome.status): \(outcome.stderr.suffix(400))")
        }
        guard let line = outcome.stderr.split(separator: "\n").last(where: { $0.contains("Collected :") }),
              let count = UInt64(line.split(separator: ":").last!.trimmingWhitespace) else {
            throw BenchError(.harness, message: "callgrind printed no instruction count: \(outcome.stderr.suffix(400))")
        }
        return count
    }

    static func which(_ tool: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}
