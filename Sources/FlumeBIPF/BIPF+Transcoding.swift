import FlumeJSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension BIPF {
    /// Why a JSON text could not be written as BIPF: it is not JSON, or it holds a value BIPF
    /// cannot (the underlying `JSONParseError` or `BIPFError`).
    public enum TranscodingError: Error, Sendable, CustomStringConvertible {
        case notJSON(JSONParseError)
        case unencodable(BIPFError)

        public var description: String {
            switch self {
            case .notJSON(let error): "not JSON: \(error)"
            case .unencodable(let error): "cannot be BIPF: \(error)"
            }
        }
    }

    /// Appends `bipf.allocAndEncode(JSON.parse(text))` for the JSON text `json`: what ssb-db2's
    /// migration writes for a `log.offset` record. Common texts are transcoded in one pass
    /// without building a value; a text the one pass does not take (integer-like or repeated
    /// keys, a lone surrogate, invalid UTF-8, deep nesting, anything that is not JSON) goes
    /// through `JSValue.parse` and `write`, so the bytes are always those of that exact path.
    public static func write(json: UnsafeRawBufferPointer, to out: inout [UInt8]) throws(TranscodingError) {
        let start = out.count
        var transcoder = Transcoder(bytes: json.bindMemory(to: UInt8.self))
        if transcoder.transcode(into: &out) { return }
        out.removeSubrange(start...)
        let value: JSValue
        do { value = try JSValue.parse(json) } catch { throw .notJSON(error) }
        do { try write(value, to: &out) } catch { throw .unencodable(error) }
    }

    /// The one pass: JSON bytes to BIPF bytes. Returns false, at the first thing it does not
    /// handle, for the exact path to take the text.
    private struct Transcoder {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0
        /// Where the keys of the objects being written lie in the output, for repeats.
        var keys: [(start: Int, count: Int)] = []

        /// Containers deeper than this, and objects with more keys, go the exact way.
        static let maximumDepth = 64
        static let maximumKeys = 32

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func transcode(into out: inout [UInt8]) -> Bool {
            skipWhitespace()
            guard value(into: &out, depth: 0) else { return false }
            skipWhitespace()
            return position == bytes.count
        }

        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        mutating func value(into out: inout [UInt8], depth: Int) -> Bool {
            guard position < bytes.count, depth < Self.maximumDepth else { return false }
            switch bytes[position] {
            case UInt8(ascii: "{"): return object(into: &out, depth: depth)
            case UInt8(ascii: "["): return array(into: &out, depth: depth)
            case UInt8(ascii: "\""): return string(into: &out, isKey: false)
            case UInt8(ascii: "t"):
                guard literal("true") else { return false }
                out.append(1 << 3 | ValueType.boolNull.rawValue)
                out.append(1)
            case UInt8(ascii: "f"):
                guard literal("false") else { return false }
                out.append(1 << 3 | ValueType.boolNull.rawValue)
                out.append(0)
            case UInt8(ascii: "n"):
                guard literal("null") else { return false }
                out.append(ValueType.boolNull.rawValue)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return number(into: &out)
            default:
                return false
            }
            return true
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard position + count <= bytes.count, memcmp(bytes.baseAddress! + position, word.utf8Start, count) == 0 else { return false }
            position += count
            return true
        }

        /// Reserves room for a container's tag, before its content is written.
        func openContainer(_ out: inout [UInt8]) -> Int {
            out.append(contentsOf: repeatElement(0, count: 5))
            return out.count
        }

        /// Writes the tag in front of the content written since `contentStart`, moving the
        /// content back over the room the tag did not need.
        func closeContainer(_ out: inout [UInt8], contentStart: Int, type: ValueType) -> Bool {
            let length = out.count - contentStart
            guard length < 1 << 28 else { return false }
            let tag = length << 3 | Int(type.rawValue)
            let tagSize = BIPF.varintLength(tag)
            let tagStart = contentStart - 5
            out.withUnsafeMutableBufferPointer { buffer in
                let base = buffer.baseAddress!
                if tagSize < 5 { memmove(base + tagStart + tagSize, base + contentStart, length) }
                var rest = UInt64(tag), at = tagStart
                while rest >= 0x80 {
                    base[at] = UInt8(truncatingIfNeeded: rest) | 0x80
                    rest >>= 7
                    at += 1
                }
                base[at] = UInt8(rest)
            }
            out.removeLast(5 - tagSize)
            return true
        }

        mutating func object(into out: inout [UInt8], depth: Int) -> Bool {
            position += 1
            let contentStart = openContainer(&out)
            let firstKey = keys.count
            defer { keys.removeSubrange(firstKey...) }
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
                return closeContainer(&out, contentStart: contentStart, type: .object)
            }
            while true {
                skipWhitespace()
                // JS puts integer-like keys first: any key starting with a digit goes the exact way.
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\""),
                      !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position + 1]),
                      keys.count - firstKey < Self.maximumKeys else { return false }
                let keyStart = out.count
                guard string(into: &out, isKey: true) else { return false }
                let key = (start: keyStart, count: out.count - keyStart)
                // A repeated key keeps its first place and takes the last value: the exact way.
                let repeated = out.withUnsafeBufferPointer { buffer in
                    keys[firstKey...].contains { $0.count == key.count && memcmp(buffer.baseAddress! + $0.start, buffer.baseAddress! + key.start, key.count) == 0 }
                }
                guard !repeated else { return false }
                keys.append(key)
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return false }
                position += 1
                skipWhitespace()
                guard value(into: &out, depth: depth + 1) else { return false }
                skipWhitespace()
                guard position < bytes.count else { return false }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                guard bytes[position] == UInt8(ascii: "}") else { return false }
                position += 1
                return closeContainer(&out, contentStart: contentStart, type: .object)
            }
        }

        mutating func array(into out: inout [UInt8], depth: Int) -> Bool {
            position += 1
            let contentStart = openContainer(&out)
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
                return closeContainer(&out, contentStart: contentStart, type: .array)
            }
            while true {
                skipWhitespace()
                guard value(into: &out, depth: depth + 1) else { return false }
                skipWhitespace()
                guard position < bytes.count else { return false }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                guard bytes[position] == UInt8(ascii: "]") else { return false }
                position += 1
                return closeContainer(&out, contentStart: contentStart, type: .array)
            }
        }

        /// A number as `JSON.parse` reads it, written as BIPF writes a JS number: INT when an
        /// integer within ±2147483647 (-0 included), DOUBLE otherwise.
        mutating func number(into out: inout [UInt8]) -> Bool {
            let start = position
            var negative = false
            if bytes[position] == UInt8(ascii: "-") { negative = true; position += 1 }
            guard position < bytes.count, isDigit(bytes[position]) else { return false }
            var integer: Int64 = 0, digits = 0
            if bytes[position] == UInt8(ascii: "0") {
                position += 1
                digits = 1
            } else {
                while position < bytes.count, isDigit(bytes[position]) {
                    if digits < 18 { integer = integer * 10 + Int64(bytes[position] - UInt8(ascii: "0")) }
                    digits += 1
                    position += 1
                }
            }
            var isInteger = true
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                isInteger = false
                position += 1
                guard position < bytes.count, isDigit(bytes[position]) else { return false }
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
            if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
                isInteger = false
                position += 1
                if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
                guard position < bytes.count, isDigit(bytes[position]) else { return false }
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
            let value: Double
            if isInteger, digits <= 15 {
                value = negative ? -Double(integer) : Double(integer)  // exact: fewer than 2^53
            } else {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                guard let parsed = Double(text) else { return false }
                value = parsed
            }
            if let small = BIPF.int32(value) {
                out.append(4 << 3 | ValueType.int.rawValue)
                withUnsafeBytes(of: small.littleEndian) { out.append(contentsOf: $0) }
            } else {
                guard value.isFinite else { return false }
                out.append(8 << 3 | ValueType.double.rawValue)
                withUnsafeBytes(of: value.bitPattern.littleEndian) { out.append(contentsOf: $0) }
            }
            return true
        }

        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        /// A string literal as a BIPF STRING of its UTF-8; `position` is at its opening quote.
        mutating func string(into out: inout [UInt8], isKey: Bool) -> Bool {
            position += 1
            let start = position
            // The common case: no escapes, so the bytes (valid UTF-8) are the text.
            while position < bytes.count {
                position = plainRunEnd(from: position)
                guard position < bytes.count else { break }
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    let run = UnsafeBufferPointer(rebasing: bytes[start..<position])
                    BIPF.appendVarint(run.count << 3 | Int(ValueType.string.rawValue), to: &out)
                    out.append(contentsOf: run)
                    position += 1
                    return true
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 { return false }
                if byte < 0x80 { position += 1; continue }
                guard skipUTF8Sequence() else { return false }
            }
            guard position < bytes.count else { return false }
            // Escapes: the text is built after reserved room for the tag.
            let contentStart = openContainer(&out)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
            while position < bytes.count {
                let byte = bytes[position]
                switch byte {
                case UInt8(ascii: "\""):
                    position += 1
                    return closeContainer(&out, contentStart: contentStart, type: .string)
                case UInt8(ascii: "\\"):
                    guard escape(into: &out) else { return false }
                case 0..<0x20:
                    return false
                case 0..<0x80:
                    out.append(byte)
                    position += 1
                default:
                    let sequenceStart = position
                    guard skipUTF8Sequence() else { return false }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[sequenceStart..<position]))
                }
            }
            return false
        }

        /// Where the run of plain ASCII from `start` ends: the first quote, backslash, control
        /// or non-ASCII byte (or the end), eight bytes at a time.
        @inline(__always)
        func plainRunEnd(from start: Int) -> Int {
            let base = UnsafeRawPointer(bytes.baseAddress!)
            var at = start
            while at + 8 <= bytes.count {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt64.self))  // byte 0 lowest
                let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
                let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C)
                // High bit of a byte: below 0x20, a quote, a backslash, or non-ASCII. A borrow can
                // flag a byte above a flagged one, never below it: the lowest flag is real.
                let special = ((word &- ones &* 0x20) | (quote &- ones) | (backslash &- ones) | word) & highs
                if special != 0 { return at + special.trailingZeroBitCount >> 3 }
                at += 8
            }
            while at < bytes.count {
                let byte = bytes[at]
                if byte == 0x22 || byte == 0x5C || byte < 0x20 || byte >= 0x80 { return at }
                at += 1
            }
            return at
        }

        /// One escape, `position` at its backslash; a lone surrogate is left to the exact way.
        mutating func escape(into out: inout [UInt8]) -> Bool {
            guard position + 1 < bytes.count else { return false }
            let letter = bytes[position + 1]
            position += 2
            if let byte = JSValue.unescaped(letter) {
                out.append(byte)
                return true
            }
            switch letter {
            case UInt8(ascii: "u"):
                guard var scalar = hex4() else { return false }
                if (0xD800..<0xDC00).contains(scalar) {
                    guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else { return false }
                    position += 2
                    guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return false }
                    scalar = 0x10000 + (scalar - 0xD800) << 10 + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    return false
                }
                appendUTF8(scalar, to: &out)
            default:
                return false
            }
            return true
        }

        mutating func hex4() -> UInt32? {
            guard position + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let digit = Hex.value(bytes[position]) else { return nil }
                value = value << 4 | UInt32(digit)
                position += 1
            }
            return value
        }

        func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
            switch scalar {
            case ..<0x80:
                out.append(UInt8(scalar))
            case ..<0x800:
                out.append(UInt8(0xC0 | scalar >> 6))
                out.append(UInt8(0x80 | scalar & 0x3F))
            case ..<0x10000:
                out.append(UInt8(0xE0 | scalar >> 12))
                out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
                out.append(UInt8(0x80 | scalar & 0x3F))
            default:
                out.append(UInt8(0xF0 | scalar >> 18))
                out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
                out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
                out.append(UInt8(0x80 | scalar & 0x3F))
            }
        }

        /// Steps over one well-formed UTF-8 sequence of two to four bytes (no overlong forms,
        /// no surrogates, nothing past U+10FFFF); false for anything else, which Node would
        /// replace with U+FFFD: the exact way does that.
        mutating func skipUTF8Sequence() -> Bool {
            let lead = bytes[position]
            let count: Int, low: UInt8, high: UInt8
            switch lead {
            case 0xC2...0xDF: count = 2; low = 0x80; high = 0xBF
            case 0xE0: count = 3; low = 0xA0; high = 0xBF
            case 0xE1...0xEC, 0xEE...0xEF: count = 3; low = 0x80; high = 0xBF
            case 0xED: count = 3; low = 0x80; high = 0x9F
            case 0xF0: count = 4; low = 0x90; high = 0xBF
            case 0xF1...0xF3: count = 4; low = 0x80; high = 0xBF
            case 0xF4: count = 4; low = 0x80; high = 0x8F
            default: return false
            }
            guard position + count <= bytes.count, (low...high).contains(bytes[position + 1]) else { return false }
            for index in 2..<count where !(0x80...0xBF).contains(bytes[position + index]) { return false }
            position += count
            return true
        }
    }
}
