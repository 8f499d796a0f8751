import FlumeJSON

#if canImport(Glibc)
import Glibc
#endif

/// Reading: JSON tokens, checked to be written as `JSON.stringify` writes them.
extension DirectMessageReader.Pass {
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
}
