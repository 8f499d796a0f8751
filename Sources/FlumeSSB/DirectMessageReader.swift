import FlumeJSON

#if canImport(Glibc)
import Glibc
#endif

/// Reads a record's message straight from its bytes into the text its author signed
/// (`JSON.stringify(value without signature, null, 2)`), and the fields validation checks,
/// without building a `JSValue` tree: one pass that re-indents the record's JSON as it checks
/// it. It vouches only for text whose JS parse and stringify it can tell byte for byte (strings
/// with the escapes `JSON.stringify` writes and well-formed UTF-8, numbers written as JS
/// writes them, no repeated or integer-like member names, the envelope and value members in
/// the order ssb-validate allows); for anything else it declines and the caller takes the
/// `JSValue` path, which decides. Owns its buffers: one reader per thread, reused.
package struct DirectMessageReader: ~Copyable {
    /// The record is not one this reader vouches for; the `JSValue` path decides it.
    struct Declined: Error {}

    /// Where the fields lie, as byte ranges of the payload (string ranges include the quotes).
    struct Fields {
        var key: Range<Int> = 0..<0
        var author: Range<Int> = 0..<0
        /// Nil for `"previous": null`.
        var previous: Range<Int>?
        var sequence = 0
        var signature: Range<Int> = 0..<0
        /// The boxed text of a private message; nil when the content is an object.
        var box: Range<Int>?
        /// Bytes of `signedText` written.
        var signedCount = 0
        /// Whether the signed text is ASCII, so latin1 and UTF-8 agree.
        var isASCII = true
    }

    /// A valid message's signed text is at most 8192 UTF-16 units, 3 UTF-8 bytes each.
    static let capacity = 3 * SSBValidator.maximumMessageLength + 1024
    /// Member names of open objects, for the repeated-name check.
    static let nameCapacity = 1024
    static let maximumDepth = 64

    /// The signed text of the last message read.
    let signedText: UnsafeMutablePointer<UInt8>
    /// Its latin1 text, once `latin1Text(of:in:)` has written it.
    let latin1Text: UnsafeMutablePointer<UInt8>
    private let names: UnsafeMutablePointer<Range<Int>>
    private var numberText: [UInt8] = []

    package init() {
        signedText = .allocate(capacity: Self.capacity)
        latin1Text = .allocate(capacity: Self.capacity)
        names = .allocate(capacity: Self.nameCapacity)
    }

    deinit {
        signedText.deallocate()
        latin1Text.deallocate()
        names.deallocate()
    }

    /// The fields of `payload`'s message, its signed text written to `signedText`.
    mutating func read(_ payload: UnsafeRawBufferPointer) throws(Declined) -> Fields {
        guard let base = payload.baseAddress?.assumingMemoryBound(to: UInt8.self) else { throw Declined() }
        var pass = Pass(base: base, end: base + payload.count, out: signedText, outEnd: signedText + Self.capacity,
                        names: names, nameCapacity: Self.nameCapacity)
        defer { swap(&numberText, &pass.numberText) }
        swap(&numberText, &pass.numberText)
        return try pass.message()
    }
}

