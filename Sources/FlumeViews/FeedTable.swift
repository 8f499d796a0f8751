import FlumeSSB

/// Feeds numbered in the order they first appear (a JS object's key order), looked up by the
/// author of a record. Replication delivers feeds in bursts, so the previous record's feed is
/// checked first, by the author's 32 bytes (decoded by the threads that read the batch),
/// before hashing it.
struct FeedTable {
    private(set) var feeds: [SSBIdentifier] = []
    private var index: [SSBIdentifier: Int] = [:]
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
        if let slot = index[feed] { return (slot, false) }
        index[feed] = feeds.count
        feeds.append(feed)
        return (feeds.count - 1, true)
    }
}
