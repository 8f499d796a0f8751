import FlumeJSON
import FlumeSSB

/// Writes JSON text as JS `JSON.stringify` does (compact): the state files the views persist.
struct JSONText {
    private(set) var bytes: [UInt8] = []

    mutating func raw(_ text: String) { bytes += text.utf8 }

    mutating func raw(_ text: [UInt8]) { bytes += text }

    /// Decimal digits written in place (no `String` per number: state files hold millions).
    mutating func number(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

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
