import Crypto
import FlumeJSON
import FlumeLog

/// Keeps the account of an offset2 log as `LogConverter` writes it (each entry's seq, frame
/// offset, length and sha256) and writes it as a manifest in the schema of
/// `../shared/corpus/go-offset2`, so `Offset2ManifestVerifier` checks generated directories as
/// it checks margaret-written ones. The account comes from the writer, not from reading back.
public struct Offset2ManifestBuilder {
    private var entries: [(offset: Int64, length: Int, sha256: String)] = []
    private var dataEnd: Int64 = 0
    private var stream = SHA256()

    public init() {}

    /// Adds an entry as `LogConverter` wrote it (converters skip deleted records: none is nulled).
    public mutating func add(_ entry: LogConverter.Written) {
        stream.update(bufferPointer: entry.payload)
        entries.append((dataEnd, entry.payload.count, Hex.encode(SHA256.hash(data: entry.payload))))
        dataEnd += 8 + Int64(entry.payload.count)
    }

    /// The manifest text for the finished directory (one entry per line), its files' sizes and
    /// digests read from `directory`.
    public func jsonText(directory: String, notes: [(String, String)]) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024 + entries.count * 120)
        let quoted = JSValue.quoted
        func line(_ text: String) { out += text.utf8; out += ",\n".utf8 }
        out += "{\n".utf8
        line(#"  "name": \#(quoted(directory.split(separator: "/").last.map(String.init) ?? directory))"#)
        var files: [String] = []
        for name in ["data", "ofst", "jrnl"] {
            let (size, digest) = try ManifestVerifier.sizeAndSHA256(ofFileAt: directory + "/" + name)
            files.append(#""\#(name)": {"size": \#(size), "sha256": "\#(digest)"}"#)
        }
        line(#"  "files": {\#(files.joined(separator: ", "))}"#)
        line(#"  "written_by": "flumebench (Offset2Log, margaret's append)""#)
        for (key, value) in notes { line("  \(quoted(key)): \(quoted(value))") }
        line(#"  "entry_count": \#(entries.count)"#)
        line(#"  "nulled_seqs": []"#)
        line(#"  "payload_stream_sha256": "\#(Hex.encode(stream.finalize()))""#)
        line(#"  "margaret_open": {"result": "opened", "seq": \#(entries.count - 1)}"#)
        out += "  \"entries\": [".utf8
        for (seq, entry) in entries.enumerated() {
            out += (seq == 0 ? "\n" : ",\n").utf8
            out += #"    {"seq": \#(seq), "offset": \#(entry.offset), "length": \#(entry.length), "sha256": "\#(entry.sha256)"}"#.utf8
        }
        out += "\n  ]\n}\n".utf8
        return out
    }
}
