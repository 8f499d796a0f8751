import ArgumentParser
import FlumeCorpus
import FlumeLog
import Foundation

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a log to another format (flume offset log ↔ async-append-only-log), optionally BIPF-encoding its records.",
        discussion: """
            Reads SRC (never modified) and writes DST as a new file: first to a temporary file \
            beside it, synced, then renamed into place, so DST is either whole or absent. An \
            existing DST is refused without --force. Deleted records are skipped, as the JS \
            streams that ssb-db2's migration reads skip them.

            Records: `raw` copies the bytes; `bipf` parses each JSON record and writes its BIPF \
            (as ssb-db2's migrate.js does: `log.offset` → `log.bipf`); `json` writes each BIPF \
            record back as JSON.stringify text. Output is byte-identical to JS AAOL appending the \
            same payloads one by one, and to flumelog-offset appending them.

            Exit status: 0 done, 1 SRC is damaged or a record cannot be converted (named with its \
            offset), 64 usage error, 66 SRC cannot be opened or DST exists.
            """
    )

    enum Target: String, ExpressibleByArgument, CaseIterable { case offset, aaol }

    @OptionGroup var input: LogOptions

    @Option(help: "The format to write.")
    var to: Target

    @Option(help: "What to do with each record's bytes: raw (as they are), bipf (JSON to BIPF), json (BIPF to JSON).")
    var records: LogConverter.Records = .raw

    @Option(help: ArgumentHelp("The log to write.", valueName: "file"))
    var out: String

    @Option(help: "Trailer width of an offset log written (default 32).")
    var outWidth: TrailerWidth = .bits32

    @Flag(help: "Replace DST when it exists.")
    var force = false

    func run() throws {
        let source = try input.openReadOnly(command: "convert")
        if FileManager.default.fileExists(atPath: out), !force {
            printError("flumebench convert: \(out) exists; pass --force to replace it")
            throw ExitStatus.cannotOpen
        }
        let progress = Progress()
        let started = Date()
        var count = 0
        let target: LogFormat = to == .aaol ? .aaolDefault : .offset(outWidth)
        do {
            try AtomicFile.replace(out) { temporary in
                count = try LogConverter(to: target, records: records).write(source, into: temporary) { records, offset in
                    progress.show("converting: \(records) records, offset \(offset >> 20) of \(source.end >> 20) MiB")
                }
            }
        } catch {
            progress.clear()
            printError("flumebench convert: \(error)")
            throw (error as? FlumeLogError).map(ExitStatus.forOpening) ?? ExitStatus.doesNotConform
        }
        progress.clear()
        let seconds = Date().timeIntervalSince(started)
        print("\(out): \(count) records as \(target.description)"
              + (records == .raw ? "" : ", records as \(records.rawValue)")
              + String(format: " in %.2f s (%.0f records/s)", seconds, Double(count) / max(seconds, 1e-6)))
    }
}
extension LogConverter.Records: ExpressibleByArgument {}
