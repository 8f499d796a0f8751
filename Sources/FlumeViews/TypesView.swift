import FlumeSSB
import FlumeJSON

#if canImport(Glibc)
import Glibc
#endif

/// Content type → how many records have it and their offsets. Private (boxed) messages have no
/// visible type and are counted under no type.
final class TypesView: SSBView {
    let kind = ViewKind.types
    let version: Int
    private var types = TypeList()

    /// Per type, in the order first met: its name and its records' offsets.
    private struct TypeList {
        var names: [String] = []
        var offsets: [[Int64]] = []
        var slots: [String: Int] = [:]
        /// The last few types met, by their raw bytes: a record's type is nearly always one of
        /// a few, and comparing bytes costs less than making a `String` and hashing it per record.
        var recent = RecentTypes()

        mutating func slot(for type: JSONString) -> Int {
            if !type.escaped, let slot = recent.slot(for: type.raw) { return slot }
            let slot = slot(named: type.value)
            if !type.escaped { recent.remember(type.raw, slot: slot) }
            return slot
        }

        mutating func slot(named name: String) -> Int {
            if let slot = slots[name] { return slot }
            slots[name] = names.count
            names.append(name)
            offsets.append([])
            return names.count - 1
        }
    }

    init(version: Int) { self.version = version }

    func reset() { types = TypeList() }

    func apply(_ records: UnsafeBufferPointer<ViewRecord>) {
        var types = self.types
        self.types = TypeList()
        defer { self.types = types }
        records.forEachMessage { record in
            guard let type = record.pointee.message.type else { return }
            types.offsets[types.slot(for: type)].append(record.pointee.offset)
        }
    }

    func writeValue(to json: inout JSONText) {
        json.object(zip(types.names, types.offsets).sorted { $0.0 < $1.0 }) { json, pair in
            json.key(pair.0)
            json.raw("{\"count\":")
            json.number(Int64(pair.1.count))
            json.raw(",\"offsets\":")
            json.array(pair.1) { $0.number($1) }
            json.raw("}")
        }
    }

    func load(value: JSValue) throws(ViewError) {
        guard let object = value.objectValue else { throw ViewError(.stateShape, view: .types, message: "value is not an object") }
        reset()
        for (type, item) in object.members {
            guard let offsets = item["offsets"]?.arrayValue?.compactMap(\.integerValue),
                  offsets.count == item["offsets"]?.arrayValue?.count else {
                throw ViewError(.stateShape, view: .types, message: "bad entry for \(type)")
            }
            types.offsets[types.slot(named: type)] = offsets
        }
    }
}

/// Up to eight types by their raw bytes (up to 24 each), with their slots.
struct RecentTypes {
    private static let capacity = 8, longest = 24
    /// Allocated at the first `remember`, so that an empty one costs nothing to make.
    private var bytes: [UInt8] = []
    private var lengths: [Int] = []
    private var slots: [Int] = []
    private var next = 0

    func slot(for raw: UnsafeRawBufferPointer) -> Int? {
        guard raw.count <= Self.longest, let base = raw.baseAddress else { return nil }
        return bytes.withUnsafeBytes { stored in
            for index in lengths.indices where lengths[index] == raw.count
                && memcmp(stored.baseAddress! + index * Self.longest, base, raw.count) == 0 {
                return slots[index]
            }
            return nil
        }
    }

    mutating func remember(_ raw: UnsafeRawBufferPointer, slot: Int) {
        guard raw.count <= Self.longest else { return }
        if bytes.isEmpty { bytes = [UInt8](repeating: 0, count: Self.capacity * Self.longest) }
        let index: Int
        if lengths.count < Self.capacity {
            index = lengths.count
            lengths.append(raw.count)
            slots.append(slot)
        } else {
            index = next
            next = (next + 1) % Self.capacity
            lengths[index] = raw.count
            slots[index] = slot
        }
        bytes.withUnsafeMutableBytes { stored in
            if raw.count > 0 { (stored.baseAddress! + index * Self.longest).copyMemory(from: raw.baseAddress!, byteCount: raw.count) }
        }
    }
}
