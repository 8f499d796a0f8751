/// A message key or feed id as a view stores it: 32 bytes when it has the canonical form (no
/// allocation per record), the text otherwise, so nothing is lost either way.
enum SSBIdentifier: Hashable {
    case digest(Digest32)
    case text(String)

    init(_ string: JSONString, sigil: UInt8, suffix: StaticString) {
        if let digest = Digest32(string, sigil: sigil, suffix: suffix) {
            self = .digest(digest)
        } else {
            self = .text(string.value)
        }
    }

    init(message key: JSONString) { self.init(key, sigil: UInt8(ascii: "%"), suffix: ".sha256") }
    init(feed author: JSONString) { self.init(author, sigil: UInt8(ascii: "@"), suffix: ".ed25519") }

    func text(sigil: Character, suffix: String) -> String {
        switch self {
        case .digest(let digest): digest.text(sigil: sigil, suffix: suffix)
        case .text(let text): text
        }
    }

    var messageText: String { text(sigil: "%", suffix: ".sha256") }
    var feedText: String { text(sigil: "@", suffix: ".ed25519") }

    /// From text read back from a state file.
    init(messageText text: String) {
        self = Self.parsing(text, sigil: UInt8(ascii: "%"), suffix: ".sha256")
    }

    init(feedText text: String) {
        self = Self.parsing(text, sigil: UInt8(ascii: "@"), suffix: ".ed25519")
    }

    private static func parsing(_ text: String, sigil: UInt8, suffix: StaticString) -> SSBIdentifier {
        var copy = text
        return copy.withUTF8 { bytes in
            Self(JSONString(raw: UnsafeRawBufferPointer(bytes), escaped: false), sigil: sigil, suffix: suffix)
        }
    }
}

/// Feeds numbered in the order they first appear (a JS object's key order), looked up by the
/// author field of a record. Replication delivers feeds in bursts, so the previous record's
/// feed is checked first, by its raw bytes, before decoding and hashing the author.
struct FeedTable {
    private(set) var feeds: [SSBIdentifier] = []
    private var index: [SSBIdentifier: Int] = [:]
    private var recent = RecentFeed()

    /// The feed's number, and whether this is its first record.
    @inline(__always)
    mutating func slot(for author: JSONString) -> (slot: Int, isNew: Bool) {
        if recent.matches(author) { return (recent.slot, false) }
        let (slot, isNew) = slot(for: SSBIdentifier(feed: author))
        recent.remember(author, slot: slot)
        return (slot, isNew)
    }

    mutating func slot(for feed: SSBIdentifier) -> (slot: Int, isNew: Bool) {
        recent.forget()
        if let slot = index[feed] { return (slot, false) }
        index[feed] = feeds.count
        feeds.append(feed)
        return (feeds.count - 1, true)
    }
}

/// The feed of the previous record, by its raw bytes.
struct RecentFeed {
    private var bytes: [UInt8] = []
    private(set) var slot = -1

    @inline(__always)
    func matches(_ author: JSONString) -> Bool {
        slot >= 0 && bytes.count == author.raw.count
            && bytes.withUnsafeBytes { memcmp($0.baseAddress!, author.raw.baseAddress!, author.raw.count) == 0 }
    }

    mutating func remember(_ author: JSONString, slot: Int) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: author.raw)
        self.slot = slot
    }

    mutating func forget() { slot = -1 }
}

#if canImport(Glibc)
import Glibc
#endif
