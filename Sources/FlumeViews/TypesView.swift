import FlumeSSB
import FlumeJSON

/// Content type → how many records have it and their offsets. Private (boxed) messages have no
/// visible type and are counted under no type.
final class TypesView: SSBView {
    let kind = ViewKind.types
    let version: Int
    private var types: [String: [Int64]] = [:]

    init(version: Int) { self.version = version }

    func reset() { types = [:] }

    func apply(_ record: ViewRecord) {
        guard let type = record.message.type else { return }
        types[type.value, default: []].append(record.offset)
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

    func load(value: JSValue) throws(ViewError) {
        guard let object = value.objectValue else { throw ViewError(.stateShape, view: .types, message: "value is not an object") }
        types = [:]
        for (type, item) in object.members {
            guard let offsets = item["offsets"]?.arrayValue?.compactMap(\.integerValue),
                  offsets.count == item["offsets"]?.arrayValue?.count else {
                throw ViewError(.stateShape, view: .types, message: "bad entry for \(type)")
            }
            types[type] = offsets
        }
    }
}
