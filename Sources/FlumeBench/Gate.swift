/// Compares a run with a baseline and decides: pass, conformance failure, or regression.
/// Deterministic figures (allocations, read system calls, checksums, conformance) are held to
/// tight bounds; times only as ratios to the reference measured in the same run, and only
/// when a significance test and a minimum effect size both say so. Improvements are reported,
/// never failed.
public struct Gate {
    /// Why two runs' times cannot be compared: the fields in which the machines differ, or
    /// that the baseline has no fingerprint; nil when they are the same machine.
    public static func machineDifference(baseline: BenchmarkResults, current: BenchmarkResults) -> String? {
        guard let theirs = baseline.machine.fingerprint else {
            return "the baseline has no machine fingerprint (it was recorded before fingerprints)"
        }
        guard let mine = current.machine.fingerprint else { return "this run has no machine fingerprint" }
        let differences = mine.differences(from: theirs)
        return differences.isEmpty ? nil : "the baseline was recorded on another machine (" + differences.joined(separator: "; ") + ")"
    }

    public struct Thresholds: Codable, Sendable {
        /// A time ratio must grow by at least this share (0.15 = 15 %) to count: medians of
        /// unchanged code moved up to 13 % between runs here (mmap cases; 5-7 % for buffered) ...
        public var minimumEffect = 0.15
        /// ... except for random reads and view rebuilds, whose medians moved by up to 27 %
        /// between processes of unchanged code (the page and hash layout a process gets):
        /// they must grow by this share.
        public var minimumEffectBetweenProcesses = 0.35

        /// The growth a time ratio of `operation` must show to count.
        public func minimumEffect(for operation: Operation?) -> Double {
            guard let operation else { return minimumEffect }
            return [.randomUniform, .randomSkewed].contains(operation) || operation.views != nil
                ? minimumEffectBetweenProcesses : minimumEffect
        }
        /// ... and the growth must be significant at this level (one-sided Mann-Whitney U).
        public var significance = 0.01
        /// Allocations may grow by this many per record ...
        public var allocationsPerRecord = 0.01
        /// ... or this many per repetition, whichever is larger.
        public var allocationsPerCase: UInt64 = 16
        /// Read system calls per MB may grow by this share (plus one call).
        public var readSyscallsShare = 0.25
        /// A case's instruction count (callgrind) may grow by this share: the counts of
        /// unchanged code repeat to within it (measured: see the README).
        public var instructionsShare = 0.01
        /// Cases faster than this (3 ms) are too short to time reliably; their times are not gated.
        public var minimumSeconds = 0.003

        public init() {}
    }

    public enum Verdict: Int, Sendable {
        case pass = 0
        case conformanceFailure = 1
        case regression = 2
        /// The runs are from different machines, so times were not compared (the command line
        /// exits with it unless told to accept deterministic metrics alone).
        case notComparable = 3
    }

    public struct Finding: Sendable, CustomStringConvertible {
        public enum Kind: String, Sendable { case conformance, regression, improvement, note }
        public var kind: Kind
        public var caseID: String
        public var metric: String
        public var detail: String
        public var description: String { "\(kind.rawValue.uppercased()) \(caseID): \(metric): \(detail)" }
    }

    public struct Report: Sendable {
        public var verdict: Verdict
        public var findings: [Finding]
        public var comparedCases: Int

        public var summary: String {
            let regressions = findings.filter { $0.kind == .regression }.count
            let improvements = findings.filter { $0.kind == .improvement }.count
            let failures = findings.filter { $0.kind == .conformance }.count
            switch verdict {
            case .pass: return "gate: pass (\(comparedCases) cases compared, \(improvements) improvements)"
            case .conformanceFailure: return "gate: CONFORMANCE FAILURE (\(failures) findings; \(regressions) regressions)"
            case .regression: return "gate: REGRESSION (\(regressions) findings, \(comparedCases) cases compared)"
            case .notComparable: return "gate: NOT COMPARABLE (times not compared; \(comparedCases) cases' deterministic figures pass)"
            }
        }
    }

    public var thresholds: Thresholds

    public init(thresholds: Thresholds = Thresholds()) { self.thresholds = thresholds }

