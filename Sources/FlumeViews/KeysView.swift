import FlumeSSB
import FlumeJSON

/// ssb-db's `keys`: message key → offset of its record.
final class KeysView: SSBView {
    let kind = ViewKind.keys
    let version: Int
    private var offsets = KeyTable()

    init(version: Int) { self.version = version }

    func reset() { offsets = KeyTable() }

    func reserve(records: Int) { offsets = KeyTable(capacity: records) }

    let prefetches = true

    @inline(__always)
    func prefetch(_ record: UnsafePointer<ViewRecord>) {
        if let digest = record.pointee.keyDigest { offsets.prefetch(digest) }
    }

    func apply(_ record: UnsafePointer<ViewRecord>) {
        if let digest = record.pointee.keyDigest {
            offsets.set(digest, record.pointee.offset)
        } else if let key = record.pointee.key {
            offsets.set(key, record.pointee.offset)
        }
    }

    /// Members in log order: a dictionary's own order changes with each process's hash seed,
    /// and two builds of one log should write the same bytes.
    func writeValue(to json: inout JSONText) {
        json.object(offsets.entriesByOffset()) { json, entry in
            json.key(message: entry.key)
            json.number(entry.offset)
        }
    }

    func load(value: JSValue) throws(ViewError) {
        guard let object = value.objectValue else { throw ViewError(.stateShape, view: .keys, message: "value is not an object") }
        offsets = KeyTable(capacity: object.count)
        for (key, offset) in object.members {
            guard let offset = offset.integerValue else { throw ViewError(.stateShape, view: .keys, message: "bad offset for \(key)") }
            offsets.set(SSBIdentifier(messageText: key), offset)
        }
    }
}
