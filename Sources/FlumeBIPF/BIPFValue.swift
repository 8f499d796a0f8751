import FlumeJSON

/// A value as JS `bipf.decode` gives it back: JSON's values, plus `undefined` (BOOLNULL 2) and
/// Buffers (type 1), which JSON has no words for.
public indirect enum BIPFValue: Sendable, Equatable {
    case json(JSValue)
    case undefined
    case buffer([UInt8])
    /// An array holding `undefined` or buffers somewhere inside.
    case array([BIPFValue])
    /// An object holding `undefined` or buffers somewhere inside, members in JS order.
    case object([(key: String, value: BIPFValue)])

    public static func == (a: BIPFValue, b: BIPFValue) -> Bool {
        switch (a, b) {
        case (.json(let x), .json(let y)): x == y
        case (.undefined, .undefined): true
        case (.buffer(let x), .buffer(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    /// The value `JSON.stringify` sees: `undefined` members dropped, `undefined` in arrays as
    /// null, a Buffer as `{"type":"Buffer","data":[…]}` (its `toJSON`); nil for a bare
    /// `undefined`, which JSON cannot hold.
    public var jsonValue: JSValue? {
        switch self {
        case .json(let value): return value
        case .undefined: return nil
        case .buffer(let bytes):
            return .object(JSObject(["type": .text("Buffer"), "data": .array(bytes.map { .number(Double($0)) })]))
        case .array(let items): return .array(items.map { $0.jsonValue ?? .null })
        case .object(let members):
            var object = JSObject()
            for member in members { if let value = member.value.jsonValue { object[member.key] = value } }
            return .object(object)
        }
    }
}
