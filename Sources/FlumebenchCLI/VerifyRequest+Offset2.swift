import ArgumentParser
import FlumeCorpus
import FlumeLog
import FlumeSSB

extension VerifyRequest {
    /// An offset2 directory checked under each strategy: margaret's open-time check (its verdict
    /// word for word when it refuses, and what `flumebench salvage` would keep), then every
    /// entry read forwards with its frame chained to the previous one (margaret's
    /// `CheckConsistency`), and the strategies agreeing.
    func verifyOffset2() throws {
        let directory = log
        // The strategies side by side; the payloads' codec is counted on the first one's pass.
        let first = strategies.first?.kind
        let dataFile = directory + "/data"
        let passes = strategies.mapSideBySide(inTurn: LogVerification.passesInTurn(forFileAt: dataFile)) { strategy -> (Offset2Summary?, PayloadCodecs, FlumeLogError?) in
            var codecs = PayloadCodecs(file: dataFile)
            do throws(FlumeLogError) {
                let log = try Offset2Log(directory: directory, strategy: strategy)
                // One strategy alone has the other core to itself: a large log is walked in halves.
                let alone = strategies.count == 1
                let summary = strategy.kind == first
                    ? try log.summarize(spareCore: alone, inspecting: &codecs) : try log.summarize(spareCore: alone)
                return (summary, codecs, nil)
            } catch {
                return (nil, codecs, error)
            }
        }
        let codecs = passes.first?.1 ?? PayloadCodecs(file: dataFile)
        var summaries: [(ReaderStrategy, Offset2Summary)] = []
        for (strategy, pass) in zip(strategies, passes) {
            if let summary = pass.0 {
                summaries.append((strategy, summary))
            } else {
                let error = pass.2!
                printError("flumebench verify: \(directory): DOES NOT CONFORM")
                printError("\(error) (strategy \(strategy.kind.rawValue))")
                if error.code != .io, error.code != .invalidArgument, let salvage = try? Offset2Log(directory: directory, mode: .salvage) {
                    printError("salvage: `flumebench salvage \(directory) --out DIR` would keep \(salvage.end) entr\(salvage.end == 1 ? "y" : "ies")"
                               + (salvage.salvage?.skipped.isEmpty == false ? " and skip: " + salvage.salvage!.skipped.joined(separator: "; ") : ""))
                }
                throw ExitStatus.forOpening(error)
            }
        }
        guard let (_, summary) = summaries.first else { return }
        if let other = summaries.first(where: { $0.1 != summary }) {
            printError("flumebench verify: \(directory): DOES NOT CONFORM")
            printError("strategy \(other.0.kind.rawValue) read \(other.1.entries) entries, \(summaries[0].0.kind.rawValue) \(summary.entries)")
            throw ExitStatus.doesNotConform
        }
        if let seq = summary.firstUnchainedSeq {
            printError("flumebench verify: \(directory): DOES NOT CONFORM")
            printError("\(directory)/ofst: seq \(seq): its frame does not start where seq \(seq - 1)'s ends (margaret's CheckConsistency fails here; Get still reads it)")
            throw ExitStatus.doesNotConform
        }
        let extent = summary.extent
        let journal = extent.journalAhead
            ? "\(extent.journalSeq!), one append ahead (margaret rewrites it to \(extent.entryCount - 1) when it opens the log for writing; so does a read-write open here)"
            : extent.journalSeq.map(String.init) ?? "empty (an empty log)"
        print("""
            \(directory): valid \(LogFormat.offset2)
              entries        \(summary.entries) (\(summary.nulledEntries) nulled), seqs 0 ..< \(summary.entries)
              payload bytes  \(summary.payloadBytes) (largest entry \(summary.largestPayload))
              payloads       \(codecs)
              files          data \(extent.dataSize), ofst \(extent.offsetsSize), jrnl \(extent.journalSize) bytes
              journal        \(journal)
              strategies     \(Self.listed(summaries.map(\.0.kind))): identical results
            """)
    }

    /// An offset2 directory checked against its manifest (the schema of the corpus's
    /// `go-offset2/`) under each strategy.
    func verifyOffset2(against manifestPath: String) throws {
        try verify(against: manifestPath, holds: "every field of the manifest holds (margaret's verdict included)") {
            try Offset2ManifestVerifier(directory: log, manifest: try Offset2ManifestVerifier.load(manifestPath)).check(strategies: strategies)
        }
    }
}

/// What an offset2 log's payloads are: go-ssb legacy multimsgs (how many decode), or opaque bytes.
private struct PayloadCodecs: RecordInspector, CustomStringConvertible {
    /// The data file, named in a decoding failure.
    let file: String
    var multimsgs = 0, decoded = 0, other = 0
    var firstFailure: SSBError?

    init(file: String) { self.file = file }

    mutating func inspect(_ record: Record) {
        guard GoSSBMessage.looksLikeMultimsg(record.payload) else { other += 1; return }
        multimsgs += 1
        do {
            _ = try GoSSBMessage.decode(record.payload, seq: record.offset, file: file)
            decoded += 1
        } catch {
            if firstFailure == nil { firstFailure = error }
        }
    }

    mutating func add(_ later: PayloadCodecs) {
        multimsgs += later.multimsgs
        decoded += later.decoded
        other += later.other
        firstFailure = firstFailure ?? later.firstFailure
    }

    var description: String {
        if multimsgs == 0 { return "opaque bytes (no go-ssb multimsg type byte): read as they are" }
        var text = "\(decoded) of \(multimsgs) go-ssb legacy multimsgs decode (ssb-validate checks their signatures)"
        if other > 0 { text += "; \(other) others read as bytes" }
        if let firstFailure { text += "; first failure: \(firstFailure)" }
        return text
    }
}
