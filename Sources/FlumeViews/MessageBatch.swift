import FlumeLog
import FlumeSSB
import Synchronization

/// Records taken from a scan, so that two threads can read their fields at once: each
/// payload's bytes, copied into one arena (they outlive the scan's borrow; go-ssb's records are
/// converted to their JS record on the way in) or, under a `PayloadLease` on the log, where
/// the log lent them; then each record's fields and links once scanned. Once filled, the
/// batch's records are claimed `chunk` at a time by the threads reading it, until none are
/// left, so neither thread waits on a fixed share. A batch is emptied and reused for the whole
/// feed: nothing is allocated per record.
final class MessageBatch: @unchecked Sendable {
    /// A batch is full at this many records, or when the next payload does not fit its bytes
    /// (counted alike when payloads stay where the log lent them: two batches then hold about
    /// 4 MiB of lent windows, and span less of a mapping than the 8 MiB a scan keeps mapped
    /// behind it; a page handed back early would only be faulted in again).
    /// Both batches' arenas and records (about 5 MiB) are what crosses between the threads:
    /// half of what 4,096 records and 4 MiB made, and rebuilds on a shared host were faster
    /// (medium corpus, 10 interleaved runs: view_last 1.08x, view_all 1.10x, paired by run;
    /// 1,024 and 512 records gained less or lost, the hand-offs per batch adding up). Measured
    /// again once the worker read filled batches only (view_last, paired by run): 4,096 records
    /// 0.93x, 1,024 1.01x.
    static let recordLimit = 2048
    static let initialBytes = 2 << 20
    /// Records claimed at a time.
    static let chunk = 32

    /// What one thread's part of a scan collected.
    final class Part {
        var links: [JSONString] = []
        /// Records that were not SSB messages.
        var skipped = 0
    }

