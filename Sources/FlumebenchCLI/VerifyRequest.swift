import ArgumentParser
import FlumeBench
import FlumeCorpus
import FlumeLog

/// What `verify` was asked, as plain values, and the check itself. `Verify` (ArgumentParser's
/// parse) and `Verify.parsedDirectly` (the plain forms, read without ArgumentParser's property
/// wrappers) both make one.
struct VerifyRequest: Equatable {
    /// LOG: a file, or an offset2 directory.
    var log: String
    var framing: LogFraming
    /// `--manifest`: a golden manifest to check against.
    var manifest: String?
    var strategyChoice: StrategiesOption.Choice
    /// `--all`: every difference, not just the first.
    var all: Bool
    /// `--thorough`: every record walked backwards too.
    var thorough: Bool

    var strategies: [ReaderStrategy] { StrategiesOption.strategies(for: strategyChoice) }

    func run() throws {
        let format: LogFormat
        do {
            let (resolved, evidence) = try framing.resolved(for: log)
            if let evidence, framing.format == .auto { printError("format: \(resolved) (\(evidence))") }
            format = resolved
        } catch {
            printError("flumebench verify: \(error)")
            throw ExitStatus.forOpening(error)
        }
        if format == .offset2 {
            if let manifest { return try verifyOffset2(against: manifest) }
            return try verifyOffset2()
        }
        if case .aaol = format {
            if let manifest { return try verifyAAOL(against: manifest) }
            return try verifyAAOL(format)
        }
        var golden: GoldenManifest?
        var manifestWidth: TrailerWidth?
        var fileDigest: PendingFileDigest?
        if let manifest {
            // The file's gigabyte is hashed on another core while the manifest is parsed.
            fileDigest = PendingFileDigest(path: log)
            do {
                golden = try GoldenManifest.load(from: manifest)
                manifestWidth = try golden?.width
            } catch {
                printError("flumebench verify: \(error)")
                throw ExitStatus.cannotOpen
            }
        }
        var width = framing.width ?? manifestWidth ?? .bits32
        if case .offset(let detected) = format, framing.format == .auto { width = detected }
        let result = LogVerification.run(path: log, manifest: golden, width: width, strategies: strategies, thorough: thorough,
                                           fileDigest: fileDigest)
        switch result.status {
        case .cannotOpen:
            printError("flumebench verify: \(result.firstProblem ?? log)")
            throw ExitStatus.cannotOpen
        case .doesNotConform:
            printError("flumebench verify: \(log): DOES NOT CONFORM")
            printError(result.firstProblem ?? "")
            if all { result.allProblems.dropFirst().forEach { printError($0) } }
            if let hint = result.widthHint {
                printError("hint: the file reads cleanly as a \(hint.bits)-bit log: try --width \(hint.bits)")
            }
            throw ExitStatus.doesNotConform
        case .conforms:
            // A file that is all torn tail, whose bytes fit another format, is a log of that
            // format: not a valid offset log (a crash in a log's first append fits none).
            if manifest == nil, let summary = result.summary, summary.records == 0,
               let other = LogFraming.otherFormat(of: log, readAs: .offset(width)) {
                printError("flumebench verify: \(log): DOES NOT CONFORM")
                printError(other.problem)
                printError(other.hint)
                throw ExitStatus.doesNotConform
            }
            print(Self.describe(result, manifest: manifest) + (manifest != nil ? Self.peakResidentLine : ""))
        }
    }

    /// After a manifest check, the memory it took (a 1 GiB corpus's manifest lists 1.4 M
    /// records): "peak resident N MB", as `views` prints it.
    static var peakResidentLine: String {
        ResourceUsage.peakResidentBytes().map { "\n  peak resident  \($0 >> 20) MB" } ?? ""
    }

    /// "buffered, mmap": strategies as a summary names them.
    static func listed(_ kinds: [ReaderStrategy.Kind]) -> String {
        kinds.map(\.rawValue).listed(separator: ", ")
    }

    static func describe(_ result: LogVerification, manifest: String?) -> String {
        if let error = result.expectedErrorSeen {
            let strategies = Self.listed(result.strategies.map(\.strategy.kind))
            return """
                \(result.path): conforms to \(manifest ?? "its manifest") (a negative corpus)
                  every strategy (\(strategies)) fails as expected: \(error.code.rawValue) at offset \(error.offset.map(String.init) ?? "?")
                  \(error.message)
                """
        }
        guard let summary = result.summary else { return "\(result.path): conforms" }
        let verdict = manifest.map { "conforms to \($0)" } ?? "valid \(result.width.bits)-bit flume offset log"
        let torn = summary.extent.isTorn
            ? "\(summary.extent.tornBytes) bytes after offset \(summary.extent.validEnd) (a partial frame; a read-write open cuts it)"
            : "none"
        let strategies = Self.listed(result.strategies.map(\.strategy.kind))
        return """
            \(result.path): \(verdict)
              records        \(summary.records) (\(summary.deletedRecords) deleted, \(summary.emptyPayloads) empty)
              payload bytes  \(summary.payloadBytes) (largest record \(summary.largestPayload))
              file size      \(summary.extent.fileSize)
              torn tail      \(torn)
              last record    \(summary.extent.lastRecordOffset ?? -1) (since)
              trailer width  \(result.width)
              strategies     \(strategies): identical results
            """
    }
}
