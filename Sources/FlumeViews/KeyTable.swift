import CFlumeMemory
import FlumeSSB

#if canImport(Glibc)
import Glibc
#endif

/// Message key → record offset, for the keys view's million inserts. A canonical key is 32
/// bytes of SHA-256 output, so its own bits, mixed with a seed chosen per process (so no one
/// can aim keys at one slot), place it in an open-addressed table (linear probing); callers
/// `prefetch` a key's slot a few records before they insert it, so the table's cache misses
/// overlap instead of following one another (a `Dictionary` hashes each key with SipHash
/// and waits on each miss). Keys that are not canonical, which are rare, go to a dictionary.
final class KeyTable {
    private struct Slot {
        var digest: Digest32
        /// -1: empty.
        var offset: Int64
    }

    private static let seed = UInt64.random(in: .min ... .max)
    /// Grown past this share of slots in use.
    private static let maximumLoad = 0.7

    private var slots: UnsafeMutablePointer<Slot>
    private var shift: UInt64
    private var capacity: Int
    private var used = 0
    private var others: [String: Int64] = [:]

    init(capacity wanted: Int = 0) {
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

    @inline(__always)
    private func home(_ digest: Digest32) -> Int {
        let mixed = (digest.words.0 ^ digest.words.2 ^ Self.seed) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed >> shift)
    }

    /// Brings the key's slot toward the cache, ahead of `set`.
    @inline(__always)
    func prefetch(_ digest: Digest32) {
        flume_prefetch(slots + home(digest))
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

    /// Every key with its offset, in log order (by offset).
    func entriesByOffset() -> [(key: SSBIdentifier, offset: Int64)] {
        var entries: [(key: SSBIdentifier, offset: Int64)] = []
        entries.reserveCapacity(count)
        for index in 0..<capacity where slots[index].offset >= 0 { entries.append((.digest(slots[index].digest), slots[index].offset)) }
        for (text, offset) in others { entries.append((.text(text), offset)) }
        entries.sort { $0.offset < $1.offset }
        return entries
    }
}
