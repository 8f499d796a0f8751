import FlumeBIPF
import FlumeJSON
import FlumeLog
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Checks an AAOL log (raw or BIPF records) against its golden manifest, the schema of
/// `../shared/corpus/aaol` (see its README), through one reader strategy: for a log JS wrote,
/// what JS's `stream()` yielded (offsets, tombstones, values), `since`, the log size `get()`
/// checks, reverse scans, `gt`/`gte`/`limit` probes, every record read by offset, JS's `get()`
/// errors, and for BIPF each record's JSON; for a damaged copy, the records a parser finds.
/// Read-only: the file is never changed.
public struct AAOLManifestVerifier {
    public let path: String
    /// The manifest, as JSON (its schema has many optional parts; each is checked where present).
    public let manifest: JSValue

    public init(path: String, manifest: JSValue) {
        self.path = path
        self.manifest = manifest
    }

    /// Reads a manifest file.
    public static func load(_ manifestPath: String) throws(CorpusError) -> JSValue {
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            throw CorpusError(.manifest, file: manifestPath, message: "cannot read")
        }
        do {
            let value = try JSValue.parse(Array(data))
            guard value["records"]?.arrayValue != nil, value["block_size"]?.integerValue != nil else {
                throw CorpusError(.manifest, file: manifestPath, message: "not an AAOL manifest (no records or block_size)")
            }
            return value
        } catch let error as CorpusError {
            throw error
        } catch {
            throw CorpusError(.manifest, file: manifestPath, message: "not JSON: \(error)")
        }
    }

    public var blockSize: Int { Int(manifest["block_size"]?.integerValue ?? Int64(AAOLLog.defaultBlockSize)) }
    var isDamaged: Bool { manifest["torn"] != nil }
    var isBIPF: Bool { manifest["bipf_version"] != nil }

    /// Differences in the file as a whole: size, sha256, block size.
    public func fileDifferences() throws(FlumeLogError) -> [ManifestDifference] {
        var found: [ManifestDifference] = []
        let (size, digest) = try ManifestVerifier.sizeAndSHA256(ofFileAt: path)
        found.expect("file_size", manifest["file_size"]?.integerValue, size)
        found.expect("file_sha256", manifest["file_sha256"]?.stringValue, digest)
        return found
    }

    /// Everything a reader yields through `strategy`, held against the manifest; a read error
    /// is thrown. `checkingJSON`: for BIPF, each record's JSON too. A record's JSON follows from
    /// its bytes, which every strategy holds to the manifest's sha256: one strategy checks it.
    public func differences(using strategy: ReaderStrategy, checkingJSON: Bool = true) throws -> [ManifestDifference] {
        var found: [ManifestDifference] = []
        let log = try AAOLLog(path: path, blockSize: blockSize, strategy: strategy)
        let records = manifest["records"]?.arrayValue ?? []
        // Each record's sha256 (hashed beside the values' stream) and a 64-bit checksum of what
        // the scan read, which each read by offset is held to.
        var scanned: [(offset: Int64, sha256: ManifestDigest, deleted: Bool, checksum: UInt64)] = []
        var values = DataSHA256()
        try log.forEach { record in
            let digest = record.isDeleted ? DataSHA256.hash(record.payload) : DataSHA256.hash(record.payload, updatingBeside: &values)
            scanned.append((record.offset, digest, record.isDeleted, PayloadChecksum.record(offset: record.offset, payload: record.payload)))
        }
        if isDamaged {
            // The records an independent parser finds in the damaged bytes.
            found.expectList("records[].offset", records.compactMap { $0["offset"]?.integerValue }, scanned.map(\.offset))
            found.expectList("records[].sha256", records.compactMap { $0["sha256"]?.stringValue.map(ManifestDigest.init(hex:)) }, scanned.map(\.sha256))
            found.expect("since (the last whole record)", records.last?["offset"]?.integerValue, log.since)
        } else {
            var onDisk: [Int64: ManifestDigest] = [:]
            for record in records {
                if let offset = record["offset"]?.integerValue { onDisk[offset] = (record["sha256_on_disk"] ?? record["sha256"])?.stringValue.map(ManifestDigest.init(hex:)) }
            }
            if let expected = manifest["stream_offsets"]?.arrayValue?.compactMap(\.integerValue) {
                found.expectList("stream_offsets", expected, scanned.map(\.offset))
            }
            for entry in scanned where onDisk[entry.offset] != entry.sha256 {
                found.expect("records[offset \(entry.offset)].sha256", onDisk[entry.offset]?.description ?? "no record", entry.sha256.description, at: entry.offset)
            }
            let nulls = manifest["aaol_stream"]?["null_value_offsets"]?.arrayValue?.compactMap(\.integerValue) ?? []
            found.expectList("aaol_stream.null_value_offsets", nulls, scanned.filter(\.deleted).map(\.offset))
            if let digest = manifest["aaol_stream"]?["values_sha256"]?.stringValue {
                found.expect("aaol_stream.values_sha256", digest, values.finalize().description)
            }
            found.expect("since", manifest["since"]?.integerValue ?? -1, log.sinceOrMinusOne)
            if let size = manifest["aaol_readback_log_size"]?.integerValue { found.expect("aaol_readback_log_size", size, log.end) }
            // The same bytes as the scan read (whose sha256 was held to the manifest's), or the
            // sha256 of what the read found.
            for entry in scanned {
                let digest = try log.withRecord(at: entry.offset) { record in
                    PayloadChecksum.record(offset: record.offset, payload: record.payload) == entry.checksum
                        ? entry.sha256 : DataSHA256.hash(record.payload)
                }
                found.expect("get(\(entry.offset))", entry.sha256, digest, at: entry.offset)
            }
            try checkProbes(log, &found)
            if isBIPF, checkingJSON { try checkJSON(log, &found) }
        }
        var reverse: [Int64] = []
        try log.forEach(.reverse) { reverse.append($0.offset) }
        found.expectList("reverse scan (= forward scan reversed)", scanned.map(\.offset).reversed(), reverse)
        return found
    }

    /// `gte`, `gt` and `limit` as JS answered them.
    private func checkProbes(_ log: AAOLLog, _ found: inout [ManifestDifference]) throws {
        guard let probes = manifest["aaol_readback"]?["stream_probes"], let middle = probes["middle_offset"]?.integerValue else { return }
        func scan(_ start: ScanStart) throws -> [Int64] {
            var offsets: [Int64] = []
            try log.forEach(from: start) { offsets.append($0.offset) }
            return offsets
        }
        let gte = try scan(.including(middle)), gt = try scan(.after(middle))
        found.expect("stream_probes.gte_count", probes["gte_count"]?.integerValue, Int64(gte.count))
        found.expect("stream_probes.gte_first", probes["gte_first"]?.integerValue, gte.first)
        found.expect("stream_probes.gt_count", probes["gt_count"]?.integerValue, Int64(gt.count))
        found.expect("stream_probes.gt_first", probes["gt_first"]?.integerValue, gt.first)
        if let limit3 = probes["limit3"]?.arrayValue?.compactMap(\.integerValue) {
            found.expectList("stream_probes.limit3", limit3, Array(try scan(.beginning).prefix(3)))
        }
    }

    /// Each BIPF record decodes to the JSON whose sha256 the manifest holds.
    private func checkJSON(_ log: AAOLLog, _ found: inout [ManifestDifference]) throws {
        var expected: [Int64: ManifestDigest] = [:]
        for record in manifest["records"]?.arrayValue ?? [] {
            if let offset = record["offset"]?.integerValue, let digest = record["json_sha256"]?.stringValue { expected[offset] = ManifestDigest(hex: digest) }
        }
        var text: [UInt8] = []
        try log.forEach(deleted: .skipped) { record in
            guard let digest = expected[record.offset] else { return }
            text.removeAll(keepingCapacity: true)
            try BIPF.appendJSON(of: record.payload, to: &text)
            let actual = text.withUnsafeBytes(DataSHA256.hash)
            // Hex only for a difference: encoding every digest was a sixth of the check.
            if actual != digest {
                found.expect("records[offset \(record.offset)].json_sha256", digest.description, actual.description, at: record.offset)
            }
        }
    }

    /// Every check under each strategy, and the file's own: the problems found, one line each,
    /// per strategy (an empty list: it conforms). The strategies run side by side, the file's
    /// sha256 beside them; BIPF records' JSON is checked under the first. An open failure is thrown.
    public func check(strategies: [ReaderStrategy]) throws(FlumeLogError) -> [(strategy: ReaderStrategy, problems: [String])] {
        try ManifestCheck.run(strategies: strategies, location: path, file: fileDifferences) { strategy in
            try differences(using: strategy, checkingJSON: strategy.kind == strategies.first?.kind)
        }
    }
}
