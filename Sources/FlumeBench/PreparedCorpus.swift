import FlumeCorpus
import FlumeLog
import FlumeSSB
import Foundation

/// A workload corpus made ready for measurement: verified against its golden manifest under
/// every strategy, and the per-record checksums every case is checked with, taken from a
/// verified read.
struct PreparedCorpus {
    let corpus: GeneratedCorpus
    let format: LogFormat
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
    /// For a converted corpus: the log it was converted from, what the conversion case reads.
    let convertedFrom: GeneratedCorpus?

    var name: String { corpus.recipe.name }
    var path: String { corpus.logPath }
    var manifest: CorpusManifest { corpus.manifest }

    init(_ corpus: GeneratedCorpus, convertedFrom: GeneratedCorpus?, appendRecords: Int) throws {
        self.corpus = corpus
        self.convertedFrom = convertedFrom
        format = try corpus.recipe.format
        let log = try format.openReadOnly(corpus.logPath)
        var offsets: [Int64] = [], lengths: [Int] = [], checksums: [UInt64] = [], payloads: [[UInt8]] = []
        offsets.reserveCapacity(corpus.manifest.recordCount)
        let keepsPayloads = format.name == "offset" ? appendRecords : 0
        try log.forEachRecord { record in
            offsets.append(record.offset)
            lengths.append(record.length)
            checksums.append(PayloadChecksum.record(offset: record.offset, payload: record.payload))
            if payloads.count < keepsPayloads { payloads.append(Array(record.payload)) }
        }
        self.offsets = offsets
        self.lengths = lengths
        self.checksums = checksums
        end = log.end
        appendPayloads = payloads
        let prefixEnd = payloads.count < offsets.count ? offsets[payloads.count] : log.end
        appendPrefixSHA256 = try ManifestVerifier.sizeAndSHA256(ofFileAt: corpus.logPath, prefix: prefixEnd).1
    }

    /// Whether `operation` means anything on this corpus: writes and recovery are measured on
    /// offset logs, conversion on converted corpora.
    func supports(_ operation: Operation) -> Bool {
        if operation == .convert { return convertedFrom != nil }
        if operation.isAppend || operation == .openWithRecovery { return format.name == "offset" }
        return true
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

    /// How records are encoded: BIPF for corpora converted as ssb-db2 migrates, else JSON.
    var recordEncoding: RecordEncoding { corpus.recipe.convert?.records == .bipf ? .bipf : .json }

    /// `offset`, `aaol`, or `aaol+bipf`: the format and, where not JSON, the record encoding.
    var formatLabel: String { format.name + (recordEncoding == .bipf ? "+bipf" : "") }

    /// The checksum of reading the records at these indices.
    func checksum(_ indices: some Sequence<Int>) -> UInt64 {
        indices.reduce(0) { $0 &+ checksums[$1] }
    }
}
