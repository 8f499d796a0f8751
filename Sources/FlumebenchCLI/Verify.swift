import ArgumentParser
import FlumeCorpus
import FlumeLog

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that a log is read exactly right (never modifies it).",
        discussion: """
            With --manifest, checks every field of the golden manifest: records, offsets, \
            lengths, per-record sha256, stream sha256, JS stream and reverse orders, deleted \
            records, since, and a torn tail's recovered records. One pass hashes the records \
            and another the stream, side by side (a single strategy's stream by a second scan); \
            every other strategy's reads are held to the first's record by record (64-bit \
            checksums; a hash that disagrees has each strategy hash for itself). Without one, validates every frame in one forward pass \
            per strategy (--thorough: backwards too) and prints a summary.

            Exit status: 0 conforms, 1 does not (stderr names the first difference and its \
            offset; a file of another format, which reads as no record and a torn tail, is \
            named with the format its bytes fit), 64 usage error, 66 LOG or the manifest cannot \
            be opened.
            """
    )

    @OptionGroup var input: LogOptions

    @Option(help: ArgumentHelp("A golden manifest (*.manifest.json) to check against.", valueName: "file"))
    var manifest: String?

    @OptionGroup var reader: StrategiesOption

    @Flag(help: "List every difference, not just the first.")
    var all = false

    @Flag(help: "Also walk every record backwards (the reverse decoder checked against the forward one): a second read of the file per strategy.")
    var thorough = false

    func run() throws {
        let log = input.log
        let format: LogFormat
        do {
            let (resolved, evidence) = try input.resolved()
            if let evidence, input.format == .auto { printError("format: \(resolved) (\(evidence))") }
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
        var width = input.width.resolved(or: manifestWidth ?? .bits32)
        if case .offset(let detected) = format, input.format == .auto { width = detected }
        let result = LogVerification.run(path: log, manifest: golden, width: width, strategies: reader.strategies, thorough: thorough,
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
               let other = FormatOptions.otherFormat(of: log, readAs: .offset(width)) {
                printError("flumebench verify: \(log): DOES NOT CONFORM")
                printError(other.problem)
                printError(other.hint)
                throw ExitStatus.doesNotConform
            }
            print(Self.describe(result, manifest: manifest))
        }
    }

    static func describe(_ result: LogVerification, manifest: String?) -> String {
        if let error = result.expectedErrorSeen {
            let strategies = result.strategies.map { $0.strategy.kind.rawValue }.joined(separator: ", ")
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
        let strategies = result.strategies.map { $0.strategy.kind.rawValue }.joined(separator: ", ")
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
