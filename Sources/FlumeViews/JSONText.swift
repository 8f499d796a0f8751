/// Writes JSON text as JS `JSON.stringify` does (compact): the state files the views persist.
struct JSONText {
    private(set) var bytes: [UInt8] = []

    mutating func raw(_ text: String) { bytes += text.utf8 }

    mutating func number(_ value: Int64) { bytes += String(value).utf8 }

    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            bytes += text.utf8
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += #"\""#.utf8
            case UInt8(ascii: "\\"): bytes += #"\\"#.utf8
            case 0x08: bytes += #"\b"#.utf8
            case 0x0C: bytes += #"\f"#.utf8
            case 0x0A: bytes += #"\n"#.utf8
            case 0x0D: bytes += #"\r"#.utf8
            case 0x09: bytes += #"\t"#.utf8
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes += #"\u00"#.utf8
                bytes += [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `{` members `}`, with commas between.
    mutating func object<S: Sequence>(_ members: S, _ write: (inout JSONText, S.Element) -> Void) {
        list(UInt8(ascii: "{"), UInt8(ascii: "}"), members, write)
    }

    /// `[` items `]`, with commas between.
    mutating func array<S: Sequence>(_ items: S, _ write: (inout JSONText, S.Element) -> Void) {
        list(UInt8(ascii: "["), UInt8(ascii: "]"), items, write)
    }

    private mutating func list<S: Sequence>(_ open: UInt8, _ close: UInt8, _ elements: S,
                                            _ write: (inout JSONText, S.Element) -> Void) {
        bytes.append(open)
        var first = true
        for element in elements {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            write(&self, element)
        }
        bytes.append(close)
    }

    mutating func key(_ name: String) {
        string(name)
        bytes.append(UInt8(ascii: ":"))
    }
}
