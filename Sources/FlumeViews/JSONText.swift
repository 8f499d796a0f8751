import FlumeJSON

/// Writes JSON text as JS `JSON.stringify` does (compact): the state files the views persist.
struct JSONText {
    private(set) var bytes: [UInt8] = []

    mutating func raw(_ text: String) { bytes += text.utf8 }

    mutating func number(_ value: Int64) { bytes += String(value).utf8 }

    mutating func string(_ text: String) {
        JSValue.writeString(JSString(text), to: &bytes)
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
