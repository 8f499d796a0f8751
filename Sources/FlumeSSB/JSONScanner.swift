import CFlumeSIMD
import FlumeJSON

#if canImport(Glibc)
import Glibc
#endif

/// A validating, allocation-free JSON walker over borrowed bytes: it reads the few fields SSB
/// views need and skips everything else, checking the grammar as it goes (RFC 8259), so a
/// payload that is not JSON is rejected rather than half-read. Nesting is limited, so hostile
/// input cannot exhaust the stack.
package struct JSONScanner {
    /// Where the payload stops being JSON, and why.
    package struct Malformed: Error {
        package var position: Int
        package var reason: String
    }

    static let maximumDepth = 256

    private let start: UnsafePointer<UInt8>
    private(set) var cursor: UnsafePointer<UInt8>
    private let end: UnsafePointer<UInt8>

    package init(_ bytes: UnsafeRawBufferPointer) {
        let base = bytes.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) } ?? UnsafePointer(bitPattern: 1)!
        start = base
        cursor = base
        end = base + bytes.count
    }

    var atEnd: Bool { cursor >= end }

    /// How many bytes have been read.
    package var position: Int { cursor - start }

    package func malformed(_ reason: String) -> Malformed { Malformed(position: cursor - start, reason: reason) }

    /// The payload stops being JSON at `position`, which the cursor has not reached.
    func malformed(_ reason: String, at position: UnsafePointer<UInt8>) -> Malformed {
        Malformed(position: position - start, reason: reason)
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while cursor < end {
            switch cursor.pointee {
            case 0x20, 0x0A, 0x0D, 0x09: cursor += 1
            default: return
            }
        }
    }

    @inline(__always)
    package mutating func peek() throws(Malformed) -> UInt8 {
        skipWhitespace()
        guard cursor < end else { throw malformed("unexpected end") }
        return cursor.pointee
    }

    @inline(__always)
    package mutating func expect(_ byte: UInt8) throws(Malformed) {
        guard try peek() == byte else { throw malformed("expected '\(Character(Unicode.Scalar(byte)))'") }
        cursor += 1
    }

    /// Reads a string; the result borrows the raw bytes between the quotes. Inlined where it
    /// is read: most strings are plain, ended by the first stop their run reaches.
    @inline(__always)
    package mutating func string() throws(Malformed) -> JSONString {
        try expect(UInt8(ascii: "\""))
        let contentStart = cursor
        // To the first quote, backslash or control byte, 16 bytes a step.
        cursor += flume_json_plain_run(cursor, end - cursor)
        if cursor < end, cursor.pointee == UInt8(ascii: "\"") {
            cursor += 1
            return JSONString(raw: UnsafeRawBufferPointer(start: contentStart, count: cursor - 1 - contentStart), escaped: false)
        }
        return try string(resumingAtStopIn: contentStart)
    }

    /// The rest of a string whose plain run stopped at an escape, a control byte or the end.
    @inline(never)
    private mutating func string(resumingAtStopIn contentStart: UnsafePointer<UInt8>) throws(Malformed) -> JSONString {
        var escaped = false
        while cursor < end {
            let byte = cursor.pointee
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeRawBufferPointer(start: contentStart, count: cursor - contentStart)
                cursor += 1
                return JSONString(raw: raw, escaped: escaped)
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                cursor += 1
                guard cursor < end else { break }
                switch cursor.pointee {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    cursor += 1
                case UInt8(ascii: "u"):
                    guard end - cursor >= 5, (1...4).allSatisfy({ Hex.value(cursor[$0]) != nil }) else {
                        throw malformed("bad \\u escape")
                    }
                    cursor += 5
                default:
                    throw malformed("bad escape")
                }
                cursor += flume_json_plain_run(cursor, end - cursor)
                continue
            }
            throw malformed("control character in string")
        }
        throw malformed("unterminated string")
    }

    /// Reads a number; the result borrows its text exactly as written. Walks a local pointer,
    /// stored back once: stepping `cursor` itself stored it at every digit (17 instructions a
    /// digit, where timestamps have 13 digits and more).
    package mutating func number() throws(Malformed) -> UnsafeRawBufferPointer {
        skipWhitespace()
        let numberStart = cursor, end = end
        var here = cursor
        func digits(_ here: inout UnsafePointer<UInt8>) -> Bool {
            let first = here
            while here < end, here.pointee &- UInt8(ascii: "0") < 10 { here += 1 }
            return here > first
        }
        if here < end, here.pointee == UInt8(ascii: "-") { here += 1 }
        guard here < end else { throw malformed("bad number", at: here) }
        if here.pointee == UInt8(ascii: "0") {
            here += 1
        } else {
            guard digits(&here) else { throw malformed("bad number", at: here) }
        }
        if here < end, here.pointee == UInt8(ascii: ".") {
            here += 1
            guard digits(&here) else { throw malformed("bad fraction", at: here) }
        }
        if here < end, here.pointee | 0x20 == UInt8(ascii: "e") {
            here += 1
            if here < end, here.pointee == UInt8(ascii: "+") || here.pointee == UInt8(ascii: "-") { here += 1 }
            guard digits(&here) else { throw malformed("bad exponent", at: here) }
        }
        cursor = here
        return UnsafeRawBufferPointer(start: numberStart, count: here - numberStart)
    }

    /// A JSON integer that fits Int64; nil for fractions, exponents or overflow. Up to 18
    /// digits cannot overflow, so they take no checks (sequences have a few, manifests' offsets
    /// and lengths up to 10).
    package static func integer(_ text: UnsafeRawBufferPointer) -> Int64? {
        let negative = text.first == UInt8(ascii: "-")
        let digits = UnsafeRawBufferPointer(rebasing: text[(negative ? 1 : 0)...])
        var value: Int64 = 0
        if digits.count <= 18 {
            for byte in digits {
                guard byte &- UInt8(ascii: "0") < 10 else { return nil }
                value = value &* 10 &+ Int64(byte &- UInt8(ascii: "0"))
            }
        } else {
            for byte in digits {
                guard byte &- UInt8(ascii: "0") < 10 else { return nil }
                let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(Int64(byte &- UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else { return nil }
                value = sum
            }
        }
        return negative ? -value : value
    }

    /// Steps into an object's next member, past the `,` before it when it is not the first, and
    /// returns true at its name; at the closing `}`, steps past it and returns false.
    @inline(__always)
    mutating func enterMember(first: Bool) throws(Malformed) -> Bool {
        let byte = try peek()
        if byte == UInt8(ascii: "}") {
            cursor += 1
            return false
        }
        if !first {
            guard byte == UInt8(ascii: ",") else { throw malformed("expected ',' or '}'") }
            cursor += 1
            _ = try peek()
        }
        return true
    }

    /// The next member's name, its colon taken (call after `{`); nil at the closing `}`.
    @inline(__always)
    mutating func nextMember(first: Bool) throws(Malformed) -> JSONString? {
        guard try enterMember(first: first) else { return nil }
        let name = try string()
        try expect(UInt8(ascii: ":"))
        return name
    }

    /// Walks an object: `{`, then `body` once per member with the scanner at the member's
    /// value (the body reads or skips it), up to the closing `}`.
    @inline(__always)
    package mutating func forEachMember(_ body: (inout JSONScanner, JSONString) throws(Malformed) -> Void) throws(Malformed) {
        try expect(UInt8(ascii: "{"))
        var first = true
        while let name = try nextMember(first: first) {
            first = false
            try body(&self, name)
        }
    }

    /// `forEachMember` for an object whose members' names are known: each name is taken whole
    /// where it can be (`Member.taken`) and read otherwise. The body starts at each value.
    @inline(__always)
    package mutating func forEachMember<Member: KnownMember>(of _: Member.Type,
                                                             _ body: (inout JSONScanner, Member) throws(Malformed) -> Void) throws(Malformed) {
        try expect(UInt8(ascii: "{"))
        var first = true
        while true {
            // Indented as JS indents it: the comma, line break and spaces before the name's
            // quote taken with one compare, instead of a byte at a time (each a constant).
            let laidOut = first ? take(Member.indentation, before: UInt8(ascii: "\""))
                : take(Member.separator, before: UInt8(ascii: "\""))
            if !laidOut, try !enterMember(first: first) { return }
            first = false
            let member: Member
            if let taken = Member.taken(&self) {
                member = taken
            } else {
                let name = try string()
                try expect(UInt8(ascii: ":"))
                member = Member(name)
            }
            skipWhitespace()
            try body(&self, member)
        }
    }

    /// Takes `literal` when the bytes at the cursor are exactly it (no whitespace skipped). One
    /// compare confirms a token whose layout the writer fixes (indentation, a member's name and
    /// colon), where reading it would wait on each byte to find the next.
    @inline(__always)
    package mutating func take(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard end - cursor >= count, memcmp(cursor, literal.utf8Start, count) == 0 else { return false }
        cursor += count
        return true
    }

    /// Takes `literal` when the bytes at the cursor are it and `next` follows (left untaken).
    @inline(__always)
    package mutating func take(_ literal: StaticString, before next: UInt8) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard end - cursor > count, cursor[count] == next, memcmp(cursor, literal.utf8Start, count) == 0 else { return false }
        cursor += count
        return true
    }

    /// Takes a string of exactly `length` bytes without escapes or control bytes (an SSB id, a
    /// signature) when the bytes at the cursor are one: its closing quote is checked where it
    /// must be instead of searched for, so what comes next does not wait on the search.
    @inline(__always)
    package mutating func plainString(length: Int) -> JSONString? {
        guard end - cursor >= length + 2, cursor[0] == UInt8(ascii: "\""), cursor[length + 1] == UInt8(ascii: "\""),
              flume_json_is_plain(cursor + 1, length) != 0 else { return nil }
        let raw = UnsafeRawBufferPointer(start: cursor + 1, count: length)
        cursor += length + 2
        return JSONString(raw: raw, escaped: false)
    }

    /// The byte `distance` past the cursor, or 0 past the end.
    @inline(__always)
    package func byte(at distance: Int) -> UInt8 { end - cursor > distance ? cursor[distance] : 0 }

    /// Skips one value of any kind, validating it.
    package mutating func skipValue() throws(Malformed) {
        var none: [JSONString] = []
        try skipValue(depth: 0, collecting: false, into: &none)
    }

    /// Skips one value, validating it; with `collecting`, every string met on the way is
    /// appended to `strings` (for link collection).
    mutating func skipValue(depth: Int, collecting: Bool, into strings: inout [JSONString]) throws(Malformed) {
        guard depth < Self.maximumDepth else { throw malformed("nested too deeply") }
        switch try peek() {
        case UInt8(ascii: "\""):
            let value = try string()
            if collecting { strings.append(value) }
        case UInt8(ascii: "{"):
            cursor += 1
            var first = true
            while try nextMember(first: first) != nil {
                first = false
                try skipValue(depth: depth + 1, collecting: collecting, into: &strings)
            }
        case UInt8(ascii: "["):
            cursor += 1
            if try peek() == UInt8(ascii: "]") {
                cursor += 1
                return
            }
            while true {
                try skipValue(depth: depth + 1, collecting: collecting, into: &strings)
                let byte = try peek()
                cursor += 1
                if byte == UInt8(ascii: "]") { return }
                guard byte == UInt8(ascii: ",") else { throw malformed("expected ',' or ']'") }
            }
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try number()
        }
    }

    private mutating func literal(_ word: StaticString) throws(Malformed) {
        guard take(word) else { throw malformed("bad literal") }
    }

    /// Requires that only whitespace remains.
    package mutating func finish() throws(Malformed) {
        skipWhitespace()
        guard cursor == end else { throw malformed("trailing characters") }
    }
}

/// A JSON string as it stands in the payload: raw bytes between the quotes, and whether they
/// hold escapes (then `value` decodes them).
package struct JSONString {
    package var raw: UnsafeRawBufferPointer
    package var escaped: Bool

    package init(raw: UnsafeRawBufferPointer, escaped: Bool) {
        self.raw = raw
        self.escaped = escaped
    }

    /// Compares with a plain ASCII name, decoding escapes only when there are any.
    @inline(__always)
    package func equals(_ name: StaticString) -> Bool {
        if escaped { return value == name.description }
        return raw.count == name.utf8CodeUnitCount && memcmp(raw.baseAddress ?? UnsafeRawPointer(name.utf8Start), name.utf8Start, raw.count) == 0
    }

    /// The string's value, escapes decoded (a lone surrogate becomes U+FFFD, as in Foundation):
    /// escaped strings are rare, so they go through FlumeJSON's one decoder.
    package var value: String {
        guard escaped else { return String(decoding: raw, as: UTF8.self) }
        let quoted = [UInt8(ascii: "\"")] + raw + [UInt8(ascii: "\"")]
        return (try? JSValue.parse(quoted))?.stringValue ?? String(decoding: raw, as: UTF8.self)
    }
}
