import FlumeJSON
import FlumeSSB

/// ssb-db's `clock`: feed and sequence → offset, stored as `[feed, sequence, offset]` triples
/// sorted by feed, then sequence.
final class ClockView: SSBView {
    let kind = ViewKind.clock
    let version: Int
    private var feeds = FeedTable()
    private var entries: [[(sequence: Int64, offset: Int64)]] = []

    init(version: Int) { self.version = version }

    func reset() {
        feeds = FeedTable()
        entries = []
    }

    func apply(_ records: UnsafeBufferPointer<ViewRecord>) {
        var feeds = self.feeds, entries = self.entries
        (self.feeds, self.entries) = (FeedTable(), [])
        defer { (self.feeds, self.entries) = (feeds, entries) }
        records.forEachMessage { record in
            guard record.pointee.message.author != nil, let sequence = record.pointee.message.sequence else { return }
            let (slot, isNew) = feeds.slot(for: record)
            if isNew { entries.append([]) }
            entries[slot].append((sequence, record.pointee.offset))
        }
    }

    /// Sorted by feed, then sequence: feeds sorted once, each feed's entries (nearly always in
    /// order already) on their own; each feed's `["feed",` written once and copied per entry.
    func writeValue(to json: inout JSONText) {
        let order = feeds.feeds.indices.filter { !entries[$0].isEmpty }.map { (feeds.feeds[$0].feedText, $0) }.sorted { $0.0 < $1.0 }
        json.array(order) { json, feed in
            var head = JSONText()
            head.raw("[")
            head.string(feed: feeds.feeds[feed.1])
            head.raw(",")
            let inLogOrder = entries[feed.1]
            let precedes: ((sequence: Int64, offset: Int64), (sequence: Int64, offset: Int64)) -> Bool = {
                ($0.sequence, $0.offset) < ($1.sequence, $1.offset)
            }
            let isSorted = zip(inLogOrder, inLogOrder.dropFirst()).allSatisfy(precedes)
            let sorted = isSorted ? inLogOrder : inLogOrder.sorted(by: precedes)
            json.items(sorted) { json, entry in
                json.raw(head.bytes)
                json.number(entry.sequence)
                json.byte(UInt8(ascii: ","))
                json.number(entry.offset)
                json.byte(UInt8(ascii: "]"))
            }
        }
    }

    func load(value: JSValue) throws(ViewError) {
        guard let array = value.arrayValue else { throw ViewError(.stateShape, view: .clock, message: "value is not an array of triples") }
        reset()
        for item in array {
            guard let triple = item.arrayValue, triple.count == 3, let feed = triple[0].stringValue,
                  let sequence = triple[1].integerValue, let offset = triple[2].integerValue else {
                throw ViewError(.stateShape, view: .clock, message: "bad triple")
            }
            let (slot, isNew) = feeds.slot(for: SSBIdentifier(feedText: feed))
            if isNew { entries.append([]) }
            entries[slot].append((sequence, offset))
        }
    }
}
