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
