import FlumeLog
import FlumeSSB

/// The answer to "is this log read correctly?": a structural check of every frame and, with a
/// golden manifest, every field of it, through each reader strategy. Nothing here writes.
public struct LogVerification: Sendable {
    public enum Status: Sendable, Equatable {
        /// Every check passed under every strategy.
        case conforms
        /// The log was read but is damaged or differs from its manifest.
        case doesNotConform
        /// The file could not be opened (missing, unreadable, not a regular file).
        case cannotOpen
    }

    /// How one strategy fared.
    public struct StrategyResult: Sendable {
        public var strategy: ReaderStrategy
        public var error: FlumeLogError?
        public var differences: [ManifestDifference]
        public var conforms: Bool { error == nil && differences.isEmpty }
    }

    public var path: String
    public var width: TrailerWidth
    public var status: Status
    /// The structure found (first strategy), when the log could be read.
    public var summary: LogSummary?
    /// File-level differences from the manifest (size, sha256, width).
    public var fileDifferences: [ManifestDifference] = []
    public var strategies: [StrategyResult] = []
    /// Set when the file reads cleanly with another trailer width.
    public var widthHint: TrailerWidth?
    /// An error that stopped the check before any strategy ran (open failure, bad manifest file).
    public var openError: FlumeLogError?
    /// For a negative corpus: the error every strategy reported, as its manifest expects.
    public var expectedErrorSeen: FlumeLogError?

    /// The first thing wrong, as one line for stderr; nil when the log conforms.
    public var firstProblem: String? {
        if let openError { return openError.description }
        // Record-level findings name an offset, so they come before whole-file ones.
        for result in strategies where !result.conforms {
            if let error = result.error { return "\(error) (strategy \(result.strategy.kind.rawValue))" }
            if let difference = result.differences.first {
                return "\(path): \(difference) (strategy \(result.strategy.kind.rawValue))"
            }
        }
        return fileDifferences.first.map { "\(path): \($0)" }
    }

    /// Every difference found, for a full report.
    public var allProblems: [String] {
        var lines = fileDifferences.map { "\($0)" }
        for result in strategies {
            if let error = result.error { lines.append("[\(result.strategy.kind.rawValue)] \(error)") }
            lines += result.differences.map { "[\(result.strategy.kind.rawValue)] \($0)" }
        }
        return lines
    }

    /// What one strategy's pass found, before the strategies are compared.
    private struct Pass: Sendable {
        var outcome: StrategyResult
        var summary: LogSummary?
        var openError: FlumeLogError?
        var expectedErrorSeen: FlumeLogError?
        var hashing: ManifestVerifier.Hashing
        /// With a manifest: the checksums of what the scan read, and whether a hash disagreed.
        var findings: ManifestVerifier.Findings?
    }

    /// One strategy's validating pass (and, with a manifest, every field of it, hashing what
    /// `hashing` names).
    private static func pass(path: String, manifest: GoldenManifest?, width: TrailerWidth, strategy: ReaderStrategy,
                             thorough: Bool, hashing: ManifestVerifier.Hashing = .all, alone: Bool = false) -> Pass {
        var pass = Pass(outcome: StrategyResult(strategy: strategy, error: nil, differences: []), hashing: hashing)
        do {
            // With a manifest, its pass's forward walk counts the summary (thorough: a walk of
            // its own, backwards too). Closed before the manifest's pass opens its own: a
            // mapping keeps what it last read.
            if manifest == nil || thorough {
                pass.summary = try {
                    let log = try OffsetLog(path: path, width: width, access: .readOnly, strategy: strategy)
                    return try log.summarize(extent: log.openedExtent, thorough: thorough, spareCore: alone && manifest == nil)
                }()
            }
            if let manifest {
                let findings = try ManifestVerifier(path: path, manifest: manifest, width: width)
                    .findings(using: strategy, hashing: hashing)
                pass.outcome.differences = findings.differences
                pass.summary = pass.summary ?? findings.summary
                pass.findings = findings
            }
        } catch let error as FlumeLogError where error.code == .io || error.code == .invalidArgument {
            pass.openError = error
        } catch let error as FlumeLogError {
            if let expected = manifest?.expectedError, expected.matches(error) {
                pass.expectedErrorSeen = error
            } else {
                pass.outcome.error = error
            }
        } catch {
            pass.outcome.error = FlumeLogError(.io, file: path, message: "\(error)")
        }
        if let expected = manifest?.expectedError, pass.outcome.error == nil, pass.expectedErrorSeen == nil {
            pass.outcome.differences.append(ManifestDifference(
                field: "expected_error", offset: expected.offset,
                expected: expected.description, actual: "the log read without an error"))
        }
        return pass
    }

