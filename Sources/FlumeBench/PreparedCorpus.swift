import FlumeBIPF
import FlumeCorpus
import FlumeJSON
import FlumeLog
import FlumeSSB
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A log made ready for measurement: a generated corpus (verified against its golden manifest
/// under every strategy) or a user's own log (`flumebench bench`, read as it is), with the
/// per-record checksums every case is checked with, taken from a verified read.
struct PreparedCorpus {
    let name: String
    let path: String
    let format: LogFormat
    /// How records are encoded: BIPF for ssb-db2's log, else JSON (or bytes).
    let recordEncoding: RecordEncoding
    /// `ssb`, `synthetic`, `fault`, `converted`, or `user` for a user's log.
    let kind: String
    /// The files the log is made of: itself, or an offset2 directory's data, jrnl and ofst.
    let files: [String]
    /// Bytes of the log's files (an offset2 directory: data, ofst and jrnl together).
    let fileSize: Int64
    /// sha256 of the whole file (offset2: of `data`), where a manifest gives it (what a
    /// conversion must write).
    let fileSHA256: String?
    /// Records JS's stream yields (deleted ones skipped): what view rebuilds must apply.
    let streamRecordCount: Int
    /// Whether the records are SSB messages (views are measured only then).
    let holdsSSB: Bool
    /// Per record in file order (deleted ones included, as scans yield them): offset, length
    /// and checksum (`PayloadChecksum.record`).
    let offsets: [Int64]
    let lengths: [Int]
    let checksums: [UInt64]
    /// The end of the last record.
    let end: Int64
    /// Payloads of the first records, for the append cases (offset logs).
    let appendPayloads: [[UInt8]]
    /// sha256 of the file's first bytes, as far as `appendPayloads` reach: what appending them
    /// to an empty log must write.
    let appendPrefixSHA256: String
    /// A generated corpus's golden manifest (`verify_manifest_process`); nil for a user's log.
    let manifestPath: String?
    /// For a converted corpus: the log it was converted from and how, what the conversion case does.
    let conversion: (source: String, sourceFormat: LogFormat, records: LogConverter.Records)?

    /// A generated corpus.
    init(_ corpus: GeneratedCorpus, convertedFrom base: GeneratedCorpus?, appendRecords: Int) throws {
        let recipe = corpus.recipe
        let format = try recipe.format
        let records = recipe.convert?.records ?? .raw
        try self.init(name: recipe.name, path: corpus.logPath, format: format, encoding: records == .bipf ? .bipf : .json,
                      kind: recipe.kind.rawValue, fileSHA256: corpus.manifest.fileSHA256,
                      holdsSSB: recipe.kind == .ssb || (recipe.kind == .converted && base?.recipe.kind == .ssb),
                      conversion: try base.map { ($0.logPath, try $0.recipe.format, records) }, manifestPath: corpus.manifestPath,
                      appendRecords: appendRecords)
    }

    /// A user's log, read as it is; whether it holds SSB (and as JSON or BIPF) is told by its
    /// first record.
    init(userLog path: String, name: String, format: LogFormat, appendRecords: Int) throws {
        let (holdsSSB, encoding) = try Self.recordKind(of: format.openReadOnly(path))
        try self.init(name: name, path: path, format: format, encoding: encoding, kind: "user", fileSHA256: nil,
                      holdsSSB: holdsSSB, conversion: nil, manifestPath: nil, appendRecords: appendRecords)
    }

    private init(name: String, path: String, format: LogFormat, encoding: RecordEncoding, kind: String, fileSHA256: String?,
                 holdsSSB: Bool, conversion: (String, LogFormat, LogConverter.Records)?, manifestPath: String?,
                 appendRecords: Int) throws {
        self.manifestPath = manifestPath
        self.name = name
        self.path = path
        self.format = format
        self.recordEncoding = encoding
        self.kind = kind
        self.fileSHA256 = fileSHA256
        self.holdsSSB = holdsSSB
        self.conversion = conversion
        let log = try format.openReadOnly(path)
        var offsets: [Int64] = [], lengths: [Int] = [], checksums: [UInt64] = [], payloads: [[UInt8]] = []
        var visible = 0
        let keepsPayloads = format.name == "offset" ? appendRecords : 0
        try log.forEachRecord { record in
            offsets.append(record.offset)
            lengths.append(record.length)
            checksums.append(PayloadChecksum.record(offset: record.offset, payload: record.payload))
            if !record.isDeleted { visible += 1 }
            if payloads.count < keepsPayloads { payloads.append(Array(record.payload)) }
        }
        self.offsets = offsets
        self.lengths = lengths
        self.checksums = checksums
        streamRecordCount = visible
        end = log.end
        appendPayloads = payloads
        if keepsPayloads > 0 {
            let prefixEnd = payloads.count < offsets.count ? offsets[payloads.count] : log.end
            appendPrefixSHA256 = try ManifestVerifier.sizeAndSHA256(ofFileAt: path, prefix: prefixEnd).1
        } else {
            appendPrefixSHA256 = ""
        }
        files = try PageCache.files(of: path)
        fileSize = files.reduce(0) { total, file in total + (FileDescriptor.size(atPath: file) ?? 0) }
    }

    /// Whether a log holds SSB messages (`{key, value: {author, ...}}`), and their encoding,
    /// by its first visible record.
    private static func recordKind(of log: any ReadableLog) throws -> (holdsSSB: Bool, encoding: RecordEncoding) {
        var cursor = try log.records(.forward, from: .beginning, deleted: .skipped)
        guard let first = try cursor.next(), let encoding = RecordEncoding.of(first.payload) else { return (false, .json) }
        let value: JSValue?
        switch encoding {
        case .json: value = try? JSValue.parse(first.payload)
        case .bipf: value = (try? BIPF.decode(first.payload))?.value.jsonValue
        case .goSSB: value = (try? GoSSBMessage.jsRecord(of: first.payload)).flatMap { try? JSValue.parse($0) }
        }
        return (value?["value"]?["author"]?.stringValue != nil && value?["key"]?.stringValue != nil, encoding)
    }

    /// Whether `operation` means anything on this log: writes and recovery are measured on
    /// offset logs, conversion on converted corpora, views on SSB messages.
    func supports(_ operation: Operation) -> Bool {
        if operation == .convert { return conversion != nil }
        if operation == .ssbValidate { return holdsSSB }
        if operation == .verifyManifestProcess { return manifestPath != nil }
        if operation.isAppend || operation == .openWithRecovery { return format.name == "offset" }
        if operation.views != nil, kind == "user" { return holdsSSB }
        return true
    }

    /// Whether `reference` is measured on this log: the simdjson field extraction needs JSON
    /// SSB messages in an offset log (the frame walk it shares with the C reference).
    func supports(_ reference: ReferenceKind) -> Bool {
        if reference == .libsodiumVerify || reference == .libsodiumVerifyEveryCore { return holdsSSB }
        guard reference == .simdjsonFields else { return true }
        guard case .offset = format else { return false }
        return holdsSSB && recordEncoding == .json
    }

    /// The trailer width the write cases use (offset logs only: `supports` keeps them there).
    var width: TrailerWidth {
        get throws {
            guard case .offset(let width) = format else {
                throw BenchError(.harness, file: path, message: "write cases run on offset logs, not on \(format)")
            }
            return width
        }
    }

    /// `offset`, `aaol`, `aaol+bipf` or `offset2`: the format and, where not JSON, the record
    /// encoding.
    var formatLabel: String { format.name + (recordEncoding == .bipf ? "+bipf" : recordEncoding == .goSSB ? "+gossb" : "") }

    /// The checksum of reading the records at these indices.
    func checksum(_ indices: some Sequence<Int>) -> UInt64 {
        indices.reduce(0) { $0 &+ checksums[$1] }
    }
}
