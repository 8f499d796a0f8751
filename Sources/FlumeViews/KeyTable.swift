import CFlumeMemory
import FlumeSSB

#if canImport(Glibc)
import Glibc
#endif

/// 32-byte identifier → number: message key → record offset for the keys view's million
/// inserts, feed id → feed number for the views that keep feeds. A canonical identifier is 32
/// bytes of SHA-256 output or of a public key, so its own bits, mixed with seeds chosen per
/// process (so no one can aim identifiers at one slot), place it in an open-addressed table
/// (linear probing); callers `prefetch` a key's slot a few records before they insert it, so
/// the table's cache misses overlap instead of following one another (a `Dictionary` hashes
/// each key with SipHash and waits on each miss). Identifiers that are not canonical, which
/// are rare, go to a dictionary.
package final class KeyTable {
    private struct Slot {
        var digest: Digest32
        /// -1: empty.
        var offset: Int64
    }

    private static let seeds = (UInt64.random(in: .min ... .max), UInt64.random(in: .min ... .max),
                                UInt64.random(in: .min ... .max), UInt64.random(in: .min ... .max))
    /// Grown past this share of slots in use.
    private static let maximumLoad = 0.7

    private var slots: UnsafeMutablePointer<Slot>
    private var shift: UInt64
    private var capacity: Int
    private var used = 0
    private var others: [String: Int64] = [:]

    package init(capacity wanted: Int = 0) {
        capacity = 16
        while Double(capacity) * Self.maximumLoad < Double(wanted) { capacity *= 2 }
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        slots = Self.emptySlots(capacity)
    }

    deinit { free(slots) }

    /// A table of a million keys spans tens of thousands of 4 KiB pages, so nearly every
    /// insert also missed the TLB: large tables are aligned to 2 MiB and asked to be backed
    /// by huge pages (where the system allows it; the allocator still accounts for them).
    private static func emptySlots(_ count: Int) -> UnsafeMutablePointer<Slot> {
        let bytes = count * MemoryLayout<Slot>.stride, hugePage = 2 << 20
        var memory: UnsafeMutableRawPointer?
        guard posix_memalign(&memory, bytes >= 2 * hugePage ? hugePage : 64, bytes) == 0, let memory else {
            fatalError("KeyTable: cannot allocate \(bytes) bytes")
        }
        if bytes >= 2 * hugePage { _ = madvise(memory, bytes, MADV_HUGEPAGE) }
        let slots = memory.bindMemory(to: Slot.self, capacity: count)
        slots.initialize(repeating: Slot(digest: Digest32.zero, offset: -1), count: count)
        return slots
    }

    /// How many keys it holds.
    var count: Int { used + others.count }

    /// The slot where the search for `digest` starts.
    @inline(__always)
    package func home(_ digest: Digest32) -> Int {
        // Every word counts: a crafted log's keys that differ in one word only must not share
        // a slot (they did when two words were mixed, and each insert then probed them all).
        let words = digest.words, seeds = Self.seeds
        let mixed = ((words.0 ^ seeds.0) &* 0x9E37_79B9_7F4A_7C15) ^ ((words.1 ^ seeds.1) &* 0xC2B2_AE3D_27D4_EB4F)
            ^ ((words.2 ^ seeds.2) &* 0x1656_67B1_9E37_79F9) ^ ((words.3 ^ seeds.3) &* 0x85EB_CA77_C2B2_AE63)
        return Int(truncatingIfNeeded: mixed >> shift)
    }

    /// Brings the key's slot toward the cache, ahead of `set`.
    @inline(__always)
    func prefetch(_ digest: Digest32) {
        flume_prefetch(slots + home(digest))
    }

    /// The number stored for `key`, if any.
    func value(for key: SSBIdentifier) -> Int64? {
        switch key {
        case .digest(let digest):
            var index = home(digest)
            let mask = capacity - 1
            while slots[index].offset >= 0 {
                if slots[index].digest == digest { return slots[index].offset }
                index = (index + 1) & mask
            }
            return nil
        case .text(let text):
            return others[text]
        }
    }

    /// Sets the key's offset (the latest record wins, as a JS object's assignment does).
    func set(_ key: SSBIdentifier, _ offset: Int64) {
        switch key {
        case .digest(let digest): set(digest, offset)
        case .text(let text): others[text] = offset
        }
    }

    func set(_ digest: Digest32, _ offset: Int64) {
        var index = home(digest)
        let mask = capacity - 1
        while slots[index].offset >= 0 {
            if slots[index].digest == digest {
                slots[index].offset = offset
                return
            }
            index = (index + 1) & mask
        }
        slots[index] = Slot(digest: digest, offset: offset)
        used += 1
        if Double(used) > Double(capacity) * Self.maximumLoad { grow() }
    }

    private func grow() {
        let old = slots, oldCapacity = capacity
        capacity *= 2
        shift -= 1
        slots = Self.emptySlots(capacity)
        used = 0
        for index in 0..<oldCapacity where old[index].offset >= 0 { set(old[index].digest, old[index].offset) }
        free(old)
    }

    /// Every key with its offset, in log order (by offset). Sorted as pairs of an offset and
    /// where its key is (a slot, or -1 - its index among the keys that are not canonical),
    /// and made into entries as they are read: a million keys were sorted as 48-byte entries
    /// and held twice.
    func entriesByOffset() -> some Sequence<(key: SSBIdentifier, offset: Int64)> {
        let texts = Array(others)
        var order: [(offset: Int64, place: Int)] = []
        order.reserveCapacity(count)
        for index in 0..<capacity where slots[index].offset >= 0 { order.append((slots[index].offset, index)) }
        for (index, entry) in texts.enumerated() { order.append((entry.value, -1 - index)) }
        order.sort { $0.offset < $1.offset }
        // The table outlives the entries' reading: its owner is writing them.
        let slots = self.slots
        return order.lazy.map { entry -> (key: SSBIdentifier, offset: Int64) in
            (entry.place >= 0 ? .digest(slots[entry.place].digest) : .text(texts[-1 - entry.place].key), entry.offset)
        }
    }
}
