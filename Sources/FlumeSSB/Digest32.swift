import CFlumeSIMD

#if canImport(Glibc)
import Glibc
#endif

/// The 32 bytes of an SSB identifier, with its sigil and suffix implied by where it is used.
package struct Digest32: Hashable {
    package private(set) var words: (UInt64, UInt64, UInt64, UInt64)
    /// The 2 bits past the 32 bytes that 43 base64 digits carry: zero in canonical base64,
    /// kept so that any id round-trips to exactly its text.
    var extraBits: UInt8

    /// All zero bits: a placeholder (for an empty table slot).
    package static let zero = Digest32(words: (0, 0, 0, 0), extraBits: 0)

    private init(words: (UInt64, UInt64, UInt64, UInt64), extraBits: UInt8) {
        self.words = words
        self.extraBits = extraBits
    }

    package static func == (a: Digest32, b: Digest32) -> Bool {
        a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
            && a.extraBits == b.extraBits
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(words.0 ^ UInt64(extraBits))
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    /// Decodes an identifier of `kind` in its canonical form: the sigil, 43 base64 digits, `=`
    /// (44 digits with one pad for 32 bytes) and the suffix; nil for anything else, which
    /// callers keep as a string instead.
    package init?(_ text: JSONString, _ kind: SSBIdentifier.Kind) {
        let raw = text.raw
        guard !text.escaped, kind.framesCanonicalText(raw) else { return nil }
        // 43 digits carry 258 bits: 32 bytes, then 2 bits. The decoder reads 48 bytes from the
        // first digit: the suffix is there, unless it is shorter than 4 bytes.
        var bytes = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        var extra: UInt8 = 0
        let decoded = withUnsafeMutableBytes(of: &bytes) { out in
            let digits = raw.baseAddress!.assumingMemoryBound(to: UInt8.self) + 1
            let result = out.withMemoryRebound(to: UInt8.self) { out in
                guard raw.count >= 49 else {
                    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { padded in
                        padded.initialize(repeating: 0)
                        padded.baseAddress!.update(from: digits, count: raw.count - 1)
                        return flume_base64_decode_digest(padded.baseAddress!, out.baseAddress!, &extra)
                    }
                }
                return flume_base64_decode_digest(digits, out.baseAddress!, &extra)
            }
            return result != 0
        }
        guard decoded else { return nil }
        words = bytes
        extraBits = extra
    }

    /// Appends sigil + base64 + `=` (the suffix is the caller's): no `String` on the way, for
    /// state files that write a million keys; written on the stack and appended at once.
    package func appendText(sigil: UInt8, to out: inout [UInt8]) {
        var text = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &text) { text in
            withUnsafeBytes(of: words) { bytes in
                Base64.alphabet.withUnsafeBufferPointer { alphabet in
                    text[0] = sigil
                    var index = 0, written = 1
                    while index + 3 <= 32 {
                        let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
                        text[written] = alphabet[Int(n >> 18 & 63)]
                        text[written + 1] = alphabet[Int(n >> 12 & 63)]
                        text[written + 2] = alphabet[Int(n >> 6 & 63)]
                        text[written + 3] = alphabet[Int(n & 63)]
                        index += 3
                        written += 4
                    }
                    let n = UInt32(bytes[30]) << 16 | UInt32(bytes[31]) << 8 | UInt32(extraBits) << 6
                    text[41] = alphabet[Int(n >> 18 & 63)]
                    text[42] = alphabet[Int(n >> 12 & 63)]
                    text[43] = alphabet[Int(n >> 6 & 63)]
                    text[44] = UInt8(ascii: "=")
                }
            }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[0..<45]))
        }
    }
}