extension DirectMessageReader {
    /// Writes what the message key hashes to `latin1Text`: the signed text with the signature
    /// as its last member, each UTF-16 code unit as its low byte (Node's `'binary'`), and
    /// returns its length; nil when it would not fit (the message is too long anyway).
    func latin1Text(of fields: Fields, in payload: UnsafeRawBufferPointer) -> Int? {
        let signature = payload.baseAddress!.assumingMemoryBound(to: UInt8.self) + fields.signature.lowerBound
        let prefixCount = fields.signedCount - 2 // the signed text without "\n}"
        let suffix: StaticString = ",\n  \"signature\": "
        guard prefixCount + suffix.utf8CodeUnitCount + fields.signature.count + 2 <= Self.capacity else { return nil }
        var out = latin1Text
        if fields.isASCII {
            out.update(from: signedText, count: prefixCount)
            out += prefixCount
        } else {
            // Well-formed UTF-8 (the reader checked every string) to UTF-16 units' low bytes.
            var index = 0
            while index < prefixCount {
                let lead = signedText[index]
                switch lead {
                case ..<0x80:
                    out.pointee = lead
                    index += 1
                case ..<0xE0:
                    out.pointee = lead << 6 | signedText[index + 1] & 0x3F
                    index += 2
                case ..<0xF0:
                    out.pointee = signedText[index + 1] << 6 | signedText[index + 2] & 0x3F
                    index += 3
                default:
                    let scalar = (UInt32(lead & 0x07) << 18 | UInt32(signedText[index + 1] & 0x3F) << 12
                        | UInt32(signedText[index + 2] & 0x3F) << 6 | UInt32(signedText[index + 3] & 0x3F)) - 0x10000
                    out.pointee = UInt8(truncatingIfNeeded: 0xD800 + (scalar >> 10))
                    out += 1
                    out.pointee = UInt8(truncatingIfNeeded: 0xDC00 + (scalar & 0x3FF))
                    index += 4
                }
                out += 1
            }
        }
        out.update(from: suffix.utf8Start, count: suffix.utf8CodeUnitCount)
        out += suffix.utf8CodeUnitCount
        out.update(from: signature, count: fields.signature.count)
        out += fields.signature.count
        out.pointee = 0x0A
        out[1] = UInt8(ascii: "}")
        return out + 2 - latin1Text
    }

    /// The value's member names in the two orders ssb-validate allows.
    private static let memberOrders: [[StaticString]] = [
        ["\"previous\"", "\"author\"", "\"sequence\"", "\"timestamp\"", "\"hash\"", "\"content\"", "\"signature\""],
        ["\"previous\"", "\"sequence\"", "\"author\"", "\"timestamp\"", "\"hash\"", "\"content\"", "\"signature\""],
    ]

    /// One read: a cursor over the payload and one over the signed text.
    private struct Pass {
        let base: UnsafePointer<UInt8>
        var p: UnsafePointer<UInt8>
        let end: UnsafePointer<UInt8>
        var out: UnsafeMutablePointer<UInt8>
        let outStart: UnsafeMutablePointer<UInt8>
        let outEnd: UnsafeMutablePointer<UInt8>
        let names: UnsafeMutablePointer<Range<Int>>
        let nameCapacity: Int
        var nameCount = 0
        var isASCII = true
        var numberText: [UInt8] = []

        init(base: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>, out: UnsafeMutablePointer<UInt8>,
             outEnd: UnsafeMutablePointer<UInt8>, names: UnsafeMutablePointer<Range<Int>>, nameCapacity: Int) {
            self.base = base
            p = base
            self.end = end
            self.out = out
            outStart = out
            self.outEnd = outEnd
            self.names = names
            self.nameCapacity = nameCapacity
        }

        mutating func message() throws(Declined) -> Fields {
            var fields = Fields()
            try take(UInt8(ascii: "{"))
            try takeName("\"key\"")
            fields.key = try plainString()
            try take(UInt8(ascii: ","))
            try takeName("\"value\"")
            try take(UInt8(ascii: "{"))
            try write(UInt8(ascii: "{"))
            var order = DirectMessageReader.memberOrders[0]
            for index in 0..<7 {
                if index > 0 { try take(UInt8(ascii: ",")) }
                skipSpace()
                if index == 1, matches("\"sequence\"") { order = DirectMessageReader.memberOrders[1] }
                let name = order[index]
                try takeName(name)
                if index == 6 {
                    fields.signature = try plainString()
                    break
                }
                if index > 0 { try write(UInt8(ascii: ",")) }
                try newline(depth: 1)
                try write(name.utf8Start, count: name.utf8CodeUnitCount)
                try write(UInt8(ascii: ":"))
                try write(UInt8(ascii: " "))
                skipSpace()
                switch index {
                case 0:
                    if p < end, p.pointee == UInt8(ascii: "n") {
                        try literal("null")
                    } else {
                        fields.previous = try plainString()
                        try copy(fields.previous!)
                    }
                case 1, 2:
                    if name.utf8CodeUnitCount == "\"author\"".utf8.count {
                        fields.author = try plainString()
                        try copy(fields.author)
                    } else {
                        let digits = try number()
                        fields.sequence = try integer(digits)
                        try copy(digits)
                    }
                case 3:
                    try copy(try number())
                case 4:
                    let hash = try plainString()
                    guard equals(hash, "\"sha256\"") else { throw Declined() }
                    try copy(hash)
                default:
                    if p < end, p.pointee == UInt8(ascii: "\"") {
                        fields.box = try plainString()
                        try copy(fields.box!)
                    } else {
                        guard p < end, p.pointee == UInt8(ascii: "{"),
                              let type = try object(depth: 1, findingType: true),
                              (3 + 2...52 + 2).contains(type.count) else { throw Declined() }
                    }
                }
            }
            try take(UInt8(ascii: "}"))
            try newline(depth: 0)
            try write(UInt8(ascii: "}"))
            // The receive timestamp: any JSON number, not part of the signed text.
            try take(UInt8(ascii: ","))
            try takeName("\"timestamp\"")
            skipSpace()
            _ = try number(canonical: false)
            try take(UInt8(ascii: "}"))
            skipSpace()
            guard p == end else { throw Declined() }
            fields.signedCount = out - outStart
            fields.isASCII = isASCII
            return fields
        }

