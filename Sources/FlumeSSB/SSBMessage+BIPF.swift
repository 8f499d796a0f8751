import FlumeBIPF

#if canImport(Glibc)
import Glibc
#endif

extension SSBMessage {
    /// Reads the same fields from a BIPF record (ssb-db2's `log.bipf`), in place: the strings
    /// borrow the record's UTF-8 bytes, numbers are read where they stand, nothing is decoded
    /// or allocated (links are appended to `links` only when collected). A repeated key takes
    /// its last value, as JS's decoded object does. Throws when the record is not BIPF.
    package static func scanBIPF(_ payload: UnsafeRawBufferPointer, collectingLinks: Bool,
                                 into links: inout [JSONString]) throws(BIPFError) -> SSBMessage {
        var message = SSBMessage()
        let cursor = BIPFCursor(payload)
        let record = try cursor.header(at: 0)
        guard record.type == .object else { return message }
        try forEachMember(of: record, cursor) { name, value throws(BIPFError) in
            if equals(cursor.content(name), "key"), value.type == .string {
                message.key = JSONString(raw: cursor.content(value), escaped: false)
            } else if equals(cursor.content(name), "value"), value.type == .object {
                try message.readValue(value, cursor, collectingLinks: collectingLinks, into: &links)
            }
        }
        return message
    }

    private mutating func readValue(_ object: BIPFCursor.Header, _ cursor: BIPFCursor, collectingLinks: Bool,
                                    into links: inout [JSONString]) throws(BIPFError) {
        try Self.forEachMember(of: object, cursor) { name, value throws(BIPFError) in
            let key = cursor.content(name)
            if Self.equals(key, "author"), value.type == .string {
                author = JSONString(raw: cursor.content(value), escaped: false)
            } else if Self.equals(key, "sequence") {
                sequence = cursor.number(value).flatMap { $0 == $0.rounded() && abs($0) < 9_007_199_254_740_992 ? Int64($0) : nil }
            } else if Self.equals(key, "timestamp") {
                timestampNumber = cursor.number(value)
                timestamp = nil
            } else if Self.equals(key, "content") {
                type = nil
                isPrivate = value.type == .string
                if value.type == .object {
                    try Self.forEachMember(of: value, cursor) { name, member throws(BIPFError) in
                        if Self.equals(cursor.content(name), "type"), member.type == .string {
                            type = JSONString(raw: cursor.content(member), escaped: false)
                        }
                    }
                    if collectingLinks { try Self.collectStrings(in: value, cursor, depth: 0, into: &links) }
                }
            }
        }
    }

    /// Calls `body` with each member's key and value header, in order.
    @inline(__always)
    private static func forEachMember(of object: BIPFCursor.Header, _ cursor: BIPFCursor,
                                      _ body: (BIPFCursor.Header, BIPFCursor.Header) throws(BIPFError) -> Void) throws(BIPFError) {
        var position = object.contentStart
        while position < object.end {
            let name = try cursor.header(at: position, limit: object.end)
            guard name.type == .string else {
                throw BIPFError(.keyNotString, offset: position, message: "an object key is a \(name.type), not a STRING")
            }
            let value = try cursor.header(at: name.end, limit: object.end)
            try body(name, value)
            position = value.end
        }
    }

    /// Every STRING value inside `container` (not keys), in order, for the links view.
    private static func collectStrings(in container: BIPFCursor.Header, _ cursor: BIPFCursor, depth: Int,
                                       into strings: inout [JSONString]) throws(BIPFError) {
        guard depth < BIPF.maximumDepth else {
            throw BIPFError(.tooDeep, offset: container.offset, message: "containers nested deeper than \(BIPF.maximumDepth)")
        }
        var position = container.contentStart
        var isKey = container.type == .object
        while position < container.end {
            let item = try cursor.header(at: position, limit: container.end)
            if !isKey {
                switch item.type {
                case .string: strings.append(JSONString(raw: cursor.content(item), escaped: false))
                case .array, .object: try collectStrings(in: item, cursor, depth: depth + 1, into: &strings)
                default: break
                }
            }
            if container.type == .object { isKey.toggle() }
            position = item.end
        }
    }

    @inline(__always)
    private static func equals(_ bytes: UnsafeRawBufferPointer, _ name: StaticString) -> Bool {
        bytes.count == name.utf8CodeUnitCount && memcmp(bytes.baseAddress ?? UnsafeRawPointer(name.utf8Start), name.utf8Start, bytes.count) == 0
    }
}
