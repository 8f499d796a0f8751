import ArgumentParser
import FlumeCorpus
import FlumeLog
import FlumeSSB
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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

            A feed's sequence may skip ahead only where deleted records could hold the \
            missing messages. ssb-db2 drops deleted messages when it migrates a log.offset to \
            log.bipf and when it compacts log.bipf, so those logs have gaps nothing explains: \
            --allow-gaps counts them instead of failing (the message after a gap cannot have \
            its `previous` link checked).

            Exit status: 0 valid, 1 a message is invalid (stderr names its offset, key and \
            why), the log is damaged, or no record could be read (a log of another format: \
            see --format), 64 usage error, 66 LOG cannot be opened.
            """
    )

    @OptionGroup var input: LogOptions

    @Flag(help: "Count a feed's sequence skipping ahead (a migrated or compacted log.bipf) instead of failing.")
    var allowGaps = false

    func run() throws {
        let progress = Progress()
        let log = input.log
        let size = FileDescriptor.size(atPath: log) ?? 0
        let report: SSBValidator.Report
        let format: LogFormat
        do {
            let evidence: String?
            (format, evidence) = try input.resolved()
            if let evidence { printError("format: \(format) (\(evidence))") }
            var validator = SSBValidator(path: log, format: format)
            validator.allowsGaps = allowGaps
            report = try validator.validate { id in
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
            if report.messages == 0, let hint = LogFraming.formatHint(for: log, readAs: format) { printError(hint) }
            if failure.code == .sequenceGap {
                printError("hint: ssb-db2 drops deleted messages when it migrates a log.offset to log.bipf or compacts one, "
                           + "leaving gaps like this; --allow-gaps counts them instead")
            }
            print("invalid: \(report.messages) messages valid before the first failure")
            throw ExitStatus.doesNotConform
        }
        var tail = ""
        if case .offset = format, size > report.end {
            // Bytes the offset format cannot frame: a log of another format, or a torn tail.
            if report.messages + report.deletedRecords == 0,
               let other = LogFraming.otherFormat(of: log, readAs: format) {
                printError("flumebench ssb-validate: \(log): \(other.problem)")
                printError(other.hint)
                print("invalid: no message read")
                throw ExitStatus.doesNotConform
            }
            tail = ", \(size - report.end) bytes of torn tail after offset \(report.end) not read"
        }
        var line = "valid: \(report.messages) messages from \(report.feeds) feeds (\(report.privateMessages) private)"
        if report.deletedRecords > 0 { line += ", \(report.deletedRecords) deleted records skipped" }
        if report.feedsStartingLater > 0 { line += ", \(report.feedsStartingLater) feeds start after sequence 1" }
        if report.gaps > 0 { line += ", \(report.gaps) gaps in feeds (\(report.missingMessages) messages missing)" }
        print(line + tail)
    }
}
