/// Standard base64 digits, and 32-byte SSB identifiers (`%…=.sha256`, `@…=.ed25519`) packed
/// into a fixed-size value so the views can key on them without allocating.
enum Base64 {
    static func isDigit(_ byte: UInt8) -> Bool { value(byte) != nil }

    @inline(__always)
    static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}

/// The 32 bytes of an SSB identifier, with its sigil and suffix implied by where it is used.
struct Digest32: Hashable {
    var words: (UInt64, UInt64, UInt64, UInt64)

    static func == (a: Digest32, b: Digest32) -> Bool {
        a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    /// Decodes `sigil` + 43 base64 digits + `=` + `suffix` (the canonical form, 44 digits with
    /// one pad for 32 bytes); nil for anything else, which callers keep as a string instead.
    init?(_ text: JSONString, sigil: UInt8, suffix: StaticString) {
        let raw = text.raw
        guard !text.escaped, raw.count == 45 + suffix.utf8CodeUnitCount, raw[0] == sigil, raw[44] == UInt8(ascii: "="),
              memcmp(raw.baseAddress! + 45, suffix.utf8Start, suffix.utf8CodeUnitCount) == 0 else { return nil }
        var bytes = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        var ok = true
        withUnsafeMutableBytes(of: &bytes) { out in
            var accumulator: UInt32 = 0
            var bits = 0
            var written = 0
            for index in 1..<44 {
                guard let digit = Base64.value(raw[index]) else { ok = false; return }
                accumulator = accumulator << 6 | UInt32(digit)
                bits += 6
                if bits >= 8 {
                    bits -= 8
                    if written < 32 { out[written] = UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)) }
                    written += 1
                }
            }
            // 43 digits carry 258 bits: 32 bytes and 2 bits that must be zero.
            ok = ok && written == 32 && accumulator & 0b11 == 0
        }
        guard ok else { return nil }
        words = bytes
    }

    /// The text form back: sigil + base64 + `=` + suffix.
    func text(sigil: Character, suffix: String) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out = [UInt8]()
        out.reserveCapacity(45 + suffix.utf8.count)
        out.append(UInt8(ascii: sigil.unicodeScalars.first!))
        withUnsafeBytes(of: words) { bytes in
            var index = 0
            while index + 3 <= 32 {
                let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
                out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
                index += 3
            }
            let n = UInt32(bytes[30]) << 16 | UInt32(bytes[31]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)]]
        }
        return String(decoding: out, as: UTF8.self) + "=" + suffix
    }
}

#if canImport(Glibc)
import Glibc
#endif