    /// Logs up to this size are checked without a manifest one strategy after another on one
    /// thread: waking the other core and the threads that run the passes side by side costs
    /// more than the passes (1 MB, every strategy: 5.33 -> 4.61 ms whole process, medians of 61
    /// interleaved runs; with a manifest the hashing pays for the threads).
    package static let passesInTurnUpTo: Int64 = 2 << 20

    /// Whether the file at `path` is small enough for its passes to run in turn.
    package static func passesInTurn(forFileAt path: String) -> Bool {
        (FileDescriptor.size(atPath: path) ?? .max) <= passesInTurnUpTo
    }

    /// Which SHA-256s each strategy's pass computes: the first hashes the records and the
    /// stream side by side (about the cost of one hash), the rest nothing, while the other core
    /// runs their passes. A single strategy's stream is hashed by a scan of its own beside its
    /// pass (`ManifestVerifier.streamFindings`), so that the two cores share the hashing.
    package static func hashingPlan(strategies count: Int) -> [ManifestVerifier.Hashing] {
        (0..<count).map { $0 == 0 ? (count == 1 ? .records : .all) : [] }
    }

    /// Passes that did not hash the records are held to the one that did, record by record,
    /// by the checksums of what each scan read. Where a hash disagreed with the manifest or a
    /// pass failed, they are run again hashing everything, so each names what it read itself.
    private static func holdToTheHashingPass(_ passes: UnsafeMutableBufferPointer<Pass?>, path: String,
                                             manifest: GoldenManifest, width: TrailerWidth, thorough: Bool) {
        guard passes.count > 1, let reference = passes[0], reference.hashing.contains(.records) else { return }
        let settled = passes.allSatisfy { pass in
            guard let pass else { return false }
            return pass.outcome.error == nil && pass.expectedErrorSeen == nil && pass.openError == nil
                && pass.findings?.hashDiffered == false
        }
        guard settled, let expected = reference.findings?.checksums else {
            for index in passes.indices {
                guard let earlier = passes[index], earlier.hashing != .all else { continue }
                passes[index] = pass(path: path, manifest: manifest, width: width, strategy: earlier.outcome.strategy, thorough: thorough)
            }
            return
        }
        let referenceName = reference.outcome.strategy.kind.rawValue
        for index in passes.indices.dropFirst() {
            guard let read = passes[index]?.findings?.checksums else { continue }
            if let entry = expected.firstDisagreement(with: read) {
                passes[index]!.outcome.differences.append(ManifestDifference(
                    field: "records[\(entry)] (held to strategy \(referenceName), whose read matches its sha256)",
                    offset: manifest.records[entry].offset,
                    expected: "the same payload (64-bit checksum \(String(expected[entry]!, radix: 16)))",
                    actual: "other bytes (64-bit checksum \(String(read[entry]!, radix: 16)))"))
            }
            passes[index]!.findings = nil
        }
    }

    /// A job's value or its error. Not `Result`: `Result<_, any Error>`'s `Failure: Error` is
    /// checked when its metadata is made at run time, a scan of all 4,600 conformance records of
    /// the binary, four times per `verify` (3 % of a small log's).
    private enum JobOutcome<Value> {
        case value(Value)
        case failure(any Error)

        init(_ body: () throws -> Value) {
            do { self = .value(try body()) } catch { self = .failure(error) }
        }

        func get() throws -> Value {
            switch self {
            case .value(let value): value
            case .failure(let error): throw error
            }
        }
    }

