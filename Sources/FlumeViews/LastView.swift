import FlumeSSB
import FlumeJSON

/// ssb-db 20's `last` (indexes/last.js): for each author, in log order, the latest record
/// overwrites `{id: key, sequence, ts: value.timestamp}`. Feeds keep the order they first
/// appeared in, as a JS object keeps insertion order.
final class LastView: SSBView {
    struct Entry {
        var id: SSBIdentifier
        var sequence: Int64
        var timestamp: NumberText
    }

    /// A JSON number's text, kept inline (no allocation) up to 23 bytes; longer ones as a String.
    struct NumberText {
        private var inline: (UInt64, UInt64, UInt64) = (0, 0, 0)
        private var count: UInt8 = 0
        private var long: String?

        init(_ raw: UnsafeRawBufferPointer?) {
            guard let raw else {
                long = "null"
                return
            }
            if raw.count < 24 {
                count = UInt8(raw.count)
                withUnsafeMutableBytes(of: &inline) { $0.copyMemory(from: raw) }
            } else {
                long = String(decoding: raw, as: UTF8.self)
            }
        }

        /// A number as JS writes it; integers (every millisecond timestamp) without allocating.
        init(number: Double) {
            guard number == number.rounded(), abs(number) < 9_007_199_254_740_992, number != 0 || number.sign == .plus else {
                long = JSNumberFormat.string(number)
                return
            }
            var magnitude = UInt64(abs(number))
            var length = 0
            withUnsafeMutableBytes(of: &inline) { out in
                // Digits from the right end of the 24 bytes, then moved to the front.
                var position = 23
                repeat {
                    out[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                    magnitude /= 10
                    position -= 1
                } while magnitude > 0
                if number < 0 {
                    out[position] = UInt8(ascii: "-")
                    position -= 1
                }
                length = 23 - position
                for index in 0..<length { out[index] = out[position + 1 + index] }
            }
            count = UInt8(length)
        }

        init(text: String) {
            var copy = text
            let bytes = copy.withUTF8 { Array($0) }
            if bytes.count < 24 {
                count = UInt8(bytes.count)
                withUnsafeMutableBytes(of: &inline) { out in bytes.withUnsafeBytes { out.copyMemory(from: $0) } }
            } else {
                long = text
            }
        }

        var text: String {
            if let long { return long }
            var copy = inline
            return withUnsafeBytes(of: &copy) { String(decoding: $0.prefix(Int(count)), as: UTF8.self) }
        }
    }

    let kind = ViewKind.last
    let version: Int
    private var feeds = FeedTable()
    private var entries: [Entry] = []

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
            let message = record.pointee.message
            guard message.author != nil, let key = record.pointee.key, let sequence = message.sequence else { return }
            let entry = Entry(id: key, sequence: sequence,
                              timestamp: message.timestamp != nil || message.timestampNumber == nil
                                  ? NumberText(message.timestamp) : NumberText(number: message.timestampNumber!))
            let (slot, isNew) = feeds.slot(for: record)
            if isNew { entries.append(entry) } else { entries[slot] = entry }
        }
    }

    func writeValue(to json: inout JSONText) {
        json.object(zip(feeds.feeds, entries)) { json, pair in
            json.key(feed: pair.0)
            json.raw("{\"id\":")
            json.string(message: pair.1.id)
            json.raw(",\"sequence\":")
            json.number(pair.1.sequence)
            json.raw(",\"ts\":")
            json.raw(pair.1.timestamp.text)
            json.raw("}")
        }
    }

    func load(value: JSValue) throws(ViewError) {
        reset()
        guard let object = value.objectValue else { throw ViewError(.stateShape, view: .last, message: "value is not an object") }
        for (feed, item) in object.members {
            guard let id = item["id"]?.stringValue, let sequence = item["sequence"]?.integerValue,
                  let ts = item["ts"]?.numberValue else {
                throw ViewError(.stateShape, view: .last, message: "bad entry for \(feed)")
            }
            guard feeds.slot(for: SSBIdentifier(feedText: feed)).isNew else { continue }
            entries.append(Entry(id: SSBIdentifier(messageText: id), sequence: sequence,
                                 timestamp: NumberText(text: JSNumberFormat.string(ts))))
        }
    }
}
