import FlumeSSB
import Foundation

/// ssb-db's `keys`: message key → offset of its record.
final class KeysView: SSBView {
    let kind = ViewKind.keys
    let version: Int
    private(set) var offsets: [SSBIdentifier: Int64] = [:]

    init(version: Int) { self.version = version }

    func reset() { offsets = [:] }

    func reserve(records: Int) { offsets.reserveCapacity(records) }

    func apply(_ message: SSBMessage, links: [JSONString], at offset: Int64) {
        guard let key = message.key else { return }
        offsets[SSBIdentifier(message: key)] = offset
    }

    func writeValue(to json: inout JSONText) {
        json.object(offsets) { json, pair in
            json.key(pair.key.messageText)
            json.number(pair.value)
        }
    }

    func load(value: Any) throws {
        guard let object = value as? [String: Any] else { throw StateShapeError(description: "keys: value is not an object") }
        offsets = [:]
        offsets.reserveCapacity(object.count)
        for (key, offset) in object {
            guard let offset = (offset as? NSNumber)?.int64Value else { throw StateShapeError(description: "keys: bad offset for \(key)") }
            offsets[SSBIdentifier(messageText: key)] = offset
        }
    }
}

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

    func apply(_ message: SSBMessage, links: [JSONString], at offset: Int64) {
        guard let author = message.author, let sequence = message.sequence else { return }
        let (slot, isNew) = feeds.slot(for: author)
        if isNew { entries.append([]) }
        entries[slot].append((sequence, offset))
    }

    /// Sorted by feed, then sequence: feeds sorted once, each feed's entries (nearly always in
    /// order already) on their own.
    var triples: [(String, Int64, Int64)] {
        zip(feeds.feeds.map(\.feedText), entries).sorted { $0.0 < $1.0 }.flatMap { feed, entries in
            entries.sorted { ($0.sequence, $0.offset) < ($1.sequence, $1.offset) }.map { (feed, $0.sequence, $0.offset) }
        }
    }

    func writeValue(to json: inout JSONText) {
        json.array(triples) { json, triple in
            json.raw("[")
            json.string(triple.0)
            json.raw(",")
            json.number(triple.1)
            json.raw(",")
            json.number(triple.2)
            json.raw("]")
        }
    }

    func load(value: Any) throws {
        guard let array = value as? [[Any]] else { throw StateShapeError(description: "clock: value is not an array of triples") }
        reset()
        for triple in array {
            guard triple.count == 3, let feed = triple[0] as? String, let sequence = (triple[1] as? NSNumber)?.int64Value,
                  let offset = (triple[2] as? NSNumber)?.int64Value else { throw StateShapeError(description: "clock: bad triple") }
            let (slot, isNew) = feeds.slot(for: SSBIdentifier(feedText: feed))
            if isNew { entries.append([]) }
            entries[slot].append((sequence, offset))
        }
    }
}
