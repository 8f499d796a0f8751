import FlumeSSB

#if canImport(Glibc)
import Glibc
#endif

/// Feeds numbered in the order they first appear (a JS object's key order), looked up by the
/// author field of a record. Replication delivers feeds in bursts, so the previous record's
/// feed is checked first, by its raw bytes, before decoding and hashing the author.
struct FeedTable {
    private(set) var feeds: [SSBIdentifier] = []
    private var index: [SSBIdentifier: Int] = [:]
    private var recent = RecentFeed()

    /// The number of the record's feed (it has an author), and whether this is its first record.
    @inline(__always)
    mutating func slot(for record: UnsafePointer<ViewRecord>) -> (slot: Int, isNew: Bool) {
        let author = record.pointee.message.author!
        if recent.matches(author) { return (recent.slot, false) }
        let (slot, isNew) = slot(for: record.pointee.author!)
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
