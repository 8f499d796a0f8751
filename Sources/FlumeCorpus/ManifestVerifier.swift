import FlumeJSON
import Crypto
import FlumeLog
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks a log file against its golden manifest through one reader strategy: every field of
/// the manifest schema, read-only. The file is opened read-only, so it is never changed.
public struct ManifestVerifier {
    public let path: String
    public let manifest: GoldenManifest
    public let width: TrailerWidth

    public init(path: String, manifest: GoldenManifest, width: TrailerWidth) {
        self.path = path
        self.manifest = manifest
        self.width = width
    }

    /// Differences in the file as a whole (size, sha256, width): the same for every strategy.
    /// `pending`: the file's digest, when one is being computed already.
    public func fileDifferences(pending: PendingFileDigest? = nil) throws -> [ManifestDifference] {
        var found: [ManifestDifference] = []
        let (size, digest) = try pending?.value() ?? Self.sizeAndSHA256(ofFileAt: path)
        found.expect("file_size", manifest.fileSize, size)
        found.expect("file_sha256", manifest.fileSHA256, digest)
        found.expect("offset_codec_bits", manifest.offsetCodecBits, width.bits)
        return found
    }

    /// Which SHA-256s a pass computes. With several strategies `LogVerification` has one pass
    /// hash the records and the stream side by side (`DataSHA256.update(_:with:_:with:)`), and
    /// holds every pass to it by a 64-bit checksum of each record: hashing a gigabyte once per
    /// strategy was most of the work.
    public struct Hashing: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// Each record's payload against its entry's `sha256`.
        public static let records = Hashing(rawValue: 1)
        /// The payload stream against `stream_sha256` and `js_stream_sha256`.
        public static let stream = Hashing(rawValue: 2)
        public static let all: Hashing = [.records, .stream]
    }

    /// What one pass found.
    public struct Findings: Sendable {
        public var differences: [ManifestDifference] = []
        /// Per manifest entry, a 64-bit checksum of the payload the scan read at the entry's
        /// offset (none where it read none there, or its SHA-256 differed).
        public var checksums = RecordChecksums(count: 0)
        /// A SHA-256 this pass computed disagreed with the manifest.
        public var hashDiffered = false
        /// The log's structure, counted by the pass's forward walk (which validated every frame,
        /// as `summarize` does): a pass needs no walk of its own for it.
        public var summary: LogSummary?
    }

    /// Everything a reader yields through `strategy`, held against the manifest. A read error
    /// (a typed `FlumeLogError`) is thrown: it is a failure to conform too.
    public func differences(using strategy: ReaderStrategy) throws -> [ManifestDifference] {
        try findings(using: strategy, hashing: .all).differences
    }

    /// `differences(using:)`, computing only the SHA-256s `hashing` names; the checksums let a
    /// caller hold this pass's reads to a pass that hashed them.
    public func findings(using strategy: ReaderStrategy, hashing: Hashing) throws -> Findings {
        var found: [ManifestDifference] = []
        var hashDiffered = false
        let log = try OffsetLog(path: path, width: width, access: .readOnly, strategy: strategy)
        let extent = log.openedExtent

        // Torn tail: the valid end is where JS truncates to, and the file keeps its bytes.
        if let torn = manifest.torn {
            found.expect("torn.truncated_to", torn.truncatedTo, extent.fileSize)
            found.expect("torn (file ends in a partial frame)", true, extent.isTorn)
            if let start = torn.lastFrameStart { found.expect("torn.last_frame_start", start, extent.validEnd) }
            if let after = manifest.jsReadback?.fileSizeAfterOpen {
                found.expect("js_readback.file_size_after_open", after, extent.validEnd)
            }
        } else {
            found.expect("torn (absent: no partial frame)", false, extent.isTorn)
        }
        found.expect("since", manifest.since, log.sinceOrMinusOne)

        // Every complete frame in file order, tombstones included; and what JS streams, deleted
        // records skipped, from the same pass.
        var streamHashes = hashing.contains(.stream) ? StreamHashes() : nil
        var jsOffsets: [Int64] = []
        // Per manifest entry the scan matched (offset and sha256): the checksum of what it read.
        var checksums = RecordChecksums(count: manifest.records.count)
        var index = 0
        var summary = LogSummary(extent: extent)
        var lastForward: Int64?
        var forward = try log.cursor(.forward)
        while let record = try forward.next() {
            summary.count(record)
            lastForward = record.offset
            var digest: ManifestDigest?
            if hashing.contains(.records) {
                digest = streamHashes != nil ? streamHashes!.addHashing(record) : DataSHA256.hash(record.payload)
            } else {
                streamHashes?.add(record)
            }
            if index < manifest.records.count {
                let entry = manifest.records[index]
                let field = index
                found.expect("records[\(field)].offset", entry.offset, record.offset, at: record.offset)
                found.expect("records[\(field)].length", entry.length, record.length, at: record.offset)
                if let digest, digest != entry.digest {
                    found.expect("records[\(field)].sha256", entry.sha256, digest.description, at: record.offset)
                    hashDiffered = true
                } else if entry.offset == record.offset {
                    // Hashed and equal, or to be held to the pass that hashed it.
                    checksums.record(PayloadChecksum.record(offset: record.offset, payload: record.payload), at: index)
                }
                found.expect("records[\(field)].js_treats_as_deleted", entry.jsTreatsAsDeleted ?? false, record.isDeleted, at: record.offset)
            }
            if !record.isDeleted { jsOffsets.append(record.offset) }
            index += 1
        }
        try log.checkForwardWalk(endedAt: forward.position, lastRecord: lastForward)
        found.expect("record_count", manifest.recordCount, index)
        found.expect("records (entries)", manifest.records.count, index)
        if var streamHashes, streamHashes.check(against: manifest, into: &found) { hashDiffered = true }

        // What JS streams: deleted records skipped, both directions (the reverse scan's offsets
        // are held to the lists as they come).
        if let expected = manifest.streamOffsets { found.expectList("stream_offsets", expected, jsOffsets) }
        if let count = manifest.jsStreamRecordCount { found.expect("js_stream_record_count", count, jsOffsets.count) }
        var reverseAsListed = manifest.reverseOffsets.map { OffsetListCheck("reverse_offsets", expected: $0) }
        var reverseOfForward = OffsetListCheck("reverse scan (= forward scan reversed)", expected: jsOffsets, reversed: true)
        try log.forEach(.reverse, deleted: .skipped) { record in
            reverseAsListed?.add(record.offset)
            reverseOfForward.add(record.offset)
        }
        reverseAsListed?.finish(into: &found)
        reverseOfForward.finish(into: &found)

        // Deleted records: tombstones when visible, `.deleted` like JS get() when skipped. Read
        // in bulk, so a mapping hands back what the reads pass: each read of a mapped file maps
        // a large folio's worth (1 GiB corpus: 1,442 records, 900 MB mapped).
        try log.forEachRecord(at: manifest.deletedOffsets ?? []) { tombstone in
            found.expect("deleted_offsets (reads as a tombstone)", true, tombstone.isDeleted, at: tombstone.offset)
            do {
                _ = try log.record(at: tombstone.offset, deleted: .skipped)
                found.expect("deleted_offsets (JS get fails)", "flumelog:deleted", "a record", at: tombstone.offset)
            } catch let error as FlumeLogError where error.code == .deleted {}
        }

        // Random access agrees with the scan for every record: the same bytes as the scan read
        // where the scan read that entry (a 64-bit checksum of both reads, not a second SHA-256
        // of the data; the scan's own reads are hashed or held to a hashing pass), the
        // manifest's sha256 elsewhere. Read in bulk, in the manifest's order: the reader is told
        // the offsets ahead (io_uring submits them together; a mapping hands back what it passed).
        var entry = 0
        var differing: [Int] = []
        try Self.forEachEntryRecord(of: manifest, in: log) { record in
            let same = if let scanned = checksums[entry] {
                PayloadChecksum.record(offset: record.offset, payload: record.payload) == scanned
            } else {
                DataSHA256.hash(record.payload) == manifest.records[entry].digest
            }
            if !same { differing.append(entry) }
            entry += 1
        }
        for entry in differing.map({ manifest.records[$0] }) {
            let digest = try log.withRecord(at: entry.offset) { DataSHA256.hash($0.payload).description }
            found.expect("records[offset \(entry.offset)] read by offset", entry.sha256, digest, at: entry.offset)
        }
        return Findings(differences: found, checksums: checksums, hashDiffered: hashDiffered, summary: summary)
    }

    /// The record at each manifest entry's offset, in the manifest's order: read in bulk
    /// (`forEachRecord(at:)`), the offsets taken 4,096 at a time instead of copied out at once.
    private static func forEachEntryRecord(of manifest: GoldenManifest, in log: OffsetLog,
                                           _ body: (Record) throws -> Void) throws {
        var offsets: [Int64] = []
        offsets.reserveCapacity(4096)
        var start = 0
        while start < manifest.records.count {
            let end = min(start + 4096, manifest.records.count)
            offsets.removeAll(keepingCapacity: true)
            for index in start..<end { offsets.append(manifest.records[index].offset) }
            try log.forEachRecord(at: offsets, body)
            start = end
        }
    }

    /// The size and SHA-256 of a file (or of its first `prefix` bytes), read in 1 MiB chunks.
    /// A failure names the file and the system's reason (errno).
    public static func sizeAndSHA256(ofFileAt path: String, prefix: Int64? = nil) throws(FlumeLogError) -> (Int64, String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FlumeLogError(.io, file: path, message: "cannot open", errno: errno) }
        defer { close(descriptor) }
        var hash = DataSHA256()
        var size: Int64 = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        let limit = prefix ?? .max
        while size < limit {
            let wanted = Int(min(Int64(chunk.count), limit - size))
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, wanted) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FlumeLogError(.io, file: path, offset: size, message: "cannot read", errno: errno)
            }
            if count == 0 { break }
            chunk.withUnsafeBytes { hash.update(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
            size += Int64(count)
        }
        return (size, hash.finalize().description)
    }
}
