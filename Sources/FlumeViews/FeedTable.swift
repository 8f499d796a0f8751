import FlumeSSB

/// Feeds numbered in the order they first appear (a JS object's key order), looked up by the
/// author of a record. Replication delivers feeds in bursts, so the previous record's feed is
/// checked first, by the author's 32 bytes (decoded by the threads that read the batch),
/// before hashing it.
struct FeedTable {
    private(set) var feeds: [SSBIdentifier] = []
    /// Feed → its number; made at the first feed, so that an empty table costs nothing to make.
    /// A reference: a table is moved, never copied and then changed on two sides.
    private var numbers: KeyTable?
    /// The previous record's feed, when its author was canonical; `recentSlot` -1: none.
    private var recentDigest = Digest32.zero
    private var recentSlot = -1

    /// The number of the record's feed (it has an author), and whether this is its first record.
    @inline(__always)
    mutating func slot(for record: UnsafePointer<ViewRecord>) -> (slot: Int, isNew: Bool) {
        guard let digest = record.pointee.authorDigest else { return slot(for: record.pointee.author!) }
        if recentSlot >= 0 && digest == recentDigest { return (recentSlot, false) }
        let found = slot(for: .digest(digest))
        recentDigest = digest
        recentSlot = found.slot
        return found
    }

    mutating func slot(for feed: SSBIdentifier) -> (slot: Int, isNew: Bool) {
        recentSlot = -1
        let numbers = self.numbers ?? KeyTable()
        self.numbers = numbers
        if let slot = numbers.value(for: feed) { return (Int(slot), false) }
        numbers.set(feed, Int64(feeds.count))
        feeds.append(feed)
        return (feeds.count - 1, true)
    }
}
