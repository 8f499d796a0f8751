import FlumeJSON
import Crypto
import FlumeLog

/// Collects what a generator wrote, record by record, into the golden manifest: the
/// generator's own account of its bytes, not a read-back through the reader under test.
struct ManifestBuilder {
    let width: TrailerWidth
    private(set) var entries: [GoldenManifest.Entry] = []
    private var streamHash = SHA256()
    private var jsStreamHash = SHA256()
    private var jsOffsets: [Int64] = []
    private var deleted: [Int64] = []
    /// Where the next frame starts.
    private(set) var end: Int64 = 0

    init(width: TrailerWidth) { self.width = width }

    /// Notes one record as stored: `payload` is the stored bytes (zeros for a deleted record).
    mutating func add(_ payload: UnsafeRawBufferPointer, deleted isDeleted: Bool) {
        let offset = end
        let treatedAsDeleted = !payload.isEmpty && payload.allSatisfy { $0 == 0 }
        entries.append(GoldenManifest.Entry(offset: offset, length: payload.count,
                                            sha256: Hex.encode(SHA256.hash(data: payload)),
                                            jsTreatsAsDeleted: treatedAsDeleted ? true : nil))
        streamHash.update(bufferPointer: payload)
        if isDeleted { deleted.append(offset) }
        if !treatedAsDeleted {
            jsOffsets.append(offset)
            jsStreamHash.update(bufferPointer: payload)
        }
        end = offset + Int64(payload.count + width.frameOverhead)
    }

    mutating func add(_ payload: [UInt8], deleted: Bool = false) {
        payload.withUnsafeBytes { add($0, deleted: deleted) }
    }

    /// The manifest of the file as written; `fileSize` and `fileSHA256` come from the file itself.
    func manifest(file: String, fileSize: Int64, fileSHA256: String) -> GoldenManifest {
        // JS cannot stream past a zero-length payload ("read an empty buffer").
        let streamable = !entries.contains { $0.length == 0 }
        return GoldenManifest(
            file: file, fileSize: fileSize, fileSHA256: fileSHA256, offsetCodecBits: width.bits,
            recordCount: entries.count, records: entries,
            streamSHA256: Hex.encode(streamHash.finalize()),
            streamOffsets: streamable ? jsOffsets : nil,
            reverseOffsets: streamable ? jsOffsets.reversed() : nil,
            jsStreamRecordCount: streamable ? jsOffsets.count : nil,
            jsStreamSHA256: streamable ? Hex.encode(jsStreamHash.finalize()) : nil,
            since: entries.last?.offset ?? -1, torn: nil, jsReadback: nil,
            deletedOffsets: deleted.isEmpty ? nil : deleted, expectedError: nil)
    }
}
