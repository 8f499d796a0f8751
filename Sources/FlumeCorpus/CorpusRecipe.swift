import FlumeJSON
import Crypto
import FlumeLog
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Everything that determines a corpus, read from a JSON file under `Corpus/recipes/`: the
/// same recipe always gives byte-identical log and manifest files.
public struct CorpusRecipe: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        /// Records of random bytes with sizes from a distribution: one variable at a time.
        case synthetic
        /// Signed SSB messages as a real user's log holds them.
        case ssb
        /// A copy of another recipe's log with damage applied: a negative corpus.
        case fault
        /// Another recipe's records in another log format (raw, or as BIPF as ssb-db2 migrates
        /// them): the same signed messages, so reports compare formats on equal data.
        case converted
    }

    public var name: String
    public var description: String
    public var kind: Kind
    public var seed: UInt64
    /// Stop once the log reaches this many bytes ...
    public var targetBytes: Int64?
    /// ... or holds this many records (whichever is given; both: whichever comes first).
    public var recordCount: Int?
    public var offsetCodecBits: Int
    public var payload: PayloadSizes?
    public var ssb: SSBOptions?
    public var fault: FaultOptions?
    public var convert: ConvertOptions?

    public init(name: String, description: String = "", kind: Kind, seed: UInt64 = 1, targetBytes: Int64? = nil,
                recordCount: Int? = nil, offsetCodecBits: Int = 32, payload: PayloadSizes? = nil,
                ssb: SSBOptions? = nil, fault: FaultOptions? = nil, convert: ConvertOptions? = nil) {
        self.name = name
        self.description = description
        self.kind = kind
        self.seed = seed
        self.targetBytes = targetBytes
        self.recordCount = recordCount
        self.offsetCodecBits = offsetCodecBits
        self.payload = payload
        self.ssb = ssb
        self.fault = fault
        self.convert = convert
    }

    enum CodingKeys: String, CodingKey {
        case name, description, kind, seed
        case targetBytes = "target_bytes"
        case recordCount = "record_count"
        case offsetCodecBits = "offset_codec_bits"
        case payload, ssb, fault, convert
    }

    /// What an SSB corpus holds.
    public struct SSBOptions: Codable, Equatable, Sendable {
        public var feeds: Int
        /// Relative weights of content types: post, vote, contact, about, private.
        public var contentMix: [String: Double]
        /// `pretty` (2-space, as before late 2018), `compact`, or `mixed` (older records pretty).
        public var jsonStyle: String
        /// In `mixed` style, the share of records (the oldest) written pretty.
        public var prettyShare: Double?
        /// Share of receive timestamps with a fractional part, as ssb-db writes them.
        public var fractionalTimestamps: Double
        /// Longest run of messages from one feed delivered together by replication.
        public var maxBurst: Int
        /// Share of records deleted (payload zeroed, as JS `del()`).
        public var deletions: Double

        enum CodingKeys: String, CodingKey {
            case feeds
            case contentMix = "content_mix"
            case jsonStyle = "json_style"
            case prettyShare = "pretty_share"
            case fractionalTimestamps = "fractional_timestamps"
            case maxBurst = "max_burst"
            case deletions
        }

        public static let contentTypes = ["post", "vote", "contact", "about", "private"]

        /// A real user's mix: mostly posts and votes, some private messages, older records pretty.
        public static let realistic = SSBOptions(
            feeds: 400, contentMix: ["post": 40, "vote": 35, "contact": 10, "about": 8, "private": 7],
            jsonStyle: "mixed", prettyShare: 0.4, fractionalTimestamps: 0.9, maxBurst: 8, deletions: 0.001)

        public init(feeds: Int, contentMix: [String: Double], jsonStyle: String, prettyShare: Double? = nil,
                    fractionalTimestamps: Double, maxBurst: Int, deletions: Double) {
            self.feeds = feeds
            self.contentMix = contentMix
            self.jsonStyle = jsonStyle
            self.prettyShare = prettyShare
            self.fractionalTimestamps = fractionalTimestamps
            self.maxBurst = maxBurst
            self.deletions = deletions
        }
    }

    /// Damage applied to a copy of the base recipe's log.
    public struct FaultOptions: Codable, Equatable, Sendable {
        /// The recipe whose log is damaged.
        public var base: String
        public var damage: Damage

        public enum Damage: String, Codable, Sendable {
            /// The file is cut inside the last frame (`cut_inside`: header, payload or trailer).
            case tornTail = "torn_tail"
            /// One byte of a frame's trailer is flipped.
            case flippedTrailer = "flipped_trailer"
            /// A frame's trailing length differs from its leading length.
            case lengthMismatch = "length_mismatch"
            /// Random bytes follow the last frame, as a crash mid-append can leave.
            case garbageTail = "garbage_tail"
            /// The log is read with a trailer width it was not written with.
            case wrongWidth = "wrong_width"
        }

        /// For torn tails: header, payload or trailer.
        public var cutInside: String?
        /// For damage to one frame: its index among the base log's records (negative counts from the end).
        public var record: Int?
        /// For garbage tails: how many bytes.
        public var bytes: Int?

        enum CodingKeys: String, CodingKey {
            case base, damage, record, bytes
            case cutInside = "cut_inside"
        }
    }

    /// What a converted recipe makes of its base.
    public struct ConvertOptions: Codable, Equatable, Sendable {
        /// The recipe whose log is converted.
        public var base: String
        /// The format written: `aaol` (ssb-db2's log) or `offset2` (go-ssb's margaret log).
        public var format: String
        /// What happens to each record: `raw` or `bipf` (JSON to BIPF, as ssb-db2's migration).
        public var records: LogConverter.Records
        /// AAOL block size (default 65536, ssb-db2's).
        public var blockSize: Int?

        public init(base: String, format: String = "aaol", records: LogConverter.Records, blockSize: Int? = nil) {
            self.base = base
            self.format = format
            self.records = records
            self.blockSize = blockSize
        }

        enum CodingKeys: String, CodingKey {
            case base, format, records
            case blockSize = "block_size"
        }
    }

    /// The format of the recipe's log: offset frames of `offset_codec_bits`, or a converted
    /// recipe's AAOL blocks or offset2 directory.
    public var format: LogFormat {
        get throws {
            guard kind == .converted, let convert else { return .offset(try width) }
            if convert.format == "offset2" { return .offset2 }
            return .aaol(blockSize: convert.blockSize ?? AAOLLog.defaultBlockSize)
        }
    }

    public var width: TrailerWidth {
        get throws {
            guard let width = TrailerWidth(rawValue: offsetCodecBits) else {
                throw CorpusError(.recipe, file: name, message: "offset_codec_bits must be 32, 48 or 53, not \(offsetCodecBits)")
            }
            return width
        }
    }

    /// Checks the recipe makes sense before anything is generated.
    public func validate() throws {
        _ = try width
        func fail(_ reason: String) -> CorpusError { CorpusError(.recipe, file: name, message: reason) }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw fail("name must be letters, digits, - and _")
        }
        switch kind {
        case .synthetic, .ssb:
            guard targetBytes != nil || recordCount != nil else { throw fail("give target_bytes or record_count") }
            if let targetBytes, targetBytes < 0 || targetBytes > 1 << 40 { throw fail("target_bytes out of range") }
            if let recordCount, recordCount < 0 || recordCount > 100_000_000 { throw fail("record_count out of range") }
            if kind == .synthetic {
                guard let payload else { throw fail("a synthetic recipe needs \"payload\"") }
                try payload.validate(recipe: name)
            } else {
                guard let ssb else { throw fail("an ssb recipe needs \"ssb\"") }
                guard ssb.feeds >= 1, ssb.feeds <= 1_000_000 else { throw fail("ssb.feeds must be 1 ... 1000000") }
                guard ["pretty", "compact", "mixed"].contains(ssb.jsonStyle) else {
                    throw fail("ssb.json_style must be pretty, compact or mixed")
                }
                guard ssb.maxBurst >= 1 else { throw fail("ssb.max_burst must be at least 1") }
                guard (0...1).contains(ssb.deletions), (0...1).contains(ssb.fractionalTimestamps) else {
                    throw fail("ssb.deletions and ssb.fractional_timestamps are shares in 0 ... 1")
                }
                for key in ssb.contentMix.keys where !SSBOptions.contentTypes.contains(key) {
                    throw fail("ssb.content_mix: unknown type \"\(key)\" (known: \(SSBOptions.contentTypes.joined(separator: ", ")))")
                }
                guard ssb.contentMix.values.allSatisfy({ $0 >= 0 }), ssb.contentMix.values.reduce(0, +) > 0 else {
                    throw fail("ssb.content_mix needs a positive weight")
                }
            }
        case .fault:
            guard let fault else { throw fail("a fault recipe needs \"fault\"") }
            if fault.damage == .tornTail, !["header", "payload", "trailer"].contains(fault.cutInside ?? "") {
                throw fail("a torn tail needs cut_inside: header, payload or trailer")
            }
        case .converted:
            guard let convert else { throw fail("a converted recipe needs \"convert\"") }
            guard ["aaol", "offset2"].contains(convert.format) else {
                throw fail("convert.format must be aaol or offset2 (offset recipes are generated directly)")
            }
            guard convert.records == .raw || (convert.records == .bipf && convert.format == "aaol") else {
                throw fail(convert.format == "aaol" ? "convert.records must be raw or bipf" : "convert.records must be raw for offset2")
            }
            if let blockSize = convert.blockSize, !(16...(1 << 30)).contains(blockSize) {
                throw fail("convert.block_size must be 16 bytes ... 1 GiB")
            }
        }
    }

    /// Reads and validates a recipe file.
    public static func load(from path: String) throws -> CorpusRecipe {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw CorpusError(.recipe, file: path, message: "cannot read: \(error.reason)")
        }
        let recipe: CorpusRecipe
        do { recipe = try JSONDecoder().decode(CorpusRecipe.self, from: data) } catch {
            throw CorpusError(.recipe, file: path, message: "not a recipe: \(error)")
        }
        try recipe.validate()
        return recipe
    }

    /// A digest of the recipe and the generator version: a cached corpus is reused only when
    /// both match.
    public var fingerprint: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(self)) ?? Data()
        var hash = SHA256()
        hash.update(data: Data("generator \(CorpusGenerator.version)\n".utf8))
        hash.update(data: data)
        return Hex.encode(hash.finalize())
    }
}
