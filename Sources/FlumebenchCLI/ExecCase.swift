import ArgumentParser
import FlumeBench
import FlumeCorpus
import FlumeLog
import FlumeSSB
import FlumeViews

/// One operation, once, in a process of its own: what callgrind counts the instructions of
/// (`InstructionCounter`). Hidden: the harness runs it.
struct ExecCase: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec-case",
        abstract: "Run one operation once over a log and print its checksum (for instruction counts).",
        shouldDisplay: false
    )

    @Option(help: "none (start and stop: the baseline), forward_scan, reverse_scan or view_last.")
    var operation: String

    @Argument(help: "The log.")
    var log: String?

    @OptionGroup var framing: FormatOptions

    @Option(help: "Reader strategy.")
    var strategy: ReaderStrategy.Kind = .buffered

    @Option(help: "How records are written: json, bipf or gossb (view_last).")
    var records: String = "json"

    @Option(name: .customLong("inject"), help: .hidden)
    var injections: [String] = []

    func validate() throws {
        guard ["none", "forward_scan", "reverse_scan", "view_last"].contains(operation) else {
            throw ValidationError("--operation: none, forward_scan, reverse_scan or view_last")
        }
        if operation != "none", log == nil { throw ValidationError("give the log") }
        guard RecordEncoding(rawValue: records) != nil else { throw ValidationError("--records: json, bipf or gossb") }
    }

    func run() throws {
        guard operation != "none", let log else { return }
        let format = try framing.resolved(for: log).format
        let opened = try format.openReadOnly(log, strategy: ReaderStrategy(strategy))
        let extra = injections.compactMap(Injection.init(argument:)).extraInstructionsPercent ?? 0
        var sum: UInt64 = 0
        switch operation {
        case "view_last":
            // One thread: the count is the work's, not a second thread's spinning at hand-offs.
            let driver = ViewDriver(log: opened, encoding: RecordEncoding(rawValue: records)!, directory: "/nonexistent", views: [.last],
                                    parallel: false)
            sum = UInt64(try driver.rebuildWithoutWriting())
        default:
            var records = 0
            var cursor = try opened.records(operation == "reverse_scan" ? .reverse : .forward, from: .beginning, deleted: .visible)
            while let record = try cursor.next() {
                sum &+= PayloadChecksum.record(offset: record.offset, payload: record.payload)
                records += 1
            }
            // The deliberate regression: read this share of the records again.
            if extra > 0 {
                var again = try opened.records(operation == "reverse_scan" ? .reverse : .forward, from: .beginning, deleted: .visible)
                var left = records * extra / 100
                while left > 0, let record = try again.next() {
                    sum &+= PayloadChecksum.record(offset: record.offset, payload: record.payload)
                    left -= 1
                }
            }
        }
        print(String(sum, radix: 16))
    }
}
