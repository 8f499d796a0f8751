import ArgumentParser
import FlumeLog
import Foundation

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Append each line of a JSONL file to a log as one record.",
        discussion: """
            Each line's bytes, without its newline, become one record, written exactly as JS \
            flumelog-offset writes them. LOG is created when missing and appended to otherwise; \
            the import holds the writer lock and syncs once at the end.
            """
    )

    @Option(help: ArgumentHelp("The payloads, one per line.", valueName: "file"))
    var jsonl: String

    @OptionGroup var width: WidthOption

    @Option(help: ArgumentHelp("The log to append to.", valueName: "log"))
    var out: String

    func run() throws {
        guard let data = FileManager.default.contents(atPath: jsonl) else {
            printError("flumebench import: \(jsonl): cannot read")
            throw ExitStatus.cannotOpen
        }
        let log: OffsetLog
        do {
            log = try OffsetLog(path: out, width: width.resolved(), access: .readWrite)
        } catch {
            printError("flumebench import: \(error)")
            throw ExitStatus.forOpening(error)
        }
        let startSize = log.end
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if data.last == UInt8(ascii: "\n") { lines.removeLast() }
        do {
            // Batches of a few MiB: one write each, bytes identical to one append per record.
            var batch: [Data.SubSequence] = []
            var batchBytes = 0
            for line in lines {
                batch.append(line)
                batchBytes += line.count
                if batchBytes >= 4 << 20 {
                    try log.append(batch: batch)
                    batch.removeAll(keepingCapacity: true)
                    batchBytes = 0
                }
            }
            try log.append(batch: batch)
            try log.sync()
        } catch {
            printError("flumebench import: \(error)")
            throw ExitStatus.doesNotConform
        }
        print("\(out): imported \(lines.count) records (\(log.end - startSize) bytes, \(width.resolved().bits)-bit trailers); since \(log.sinceOrMinusOne)")
    }
}
