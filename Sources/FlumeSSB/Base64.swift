/// Standard base64 (RFC 4648, `+/`, `=` padding) as SSB writes ids, signatures and boxes: the
/// one alphabet of the package, its decoding table, and strict encode and decode.
public enum Base64 {
    /// The 64 digits in value order.
    public static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static func isDigit(_ byte: UInt8) -> Bool { value(byte) != nil }

    @inline(__always)
    public static func value(_ byte: UInt8) -> UInt8? {
        let digit = table[Int(byte)]
        return digit == 0xFF ? nil : digit
    }

    /// Digit values by byte, 0xFF for non-digits; a fixed allocation read without bounds checks.
    nonisolated(unsafe) package static let table: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        table.initialize(repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return UnsafePointer(table)
    }()

    /// The padded base64 text of `bytes`.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount / 3 * 4 + 4)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next(), third = iterator.next()
            let n = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(second == nil ? UInt8(ascii: "=") : alphabet[Int(n >> 6 & 63)])
            out.append(third == nil ? UInt8(ascii: "=") : alphabet[Int(n & 63)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of padded base64 `text`; nil unless its length is a multiple of 4, every
    /// character is a digit, and `=` stands only as the last one or two. Bits past the last
    /// byte are ignored, as Foundation and JS ignore them.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 4 == 0 else { return nil }
        let padding = digits.reversed().prefix { $0 == UInt8(ascii: "=") }.count
        guard padding <= 2, padding < digits.count || digits.isEmpty else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 4 * 3)
        var group: UInt32 = 0
        for (index, byte) in digits.enumerated() {
            let digit: UInt8
            if index >= digits.count - padding {
                digit = 0
            } else {
                guard let value = value(byte) else { return nil }
                digit = value
            }
            group = group << 6 | UInt32(digit)
            if index % 4 == 3 {
                out.append(UInt8(truncatingIfNeeded: group >> 16))
                out.append(UInt8(truncatingIfNeeded: group >> 8))
                out.append(UInt8(truncatingIfNeeded: group))
                group = 0
            }
        }
        out.removeLast(padding)
        return out
    }
}