        // MARK: Reading

        @inline(__always)
        mutating func skipSpace() {
            while p < end, p.pointee == 0x20 || p.pointee == 0x0A || p.pointee == 0x0D || p.pointee == 0x09 { p += 1 }
        }

        @inline(__always)
        mutating func take(_ byte: UInt8) throws(Declined) {
            skipSpace()
            guard p < end, p.pointee == byte else { throw Declined() }
            p += 1
        }

        func matches(_ text: StaticString) -> Bool {
            end - p >= text.utf8CodeUnitCount && memcmp(p, text.utf8Start, text.utf8CodeUnitCount) == 0
        }

        func equals(_ range: Range<Int>, _ text: StaticString) -> Bool {
            range.count == text.utf8CodeUnitCount && memcmp(base + range.lowerBound, text.utf8Start, range.count) == 0
        }

        /// A member name given with its quotes, then its colon.
        mutating func takeName(_ name: StaticString) throws(Declined) {
            skipSpace()
            guard matches(name) else { throw Declined() }
            p += name.utf8CodeUnitCount
            try take(UInt8(ascii: ":"))
        }

        mutating func literal(_ word: StaticString) throws(Declined) {
            guard matches(word) else { throw Declined() }
            p += word.utf8CodeUnitCount
            try write(word.utf8Start, count: word.utf8CodeUnitCount)
        }

        /// A string of printable ASCII without escapes (ids, signatures, hashes, types).
        mutating func plainString() throws(Declined) -> Range<Int> {
            skipSpace()
            guard p < end, p.pointee == UInt8(ascii: "\"") else { throw Declined() }
            let start = p
            p += 1
            while p < end, p.pointee != UInt8(ascii: "\"") {
                guard p.pointee >= 0x20, p.pointee < 0x80, p.pointee != UInt8(ascii: "\\") else { throw Declined() }
                p += 1
            }
            guard p < end else { throw Declined() }
            p += 1
            return (start - base)..<(p - base)
        }

        /// A string as `JSON.stringify` writes it: escapes only `\" \\ \b \f \n \r \t` and other
        /// controls as lowercase `\u00xx`; everything else as itself, in well-formed UTF-8.
        mutating func string() throws(Declined) -> Range<Int> {
            let start = p
            p += 1
            while p < end {
                let byte = p.pointee
                if byte == UInt8(ascii: "\"") {
                    p += 1
                    return (start - base)..<(p - base)
                }
                if byte == UInt8(ascii: "\\") {
                    try escape()
                } else if byte < 0x20 {
                    throw Declined()
                } else if byte < 0x80 {
                    p += 1
                } else {
                    isASCII = false
                    try scalar()
                }
            }
            throw Declined()
        }

