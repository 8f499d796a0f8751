import FlumeLog

#if canImport(Glibc)
import Glibc
#endif

/// Where a generator's records go: the log file, and the manifest builder that accounts for
/// every byte written.
struct CorpusSink {
    let log: OffsetLog
    private(set) var manifest: ManifestBuilder

    init(path: String, width: TrailerWidth) throws {
        try removeFile(path)
        log = try OffsetLog(path: path, width: width, access: .readWrite)
        manifest = ManifestBuilder(width: width)
    }

    var end: Int64 { manifest.end }
    var recordCount: Int { manifest.entries.count }

    /// Appends records in one write; `deleted[i]` marks a record stored zeroed, as JS `del()` leaves it.
    mutating func append(_ payloads: [[UInt8]], deleted: [Bool]? = nil) throws {
        guard !payloads.isEmpty else { return }
        _ = try log.append(batch: payloads)
        for (index, payload) in payloads.enumerated() { manifest.add(payload, deleted: deleted?[index] ?? false) }
        precondition(manifest.end == log.end, "the manifest builder and the log disagree on the end")
    }

    func finish() throws { try log.sync() }
}

/// Removes a file if it is there.
func removeFile(_ path: String) throws {
    if unlink(path) != 0 && errno != ENOENT {
        throw FlumeLogError(.io, file: path, message: "cannot remove the old file", errno: errno)
    }
}
