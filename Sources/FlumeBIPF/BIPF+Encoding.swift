import FlumeJSON

extension BIPF {
    /// The bytes JS `bipf.allocAndEncode(value)` gives for a value `JSON.parse` produced: INT
    /// for integers within ±2147483647 (so -0 and 1.0 are INT), DOUBLE otherwise; strings as
    /// UTF-8 with lone surrogates as U+FFFD; object members in JS property order. NaN and
    /// ±Infinity cannot be encoded, as in JS.
    public static func encode(_ value: JSValue) throws(BIPFError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(try encodedLength(value))
        try write(value, to: &out)
        return out
    }

    /// Appends the encoding of `value` to `out`.
    public static func write(_ value: JSValue, to out: inout [UInt8]) throws(BIPFError) {
        switch value {
        case .null:
            out.append(ValueType.boolNull.rawValue)
        case .bool(let flag):
            out.append(1 << 3 | ValueType.boolNull.rawValue)
            out.append(flag ? 1 : 0)
        case .number(let number):
            if let integer = int32(number) {
                out.append(4 << 3 | ValueType.int.rawValue)
                withUnsafeBytes(of: integer.littleEndian) { out.append(contentsOf: $0) }
            } else {
                guard number.isFinite else {
                    throw BIPFError(.unencodable, offset: out.count, message: "\(number) cannot be encoded (JS: unknown type)")
                }
                out.append(8 << 3 | ValueType.double.rawValue)
                withUnsafeBytes(of: number.bitPattern.littleEndian) { out.append(contentsOf: $0) }
            }
        case .string(let text):
            writeString(text, to: &out)
        case .array(let items):
            appendVarint(try contentLength(value) << 3 | Int(ValueType.array.rawValue), to: &out)
            for item in items { try write(item, to: &out) }
        case .object(let object):
            appendVarint(try contentLength(value) << 3 | Int(ValueType.object.rawValue), to: &out)
            for member in object.members {
                writeString(JSString(member.key), to: &out)
                try write(member.value, to: &out)
            }
        }
    }

    /// The bytes `encode(value)` gives, without writing them (`bipf.encodingLength`).
    public static func encodedLength(_ value: JSValue) throws(BIPFError) -> Int {
        let content = try contentLength(value)
        switch value {
        case .null, .bool, .number: return 1 + content
        default: return varintLength(content << 3) + content
        }
    }

    /// The content bytes of `value`, after its tag.
    static func contentLength(_ value: JSValue) throws(BIPFError) -> Int {
        switch value {
        case .null: return 0
        case .bool: return 1
        case .number(let number):
            if int32(number) != nil { return 4 }
            guard number.isFinite else { throw BIPFError(.unencodable, offset: 0, message: "\(number) cannot be encoded (JS: unknown type)") }
            return 8
        case .string(let text): return utf8Count(text)
        case .array(let items):
            var total = 0
            for item in items { total += try encodedLength(item) }
            return total
        case .object(let object):
            var total = 0
            for member in object.members {
                let key = member.key.utf8.count
                total += varintLength(key << 3) + key + (try encodedLength(member.value))
            }
            return total
        }
    }

    /// The INT a number is written as, when it is one: an integer of magnitude at most 2^31 - 1.
    @inline(__always)
    static func int32(_ number: Double) -> Int32? {
        guard number == number.rounded(.towardZero), abs(number) <= 2_147_483_647 else { return nil }
        return Int32(number)
    }

    private static func utf8Count(_ text: JSString) -> Int {
        switch text {
        case .wellFormed(let string): string.utf8.count
        case .utf16(let units): String(decoding: units, as: UTF16.self).utf8.count
        }
    }

    private static func writeString(_ text: JSString, to out: inout [UInt8]) {
        let string = switch text {
        case .wellFormed(let string): string
        case .utf16(let units): String(decoding: units, as: UTF16.self)
        }
        appendVarint(string.utf8.count << 3 | Int(ValueType.string.rawValue), to: &out)
        out.append(contentsOf: string.utf8)
    }
}
