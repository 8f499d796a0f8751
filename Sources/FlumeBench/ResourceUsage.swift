#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the kernel counted for this process: CPU time and page faults (`getrusage`), and read
/// system calls and bytes (`/proc/self/io`). Reading it allocates nothing, so it can bracket a
/// region whose allocations are being counted.
public struct ResourceUsage: Sendable, Equatable {
    public var userSeconds: Double = 0
    public var systemSeconds: Double = 0
    public var minorFaults: Int64 = 0
    public var majorFaults: Int64 = 0
    /// Read-like system calls (`syscr`: read, pread, readv ...).
    public var readSyscalls: Int64 = 0
    /// Bytes those calls returned (`rchar`, page cache hits included).
    public var readBytes: Int64 = 0
    /// Bytes fetched from storage (`read_bytes`): what a cold cache costs.
    public var storageReadBytes: Int64 = 0

    /// The counts now.
    public static func now() -> ResourceUsage {
        var result = kernelCounts(RUSAGE_SELF)
        readProcSelfIO(into: &result)
        return result
    }

    /// CPU time and faults of the child processes waited for so far: a whole-process case's
    /// figures (read calls are counted per process, so not for children).
    public static func children() -> ResourceUsage { kernelCounts(RUSAGE_CHILDREN) }

    /// This process's peak resident memory in bytes (`VmHWM` of `/proc/self/status`), nil where
    /// the kernel does not tell. Not `ru_maxrss`: after `exec` from a `vfork`ed child (as
    /// `posix_spawn` does), that keeps the spawning process's peak.
    public static func peakResidentBytes() -> Int64? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int64(line.dropFirst("VmHWM:".count).trimmingWhitespace.split(separator: " ").first ?? "")
        else { return nil }
        return kilobytes * 1024
    }

    private static func kernelCounts(_ who: __rusage_who) -> ResourceUsage {
        var usage = rusage()
        getrusage(__rusage_who_t(who.rawValue), &usage)
        return ResourceUsage(
            userSeconds: Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6,
            systemSeconds: Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6,
            minorFaults: Int64(usage.ru_minflt), majorFaults: Int64(usage.ru_majflt))
    }

    /// `after - before`, less the one read of `/proc/self/io` that a pair of readings adds.
    public static func delta(from before: ResourceUsage, to after: ResourceUsage) -> ResourceUsage {
        ResourceUsage(userSeconds: after.userSeconds - before.userSeconds,
                      systemSeconds: after.systemSeconds - before.systemSeconds,
                      minorFaults: after.minorFaults - before.minorFaults,
                      majorFaults: after.majorFaults - before.majorFaults,
                      readSyscalls: max(0, after.readSyscalls - before.readSyscalls - readingOverhead.syscalls),
                      readBytes: max(0, after.readBytes - before.readBytes - readingOverhead.bytes),
                      storageReadBytes: after.storageReadBytes - before.storageReadBytes)
    }

    /// What reading `/proc/self/io` itself adds to its counters, measured once.
    private static let readingOverhead: (syscalls: Int64, bytes: Int64) = {
        var first = ResourceUsage(), second = ResourceUsage()
        readProcSelfIO(into: &first)
        readProcSelfIO(into: &second)
        return (second.readSyscalls - first.readSyscalls, second.readBytes - first.readBytes)
    }()

    private static func readProcSelfIO(into usage: inout ResourceUsage) {
        let descriptor = open("/proc/self/io", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 512) { buffer in
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            guard count > 0 else { return }
            // Lines of "name: value".
            var index = 0
            while index < count {
                var nameHash: UInt64 = 0
                while index < count, buffer[index] != UInt8(ascii: ":") {
                    nameHash = nameHash &* 31 &+ UInt64(buffer[index])
                    index += 1
                }
                index += 1
                while index < count, buffer[index] == UInt8(ascii: " ") { index += 1 }
                var value: Int64 = 0
                while index < count, buffer[index] >= UInt8(ascii: "0"), buffer[index] <= UInt8(ascii: "9") {
                    value = value * 10 + Int64(buffer[index] - UInt8(ascii: "0"))
                    index += 1
                }
                index += 1
                switch nameHash {
                case hash("rchar"): usage.readBytes = value
                case hash("syscr"): usage.readSyscalls = value
                case hash("read_bytes"): usage.storageReadBytes = value
                default: break
                }
            }
        }
    }

    private static func hash(_ name: StaticString) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<name.utf8CodeUnitCount { value = value &* 31 &+ UInt64(name.utf8Start[index]) }
        return value
    }
}
