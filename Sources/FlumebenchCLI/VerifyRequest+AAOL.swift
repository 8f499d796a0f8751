import ArgumentParser
import FlumeCorpus
import FlumeLog

extension VerifyRequest {
    /// An AAOL log checked under each strategy: every record (both ways with --thorough), the blocks' padding,
    /// and the strategies agreeing. A damaged last block is reported (JS would repair or, for a
    /// partial block, destroy it) and is not a failure: every whole record is readable.
    func verifyAAOL(_ format: LogFormat) throws {
        guard case .aaol(let blockSize) = format else { return }
        // The strategies side by side; the first to fail, in their order, is reported.
        let passes = strategies.mapSideBySide(inTurn: LogVerification.passesInTurn(forFileAt: log)) { strategy -> (AAOLSummary?, FlumeLogError?) in
            do throws(FlumeLogError) {
                return (try AAOLLog(path: log, blockSize: blockSize, strategy: strategy).summarize(thorough: thorough, spareCore: strategies.count == 1), nil)
            } catch {
                return (nil, error)
            }
        }
        var summaries: [(ReaderStrategy, AAOLSummary)] = []
        for (strategy, pass) in zip(strategies, passes) {
            guard let summary = pass.0 else {
                printError("flumebench verify: \(log): DOES NOT CONFORM")
                printError("\(pass.1!) (strategy \(strategy.kind.rawValue))")
                if let hint = LogFraming.formatHint(for: log, readAs: format) { printError(hint) }
                throw ExitStatus.forOpening(pass.1!)
            }
            summaries.append((strategy, summary))
        }
        guard let (_, summary) = summaries.first else { return }
        if let other = summaries.first(where: { $0.1 != summary }) {
            printError("flumebench verify: \(log): DOES NOT CONFORM")
            printError("strategy \(other.0.kind.rawValue) read \(other.1.records) records, \(summaries[0].0.kind.rawValue) \(summary.records)")
            throw ExitStatus.doesNotConform
        }
        let extent = summary.extent
        let damage = extent.isTorn ? "\(extent) (a read-only open leaves it; JS would zero-fill or, for a partial block, misread it)" : "none"
        var text = """
            \(log): valid \(format)
              records        \(summary.records) (\(summary.deletedRecords) deleted)
              payload bytes  \(summary.payloadBytes) (largest record \(summary.largestPayload))
              file size      \(extent.fileSize) (\(summary.blocks) block\(summary.blocks == 1 ? "" : "s"))
              damage         \(damage)
              last record    \(extent.lastRecordOffset ?? -1) (since)
              strategies     \(Self.listed(summaries.map(\.0.kind))): identical results
            """
        for hidden in summary.hiddenBytes {
            text += "\n  warning        \(hidden.count) non-zero bytes after the end-of-block marker at \(hidden.offset): "
            text += "a zero-length record hid what follows it (JS reads none of it either)"
        }
        if summary.emptyTrailingBlocks > 0 {
            let first = summary.firstEmptyTrailingBlock
            text += "\n  warning        the last \(summary.emptyTrailingBlocks) block\(summary.emptyTrailingBlocks == 1 ? "" : "s") (from \(first)) hold no record: "
            text += "AAOL never writes an empty block; JS reads a phantom deleted record at \(first) and appends after it"
        }
        print(text)
    }

    /// An AAOL log checked against its golden manifest (the schema of the corpus's `aaol/`)
    /// under each strategy.
    func verifyAAOL(against manifestPath: String) throws {
        try verify(against: manifestPath, holds: "every field of the manifest holds") {
            try AAOLManifestVerifier(path: log, manifest: try AAOLManifestVerifier.load(manifestPath)).check(strategies: strategies)
        }
    }

    /// A manifest check's verdict, printed: the problems under each strategy (the first, or
    /// all with --all), or that it conforms; a manifest or log that cannot be opened is 66.
    func verify(against manifestPath: String, holds: String,
                _ check: () throws -> [(strategy: ReaderStrategy, problems: [String])]) throws {
        let results: [(strategy: ReaderStrategy, problems: [String])]
        do {
            results = try check()
        } catch {
            printError("flumebench verify: \(error)")
            throw (error as? FlumeLogError).map(ExitStatus.forOpening) ?? ExitStatus.cannotOpen
        }
        let problems = results.flatMap { result in result.problems.map { "\($0) (strategy \(result.strategy.kind.rawValue))" } }
        guard problems.isEmpty else {
            printError("flumebench verify: \(log): DOES NOT CONFORM")
            (all ? problems : [problems[0]]).forEach(printError)
            throw ExitStatus.doesNotConform
        }
        print("""
            \(log): conforms to \(manifestPath)
              strategies     \(Self.listed(results.map(\.strategy.kind))): \(holds)
            """ + Self.peakResidentLine)
    }
}
