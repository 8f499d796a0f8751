import FlumeJSON

/// A corpus's golden manifest in the schema of its format: `../shared/corpus`'s for offset logs
/// (`GoldenManifest`), `../shared/corpus/aaol`'s for AAOL logs, `go-offset2`'s for offset2 logs (checked by
/// `AAOLManifestVerifier`, whose schema has many optional parts, so it stays JSON).
public enum CorpusManifest: Sendable {
    case offset(GoldenManifest)
    case aaol(JSValue)
    /// `../shared/corpus/go-offset2`'s schema (checked by `Offset2ManifestVerifier`).
    case offset2(JSValue)

    public var fileSize: Int64 {
        switch self {
        case .offset(let manifest): manifest.fileSize
        case .aaol(let manifest): manifest["file_size"]?.integerValue ?? 0
        case .offset2(let manifest): manifest["files"]?["data"]?["size"]?.integerValue ?? 0
        }
    }

    public var fileSHA256: String {
        switch self {
        case .offset(let manifest): manifest.fileSHA256
        case .aaol(let manifest): manifest["file_sha256"]?.stringValue ?? ""
        case .offset2(let manifest): manifest["files"]?["data"]?["sha256"]?.stringValue ?? ""
        }
    }

    /// Records in the file, deleted ones included.
    public var recordCount: Int {
        switch self {
        case .offset(let manifest): manifest.recordCount
        case .aaol(let manifest): Int(manifest["record_count"]?.integerValue ?? 0)
        case .offset2(let manifest): Int(manifest["entry_count"]?.integerValue ?? 0)
        }
    }

    /// Records JS's stream yields (deleted ones skipped).
    public var streamRecordCount: Int {
        switch self {
        case .offset(let manifest): manifest.jsStreamRecordCount ?? manifest.recordCount
        case .aaol(let manifest): manifest["stream_offsets"]?.arrayValue?.count ?? recordCount
        case .offset2(let manifest): recordCount - (manifest["nulled_seqs"]?.arrayValue?.count ?? 0)
        }
    }

    /// The offset-log manifest, for what only offset logs have (fault injection, widths).
    public var golden: GoldenManifest? {
        if case .offset(let manifest) = self { manifest } else { nil }
    }
}
