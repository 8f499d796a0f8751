/// The members `SSBMessage.scan` reads, and how JS writes them: compact, or indented two spaces a
/// level (`JSON.stringify(message, null, 2)`, as flumecodec's json wrote every ssb-db
/// log.offset). What comes before a name (a comma, a line break, the object's indentation) is
/// taken with one compare; the name is told from the others by a byte and confirmed, with its
/// colon, by another (`JSONScanner.take`): nothing after them waits on a search for their end.
/// Members written any other way (escapes, other spacing) are read, with the same result.
extension SSBMessage {
    /// The record's own members: `{"key", "value", "timestamp"}`.
    enum RecordMember: KnownMember {
        case key, value, other

        static var indentation: StaticString { "\n  " }
        static var separator: StaticString { ",\n  " }

        init(_ name: JSONString) {
            self = name.equals("key") ? .key : name.equals("value") ? .value : .other
        }

        @inline(__always)
        static func taken(_ scanner: inout JSONScanner) -> RecordMember? {
            switch scanner.byte(at: 1) {
            case UInt8(ascii: "k"): scanner.take("\"key\":") ? .key : nil
            case UInt8(ascii: "v"): scanner.take("\"value\":") ? .value : nil
            case UInt8(ascii: "t"): scanner.take("\"timestamp\":") ? .other : nil
            default: nil
            }
        }
    }

    /// The members of `value`, the signed message, in any order (clients have written
    /// `sequence` before `author`).
    enum ValueMember: KnownMember {
        case previous, author, sequence, timestamp, hash, content, signature, other

        static var indentation: StaticString { "\n    " }
        static var separator: StaticString { ",\n    " }

        init(_ name: JSONString) {
            self = name.equals("author") ? .author : name.equals("sequence") ? .sequence
                : name.equals("timestamp") ? .timestamp : name.equals("content") ? .content : .other
        }

        @inline(__always)
        static func taken(_ scanner: inout JSONScanner) -> ValueMember? {
            switch scanner.byte(at: 1) {
            case UInt8(ascii: "p"): scanner.take("\"previous\":") ? .previous : nil
            case UInt8(ascii: "a"): scanner.take("\"author\":") ? .author : nil
            case UInt8(ascii: "s"): scanner.take("\"sequence\":") ? .sequence : scanner.take("\"signature\":") ? .signature : nil
            case UInt8(ascii: "t"): scanner.take("\"timestamp\":") ? .timestamp : nil
            case UInt8(ascii: "h"): scanner.take("\"hash\":") ? .hash : nil
            case UInt8(ascii: "c"): scanner.take("\"content\":") ? .content : nil
            default: nil
            }
        }
    }

    /// The members of `value.content`: only `type` is read.
    enum ContentMember: KnownMember {
        case type, other

        static var indentation: StaticString { "\n      " }
        static var separator: StaticString { ",\n      " }

        init(_ name: JSONString) {
            self = name.equals("type") ? .type : .other
        }

        @inline(__always)
        static func taken(_ scanner: inout JSONScanner) -> ContentMember? {
            scanner.byte(at: 1) == UInt8(ascii: "t") && scanner.take("\"type\":") ? .type : nil
        }
    }
}
