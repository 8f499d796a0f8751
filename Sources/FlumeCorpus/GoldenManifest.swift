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

/// A golden manifest in the schema of `../shared/corpus` (see its README): what a correct
/// reader must find in a log file. Generated corpora write the same schema.
public struct GoldenManifest: Codable, Equatable, Sendable {
    public struct Entry: Codable, Equatable, Sendable {
        public var offset: Int64
        public var length: Int
        public var digest: ManifestDigest
        /// JS skips the record (payload all zero bytes).
        public var jsTreatsAsDeleted: Bool?
        /// What JS `get()` fails with on this record, if it fails.
        public var jsGetError: String?

        /// The payload's sha256 in hex, as the manifest writes it.
        public var sha256: String {
            get { digest.description }
            set { digest = ManifestDigest(hex: newValue) }
        }

        public init(offset: Int64, length: Int, digest: ManifestDigest, jsTreatsAsDeleted: Bool? = nil, jsGetError: String? = nil) {
            self.offset = offset
            self.length = length
            self.digest = digest
            self.jsTreatsAsDeleted = jsTreatsAsDeleted
            self.jsGetError = jsGetError
        }

        public init(offset: Int64, length: Int, sha256: String, jsTreatsAsDeleted: Bool? = nil, jsGetError: String? = nil) {
            self.init(offset: offset, length: length, digest: ManifestDigest(hex: sha256),
                      jsTreatsAsDeleted: jsTreatsAsDeleted, jsGetError: jsGetError)
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(offset: try container.decode(Int64.self, forKey: .offset), length: try container.decode(Int.self, forKey: .length),
                      sha256: try container.decode(String.self, forKey: .sha256),
                      jsTreatsAsDeleted: try container.decodeIfPresent(Bool.self, forKey: .jsTreatsAsDeleted),
                      jsGetError: try container.decodeIfPresent(String.self, forKey: .jsGetError))
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(offset, forKey: .offset)
            try container.encode(length, forKey: .length)
            try container.encode(sha256, forKey: .sha256)
            try container.encodeIfPresent(jsTreatsAsDeleted, forKey: .jsTreatsAsDeleted)
            try container.encodeIfPresent(jsGetError, forKey: .jsGetError)
        }

        enum CodingKeys: String, CodingKey {
            case offset, length, sha256
            case jsTreatsAsDeleted = "js_treats_as_deleted"
            case jsGetError = "js_get_error"
        }
    }

    /// Present when the file ends in a partial frame.
    public struct Torn: Codable, Equatable, Sendable {
        public var truncatedTo: Int64
        public var lastFrameStart: Int64?
        public var cutInside: String?

        public init(truncatedTo: Int64, lastFrameStart: Int64? = nil, cutInside: String? = nil) {
            self.truncatedTo = truncatedTo
            self.lastFrameStart = lastFrameStart
            self.cutInside = cutInside
        }

        enum CodingKeys: String, CodingKey {
            case truncatedTo = "truncated_to"
            case lastFrameStart = "last_frame_start"
            case cutInside = "cut_inside"
        }
    }

    public struct Readback: Codable, Equatable, Sendable {
        /// For torn files: the size JS truncates the file to on a read-write open.
        public var fileSizeAfterOpen: Int64?

        enum CodingKeys: String, CodingKey {
            case fileSizeAfterOpen = "file_size_after_open"
        }
    }

    public var file: String
    public var fileSize: Int64
    public var fileSHA256: String
    public var offsetCodecBits: Int
    public var recordCount: Int
    public var records: [Entry]
    public var streamSHA256: String
    /// What JS `stream()` yields, deleted records skipped; nil where JS cannot stream the log.
    public var streamOffsets: [Int64]?
    public var reverseOffsets: [Int64]?
    public var jsStreamRecordCount: Int?
    public var jsStreamSHA256: String?
    public var since: Int64
    public var torn: Torn?
    public var jsReadback: Readback?
    public var deletedOffsets: [Int64]?
    /// A negative corpus: every reader must fail with this error (not a field of the shared
    /// corpus; its manifests say "other fields are notes").
    public var expectedError: ExpectedError?

    /// The error a damaged log must be reported with.
    public struct ExpectedError: Codable, Equatable, Sendable {
        /// The byte offset the error names, when the damage determines it.
        public var offset: Int64?
        /// The `FlumeLogError` code, when the damage determines it.
        public var code: String?
        /// What was done to the file.
        public var damage: String

        public init(offset: Int64?, code: String?, damage: String) {
            self.offset = offset
            self.code = code
            self.damage = damage
        }

        /// Whether `error` is the one this damage must produce.
        public func matches(_ error: FlumeLogError) -> Bool {
            (offset == nil || offset == error.offset) && (code == nil || code == error.code.rawValue)
        }

        public var description: String {
            "\(code ?? "an error")\(offset.map { " at offset \($0)" } ?? "") (\(damage))"
        }
    }

    enum CodingKeys: String, CodingKey {
        case file
        case fileSize = "file_size"
        case fileSHA256 = "file_sha256"
        case offsetCodecBits = "offset_codec_bits"
        case recordCount = "record_count"
        case records
        case streamSHA256 = "stream_sha256"
        case streamOffsets = "stream_offsets"
        case reverseOffsets = "reverse_offsets"
        case jsStreamRecordCount = "js_stream_record_count"
        case jsStreamSHA256 = "js_stream_sha256"
        case since, torn
        case jsReadback = "js_readback"
        case deletedOffsets = "deleted_offsets"
        case expectedError = "expected_error"
    }

    /// The trailer width the log was written with (`offset_codec_bits`). A manifest that names
    /// no width the format has is an error, never a guess.
    public var width: TrailerWidth {
        get throws(CorpusError) {
            guard let width = TrailerWidth(rawValue: offsetCodecBits) else {
                throw CorpusError(.manifest, file: "the manifest of \(file)", message: "offset_codec_bits is \(offsetCodecBits); expected 32, 48 or 53")
            }
            return width
        }
    }

    /// Reads a manifest file; the error names the file and what was wrong with it.
    public static func load(from path: String) throws -> GoldenManifest {
        if let manifest = parsedMapping(of: path) { return manifest }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw CorpusError(.manifest, file: path, message: "cannot read: \(error.reason)")
        }
        do {
            return try JSONDecoder().decode(GoldenManifest.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw CorpusError(.manifest, file: path, message: "missing field \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw CorpusError(.manifest, file: path, message: "field \"\(field)\": \(context.debugDescription)")
        } catch {
            throw CorpusError(.manifest, file: path, message: "not a golden manifest: \(error)")
        }
    }

    /// The file mapped read-only and parsed in place (`parsed`), its pages let go as the
    /// records are parsed; nil when it cannot be mapped or holds anything unexpected.
    private static func parsedMapping(of path: String) -> GoldenManifest? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_size > 0,
              let base = mmap(nil, Int(info.st_size), PROT_READ, MAP_PRIVATE, descriptor, 0), base != MAP_FAILED else { return nil }
        defer { munmap(base, Int(info.st_size)) }
        return parsed(UnsafeRawBufferPointer(start: base, count: Int(info.st_size)), mapped: true)
    }
}