        mutating func escape() throws(Declined) {
            guard end - p >= 2 else { throw Declined() }
            switch p[1] {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                 UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                p += 2
            case UInt8(ascii: "u"):
                // Only controls without a short escape; lone surrogates go the JSValue way.
                guard end - p >= 6, p[2] == UInt8(ascii: "0"), p[3] == UInt8(ascii: "0"),
                      p[4] == UInt8(ascii: "0") || p[4] == UInt8(ascii: "1"),
                      let low = Hex.value(p[5]), p[5] < UInt8(ascii: "A") || p[5] > UInt8(ascii: "F") else { throw Declined() }
                let unit = (p[4] - UInt8(ascii: "0")) << 4 | low
                guard ![0x08, 0x09, 0x0A, 0x0C, 0x0D].contains(unit) else { throw Declined() }
                p += 6
            default:
                throw Declined()
            }
        }

        /// One well-formed UTF-8 sequence of two to four bytes (no overlongs, no surrogates).
        mutating func scalar() throws(Declined) {
            let lead = p.pointee
            let count: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: count = 2
            case 0xE0: count = 3; low = 0xA0
            case 0xED: count = 3; high = 0x9F
            case 0xE1...0xEF: count = 3
            case 0xF0: count = 4; low = 0x90
            case 0xF4: count = 4; high = 0x8F
            case 0xF1...0xF3: count = 4
            default: throw Declined()
            }
            guard end - p >= count, p[1] >= low, p[1] <= high else { throw Declined() }
            for index in 2..<count where p[index] & 0xC0 != 0x80 { throw Declined() }
            p += count
        }

        /// A number, checked to be written as JS writes it unless `canonical` is false.
        mutating func number(canonical: Bool = true) throws(Declined) -> Range<Int> {
            let start = p
            if p < end, p.pointee == UInt8(ascii: "-") { p += 1 }
            guard p < end, isDigit(p.pointee) else { throw Declined() }
            let leadingZero = p.pointee == UInt8(ascii: "0")
            p += 1
            if !leadingZero { while p < end, isDigit(p.pointee) { p += 1 } }
            var integral = true
            if p < end, p.pointee == UInt8(ascii: ".") {
                integral = false
                p += 1
                guard p < end, isDigit(p.pointee) else { throw Declined() }
                while p < end, isDigit(p.pointee) { p += 1 }
            }
            if p < end, p.pointee | 0x20 == UInt8(ascii: "e") {
                integral = false
                p += 1
                if p < end, p.pointee == UInt8(ascii: "+") || p.pointee == UInt8(ascii: "-") { p += 1 }
                guard p < end, isDigit(p.pointee) else { throw Declined() }
                while p < end, isDigit(p.pointee) { p += 1 }
            }
            let range = (start - base)..<(p - base)
            guard canonical else { return range }
            let negative = start.pointee == UInt8(ascii: "-")
            if integral {
                // Up to 15 digits print as they are; "-0" prints as "0".
                guard range.count - (negative ? 1 : 0) <= 15, !(negative && leadingZero) else { throw Declined() }
                return range
            }
            guard range.count <= 40,
                  let value = Double(String(decoding: UnsafeBufferPointer(start: start, count: range.count), as: UTF8.self)) else {
                throw Declined()
            }
            numberText.removeAll(keepingCapacity: true)
            JSNumberFormat.append(value, to: &numberText)
            guard numberText.count == range.count, memcmp(numberText, start, range.count) == 0 else { throw Declined() }
            return range
        }

        @inline(__always)
        func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

        /// A canonical integer's value (the sequence): at least 1.
        func integer(_ range: Range<Int>) throws(Declined) -> Int {
            var value = 0
            for index in range {
                let digit = base[index] &- UInt8(ascii: "0")
                guard digit < 10 else { throw Declined() }
                value = value * 10 + Int(digit)
            }
            guard value >= 1 else { throw Declined() }
            return value
        }

        /// Any value, re-indented at `depth`.
        mutating func value(depth: Int) throws(Declined) {
            skipSpace()
            guard p < end else { throw Declined() }
            switch p.pointee {
            case UInt8(ascii: "{"): _ = try object(depth: depth, findingType: false)
            case UInt8(ascii: "["): try array(depth: depth)
            case UInt8(ascii: "\""): try copy(try string())
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default: try copy(try number())
            }
        }

