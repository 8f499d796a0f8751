import FlumeLog
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a measurement ran, recorded beside every result.
public struct MachineContext: Codable, Sendable {
    public var cpuModel: String
    public var cores: Int
    public var kernel: String
    public var memoryGiB: Double
    public var jemalloc: String
    public var gitCommit: String
    public var date: String
    /// The filesystem of the working directory (ext4, xfs, tmpfs ...).
    public var filesystem: String?
    /// The Swift compiler that built this binary.
    public var swiftVersion: String?
    /// What makes times comparable between runs (nil in results written before fingerprints).
    public var fingerprint: MachineFingerprint?
    /// Why the `uring` strategy read with pread(2) in this run (io_uring refused), or nil.
    public var ioUringUnavailable: String?

    public static func current(jemalloc: String) -> MachineContext {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { String($0.split(separator: ":", maxSplits: 1).last ?? "").trimmingWhitespace } ?? "unknown"
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let memory = (Double(ProcessInfo.processInfo.physicalMemory) / Double(1 << 30) * 10).rounded() / 10
        let filesystem = filesystem()
        return MachineContext(
            cpuModel: model, cores: cores, kernel: "Linux \(release)", memoryGiB: memory,
            jemalloc: jemalloc, gitCommit: gitCommit(), date: Date().formatted(.iso8601),
            filesystem: filesystem, swiftVersion: installedSwift() ?? compilerVersion,
            fingerprint: .current(cores: cores, memoryGiB: memory, kernel: "Linux \(release)", filesystem: filesystem),
            ioUringUnavailable: ReaderStrategy.uringUnavailableReason)
    }

    /// The toolchain on PATH (the one `make` builds with): the first line of `swift --version`.
    static func installedSwift() -> String? {
        guard let text = Subprocess.output(["swift", "--version"]) else { return nil }
        guard let line = text.split(separator: "\n").first(where: { $0.contains("Swift version") }),
              let start = line.firstRange(of: "Swift version ") else { return nil }
        let version = line[start.upperBound...].prefix { !$0.isWhitespace }
        return "Swift version \(version)"
    }

    /// The compiler version this binary was built with (when no toolchain is on PATH).
    static var compilerVersion: String {
        #if compiler(>=6.3)
        "Swift 6.3 or later"
        #elseif compiler(>=6.2)
        "Swift 6.2"
        #elseif compiler(>=6.1)
        "Swift 6.1"
        #else
        "Swift 6.0"
        #endif
    }

    /// The type of the filesystem holding the working directory, from /proc/self/mountinfo
    /// (the longest mount point that prefixes it).
    static func filesystem() -> String {
        let cwd = FileManager.default.currentDirectoryPath
        guard let text = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return "unknown" }
        var best = (length: -1, type: "unknown")
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count > 8, let dash = fields.firstIndex(of: "-"), dash + 1 < fields.count else { continue }
            let mountPoint = String(fields[4])
            let prefix = mountPoint == "/" ? "/" : mountPoint + "/"
            if (cwd == mountPoint || cwd.hasPrefix(prefix)) && mountPoint.count > best.length {
                best = (mountPoint.count, String(fields[dash + 1]))
            }
        }
        return best.type
    }

    private static func gitCommit() -> String {
        Subprocess.output(["git", "rev-parse", "--short", "HEAD"]) ?? "unknown"
    }
}
