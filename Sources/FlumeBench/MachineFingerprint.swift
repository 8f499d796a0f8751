#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What makes two machines time alike: the CPU (vendor, family, model, stepping, the flags
/// that change code paths, cache sizes), cores, memory, kernel, filesystem, and whether it is
/// virtualized. Two hosts that both call themselves "AMD EPYC, 2 cores" can differ in all of
/// these, and times measured on one do not carry to the other: the gate compares times only
/// between runs with equal fingerprints.
public struct MachineFingerprint: Codable, Sendable, Equatable {
    public var vendor: String
    public var family: String
    public var model: String
    public var stepping: String
    /// The flags among `flagsThatMatter` this CPU has, in that order.
    public var flags: [String]
    /// `L1d 48K, L1i 32K, L2 2048K, L3 307200K`.
    public var caches: String
    public var cores: Int
    public var memoryGiB: Double
    public var kernel: String
    public var filesystem: String
    public var virtualized: Bool

    public static let flagsThatMatter = ["sse4_2", "avx", "avx2", "bmi2", "erms", "fsrm", "avx512f", "avx512bw", "avx512vl",
                                         "avx512_vbmi", "sha_ni", "aes", "vaes"]

    public static func current(cores: Int, memoryGiB: Double, kernel: String, filesystem: String) -> MachineFingerprint {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let firstCPU = cpuinfo.components(separatedBy: "\n\n").first ?? ""
        func field(_ name: String) -> String {
            firstCPU.split(separator: "\n").first { line in
                line.split(separator: ":", maxSplits: 1).first?.trimmingWhitespace == name
            }.map { String($0.split(separator: ":", maxSplits: 1).last ?? "").trimmingWhitespace } ?? "unknown"
        }
        let present = Set(field("flags").split(separator: " ").map(String.init))
        return MachineFingerprint(
            vendor: field("vendor_id"), family: field("cpu family"), model: field("model"), stepping: field("stepping"),
            flags: flagsThatMatter.filter(present.contains), caches: cacheSizes(), cores: cores, memoryGiB: memoryGiB,
            kernel: kernel, filesystem: filesystem, virtualized: present.contains("hypervisor"))
    }

    /// The caches of CPU 0, from sysfs.
    static func cacheSizes() -> String {
        let base = "/sys/devices/system/cpu/cpu0/cache"
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).filter { $0.hasPrefix("index") }.sorted()
        return entries.compactMap { entry -> String? in
            func read(_ name: String) -> String? {
                (try? String(contentsOfFile: "\(base)/\(entry)/\(name)", encoding: .utf8))?.trimmingWhitespace
            }
            guard let level = read("level"), let type = read("type"), let size = read("size") else { return nil }
            let suffix = type == "Data" ? "d" : type == "Instruction" ? "i" : ""
            return "L\(level)\(suffix) \(size)"
        }.joined(separator: ", ")
    }

    /// The fields in which `other` differs, named for a person.
    public func differences(from other: MachineFingerprint) -> [String] {
        var found: [String] = []
        func check<T: Equatable>(_ name: String, _ mine: T, _ theirs: T) {
            if mine != theirs { found.append("\(name) \(theirs) → \(mine)") }
        }
        check("CPU vendor", vendor, other.vendor)
        check("CPU family/model/stepping", "\(family)/\(model)/\(stepping)", "\(other.family)/\(other.model)/\(other.stepping)")
        check("CPU flags", flags.joined(separator: " "), other.flags.joined(separator: " "))
        check("caches", caches, other.caches)
        check("cores", cores, other.cores)
        check("memory GiB", memoryGiB, other.memoryGiB)
        check("kernel", kernel, other.kernel)
        check("filesystem", filesystem, other.filesystem)
        check("virtualized", virtualized, other.virtualized)
        return found
    }
}
