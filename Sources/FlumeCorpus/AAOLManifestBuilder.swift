import Crypto
import FlumeJSON
import FlumeLog

/// Keeps the account of an AAOL log as it is written (each record's offset, length and sha256,
/// and for BIPF records the sha256 of the JSON they hold) and writes it as a manifest in the
/// schema of `../shared/corpus/aaol`, so `AAOLManifestVerifier` checks generated logs as it
/// checks JS-written ones. The account comes from the writer, not from reading the file back.
public struct AAOLManifestBuilder {
    struct Entry {
        var offset: Int64
        var length: Int
        var sha256: String
        var jsonSHA256: String?
    }

    public let blockSize: Int
    public let isBIPF: Bool
    private var entries: [Entry] = []
    private var values = SHA256()

    public init(blockSize: Int, isBIPF: Bool) {
        self.blockSize = blockSize
        self.isBIPF = isBIPF
    }

    /// Adds a record as `LogConverter` wrote it; for BIPF, the JSON its source text parses to
    /// (`JSON.stringify(JSON.parse(text))`), which the BIPF must decode to.
    public mutating func add(_ record: LogConverter.Written) throws {
        values.update(bufferPointer: record.payload)
        let json = isBIPF ? Hex.encode(SHA256.hash(data: try JSValue.parse(record.sourcePayload).stringify())) : nil
        entries.append(Entry(offset: record.offset, length: record.payload.count,
                             sha256: Hex.encode(SHA256.hash(data: record.payload)), jsonSHA256: json))
    }

    /// The manifest text for the finished file (one record per line).
    public func jsonText(file: String, fileSize: Int64, fileSHA256: String, notes: [(String, String)]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512 + entries.count * 160)
        let quoted = JSValue.quoted
        func line(_ text: String) { out += text.utf8; out += ",\n".utf8 }
        out += "{\n".utf8
        line(#"  "file": \#(quoted(file))"#)
        line(#"  "file_size": \#(fileSize)"#)
        line(#"  "file_sha256": "\#(fileSHA256)""#)
        line(#"  "block_size": \#(blockSize)"#)
        line(#"  "block_count": \#(fileSize / Int64(blockSize))"#)
        for (key, value) in notes { line("  \(quoted(key)): \(quoted(value))") }
        if isBIPF { line(#"  "bipf_version": "JS bipf 1.9.0's encoding, written by flumebench""#) }
        line(#"  "record_count": \#(entries.count)"#)
        line(#"  "since": \#(entries.last?.offset ?? -1)"#)
        line(#"  "stream_offsets": [\#(entries.map { String($0.offset) }.joined(separator: ","))]"#)
        line(#"  "aaol_stream": {"count": \#(entries.count), "null_value_offsets": [], "values_sha256": "\#(Hex.encode(values.finalize()))"}"#)
        out += "  \"records\": [".utf8
        for (index, entry) in entries.enumerated() {
            out += (index == 0 ? "\n" : ",\n").utf8
            var text = #"    {"offset": \#(entry.offset), "length": \#(entry.length), "sha256": "\#(entry.sha256)""#
            if let json = entry.jsonSHA256 { text += #", "json_sha256": "\#(json)""# }
            out += (text + "}").utf8
        }
        out += "\n  ]\n}\n".utf8
        return out
    }
}
