import FlumeJSON
import FlumeSSB

/// Writes JSON text as JS `JSON.stringify` does (compact): the state files the views persist.
struct JSONText {
    private(set) var bytes: [UInt8] = []

    mutating func raw(_ text: String) { bytes += text.utf8 }

    mutating func raw(_ text: [UInt8]) { bytes += text }

    /// One byte of punctuation: appending a one-character `String` costs a hundred instructions.
    mutating func byte(_ value: UInt8) { bytes.append(value) }

    /// Decimal digits written in place, two a step (no `String` per number: state files hold
    /// millions), then appended at once.
    mutating func number(_ value: Int64) {
        var magnitude = value.magnitude
        var text = (UInt64(0), UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &text) { text in
            Self.digitPairs.withUnsafeBufferPointer { pairs in
                var start = text.count
                while magnitude >= 100 {
                    let pair = Int(magnitude % 100) * 2
                    magnitude /= 100
                    start -= 2
                    text[start] = pairs[pair]
                    text[start + 1] = pairs[pair + 1]
                }
                if magnitude >= 10 {
                    start -= 2
                    text[start] = pairs[Int(magnitude) * 2]
                    text[start + 1] = pairs[Int(magnitude) * 2 + 1]
                } else {
                    start -= 1
                    text[start] = UInt8(ascii: "0") + UInt8(magnitude)
                }
                if value < 0 {
                    start -= 1
                    text[start] = UInt8(ascii: "-")
                }
                bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[start...]))
            }
        }
    }

    /// "00" through "99".
    private static let digitPairs: [UInt8] = (0..<100).flatMap { [UInt8(ascii: "0") + UInt8($0 / 10), UInt8(ascii: "0") + UInt8($0 % 10)] }

    /// A message key as a JSON string (see `SSBIdentifier.appendMessageJSON`).
    mutating func string(message id: SSBIdentifier) { id.appendMessageJSON(to: &bytes) }

    /// A feed id as a JSON string.
    mutating func string(feed id: SSBIdentifier) { id.appendFeedJSON(to: &bytes) }

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
        items(elements, write)
        bytes.append(close)
    }

    /// Elements with commas between and no brackets: one array written in parts.
    mutating func items<S: Sequence>(_ elements: S, _ write: (inout JSONText, S.Element) -> Void) {
        var first = true
        for element in elements {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            write(&self, element)
        }
    }

    mutating func key(_ name: String) {
        string(name)
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func key(message id: SSBIdentifier) {
        string(message: id)
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func key(feed id: SSBIdentifier) {
        string(feed: id)
        bytes.append(UInt8(ascii: ":"))
    }
}
