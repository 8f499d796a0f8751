import FlumeBIPF
import FlumeJSON
import FlumeLog
import FlumeSSB

/// Copies a log's records into a new log of another format, optionally re-encoding each record
/// (JSON → BIPF as ssb-db2's `migrate.js` does, or back). Deleted records are skipped, as the JS
/// streams the migration reads skip them. The one conversion `flumebench convert`, converted
/// corpora and the conversion benchmark share, so all three write the same bytes.
public struct LogConverter: Sendable {
    /// What happens to each record's bytes.
    public enum Records: String, Sendable, CaseIterable, Codable {
        /// Copied as they are.
        case raw
        /// Parsed as JSON, written as BIPF.
        case bipf
        /// Decoded as BIPF, written as `JSON.stringify` text.
        case json
        /// go-ssb multimsg payloads (offset2 logs) written as the record JS's `log.offset`
        /// holds, `{"key","value","timestamp"}` as `JSON.stringify` writes it: the value is the
        /// signed message (its signature still verifies), the timestamp go-ssb's receive time
        /// cut to whole milliseconds.
        case goSSBJSON = "gossb-json"
        /// The same record as BIPF (ssb-db2's `log.bipf`).
        case goSSBBIPF = "gossb-bipf"
    }

    /// A record as written, for callers that keep an account of the new log (manifests).
    public struct Written {
        public var sourceOffset: Int64
        /// Where the record starts in the new log.
        public var offset: Int64
        /// The bytes written as its payload (borrowed for the call).
        public var payload: UnsafeRawBufferPointer
        /// The record's bytes in the source (borrowed for the call).
        public var sourcePayload: UnsafeRawBufferPointer
    }

    public var target: LogFormat
    public var records: Records

    public init(to target: LogFormat, records: Records = .raw) {
        self.target = target
        self.records = records
    }

    /// Writes every visible record of `source` into the empty file at `path` (offset2: a
    /// missing or empty directory; a temporary the caller renames into place) and syncs it (unless `sync` is false: benchmarks). Returns the records written; a record that
    /// cannot be converted throws `CorpusError.conversion` naming its offset in `source`.
    @discardableResult
    public func write(_ source: any ReadableLog, into path: String, sync: Bool = true,
                      progress: (_ records: Int, _ sourceOffset: Int64) -> Void = { _, _ in },
                      written: (Written) throws -> Void = { _ in }) throws -> Int {
        let sink = try Sink(target, path: path)
        var scratch: [UInt8] = []
        var count = 0
        var cursor = try source.records(.forward, from: .beginning, deleted: .skipped)
        while let record = try cursor.next() {
            try withConverted(record, scratch: &scratch, source: source) { bytes in
                let offset = try sink.append(bytes)
                try written(Written(sourceOffset: record.offset, offset: offset, payload: bytes, sourcePayload: record.payload))
            }
            count += 1
            if count & 4095 == 0 { progress(count, record.offset) }
        }
        try sink.finish(sync: sync)
        return count
    }

    /// Calls `body` with the bytes to write for `record`: its own for raw, else made anew in `scratch`.
    private func withConverted(_ record: Record, scratch: inout [UInt8], source: any ReadableLog,
                               _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        func failure(_ reason: String) -> CorpusError {
            CorpusError(.conversion, file: source.location ?? "log", message: "record at offset \(record.offset): \(reason)")
        }
        scratch.removeAll(keepingCapacity: true)
        switch records {
        case .raw:
            return try body(record.payload)
        case .bipf:
            do { try BIPF.write(json: record.payload, to: &scratch) } catch { throw failure(error.description) }
        case .goSSBJSON, .goSSBBIPF:
            let text: [UInt8]
            do {
                text = try GoSSBMessage.jsRecord(of: record.payload, seq: record.offset, file: source.location ?? "log")
            } catch { throw failure(error.reason) }
            guard records == .goSSBBIPF else { scratch = text; break }
            let encoded = text.withUnsafeBytes { bytes in
                Result { () throws(BIPF.TranscodingError) in try BIPF.write(json: bytes, to: &scratch) }
            }
            if case .failure(let error) = encoded { throw failure(error.description) }
        case .json:
            let decoded: BIPFValue
            do { decoded = try BIPF.decode(record.payload).value } catch { throw failure("not BIPF: \(error)") }
            guard let json = decoded.jsonValue else { throw failure("BIPF undefined has no JSON") }
            scratch = json.stringify()
        }
        try scratch.withUnsafeBytes(body)
    }

    /// Where converted records go: a new AAOL or offset log on the empty file, or a new
    /// offset2 log in the missing (or empty) directory.
    private struct Sink {
        var aaol: AAOLLog?
        var offset: OffsetLog?
        var offset2: Offset2Log?

        init(_ format: LogFormat, path: String) throws(FlumeLogError) {
            switch format {
            case .aaol(let blockSize): aaol = try AAOLLog(path: path, blockSize: blockSize, access: .readWrite)
            case .offset(let width): offset = try OffsetLog(path: path, width: width, access: .readWrite)
            case .offset2: offset2 = try Offset2Log(directory: path, access: .readWrite)
            }
        }

        /// Blocks are written when full (as JS's debounced flush writes them), frames at once.
        func append(_ bytes: UnsafeRawBufferPointer) throws(FlumeLogError) -> Int64 {
            if let aaol { return try aaol.appendDeferred(bytes) }
            if let offset2 { return try offset2.appendDeferred(bytes) }
            return try offset!.append(bytes)
        }

        func finish(sync: Bool) throws(FlumeLogError) {
            if let aaol { try sync ? aaol.sync() : aaol.flush() }
            try sync ? offset2?.sync() : offset2?.flush()
            if sync { try offset?.sync() }
        }
    }
}