    /// `comparesTimes` false: deterministic figures only (the runs are from different machines).
    public func compare(baseline: BenchmarkResults, current: BenchmarkResults, comparesTimes: Bool = true) -> Report {
        var findings: [Finding] = []
        for cell in current.conformanceFailures {
            findings.append(.init(kind: .conformance, caseID: "\(cell.log) [\(cell.strategy)]", metric: "conformance", detail: cell.detail))
        }
        for row in current.checksumFailures {
            findings.append(.init(kind: .conformance, caseID: row.id, metric: "checksum",
                                  detail: "read \(row.checksum), the golden data gives \(row.expectedChecksum)"))
        }
        let base = Dictionary(baseline.cases.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var compared = 0
        for row in current.cases where !row.isReference {
            guard let old = base[row.id] else {
                findings.append(.init(kind: .note, caseID: row.id, metric: "-", detail: "not in the baseline; not compared"))
                continue
            }
            compared += 1
            findings += compareAllocations(old, row) + compareSyscalls(old, row) + (comparesTimes ? compareTimes(old, row) : [])
        }
        findings += compareInstructions(baseline.instructions ?? [], current.instructions ?? [])
        let currentIDs = Set(current.cases.map(\.id))
        for id in base.keys.sorted() where !currentIDs.contains(id) && !(base[id]!.isReference) {
            findings.append(.init(kind: .note, caseID: id, metric: "-", detail: "in the baseline but not in this run"))
        }
        let verdict: Verdict = findings.contains { $0.kind == .conformance } ? .conformanceFailure
            : findings.contains { $0.kind == .regression } ? .regression : .pass
        let order: [Finding.Kind] = [.conformance, .regression, .improvement, .note]
        findings.sort { (order.firstIndex(of: $0.kind)!, $0.caseID) < (order.firstIndex(of: $1.kind)!, $1.caseID) }
        return Report(verdict: verdict, findings: findings, comparedCases: compared)
    }

    private func compareAllocations(_ old: BenchmarkResults.CaseResult, _ new: BenchmarkResults.CaseResult) -> [Finding] {
        guard let before = old.allocations, let after = new.allocations else { return [] }
        let records = Double(max(new.records, 1))
        let allowed = max(thresholds.allocationsPerCase, UInt64(thresholds.allocationsPerRecord * records))
        let detail = String(printf: "%.3f → %.3f per record (%llu → %llu per repetition)",
                            Double(before) / records, Double(after) / records, before, after)
        if after > before + allowed { return [.init(kind: .regression, caseID: new.id, metric: "allocations_per_record", detail: detail)] }
        if before > after + allowed { return [.init(kind: .improvement, caseID: new.id, metric: "allocations_per_record", detail: detail)] }
        return []
    }

    /// Instruction counts, case by case, where both runs counted them.
    private func compareInstructions(_ old: [InstructionCount], _ new: [InstructionCount]) -> [Finding] {
        let before = Dictionary(old.map { ($0.id, $0.instructions) }, uniquingKeysWith: { first, _ in first })
        return new.compactMap { count in
            guard let previous = before[count.id], previous > 0 else { return nil }
            let change = Double(count.instructions) / Double(previous) - 1
            let detail = String(printf: "%llu → %llu instructions (%+.2f %%, callgrind)", previous, count.instructions, change * 100)
            if change > thresholds.instructionsShare { return Finding(kind: .regression, caseID: "instructions/" + count.id, metric: "instructions", detail: detail) }
            if -change > thresholds.instructionsShare { return Finding(kind: .improvement, caseID: "instructions/" + count.id, metric: "instructions", detail: detail) }
            return nil
        }
    }

    private func compareSyscalls(_ old: BenchmarkResults.CaseResult, _ new: BenchmarkResults.CaseResult) -> [Finding] {
        guard new.bytes >= 1 << 20, old.readSyscalls > 0 || new.readSyscalls > 0 else { return [] }
        let before = old.readSyscallsPerMB, after = new.readSyscallsPerMB
        let detail = String(printf: "%.2f → %.2f read calls per MB", before, after)
        if after > before * (1 + thresholds.readSyscallsShare) + 1 {
            return [.init(kind: .regression, caseID: new.id, metric: "read_syscalls_per_mb", detail: detail)]
        }
        if before > after * (1 + thresholds.readSyscallsShare) + 1 {
            return [.init(kind: .improvement, caseID: new.id, metric: "read_syscalls_per_mb", detail: detail)]
        }
        return []
    }

    private func compareTimes(_ old: BenchmarkResults.CaseResult, _ new: BenchmarkResults.CaseResult) -> [Finding] {
        guard new.timeGated, let before = old.ratios, let after = new.ratios, !before.isEmpty, !after.isEmpty else { return [] }
        guard new.statistics.median >= thresholds.minimumSeconds else { return [] }
        let oldMedian = SampleStatistics(before).median, newMedian = SampleStatistics(after).median
        let change = newMedian / oldMedian - 1
        let minimumEffect = thresholds.minimumEffect(for: new.operation.operation)
        if change >= minimumEffect {
            let p = MannWhitneyU.pValue(larger: after, smaller: before)
            if p < thresholds.significance, Self.separates(slower: new.processMedianRatios, faster: old.processMedianRatios) {
                return [.init(kind: .regression, caseID: new.id, metric: "time_ratio_to_reference",
                              detail: String(printf: "%.3f → %.3f × reference (%+.0f %%, p = %.4f)", oldMedian, newMedian, change * 100, p))]
            }
        } else if -change >= minimumEffect {
            let p = MannWhitneyU.pValue(larger: before, smaller: after)
            if p < thresholds.significance, Self.separates(slower: old.processMedianRatios, faster: new.processMedianRatios) {
                return [.init(kind: .improvement, caseID: new.id, metric: "time_ratio_to_reference",
                              detail: String(printf: "%.3f → %.3f × reference (%+.0f %%, p = %.4f)", oldMedian, newMedian, change * 100, p))]
            }
        }
        return []
    }

    /// When both sides pooled several processes: every process of the slower side must be
    /// slower than every process of the faster one. A change smaller than the spread between
    /// processes of the same code (one process drawing an unlucky memory layout) is not one.
    static func separates(slower: [Double]?, faster: [Double]?) -> Bool {
        guard let slower, let faster, slower.count > 1, faster.count > 1 else { return true }
        return slower.min()! > faster.max()!
    }
}
