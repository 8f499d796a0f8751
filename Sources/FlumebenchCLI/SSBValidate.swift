import ArgumentParser
import FlumeCorpus
import FlumeLog
import FlumeSSB
import Foundation

struct SSBValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ssb-validate",
        abstract: "Check that every message in a log is valid SSB (never modifies the log).",
        discussion: """
            Checks every message's signature (ed25519 over the value's pretty-printed JSON \
            without its signature), its key (sha256 of the latin1 encoding of that text, as JS \
            computes it), its fields and their order, and every feed's `previous` links and \
            sequence numbers in log order. Private (boxed) messages are checked as envelopes. \
            Deleted records are skipped, as the JS stream skips them. In a go-ssb offset2 log \
            (--format offset2), each legacy multimsg payload is checked as the JS record it \
            converts to: its signed text as go-ssb stored it.

            Exit status: 0 valid, 1 a message is invalid (stderr names its offset, key and \
            why) or the log is damaged, 64 usage error, 66 LOG cannot be opened.
            """
    )

    @OptionGroup var input: LogOptions

    func run() throws {
        let progress = Progress()
        let log = input.log
        let size = (try? FileManager.default.attributesOfItem(atPath: log)[.size] as? NSNumber)?.int64Value ?? 0
        let report: SSBValidator.Report
        do {
            let (format, evidence) = try input.resolved()
            if let evidence { printError("format: \(format) (\(evidence))") }
            report = try SSBValidator(path: log, format: format).validate { id in
                progress.show(format == .offset2 ? "validating \(log): seq \(id)" : "validating \(log): \(id >> 20) of \(size >> 20) MiB")
            }
        } catch {
            progress.clear()
            printError("flumebench ssb-validate: \(error)")
            throw ExitStatus.forOpening(error)
        }
        progress.clear()
        if let failure = report.failure {
            printError("flumebench ssb-validate: \(failure)")
            print("invalid: \(report.messages) messages valid before the first failure")
            throw ExitStatus.doesNotConform
        }
        var line = "valid: \(report.messages) messages from \(report.feeds) feeds (\(report.privateMessages) private)"
        if report.deletedRecords > 0 { line += ", \(report.deletedRecords) deleted records skipped" }
        if report.feedsStartingLater > 0 { line += ", \(report.feedsStartingLater) feeds start after sequence 1" }
        print(line)
    }
}
