/// JavaScript's Number-to-String (ECMA-262 Number::toString), which `JSON.stringify` uses:
/// the shortest digits that round-trip, placed by the spec's rules (`1e21`, `1.5e-7`,
/// `0.000001`, `123`), `-0` as `0`, and `null` for NaN and infinities.
public enum JSNumberFormat {
    public static func string(_ value: Double) -> String {
        var out: [UInt8] = []
        append(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public static func append(_ value: Double, to out: inout [UInt8]) {
        guard value.isFinite else { out += "null".utf8; return }
        if value == 0 { out.append(UInt8(ascii: "0")); return }
        // Integers below 2^53 print exactly, without going through the digit search.
        if value == value.rounded(.towardZero), abs(value) < 9_007_199_254_740_992 {
            out += String(Int64(value)).utf8
            return
        }
        if value < 0 { out.append(UInt8(ascii: "-")) }
        let (digits, exponent) = shortestDigits(abs(value))
        let k = digits.count
        let n = exponent
        if k <= n && n <= 21 {
            out += digits
            out += repeatElement(UInt8(ascii: "0"), count: n - k)
        } else if 0 < n && n <= 21 {
            out += digits[0..<n]
            out.append(UInt8(ascii: "."))
            out += digits[n...]
        } else if -6 < n && n <= 0 {
            out += "0.".utf8
            out += repeatElement(UInt8(ascii: "0"), count: -n)
            out += digits
        } else {
            out.append(digits[0])
            if k > 1 {
                out.append(UInt8(ascii: "."))
                out += digits[1...]
            }
            out.append(UInt8(ascii: "e"))
            out.append(n - 1 >= 0 ? UInt8(ascii: "+") : UInt8(ascii: "-"))
            out += String(abs(n - 1)).utf8
        }
    }

    /// The shortest round-tripping decimal digits of a positive finite value and the exponent
    /// `n` with value = 0.d1d2...dk x 10^n. Swift's `description` already finds the shortest
    /// round-tripping digits (closest to the value on ties, as the spec asks); only its layout
    /// differs from JS, so the digits are taken from it.
    static func shortestDigits(_ value: Double) -> (digits: [UInt8], exponent: Int) {
        let text = Array(value.description.utf8)
        var mantissa = text[...]
        var exponent = 0
        if let e = text.firstIndex(of: UInt8(ascii: "e")) {
            mantissa = text[..<e]
            exponent = Int(String(decoding: text[(e + 1)...], as: UTF8.self))!
        }
        var digits: [UInt8] = []
        var pointPosition = mantissa.count
        for byte in mantissa {
            if byte == UInt8(ascii: ".") { pointPosition = digits.count } else { digits.append(byte) }
        }
        var n = pointPosition + exponent
        while digits.first == UInt8(ascii: "0") {
            digits.removeFirst()
            n -= 1
        }
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        return (digits, n)
    }
}
