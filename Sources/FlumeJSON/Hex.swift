/// Lowercase hexadecimal: the one encoder (digests in manifests, bytes in dumps) and the one
/// digit decoder (`\u` escapes) of the package.
public enum Hex {
    /// `0`-`9`, `a`-`f` in value order.
    public static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Per byte: its value as a lowercase digit, 0xFF for any other byte (a table, for the
    /// million digests of a large manifest).
    nonisolated(unsafe) public static let lowercaseValues: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        table.initialize(repeating: 0xFF, count: 256)
        for (value, digit) in digits.enumerated() { table[Int(digit)] = UInt8(value) }
        return UnsafePointer(table)
    }()

    /// Two lowercase digits per byte.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        if let text = bytes.withContiguousStorageIfAvailable({ encode(UnsafeRawBufferPointer($0)) }) { return text }
        return encode(Array(bytes))
    }

    /// Two lowercase digits per byte, written straight into the string: the form a digest per
    /// record takes (a sequence's iterator costs more than the digits).
    public static func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        digits.withUnsafeBufferPointer { digits in
            String(unsafeUninitializedCapacity: bytes.count * 2) { text in
                for (index, byte) in bytes.enumerated() {
                    text[2 * index] = digits[Int(byte >> 4)]
                    text[2 * index + 1] = digits[Int(byte & 0xF)]
                }
                return bytes.count * 2
            }
        }
    }

    /// Whether `text` is `bytes` in lowercase hex, compared without building the string (a
    /// manifest check compares a digest per record).
    public static func equals(_ text: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in
            guard utf8.count == 2 * bytes.count else { return false }
            for (index, byte) in bytes.enumerated() {
                let high = byte >> 4, low = byte & 0xF
                guard utf8[2 * index] == (high < 10 ? 0x30 + high : 0x57 + high),
                      utf8[2 * index + 1] == (low < 10 ? 0x30 + low : 0x57 + low) else { return false }
            }
            return true
        }
    }

    /// The value of one hexadecimal digit (either case), nil for any other byte.
    @inline(__always)
    public static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