        /// An object re-indented at `depth`; with `findingType`, the range of its `type` member
        /// when that is a plain string.
        mutating func object(depth: Int, findingType: Bool) throws(Declined) -> Range<Int>? {
            guard depth < DirectMessageReader.maximumDepth else { throw Declined() }
            p += 1
            skipSpace()
            if p < end, p.pointee == UInt8(ascii: "}") {
                p += 1
                try write(UInt8(ascii: "{"))
                try write(UInt8(ascii: "}"))
                return nil
            }
            try write(UInt8(ascii: "{"))
            let firstName = nameCount
            defer { nameCount = firstName }
            var type: Range<Int>?
            while true {
                try newline(depth: depth + 1)
                skipSpace()
                guard p < end, p.pointee == UInt8(ascii: "\"") else { throw Declined() }
                let name = try string()
                try checkName(name, from: firstName)
                try copy(name)
                try take(UInt8(ascii: ":"))
                try write(UInt8(ascii: ":"))
                try write(UInt8(ascii: " "))
                if findingType, equals(name, "\"type\"") {
                    skipSpace()
                    if p < end, p.pointee == UInt8(ascii: "\"") {
                        let mark = p
                        type = try? plainString()
                        p = mark
                    }
                }
                try value(depth: depth + 1)
                skipSpace()
                guard p < end else { throw Declined() }
                if p.pointee == UInt8(ascii: ",") {
                    p += 1
                    try write(UInt8(ascii: ","))
                    continue
                }
                guard p.pointee == UInt8(ascii: "}") else { throw Declined() }
                p += 1
                try newline(depth: depth)
                try write(UInt8(ascii: "}"))
                return type
            }
        }

        /// Declines names JS would reorder (array indexes) or merge (repeats); records the name.
        mutating func checkName(_ name: Range<Int>, from firstName: Int) throws(Declined) {
            if name.count > 2, isDigit(base[name.lowerBound + 1]) { throw Declined() }
            for index in firstName..<nameCount {
                let other = names[index]
                if other.count == name.count, memcmp(base + other.lowerBound, base + name.lowerBound, name.count) == 0 {
                    throw Declined()
                }
            }
            guard nameCount < nameCapacity else { throw Declined() }
            names[nameCount] = name
            nameCount += 1
        }

        mutating func array(depth: Int) throws(Declined) {
            guard depth < DirectMessageReader.maximumDepth else { throw Declined() }
            p += 1
            skipSpace()
            if p < end, p.pointee == UInt8(ascii: "]") {
                p += 1
                try write(UInt8(ascii: "["))
                try write(UInt8(ascii: "]"))
                return
            }
            try write(UInt8(ascii: "["))
            while true {
                try newline(depth: depth + 1)
                try value(depth: depth + 1)
                skipSpace()
                guard p < end else { throw Declined() }
                if p.pointee == UInt8(ascii: ",") {
                    p += 1
                    try write(UInt8(ascii: ","))
                    continue
                }
                guard p.pointee == UInt8(ascii: "]") else { throw Declined() }
                p += 1
                try newline(depth: depth)
                try write(UInt8(ascii: "]"))
                return
            }
        }

        // MARK: Writing

        @inline(__always)
        mutating func write(_ byte: UInt8) throws(Declined) {
            guard out < outEnd else { throw Declined() }
            out.pointee = byte
            out += 1
        }

        @inline(__always)
        mutating func write(_ bytes: UnsafePointer<UInt8>, count: Int) throws(Declined) {
            guard outEnd - out >= count else { throw Declined() }
            out.update(from: bytes, count: count)
            out += count
        }

        mutating func copy(_ range: Range<Int>) throws(Declined) {
            try write(base + range.lowerBound, count: range.count)
        }

        mutating func newline(depth: Int) throws(Declined) {
            guard outEnd - out > 2 * depth else { throw Declined() }
            out.pointee = 0x0A
            (out + 1).update(repeating: 0x20, count: 2 * depth)
            out += 1 + 2 * depth
        }
    }
}
