import ArgumentParser
import FlumeBench
import FlumeLog
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The writer the crash-consistency and live-tail tests kill and follow. Hidden from help: it
/// exists to be killed.
struct StressAppend: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stress-append",
        abstract: "Append StressPayload records until killed, acknowledging each append on stdout (a testing aid).",
        shouldDisplay: false
    )

    @Argument(help: "The log (created when missing; a torn tail is recovered on open).")
    var log: String

    @Option(help: "Sync policy: none, eachAppend or eachBatch.")
    var sync: SyncPolicyChoice = .none

    @Option(help: "Records per append (1: single appends).")
    var batch: Int = 1

    @Option(help: "Stop after this many records (default: run until killed).")
    var records: Int?

    enum SyncPolicyChoice: String, ExpressibleByArgument, CaseIterable {
        case none, eachAppend, eachBatch
        var policy: SyncPolicy { SyncPolicy(rawValue: rawValue)! }
    }

    func validate() throws {
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
    }

    func run() throws {
        let opened: OffsetLog
        do {
            opened = try OffsetLog(path: log, syncPolicy: sync.policy)
        } catch {
            printError("flumebench stress-append: \(error)")
            throw ExitStatus.forOpening(error)
        }
        // Continue the sequence, checking what is there.
        var next = 0
        try opened.forEach { record in
            guard StressPayload.index(of: record.payload) == next else {
                printError("flumebench stress-append: record at \(record.offset) is not stress record #\(next)")
                throw ExitStatus.doesNotConform
            }
            next += 1
        }
        while records.map({ next < $0 }) ?? true {
            let payloads = (next..<next + batch).map(StressPayload.make)
            if batch == 1 { try opened.append(payloads[0]) } else { try opened.append(batch: payloads) }
            next += batch
            // Acknowledged: the append returned (and, under a sync policy, was synced).
            StandardStream.output.write("ack \(next - 1) \(opened.end)\n")
        }
    }
}
