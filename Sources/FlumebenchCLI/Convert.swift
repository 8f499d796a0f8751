import ArgumentParser
import FlumeBIPF
import FlumeJSON
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
    enum Records: String, ExpressibleByArgument, CaseIterable { case raw, bipf, json }

    @OptionGroup var input: LogOptions

    @Option(help: "The format to write.")
    var to: Target

    @Option(help: "What to do with each record's bytes: raw (as they are), bipf (JSON to BIPF), json (BIPF to JSON).")
    var records: Records = .raw

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
        do {
            try AtomicFile.replace(out) { temporary in
                let sink = try Sink(to: to, path: temporary, width: outWidth)
                var converted: [UInt8] = []
                try source.forEachRecord(.forward, from: .beginning, deleted: .skipped) { record in
                    try withConverted(record, scratch: &converted) { try sink.append($0) }
                    count += 1
                    if count % 4096 == 0 { progress.show("converting: \(count) records, offset \(record.offset >> 20) of \(source.end >> 20) MiB") }
                }
                try sink.finish()
            }
        } catch {
            progress.clear()
            printError("flumebench convert: \(error)")
            throw (error as? FlumeLogError).map(ExitStatus.forOpening) ?? ExitStatus.doesNotConform
        }
        progress.clear()
        let seconds = Date().timeIntervalSince(started)
        print("\(out): \(count) records as \(to == .aaol ? LogFormat.aaolDefault.description : LogFormat.offset(outWidth).description)"
              + (records == .raw ? "" : ", records as \(records.rawValue)")
              + String(format: " in %.2f s (%.0f records/s)", seconds, Double(count) / max(seconds, 1e-6)))
    }

    /// Calls `body` with the bytes to write for `record`; `scratch` holds them when they are made anew.
    private func withConverted(_ record: Record, scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        switch records {
        case .raw:
            return try body(record.payload)
        case .bipf:
            let value: JSValue
            do { value = try JSValue.parse(record.payload) } catch {
                throw ConversionError(offset: record.offset, reason: "not JSON: \(error)")
            }
            scratch.removeAll(keepingCapacity: true)
            do { try BIPF.write(value, to: &scratch) } catch {
                throw ConversionError(offset: record.offset, reason: "cannot be BIPF: \(error)")
            }
        case .json:
            let decoded: BIPFValue
            do { decoded = try BIPF.decode(record.payload).value } catch {
                throw ConversionError(offset: record.offset, reason: "not BIPF: \(error)")
            }
            guard let json = decoded.jsonValue else { throw ConversionError(offset: record.offset, reason: "BIPF undefined has no JSON") }
            scratch = json.stringify()
        }
        try scratch.withUnsafeBytes { try body($0) }
    }

    struct ConversionError: Error, CustomStringConvertible {
        var offset: Int64
        var reason: String
        var description: String { "record at offset \(offset): \(reason)" }
    }

    /// Where converted records go: an AAOL log or an offset log, on the new, empty temporary file.
    private struct Sink {
        let aaol: AAOLLog?
        let offset: OffsetLog?

        init(to target: Target, path: String, width: TrailerWidth) throws {
            switch target {
            case .aaol:
                aaol = try AAOLLog(path: path, access: .readWrite)
                offset = nil
            case .offset:
                aaol = nil
                offset = try OffsetLog(path: path, width: width, access: .readWrite)
            }
        }

        func append(_ bytes: UnsafeRawBufferPointer) throws {
            if let aaol { try aaol.appendDeferred(bytes) } else { try offset!.append(bytes) }
        }

        func finish() throws {
            if let aaol { try aaol.sync() } else { try offset!.sync() }
        }
    }
}