    /// Checks the log at `path`; with a manifest, against every field of it. One validating
    /// pass per strategy, the strategies side by side on the machine's cores (each reads the
    /// file through its own descriptor), and beside them the whole file's size and sha256
    /// against the manifest's (or `fileDigest`, when the caller started it already);
    /// `thorough` adds a backward walk to each.
    public static func run(path: String, manifest: GoldenManifest?, width: TrailerWidth,
                           strategies: [ReaderStrategy], thorough: Bool = false,
                           fileDigest: PendingFileDigest? = nil) -> LogVerification {
        var result = LogVerification(path: path, width: width, status: .conforms)
        let passes = UnsafeMutableBufferPointer<Pass?>.allocate(capacity: strategies.count)
        passes.initialize(repeating: nil)
        defer { _ = passes.deinitialize(); passes.deallocate() }
        let slots = UnsafeSendable(passes)
        let fileCheck = UnsafeMutablePointer<JobOutcome<[ManifestDifference]>?>.allocate(capacity: 1)
        fileCheck.initialize(to: nil)
        defer { fileCheck.deinitialize(count: 1).deallocate() }
        let fileSlot = UnsafeSendable(fileCheck)
        let hashing = hashingPlan(strategies: strategies.count)
        let streamApart = manifest != nil && strategies.count == 1
        // The file's digest: a job beside the passes, unless it is being computed already.
        let fileJob = manifest != nil && fileDigest == nil
        let streamCheck = UnsafeMutablePointer<JobOutcome<ManifestVerifier.Findings>?>.allocate(capacity: 1)
        streamCheck.initialize(to: nil)
        defer { streamCheck.deinitialize(count: 1).deallocate() }
        let streamSlot = UnsafeSendable(streamCheck)
        let jobCount = strategies.count + (fileJob ? 1 : 0) + (streamApart ? 1 : 0)
        let runJob: @Sendable (Int) -> Void = { index in
            switch index {
            case ..<strategies.count:
                slots.value[index] = pass(path: path, manifest: manifest, width: width, strategy: strategies[index],
                                          thorough: thorough, hashing: hashing[index], alone: strategies.count == 1)
            case strategies.count where fileJob:
                fileSlot.value.pointee = JobOutcome { try ManifestVerifier(path: path, manifest: manifest!, width: width).fileDifferences() }
            default:
                streamSlot.value.pointee = JobOutcome {
                    try ManifestVerifier(path: path, manifest: manifest!, width: width).streamFindings(using: strategies[0])
                }
            }
        }
        _ = Array(0..<jobCount).mapSideBySide(inTurn: manifest == nil && passesInTurn(forFileAt: path), runJob)
        if let manifest, let fileDigest {
            fileCheck.pointee = JobOutcome { try ManifestVerifier(path: path, manifest: manifest, width: width).fileDifferences(pending: fileDigest) }
        }
        if let stream = streamCheck.pointee, var only = passes[0] {
            // The same strategy read the same bytes: an error here is the pass's own, reported once.
            if case .value(let findings) = stream {
                only.outcome.differences += findings.differences
            } else if case .failure(let error) = stream, only.outcome.error == nil, only.expectedErrorSeen == nil, only.openError == nil {
                only.outcome.error = (error as? FlumeLogError) ?? FlumeLogError(.io, file: path, message: "\(error)")
            }
            passes[0] = only
        }
        if manifest != nil { holdToTheHashingPass(passes, path: path, manifest: manifest!, width: width, thorough: thorough) }
        for case var pass? in passes {
            if let openError = pass.openError {
                result.openError = openError
                result.status = .cannotOpen
                return result
            }
            if let summary = pass.summary, let first = result.summary, first != summary {
                pass.outcome.differences.insert(ManifestDifference(
                    field: "structure (vs strategy \(result.strategies[0].strategy.kind.rawValue))",
                    expected: "\(first)", actual: "\(summary)"), at: 0)
            }
            if result.summary == nil { result.summary = pass.summary }
            if let seen = pass.expectedErrorSeen { result.expectedErrorSeen = seen }
            result.strategies.append(pass.outcome)
        }
        if let fileCheck = fileCheck.pointee {
            do {
                result.fileDifferences = try fileCheck.get()
            } catch {
                result.openError = (error as? FlumeLogError) ?? FlumeLogError(.io, file: path, message: "\(error)")
                result.status = .cannotOpen
                return result
            }
        }
        // Every strategy must fail the same way, too: same code, same offset.
        let failures = Set(result.strategies.map { "\($0.error?.code.rawValue ?? "none") at \($0.error?.offset ?? -1)" })
        if failures.count > 1 {
            result.fileDifferences.append(ManifestDifference(
                field: "strategies disagree", expected: "one outcome", actual: failures.sorted().joined(separator: " / ")))
        }
        let clean = result.fileDifferences.isEmpty && result.strategies.allSatisfy(\.conforms)
        result.status = clean ? .conforms : .doesNotConform
        if !clean, result.strategies.contains(where: { $0.error != nil }) {
            result.widthHint = TrailerWidth.allCases.first { other in
                guard other != width, let log = try? OffsetLog(path: path, width: other, access: .readOnly) else { return false }
                return (try? log.summarize(extent: log.openedExtent)) != nil && log.end > 0
            }
        }
        return result
    }
}
