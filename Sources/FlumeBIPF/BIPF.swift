/// BIPF, the binary JSON ssb-db2 stores its records in (bipf 1.9.0, the JS reference): every
/// value is `varint(tag) content`, `tag = content_length << 3 | type`, the varint unsigned
/// LEB128. Encoding is JS's byte for byte; decoding is strict where JS silently misreads
/// (`BIPFError` names the offset and the reason); fields are found in place, without
/// decoding a record (`BIPFCursor`), which is the format's point.
public enum BIPF {
    /// The three bits of a tag.
    public enum ValueType: UInt8, Sendable, CaseIterable, CustomStringConvertible {
        case string = 0
        /// Raw bytes; never produced from JSON.
        case buffer = 1
        /// Always 4 bytes, int32 little-endian.
        case int = 2
        /// Always 8 bytes, float64 little-endian.
        case double = 3
        case array = 4
        /// Keys and values back to back; each key a STRING.
        case object = 5
        /// Length 0: null; 1 byte: 0 false, 1 true, 2 undefined.
        case boolNull = 6
        /// Decoding throws.
        case reserved = 7

        public var description: String {
            switch self {
            case .string: "STRING"
            case .buffer: "BUFFER"
            case .int: "INT"
            case .double: "DOUBLE"
            case .array: "ARRAY"
            case .object: "OBJECT"
            case .boolNull: "BOOLNULL"
            case .reserved: "RESERVED"
            }
        }
    }

    /// Containers nested deeper than this are refused, so hostile input cannot exhaust the stack.
    public static let maximumDepth = 512

    /// Appends `value` as unsigned LEB128.
    @inline(__always)
    static func appendVarint(_ value: Int, to out: inout [UInt8]) {
        var rest = UInt64(value)
        while rest >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        out.append(UInt8(rest))
    }

    /// The bytes a varint of `value` takes.
    static func varintLength(_ value: Int) -> Int {
        var rest = UInt64(value), count = 1
        while rest >= 0x80 {
            rest >>= 7
            count += 1
        }
        return count
    }
}
