import FlumeLog

/// A deterministic log of records shaped like a real user's SSB `log.offset`: the
/// `{"key","value","timestamp"}` envelope, the mix of posts, votes, contacts, abouts and
/// private (boxed) messages, pretty-printed JSON for older messages and compact for newer,
/// fractional receive timestamps, feeds interleaved. The fields are random, not signed: this
/// is the shape and size that reader and scan benchmarks need, not an SSB-valid corpus.
public struct SSBShapedLog: Sendable {
    public var seed: UInt64
    /// Stop once the log reaches this size.
    public var targetBytes: Int64
    public var width: TrailerWidth
    /// Share of messages written pretty-printed (2-space indent), as logs from before late 2018.
    public var prettyShare: Double = 0.4

    public init(seed: UInt64 = 1, targetBytes: Int64, width: TrailerWidth = .bits32) {
        self.seed = seed
        self.targetBytes = targetBytes
        self.width = width
    }

    /// Writes the log to `path` (replacing it) and returns its record count. `progress` is
    /// called with the bytes written so far, every few MiB.
    @discardableResult
    public func write(to path: String, progress: (Int64) -> Void = { _ in }) throws -> Int {
        try? FileManagerShim.remove(path)
        let log = try OffsetLog(path: path, width: width)
        var random = SplitMix64(seed: seed)
        let feeds = (0..<400).map { _ in random.base64(count: 43) + "=" }
        var sequences = [Int](repeating: 0, count: feeds.count)
        var batch: [[UInt8]] = []
        var batchBytes = 0
        var records = 0
        var clock: Int64 = 1_500_000_000_000
        var lastReport: Int64 = 0
        while log.end + Int64(batchBytes) < targetBytes {
            // Replication delivers bursts from one feed at a time.
            let feed = Int(random.next() % UInt64(feeds.count))
            for _ in 0..<(1 + Int(random.next() % 8)) {
                sequences[feed] += 1
                clock += Int64(random.next() % 60_000)
                let pretty = random.unit() < prettyShare
                let payload = record(author: feeds[feed], sequence: sequences[feed], clock: clock, pretty: pretty, random: &random)
                batchBytes += payload.count + width.frameOverhead
                batch.append(payload)
                records += 1
            }
            if batchBytes >= 8 << 20 {
                try log.append(batch: batch)
                batch.removeAll(keepingCapacity: true)
                batchBytes = 0
                if log.end - lastReport >= 64 << 20 {
                    progress(log.end)
                    lastReport = log.end
                }
            }
        }
        try log.append(batch: batch)
        try log.sync()
        progress(log.end)
        return records
    }

    private func record(author: String, sequence: Int, clock: Int64, pretty: Bool,
                        random: inout SplitMix64) -> [UInt8] {
        let content: JSONValue
        let kind = random.next() % 100
        switch kind {
        case 0..<40:
            // Post text: mostly short, with a long tail.
            let words = Int(min(2000, 4 + random.unit() * random.unit() * random.unit() * 360))
            content = .object([("type", .string("post")), ("text", .string(random.words(words))),
                               ("root", .string("%" + random.base64(count: 43) + "=.sha256"))])
        case 40..<75:
            content = .object([("type", .string("vote")),
                               ("vote", .object([("link", .string("%" + random.base64(count: 43) + "=.sha256")),
                                                 ("value", .number("1")), ("expression", .string("Like"))]))])
        case 75..<85:
            content = .object([("type", .string("contact")), ("contact", .string("@" + random.base64(count: 43) + "=.ed25519")),
                               ("following", .bool(true))])
        case 85..<93:
            content = .object([("type", .string("about")), ("about", .string("@" + author + ".ed25519")),
                               ("name", .string(random.words(2))), ("description", .string(random.words(Int(random.next() % 40))))])
        default:
            // A private message is a base64 box, as ssb stores it.
            content = .string(random.base64(count: 160 + Int(random.next() % 640)) + ".box")
        }
        let value = JSONValue.object([
            ("previous", sequence == 1 ? .null : .string("%" + random.base64(count: 43) + "=.sha256")),
            ("author", .string("@" + author + ".ed25519")),
            ("sequence", .number(String(sequence))),
            ("timestamp", .number(String(clock - Int64(random.next() % 5000)))),
            ("hash", .string("sha256")),
            ("content", content),
            ("signature", .string(random.base64(count: 86) + "==.sig.ed25519")),
        ])
        let fraction = random.next() % 1000
        let received = fraction == 0 ? String(clock) : "\(clock).\(fraction)"
        let envelope = JSONValue.object([
            ("key", .string("%" + random.base64(count: 43) + "=.sha256")),
            ("value", value),
            ("timestamp", .number(received)),
        ])
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        envelope.write(to: &out, indent: pretty ? 2 : 0)
        return out
    }
}

enum FileManagerShim {
    static func remove(_ path: String) throws {
        if unlink(path) != 0 && errno != ENOENT { throw FlumeLogError(.io, file: path, message: "cannot remove", errno: errno) }
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// SplitMix64: small, fast, and the same sequence on every machine for a seed.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let vocabulary = ["the", "log", "scuttlebutt", "feed", "pub", "gossip", "offline", "first", "hello",
                                     "friends", "sailing", "garden", "solar", "patchwork", "manyverse", "café", "✓", "boat",
                                     "replication", "message", "thread", "invite", "follow", "peer", "island", "ocean"]

    /// `count` base64 digits; for the 43 digits of an SSB id the last one carries 4 bits of the
    /// 32 bytes and 2 zero bits, as canonical base64 of real ids does.
    mutating func base64(count: Int) -> String {
        var bytes = [UInt8](repeating: 0, count: count)
        for index in 0..<count { bytes[index] = Self.alphabet[Int(next() & 63)] }
        if count == 43 { bytes[42] = Self.alphabet[Int(next() & 15) << 2] }
        return String(decoding: bytes, as: UTF8.self)
    }

    mutating func words(_ count: Int) -> String {
        var text = ""
        for index in 0..<count {
            if index > 0 { text += next() % 12 == 0 ? "\n" : " " }
            text += Self.vocabulary[Int(next() % UInt64(Self.vocabulary.count))]
        }
        return text
    }
}
