import FlumeJSON

/// A record's sha256 as a manifest gives it, held as its 32 bytes: no string per record (the
/// 1 GiB corpus's manifest lists 1.4 M of them, and a `String` each cost about 130 bytes).
/// Text that is not 64 lowercase hex digits is kept as written: it matches no payload, and a
/// verification names it as the manifest has it.
public struct ManifestDigest: Equatable, Sendable, CustomStringConvertible {
    /// The digest's bytes in order (memory order of the tuple).
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private var unusual: String?

    public init(hex text: String) {
        var text = text
        if let words = text.withUTF8({ Self.words(fromHex: UnsafeRawBufferPointer($0)) }) {
            self.words = words
        } else {
            unusual = text
        }
    }

    /// From the digest's 32 bytes.
    init(bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count == 32, "a sha256 is 32 bytes")
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: bytes) }
    }

    /// From the hex digits as they lie in a manifest's bytes.
    init(hexDigits digits: UnsafeRawBufferPointer) {
        if let words = Self.words(fromHex: digits) {
            self.words = words
        } else {
            unusual = String(decoding: digits, as: UTF8.self)
        }
    }

    /// Whether `digest` (32 bytes) is this one.
    public func equals(_ digest: UnsafeRawBufferPointer) -> Bool {
        guard unusual == nil, digest.count == 32 else { return false }
        return withUnsafeBytes(of: words) { $0.elementsEqual(digest) }
    }

    /// The 64 lowercase hex digits (or the text as the manifest wrote it).
    public var description: String {
        unusual ?? withUnsafeBytes(of: words) { Hex.encode($0) }
    }

    public static func == (a: ManifestDigest, b: ManifestDigest) -> Bool {
        a.words == b.words && a.unusual == b.unusual
    }

    private static func words(fromHex digits: UnsafeRawBufferPointer) -> (UInt64, UInt64, UInt64, UInt64)? {
        guard digits.count == 64 else { return nil }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        // Lowercase only: the text must be exactly what `Hex.encode` writes.
        let values = Hex.lowercaseValues
        var invalid: UInt8 = 0
        withUnsafeMutableBytes(of: &words) { bytes in
            for index in 0..<32 {
                let high = values[Int(digits[2 * index])], low = values[Int(digits[2 * index + 1])]
                invalid |= high | low
                bytes[index] = high << 4 | low
            }
        }
        return invalid & 0xF0 == 0 ? words : nil
    }
}
