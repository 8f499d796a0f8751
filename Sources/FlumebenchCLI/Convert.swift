import ArgumentParser
import FlumeBench
import FlumeCorpus
import FlumeLog
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a log to another format (flume offset log, async-append-only-log, go-ssb offset2), optionally re-encoding its records.",
        discussion: """
            Reads SRC (never modified) and writes DST as a new file: first to a temporary file \
            beside it, synced, then renamed into place, so DST is either whole or absent. An \
            existing DST is refused without --force. Deleted records are skipped, as the JS \
            streams that ssb-db2's migration reads skip them.

            Records: `raw` copies the bytes; `bipf` parses each JSON record and writes its BIPF \
            (as ssb-db2's migrate.js does: `log.offset` → `log.bipf`); `json` writes each BIPF \
            record back as JSON.stringify text; `gossb-json` and `gossb-bipf` decode go-ssb's \
            legacy multimsg payloads (an offset2 log written by go-ssb) into the record a JS \
            client holds, {key, value, timestamp}, as JSON or BIPF: the signed message is kept, so \
            its signature still verifies; go-ssb's receive time (seconds) becomes milliseconds. \
            Output is byte-identical to JS AAOL appending the same payloads one by one, to \
            flumelog-offset appending them, and to margaret's offset2 appending them (`--to \
            offset2`: DST is a directory of data, ofst and jrnl, written beside and renamed into \
            place the same way). Nulled offset2 entries are skipped like deleted records.

            Exit status: 0 done, 1 SRC is damaged or a record cannot be converted (named with its \
            offset), 64 usage error, 66 SRC cannot be opened or DST exists.
            """
    )

    enum Target: String, ExpressibleByArgument, CaseIterable { case offset, aaol, offset2 }

    @OptionGroup var input: LogOptions

    @Option(help: "The format to write.")
    var to: Target

    @Option(help: "What to do with each record's bytes: raw (as they are), bipf (JSON to BIPF), json (BIPF to JSON), gossb-json or gossb-bipf (go-ssb multimsg to the JS record).")
    var records: LogConverter.Records = .raw

    @Option(help: ArgumentHelp("The log to write (a directory for --to offset2).", valueName: "path"))
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
        let target: LogFormat = switch to {
        case .aaol: .aaolDefault
        case .offset: .offset(outWidth)
        case .offset2: .offset2
        }
        let unit = source.format == .offset2 ? "seq" : "MiB"
        let shift = source.format == .offset2 ? 0 : 20
        func convert(into temporary: String) throws {
            count = try LogConverter(to: target, records: records).write(source, into: temporary) { records, id in
                progress.show("converting: \(records) records, \(unit) \(id >> shift) of \(source.end >> shift)")
            }
        }
        do {
            if target == .offset2 {
                try Self.replaceDirectory(out, writing: convert)
            } else {
                try AtomicFile.replace(out, writing: convert)
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
              + String(printf: " in %.2f s (%.0f records/s)", seconds, Double(count) / max(seconds, 1e-6)))
    }
}
extension Convert {
    /// Writes a new directory beside `path` and renames it into place (the old one, with
    /// --force, renamed aside first and removed after), so `path` is whole or as it was.
    static func replaceDirectory(_ path: String, writing body: (String) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let parent = url.deletingLastPathComponent().path, name = url.lastPathComponent
        let temporary = parent + "/" + AtomicFile.temporaryPrefix(of: name) + String(UInt32.random(in: 0...UInt32.max), radix: 36)
        do {
            try body(temporary)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        var aside: String?
        if FileManager.default.fileExists(atPath: path) {
            aside = temporary + ".old"
            try FileManager.default.moveItem(atPath: path, toPath: aside!)
        }
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
        if let aside { try FileManager.default.removeItem(atPath: aside) }
    }
}

extension LogConverter.Records: ExpressibleByArgument {}
