import FlumeSSB
import FlumeJSON

/// ssb-db's `keys`: message key → offset of its record.
final class KeysView: SSBView {
    let kind = ViewKind.keys
    let version: Int
    private(set) var offsets: [SSBIdentifier: Int64] = [:]

    init(version: Int) { self.version = version }

    func reset() { offsets = [:] }

    func reserve(records: Int) { offsets.reserveCapacity(records) }

    func apply(_ record: ViewRecord) {
        guard let key = record.key else { return }
        offsets[key] = record.offset
    }

    /// Members in log order: a dictionary's own order changes with each process's hash seed,
    /// and two builds of one log should write the same bytes.
    func writeValue(to json: inout JSONText) {
        json.object(offsets.sorted { $0.value < $1.value }) { json, pair in
            json.key(message: pair.key)
            json.number(pair.value)
        }
    }

    func load(value: JSValue) throws(ViewError) {
        guard let object = value.objectValue else { throw ViewError(.stateShape, view: .keys, message: "value is not an object") }
        offsets = [:]
        offsets.reserveCapacity(object.count)
        for (key, offset) in object.members {
            guard let offset = offset.integerValue else { throw ViewError(.stateShape, view: .keys, message: "bad offset for \(key)") }
            offsets[SSBIdentifier(messageText: key)] = offset
        }
    }
}