    let collectsLinks: Bool
    /// How the arena's records are written: go-ssb's are JS JSON there.
    private let arenaEncoding: RecordEncoding
    private let convertsGoSSB: Bool
    /// Payloads are kept where the log lent them (the feed holds a `PayloadLease`), not copied.
    private let keepsPayloadsInPlace: Bool
    private(set) var count = 0
    /// Where the last record added ends in the log (its frame's end).
    private(set) var end: Int64 = 0
    private let offsets = UnsafeMutableBufferPointer<Int64>.allocate(capacity: recordLimit)
    /// Each payload, in the arena or where the log lent it; nil when it could not be read at all.
    private let payloads = UnsafeMutableBufferPointer<UnsafeRawBufferPointer?>.allocate(capacity: recordLimit)
    /// Each record as scanned (links are attached when applied); `message.isMessage` is false
    /// for a record that is not an SSB message.
    let records = UnsafeMutableBufferPointer<ViewRecord>.allocate(capacity: recordLimit)
    private let linkRanges = UnsafeMutableBufferPointer<Range<Int>>.allocate(capacity: recordLimit)
    /// Which part's links each record's range is in.
    private let linkParts = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: recordLimit)
    /// The first record not yet claimed for scanning (it may pass `count`).
    private let claimed = Atomic<Int>(0)
    private var arena: UnsafeMutableRawPointer
    private var arenaCapacity: Int
    private var arenaUsed = 0
    /// One per scanning thread: the caller's is 0.
    let parts = [Part(), Part()]

    init(encoding: RecordEncoding, collectsLinks: Bool, keepsPayloadsInPlace: Bool) {
        self.collectsLinks = collectsLinks
        convertsGoSSB = encoding == .goSSB
        self.keepsPayloadsInPlace = keepsPayloadsInPlace && !convertsGoSSB
        arenaEncoding = convertsGoSSB ? .json : encoding
        arenaCapacity = Self.initialBytes
        // Payloads kept in place still count against the capacity, but take none of it.
        arena = UnsafeMutableRawPointer.allocate(byteCount: self.keepsPayloadsInPlace ? 16 : arenaCapacity, alignment: 16)
    }

    deinit {
        offsets.deallocate()
        payloads.deallocate()
        records.deallocate()
        linkRanges.deallocate()
        linkParts.deallocate()
        arena.deallocate()
    }

    /// Takes a record (copied, unless kept in place); false when the batch is full (hand it
    /// on, `reset()`, add again).
    func add(_ record: Record) -> Bool {
        guard count < Self.recordLimit else { return false }
        let placed: Bool
        if convertsGoSSB {
            if let converted = try? GoSSBMessage.jsRecord(of: record.payload) {
                placed = converted.withUnsafeBytes { place(record.offset, $0, readable: true) }
            } else {
                placed = place(record.offset, UnsafeRawBufferPointer(start: nil, count: 0), readable: false)
            }
        } else {
            placed = place(record.offset, record.payload, readable: true)
        }
        if placed { end = record.nextOffset }
        return placed
    }

    private func place(_ offset: Int64, _ payload: UnsafeRawBufferPointer, readable: Bool) -> Bool {
        if arenaUsed + payload.count > arenaCapacity {
            guard count == 0 else { return false }
            if !keepsPayloadsInPlace {
                // One record larger than the arena: the arena grows to hold it.
                arena.deallocate()
                arenaCapacity = payload.count
                arena = UnsafeMutableRawPointer.allocate(byteCount: arenaCapacity, alignment: 16)
            }
        }
        offsets[count] = offset
        if keepsPayloadsInPlace {
            payloads[count] = readable ? payload : nil
        } else {
            if payload.count > 0 { (arena + arenaUsed).copyMemory(from: payload.baseAddress!, byteCount: payload.count) }
            payloads[count] = readable ? UnsafeRawBufferPointer(start: arena + arenaUsed, count: payload.count) : nil
        }
        arenaUsed += payload.count
        count += 1
        return true
    }

    /// Reads the fields of records not yet claimed, a chunk at a time, until none are left;
    /// `part` names the calling thread's scratch. Call once the batch is filled: a worker is
    /// started on it after, so it sees the records whole.
    func scanUnclaimed(part: Int) {
        let scratch = parts[part]
        while true {
            let first = claimed.wrappingAdd(Self.chunk, ordering: .relaxed).oldValue
            guard first < count else { return }
            for index in first..<min(first + Self.chunk, count) { scan(index, into: scratch, part: part) }
        }
    }

    private func scan(_ index: Int, into scratch: Part, part: Int) {
        let linksBefore = scratch.links.count
        var message = SSBMessage()
        if let payload = payloads[index] {
            if let scanned = try? SSBMessage.scan(payload, encoding: arenaEncoding, collectingLinks: collectsLinks,
                                                  into: &scratch.links) {
                message = scanned
            }
        }
        if !message.isMessage { scratch.skipped += 1 }
        records[index] = ViewRecord(message: message, links: UnsafeBufferPointer(start: nil, count: 0), offset: offsets[index],
                                    keyDigest: message.key.flatMap { Digest32($0, .message) },
                                    authorDigest: message.author.flatMap { Digest32($0, .feed) })
        linkRanges[index] = linksBefore..<scratch.links.count
        linkParts[index] = UInt8(part)
    }

    /// Calls `body` with a function giving each record's links (empty unless collected).
    func withLinks<Result>(_ body: ((Int) -> UnsafeBufferPointer<JSONString>) -> Result) -> Result {
        parts[0].links.withUnsafeBufferPointer { first in
            parts[1].links.withUnsafeBufferPointer { second in
                body { index in UnsafeBufferPointer(rebasing: (linkParts[index] == 0 ? first : second)[linkRanges[index]]) }
            }
        }
    }

    /// Records that were not SSB messages, over both parts.
    var skipped: Int { parts[0].skipped + parts[1].skipped }

    /// Empties the batch, keeping its memory.
    func reset() {
        count = 0
        arenaUsed = 0
        claimed.store(0, ordering: .relaxed)
        for part in parts {
            part.links.removeAll(keepingCapacity: true)
            part.skipped = 0
        }
    }
}
