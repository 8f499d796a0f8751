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

    /// How many records ahead a key's slot is prefetched: a cache miss or so per record, and
    /// far enough ahead for the memory's latency.
    static let prefetchDistance = 8

    func apply(_ records: UnsafeBufferPointer<ViewRecord>) {
        let offsets = self.offsets
        guard let base = records.baseAddress else { return }
        for index in 0..<records.count {
            if index + Self.prefetchDistance < records.count, let ahead = base[index + Self.prefetchDistance].keyDigest {
                offsets.prefetch(ahead)
            }
            guard base[index].message.isMessage else { continue }
            if let digest = base[index].keyDigest {
                offsets.set(digest, base[index].offset)
            } else if let key = base[index].key {
                offsets.set(key, base[index].offset)
            }
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
