import ArgumentParser
import FlumeJSON
import FlumeLog
import FlumeSSB

struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Print one line per record: offset (offset2: seq), length, payload.",
        discussion: """
            The payload prints as text when it is UTF-8 (newlines, tabs and control characters \
            escaped so each record stays on one line), as `hex:...` otherwise, and as \
            `(deleted)` for a tombstone (a nulled offset2 entry). A go-ssb multimsg payload of \
            an offset2 log prints as `gossb:` and the JS record it converts to (its signed \
            message unchanged). The log is opened read-only.
            """
    )

    @OptionGroup var input: LogOptions

    @Flag(help: "Newest record first.")
    var reverse = false

    @Option(help: ArgumentHelp("Start at the record at this offset (offset2: this seq), inclusive.", valueName: "offset"))
    var from: Int64?

    @Option(help: ArgumentHelp("Stop after this many records.", valueName: "n"))
    var limit: Int?

    @OptionGroup var reader: StrategyOption

    @Flag(help: "Skip deleted records, as JS streams do.")
    var skipDeleted = false

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must not be negative") }
        if let from, from < 0 { throw ValidationError("--from must be an offset (0 or more)") }
    }

    func run() throws {
        let opened = try input.openReadOnly(strategy: reader.strategy, command: "dump")
        var output = ""
        var printed = 0
        do {
            var cursor = try opened.records(reverse ? .reverse : .forward,
                                           from: from.map { .including($0) } ?? .beginning,
                                           deleted: skipDeleted ? .skipped : .visible)
            while printed < (limit ?? Int.max), let record = try cursor.next() {
                output += "\(record.offset)\t\(record.length)\t\(Self.render(record, goSSB: opened.format == .offset2))\n"
                printed += 1
                if output.utf8.count > 1 << 16 {
                    print(output, terminator: "")
                    output = ""
                }
            }
            print(output, terminator: "")
        } catch {
            print(output, terminator: "")
            printError("flumebench dump: \(error)")
            if let hint = LogFraming.formatHint(for: input.log, readAs: opened.format) { printError(hint) }
            throw ExitStatus.doesNotConform
        }
    }

    static func render(_ record: Record, goSSB: Bool = false) -> String {
        if record.isDeleted { return "(deleted)" }
        if goSSB, GoSSBMessage.looksLikeMultimsg(record.payload) {
            do {
                let text = try GoSSBMessage.jsRecord(of: record.payload, seq: record.offset)
                return "gossb:" + String(decoding: text, as: UTF8.self)
            } catch {
                return "hex:" + Hex.encode(record.payload) + " (\(error.reason))"
            }
        }
        guard let text = String(validating: record.payload, as: UTF8.self) else {
            return "hex:" + Hex.encode(record.payload)
        }
        var escaped = ""
        escaped.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case "\\": escaped += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                escaped += "\\u{\(String(scalar.value, radix: 16))}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
