/// A JSON value as JavaScript holds it after `JSON.parse`: object members in JS property
/// order, numbers as IEEE doubles, strings as UTF-16 (lone surrogates included). Writing it
/// back with `stringify` gives the bytes JS `JSON.stringify` gives, which SSB signatures and
/// message keys are computed over.
public indirect enum JSValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(JSString)
    case array([JSValue])
    case object(JSObject)

    /// A string member, for building values in code.
    public static func text(_ value: String) -> JSValue { .string(JSString(value)) }

    /// The member named `key` of an object, nil otherwise.
    public subscript(key: String) -> JSValue? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    public var stringValue: String? {
        guard case .string(let text) = self else { return nil }
        return text.string
    }

    public var numberValue: Double? {
        guard case .number(let value) = self else { return nil }
        return value
    }

    /// The number when it is an integer JS holds exactly (|n| < 2^53).
    public var integerValue: Int64? {
        guard case .number(let value) = self, value == value.rounded(), abs(value) < 9_007_199_254_740_992 else { return nil }
        return Int64(value)
    }

    public var arrayValue: [JSValue]? {
        guard case .array(let items) = self else { return nil }
        return items
    }

    public var objectValue: JSObject? {
        guard case .object(let object) = self else { return nil }
        return object
    }

    /// Equality as a deep comparison in JS sees it: objects equal when they hold the same
    /// members, whatever their order; arrays element by element.
    public func isEqualIgnoringMemberOrder(_ other: JSValue) -> Bool {
        switch (self, other) {
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.isEqualIgnoringMemberOrder($1) }
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            return a.members.allSatisfy { member in b[member.key].map(member.value.isEqualIgnoringMemberOrder) ?? false }
        default:
            return self == other
        }
    }
}

/// A JS string: Swift `String` when well-formed (nearly always), UTF-16 code units when it
/// holds a lone surrogate, which JS allows and Swift strings cannot hold.
public enum JSString: Sendable, Equatable, Hashable {
    case wellFormed(String)
    case utf16([UInt16])

    public init(_ text: String) { self = .wellFormed(text) }

    /// The text, with lone surrogates replaced by U+FFFD.
    public var string: String {
        switch self {
        case .wellFormed(let text): text
        case .utf16(let units): String(decoding: units, as: UTF16.self)
        }
    }

    public var utf16Count: Int {
        switch self {
        case .wellFormed(let text): text.utf16.count
        case .utf16(let units): units.count
        }
    }
}

/// Object members in the order JS enumerates them: array-index keys ("0", "17") first in
/// ascending numeric order, then the other keys in insertion order; a repeated key keeps its
/// first place and takes the last value, as `JSON.parse` does.
public struct JSObject: Sendable, Equatable {
    public private(set) var members: [(key: String, value: JSValue)] = []
    /// Positions by key, kept once an object grows past a few members, so that parsing a
    /// hostile object with many keys stays linear.
    private var positions: [String: Int]?

    public init() {}

    public init(_ members: KeyValuePairs<String, JSValue>) {
        for (key, value) in members { self[key] = value }
    }

    public subscript(key: String) -> JSValue? {
        get { position(of: key).map { members[$0].value } }
        set {
            if let index = position(of: key) {
                if let newValue {
                    members[index].value = newValue
                } else {
                    members.remove(at: index)
                    positions = nil
                }
                return
            }
            guard let newValue else { return }
            guard let index = Self.arrayIndex(key) else {
                positions?[key] = members.count
                members.append((key, newValue))
                indexIfLarge()
                return
            }
            // Integer-like keys go before every string key, sorted among themselves.
            let position = members.firstIndex { member in
                guard let other = Self.arrayIndex(member.key) else { return true }
                return other > index
            } ?? members.count
            members.insert((key, newValue), at: position)
            positions = nil
            indexIfLarge()
        }
    }

    private func position(of key: String) -> Int? {
        if let positions { return positions[key] }
        return members.firstIndex { $0.key == key }
    }

    private mutating func indexIfLarge() {
        guard positions == nil, members.count > 16 else { return }
        var table: [String: Int] = [:]
        for (index, member) in members.enumerated() { table[member.key] = index }
        positions = table
    }

    public var keys: [String] { members.map(\.key) }
    public var count: Int { members.count }

    /// The value of `key` when it is a canonical array index (0 ..< 2^32 - 1), as JS orders them.
    static func arrayIndex(_ key: String) -> UInt32? {
        let utf8 = key.utf8
        guard let first = utf8.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9"),
              utf8.count <= 10, first != UInt8(ascii: "0") || utf8.count == 1 else { return nil }
        var value: UInt64 = 0
        for byte in utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + UInt64(byte - UInt8(ascii: "0"))
        }
        return value < UInt64(UInt32.max) ? UInt32(value) : nil
    }

    public static func == (lhs: JSObject, rhs: JSObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}
