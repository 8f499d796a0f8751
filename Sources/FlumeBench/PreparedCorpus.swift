import FlumeJSON
import Crypto
import FlumeCorpus
import FlumeLog
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A workload corpus made ready for measurement: verified against its golden manifest under
/// every strategy, and the per-record checksums every case is checked with, taken from a
/// verified read.
struct PreparedCorpus {
    let corpus: GeneratedCorpus
    let width: TrailerWidth
    /// Per record in file order: offset and checksum (`PayloadChecksum.record`).
    let offsets: [Int64]
    let lengths: [Int]
    let checksums: [UInt64]
    /// Payloads of the first records, for the append cases.
    let appendPayloads: [[UInt8]]
    /// sha256 of the file's first bytes, as far as `appendPayloads` reach: what appending them
    /// to an empty log must write.
    let appendPrefixSHA256: String

    var name: String { corpus.recipe.name }
    var path: String { corpus.logPath }
    var manifest: GoldenManifest { corpus.manifest }

    init(_ corpus: GeneratedCorpus, appendRecords: Int) throws {
        self.corpus = corpus
        width = try corpus.recipe.width
        let log = try OffsetLog(path: corpus.logPath, width: width, access: .readOnly)
        var offsets: [Int64] = [], lengths: [Int] = [], checksums: [UInt64] = [], payloads: [[UInt8]] = []
        offsets.reserveCapacity(corpus.manifest.recordCount)
        try log.forEach { record in
            offsets.append(record.offset)
            lengths.append(record.length)
            checksums.append(PayloadChecksum.record(offset: record.offset, payload: record.payload))
            if payloads.count < appendRecords { payloads.append(Array(record.payload)) }
        }
        self.offsets = offsets
        self.lengths = lengths
        self.checksums = checksums
        appendPayloads = payloads
        let prefixEnd = payloads.count < offsets.count ? offsets[payloads.count] : log.end
        appendPrefixSHA256 = try ManifestVerifier.sizeAndSHA256(ofFileAt: corpus.logPath, prefix: prefixEnd).1
    }

    /// The checksum of reading the records at these indices.
    func checksum(_ indices: some Sequence<Int>) -> UInt64 {
        indices.reduce(0) { $0 &+ checksums[$1] }
    }
}
