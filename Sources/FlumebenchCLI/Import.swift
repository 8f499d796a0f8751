import ArgumentParser
import FlumeLog
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        var records = 0
        do {
            // Lines found with memchr over the file's bytes, in batches of a few MiB: one write
            // each, bytes identical to one append per record. (Data's generic split took 20 s
            // of a 1 GiB import.)
            try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) throws in
                guard let base = bytes.baseAddress else { return }
                var batch: [UnsafeRawBufferPointer] = []
                var batchBytes = 0, start = 0
                while start < bytes.count {
                    let newline = memchr(base + start, Int32(UInt8(ascii: "\n")), bytes.count - start)
                    let stop = newline.map { base.distance(to: UnsafeRawPointer($0)) } ?? bytes.count
                    batch.append(UnsafeRawBufferPointer(start: base + start, count: stop - start))
                    batchBytes += stop - start
                    start = stop + 1
                    if batchBytes >= 4 << 20 {
                        try log.append(batch: batch)
                        records += batch.count
                        batch.removeAll(keepingCapacity: true)
                        batchBytes = 0
                    }
                }
                try log.append(batch: batch)
                records += batch.count
            }
            try log.sync()
        } catch {
            printError("flumebench import: \(error)")
            throw ExitStatus.doesNotConform
        }
        print("\(out): imported \(records) records (\(log.end - startSize) bytes, \(width.resolved().bits)-bit trailers); since \(log.sinceOrMinusOne)")
    }
}
