#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension BenchmarkResults {
    /// The CSV columns: fixed, whatever the suite, units in the names.
    public static let csvColumns = [
        "suite", "run_id", "case_id", "operation", "corpus", "strategy", "cache", "is_reference", "reference_case",
        "repetitions", "median_s", "p90_s", "min_s", "max_s", "mad_s", "ratio_to_reference", "relative_to_fastest",
        "records", "payload_bytes", "throughput_mb_per_s", "records_per_s", "user_cpu_s", "system_cpu_s",
        "minor_faults", "major_faults", "read_syscalls", "read_syscalls_per_mb", "read_bytes", "storage_read_bytes",
        "allocations", "allocations_per_record", "allocated_bytes", "peak_bytes", "resident_bytes",
        "checksum", "expected_checksum", "conforms",
    ]

    /// One row per case (references included), RFC 4180 quoting.
    public func csv() -> String {
        var lines = [Self.csvColumns.joined(separator: ",")]
        let fastest = fastestMedianByGroup()
        for row in cases {
            let relative = fastest[row.groupKey].map { row.statistics.median / $0 }
            let fields: [String] = [
                suite, runID, row.id, row.operation.description, row.corpus, row.strategy.description, row.cache.rawValue,
                row.isReference ? "true" : "false",
                row.reference ?? "", String(row.seconds.count), number(row.statistics.median), number(row.statistics.p90),
                number(row.statistics.min), number(row.statistics.max), number(row.statistics.mad),
                row.medianRatio.map(number) ?? "", relative.map(number) ?? "",
                String(row.records), String(row.bytes), number(row.throughputMBps),
                number(Double(row.records) / row.statistics.median), number(row.userSeconds), number(row.systemSeconds),
                String(row.minorFaults), String(row.majorFaults), String(row.readSyscalls), number(row.readSyscallsPerMB),
                String(row.readBytes), String(row.storageReadBytes),
                row.allocations.map(String.init) ?? "", row.allocationsPerRecord.map(number) ?? "",
                row.allocatedBytes.map(String.init) ?? "", row.peakBytes.map(String.init) ?? "",
                row.residentBytes.map(String.init) ?? "", row.checksum, row.expectedChecksum, row.conforms ? "true" : "false",
            ]
            lines.append(fields.map(Self.quoted).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The fastest median among the cases of one operation on one corpus in one cache state.
    func fastestMedianByGroup() -> [GroupKey: Double] {
        var fastest: [GroupKey: Double] = [:]
        for row in cases where !row.isReference {
            fastest[row.groupKey] = min(fastest[row.groupKey] ?? .infinity, row.statistics.median)
        }
        return fastest
    }

    private func number(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        return String(printf: "%.6g", value)
    }

    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return field }
        return "\"" + field.replacing("\"", with: "\"\"") + "\""
    }
}
