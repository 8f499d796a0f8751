import FlumeSSB
import Foundation

/// Content type → how many records have it and their offsets. Private (boxed) messages have no
/// visible type and are counted under no type.
final class TypesView: SSBView {
    let kind = ViewKind.types
    let version: Int
    private var types: [String: [Int64]] = [:]

    init(version: Int) { self.version = version }

    func reset() { types = [:] }

    func apply(_ message: SSBMessage, links: [JSONString], at offset: Int64) {
        guard let type = message.type else { return }
        types[type.value, default: []].append(offset)
    }

    func writeValue(to json: inout JSONText) {
        json.object(types.sorted { $0.key < $1.key }) { json, pair in
            json.key(pair.key)
            json.raw("{\"count\":")
            json.number(Int64(pair.value.count))
            json.raw(",\"offsets\":")
            json.array(pair.value) { $0.number($1) }
            json.raw("}")
        }
    }

    func load(value: Any) throws {
        guard let object = value as? [String: Any] else { throw StateShapeError(description: "types: value is not an object") }
        types = [:]
        for (type, item) in object {
            guard let item = item as? [String: Any], let offsets = item["offsets"] as? [NSNumber] else {
                throw StateShapeError(description: "types: bad entry for \(type)")
            }
            types[type] = offsets.map(\.int64Value)
        }
    }
}

/// Backlinks, as ssb-backlinks indexes them: every message reference anywhere in a record's
/// content → the offsets of the records that link to it.
final class LinksView: SSBView {
    let kind = ViewKind.links
    let version: Int
    let needsLinks = true
    private var backlinks: [SSBIdentifier: [Int64]] = [:]

    init(version: Int) { self.version = version }

    func reset() { backlinks = [:] }

    func apply(_ message: SSBMessage, links: [JSONString], at offset: Int64) {
        for link in links where link.isMessageReference {
            let target = SSBIdentifier(message: link)
            if backlinks[target]?.last != offset { backlinks[target, default: []].append(offset) }
        }
    }

    func writeValue(to json: inout JSONText) {
        json.object(backlinks.map { ($0.key.messageText, $0.value) }.sorted { $0.0 < $1.0 }) { json, pair in
            json.key(pair.0)
            json.array(pair.1) { $0.number($1) }
        }
    }

    func load(value: Any) throws {
        guard let object = value as? [String: Any] else { throw StateShapeError(description: "links: value is not an object") }
        backlinks = [:]
        for (target, offsets) in object {
            guard let offsets = offsets as? [NSNumber] else { throw StateShapeError(description: "links: bad entry for \(target)") }
            backlinks[SSBIdentifier(messageText: target)] = offsets.map(\.int64Value)
        }
    }
}
