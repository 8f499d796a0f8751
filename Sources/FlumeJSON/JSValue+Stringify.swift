import CFlumeSIMD
extension JSValue {
    /// How the text's characters become bytes.
    public enum TextEncoding: Sendable {
        /// UTF-8, as Node's `Buffer.from(text)`: what the log stores and what SSB signs.
        case utf8
        /// Each UTF-16 code unit truncated to its low byte, as Node's `'binary'` encoding: what
        /// SSB hashes to make a message key.
        case latin1
    }

    /// `JSON.stringify(value, null, indent)` as bytes: `indent` 0 is compact, 2 is SSB's
    /// pretty-printed form.
    public func stringify(indent: Int = 0, encoding: TextEncoding = .utf8) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        write(to: &out, indent: indent, encoding: encoding)
        return out
    }

    /// `JSON.stringify(text)`: a JSON string literal, for text written by hand.
    public static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = []
        writeString(JSString(text), to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `JSON.stringify(value, null, indent)` to `out`.
    public func write(to out: inout [UInt8], indent: Int = 0, encoding: TextEncoding = .utf8, depth: Int = 0) {
        switch self {
        case .null: out += "null".utf8
        case .bool(let value): out += (value ? "true" : "false").utf8
        case .number(let value): JSNumberFormat.append(value, to: &out)
        case .string(let text): JSValue.writeString(text, to: &out, encoding: encoding)
        case .array(let items):
            guard !items.isEmpty else { out += "[]".utf8; return }
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.newline(&out, indent: indent, depth: depth + 1)
                item.write(to: &out, indent: indent, encoding: encoding, depth: depth + 1)
            }
            Self.newline(&out, indent: indent, depth: depth)
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            guard object.count > 0 else { out += "{}".utf8; return }
            out.append(UInt8(ascii: "{"))
            for (index, member) in object.members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.newline(&out, indent: indent, depth: depth + 1)
                Self.writeString(.wellFormed(member.key), to: &out, encoding: encoding)
                out.append(UInt8(ascii: ":"))
                if indent > 0 { out.append(UInt8(ascii: " ")) }
                member.value.write(to: &out, indent: indent, encoding: encoding, depth: depth + 1)
            }
            Self.newline(&out, indent: indent, depth: depth)
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(_ out: inout [UInt8], indent: Int, depth: Int) {
        guard indent > 0 else { return }
        out.append(UInt8(ascii: "\n"))
        out += repeatElement(UInt8(ascii: " "), count: indent * depth)
    }

    /// A JSON string literal as `JSON.stringify` writes it: `\"`, `\\`, `\b \f \n \r \t`, other
    /// controls and lone surrogates as lowercase `\uXXXX`, every other character as itself.
    public static func writeString(_ text: JSString, to out: inout [UInt8], encoding: TextEncoding = .utf8) {
        out.append(UInt8(ascii: "\""))
        switch (text, encoding) {
        case (.wellFormed(let string), .utf8):
            var copy = string
            copy.withUTF8 { appendStringContent(utf8: UnsafeRawBufferPointer($0), to: &out) }
        case (.wellFormed(let string), .latin1):
            for unit in string.utf16 where !appendEscape(unit, to: &out) { out.append(UInt8(truncatingIfNeeded: unit)) }
        case (.utf16(let units), _):
            var index = 0
            while index < units.count {
                let unit = units[index]
                index += 1
                if appendEscape(unit, to: &out) { continue }
                if UTF16.isLeadSurrogate(unit), index < units.count, UTF16.isTrailSurrogate(units[index]) {
                    let scalar = UTF16.decode(UTF16.EncodedScalar([unit, units[index]]))
                    index += 1
                    if encoding == .latin1 {
                        out.append(UInt8(truncatingIfNeeded: unit))
                        out.append(UInt8(truncatingIfNeeded: units[index - 1]))
                    } else {
                        out += UTF8.encode(scalar)!
                    }
                } else if UTF16.isLeadSurrogate(unit) || UTF16.isTrailSurrogate(unit) {
                    appendUnicodeEscape(unit, to: &out)
                } else if encoding == .latin1 {
                    out.append(UInt8(truncatingIfNeeded: unit))
                } else {
                    out += UTF8.encode(Unicode.Scalar(unit)!)!
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `JSON.stringify` of a string given as well-formed UTF-8 (the caller has checked it).
    public static func writeString(utf8: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        appendStringContent(utf8: utf8, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// The characters of a well-formed UTF-8 string between the quotes: escapes for quotes,
    /// backslashes and controls, every other byte as itself. The runs between them are found
    /// 16 bytes a step (`flume_json_plain_run`) and copied whole: a byte at a time, finding
    /// them was a quarter of turning a log.bipf's records into JSON.
    private static func appendStringContent(utf8: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        guard let base = utf8.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var start = 0
        while start < utf8.count {
            let run = flume_json_plain_run(base + start, utf8.count - start)
            out += UnsafeRawBufferPointer(rebasing: utf8[start..<start + run])
            start += run
            guard start < utf8.count else { return }
            _ = appendEscape(UInt16(utf8[start]), to: &out)
            start += 1
        }
    }

    /// Appends the escape JSON.stringify uses for a quote, backslash or control; false for others.
    private static func appendEscape(_ unit: UInt16, to out: inout [UInt8]) -> Bool {
        switch unit {
        case 0x22: out += #"\""#.utf8
        case 0x5C: out += #"\\"#.utf8
        case 0x08: out += #"\b"#.utf8
        case 0x0C: out += #"\f"#.utf8
        case 0x0A: out += #"\n"#.utf8
        case 0x0D: out += #"\r"#.utf8
        case 0x09: out += #"\t"#.utf8
        case 0..<0x20: appendUnicodeEscape(unit, to: &out)
        default: return false
        }
        return true
    }

    private static func appendUnicodeEscape(_ unit: UInt16, to out: inout [UInt8]) {
        out += #"\u"#.utf8
        for shift in stride(from: 12, through: 0, by: -4) { out.append(Hex.digits[Int((unit >> UInt16(shift)) & 0xF)]) }
    }
}
