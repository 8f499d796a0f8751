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
    package struct Declined: Error {}

    /// Where the fields lie, as byte ranges of the payload (string ranges include the quotes).
    package struct Fields {
        package var key: Range<Int> = 0..<0
        package var author: Range<Int> = 0..<0
        /// Nil for `"previous": null`.
        package var previous: Range<Int>?
        package var sequence = 0
        package var signature: Range<Int> = 0..<0
        /// The boxed text of a private message; nil when the content is an object.
        package var box: Range<Int>?
        /// Bytes of `signedText` written.
        package var signedCount = 0
        /// Whether the signed text is ASCII, so latin1 and UTF-8 agree.
        package var isASCII = true
    }

    /// A valid message's signed text is at most 8192 UTF-16 units, 3 UTF-8 bytes each.
    static let capacity = 3 * SSBValidator.maximumMessageLength + 1024
    /// Member names of open objects, for the repeated-name check.
    static let nameCapacity = 1024
    static let maximumDepth = 64

    /// The signed text of the last message read.
    package let signedText: UnsafeMutablePointer<UInt8>
    /// Its latin1 text, once `latin1Text(of:in:)` has written it.
    package let latin1Text: UnsafeMutablePointer<UInt8>
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
    package mutating func read(_ payload: UnsafeRawBufferPointer) throws(Declined) -> Fields {
        guard let base = payload.baseAddress?.assumingMemoryBound(to: UInt8.self) else { throw Declined() }
        var pass = Pass(base: base, end: base + payload.count, out: signedText, outEnd: signedText + Self.capacity,
                        names: names, nameCapacity: Self.nameCapacity)
        defer { swap(&numberText, &pass.numberText) }
        swap(&numberText, &pass.numberText)
        return try pass.message()
    }
}

extension DirectMessageReader {
    /// A string field's text without its quotes (plain fields: no escapes to undo).
    package static func string(_ range: Range<Int>, in payload: UnsafeRawBufferPointer) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: payload[range.lowerBound + 1..<range.upperBound - 1]), as: UTF8.self)
    }

    /// Writes what the message key hashes to `latin1Text`: the signed text with the signature
    /// as its last member, each UTF-16 code unit as its low byte (Node's `'binary'`), and
    /// returns its length; nil when it would not fit (the message is too long anyway).
    package func latin1Text(of fields: Fields, in payload: UnsafeRawBufferPointer) -> Int? {
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
}
