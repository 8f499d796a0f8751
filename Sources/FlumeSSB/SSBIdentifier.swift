import FlumeJSON

/// A message key or feed id as a view stores it: 32 bytes when it has the canonical form (no
/// allocation per record), the text otherwise, so nothing is lost either way.
package enum SSBIdentifier: Hashable {
    case digest(Digest32)
    case text(String)

    package init(_ string: JSONString, sigil: UInt8, suffix: StaticString) {
        if let digest = Digest32(string, sigil: sigil, suffix: suffix) {
            self = .digest(digest)
        } else {
            self = .text(string.value)
        }
    }

    package init(message key: JSONString) { self.init(key, sigil: UInt8(ascii: "%"), suffix: ".sha256") }
    package init(feed author: JSONString) { self.init(author, sigil: UInt8(ascii: "@"), suffix: ".ed25519") }

    package func text(sigil: Character, suffix: String) -> String {
        switch self {
        case .digest(let digest): digest.text(sigil: sigil, suffix: suffix)
        case .text(let text): text
        }
    }

    package var messageText: String { text(sigil: "%", suffix: ".sha256") }
    package var feedText: String { text(sigil: "@", suffix: ".ed25519") }

    /// Appends the message key as a JSON string, quotes included.
    package func appendMessageJSON(to out: inout [UInt8]) { appendJSON(sigil: UInt8(ascii: "%"), suffix: ".sha256", to: &out) }

    /// Appends the feed id as a JSON string, quotes included.
    package func appendFeedJSON(to out: inout [UInt8]) { appendJSON(sigil: UInt8(ascii: "@"), suffix: ".ed25519", to: &out) }

    /// A canonical identifier is written straight from its 32 bytes (base64, the sigil and the
    /// suffix need no escaping); any other text is escaped as `JSON.stringify` does.
    private func appendJSON(sigil: UInt8, suffix: StaticString, to out: inout [UInt8]) {
        switch self {
        case .digest(let digest):
            out.append(UInt8(ascii: "\""))
            digest.appendText(sigil: sigil, to: &out)
            suffix.withUTF8Buffer { out.append(contentsOf: $0) }
            out.append(UInt8(ascii: "\""))
        case .text(let text):
            JSValue.writeString(JSString(text), to: &out)
        }
    }

    /// From text read back from a state file.
    package init(messageText text: String) {
        self = Self.parsing(text, sigil: UInt8(ascii: "%"), suffix: ".sha256")
    }

    package init(feedText text: String) {
        self = Self.parsing(text, sigil: UInt8(ascii: "@"), suffix: ".ed25519")
    }

    private static func parsing(_ text: String, sigil: UInt8, suffix: StaticString) -> SSBIdentifier {
        var copy = text
        return copy.withUTF8 { bytes in
            Self(JSONString(raw: UnsafeRawBufferPointer(bytes), escaped: false), sigil: sigil, suffix: suffix)
        }
    }
}
