import FlumeJSON
import FlumeSSB

/// Backlinks, as ssb-backlinks indexes them: every message reference anywhere in a record's
/// content → the offsets of the records that link to it.
final class LinksView: SSBView {
    let kind = ViewKind.links
    let version: Int
    let needsLinks = true
    private var backlinks: [SSBIdentifier: [Int64]] = [:]

    init(version: Int) { self.version = version }

    func reset() { backlinks = [:] }

    func apply(_ records: UnsafeBufferPointer<ViewRecord>) {
        var backlinks = self.backlinks
        self.backlinks = [:]
        defer { self.backlinks = backlinks }
        records.forEachMessage { record in
            let offset = record.pointee.offset
            for link in record.pointee.links where link.isMessageReference {
                let target = SSBIdentifier(message: link)
                if backlinks[target]?.last != offset { backlinks[target, default: []].append(offset) }
            }
        }
    }

    func writeValue(to json: inout JSONText) {
        json.object(backlinks.map { ($0.key.messageText, $0.value) }.sorted { $0.0 < $1.0 }) { json, pair in
            json.key(pair.0)
            json.array(pair.1) { $0.number($1) }
        }
    }

    func load(value: JSValue) throws(ViewError) {
        guard let object = value.objectValue else { throw ViewError(.stateShape, view: .links, message: "value is not an object") }
        backlinks = [:]
        for (target, item) in object.members {
            guard let items = item.arrayValue, case let offsets = items.compactMap(\.integerValue), offsets.count == items.count else {
                throw ViewError(.stateShape, view: .links, message: "bad entry for \(target)")
            }
            backlinks[SSBIdentifier(messageText: target)] = offsets
        }
    }
}
