import FlumeJSON

extension BIPF {
    /// Appends `JSON.stringify(bipf.decode(bytes))` for the value at the start of `bytes`
    /// (nothing for `undefined`), as `decode(bytes).value.jsonValue?.stringify()` gives it.
    /// Common records are written in one pass, without a value tree; a record the one pass
    /// does not take (a BUFFER or `undefined`, invalid UTF-8, integer-like, repeated or
    /// `__proto__` keys, more than 32 keys in an object, deep nesting, any damage) goes through
    /// `decode`, so the text is always that exact path's, and damage is its `BIPFError`.
    public static func appendJSON(of bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) throws(BIPFError) {
        let start = out.count
        var writer = DirectJSON(cursor: BIPFCursor(bytes))
        if let top = try? writer.cursor.header(at: 0), writer.value(top, depth: 0, into: &out) { return }
        out.removeSubrange(start...)
        out += try decode(bytes).value.jsonValue?.stringify() ?? []
    }

    /// The one pass: false at the first thing it does not take.
    private struct DirectJSON {
        let cursor: BIPFCursor
        /// The keys of the objects being written (start and length in the bytes), for repeats.
        var keys: [(start: Int, count: Int)] = []

        static let maximumDepth = 64
        static let maximumKeys = 32

        mutating func value(_ header: BIPFCursor.Header, depth: Int, into out: inout [UInt8]) -> Bool {
            switch header.type {
            case .string:
                let content = cursor.content(header)
                guard Self.isWellFormedUTF8(content) else { return false }
                JSValue.writeString(utf8: content, to: &out)
            case .int:
                guard let number = cursor.int(header) else { return false }
                JSNumberFormat.append(Double(number), to: &out)
            case .double:
                guard let number = cursor.double(header) else { return false }
                JSNumberFormat.append(number, to: &out)
            case .boolNull:
                switch header.contentLength == 0 ? nil : cursor.bytes[header.contentStart] as UInt8? {
                case nil: out += "null".utf8
                case 0 where header.contentLength == 1: out += "false".utf8
                case 1 where header.contentLength == 1: out += "true".utf8
                default: return false
                }
            case .array:
                guard depth < Self.maximumDepth else { return false }
                out.append(UInt8(ascii: "["))
                var position = header.contentStart
                while position < header.end {
                    guard let element = try? cursor.header(at: position, limit: header.end) else { return false }
                    if position > header.contentStart { out.append(UInt8(ascii: ",")) }
                    guard value(element, depth: depth + 1, into: &out) else { return false }
                    position = element.end
                }
                out.append(UInt8(ascii: "]"))
            case .object:
                guard depth < Self.maximumDepth else { return false }
                return object(header, depth: depth, into: &out)
            case .buffer, .reserved:
                return false
            }
            return true
        }

        private mutating func object(_ header: BIPFCursor.Header, depth: Int, into out: inout [UInt8]) -> Bool {
            let firstKey = keys.count
            defer { keys.removeSubrange(firstKey...) }
            out.append(UInt8(ascii: "{"))
            var position = header.contentStart
            while position < header.end {
                guard let name = try? cursor.header(at: position, limit: header.end), name.type == .string,
                      let member = try? cursor.header(at: name.end, limit: header.end),
                      keys.count - firstKey < Self.maximumKeys, isPlainKey(name, since: firstKey)
                else { return false }
                keys.append((name.contentStart, name.contentLength))
                if position > header.contentStart { out.append(UInt8(ascii: ",")) }
                JSValue.writeString(utf8: cursor.content(name), to: &out)
                out.append(UInt8(ascii: ":"))
                guard value(member, depth: depth + 1, into: &out) else { return false }
                position = member.end
            }
            out.append(UInt8(ascii: "}"))
            return true
        }

        /// A key JS keeps in place: well-formed, not all digits (array indices come first in JS
        /// property order), not `__proto__`, not a repeat of one before it in the object.
        private func isPlainKey(_ name: BIPFCursor.Header, since firstKey: Int) -> Bool {
            let content = cursor.content(name)
            guard Self.isWellFormedUTF8(content), !content.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }),
                  !content.elementsEqual("__proto__".utf8) else { return false }
            for key in keys[firstKey...] where key.count == content.count {
                if UnsafeRawBufferPointer(rebasing: cursor.bytes[key.start..<key.start + key.count]).elementsEqual(content) { return false }
            }
            return true
        }

        private static func isWellFormedUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
            if bytes.allSatisfy({ $0 < 0x80 }) { return true }
            return String(validating: bytes, as: UTF8.self) != nil
        }
    }
}
