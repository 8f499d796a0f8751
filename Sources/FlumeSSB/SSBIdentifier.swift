import FlumeJSON
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A message key or feed id as a view stores it: 32 bytes when it has the canonical form (no
/// allocation per record), the text otherwise, so nothing is lost either way.
package enum SSBIdentifier: Hashable {
    case digest(Digest32)
    case text(String)

    /// What an identifier's text wraps its base64 in; the one place each pair is spelled.
    package struct Kind: Sendable {
        package let sigil: UInt8
        package let suffix: StaticString

        package static let message = Kind(sigil: UInt8(ascii: "%"), suffix: ".sha256")
        package static let feed = Kind(sigil: UInt8(ascii: "@"), suffix: ".ed25519")

        /// The canonical text's length: the sigil, 43 base64 digits and `=`, the suffix.
        package var textLength: Int { 45 + suffix.utf8CodeUnitCount }

        /// Whether `raw` has the canonical text's length, sigil, pad and suffix (its 43 digits
        /// are the caller's to check or decode).
        @inline(__always)
        package func framesCanonicalText(_ raw: UnsafeRawBufferPointer) -> Bool {
            raw.count == textLength && raw[0] == sigil && raw[44] == UInt8(ascii: "=")
                && memcmp(raw.baseAddress! + 45, suffix.utf8Start, suffix.utf8CodeUnitCount) == 0
        }
    }

    /// A signature's canonical text: 86 base64 digits and `==` (64 bytes), then `.sig.ed25519`
    /// (12). A literal, so that reading it costs nothing at every record.
    package static var signatureTextLength: Int { 100 }

    package init(_ string: JSONString, _ kind: Kind) {
        if let digest = Digest32(string, kind) {
            self = .digest(digest)
        } else {
            self = .text(string.value)
        }
    }

    package init(message key: JSONString) { self.init(key, .message) }
    package init(feed author: JSONString) { self.init(author, .feed) }

    package func text(_ kind: Kind) -> String {
        switch self {
        case .digest(let digest):
            var out = [UInt8]()
            out.reserveCapacity(kind.textLength)
            digest.appendText(sigil: kind.sigil, to: &out)
            kind.suffix.withUTF8Buffer { out.append(contentsOf: $0) }
            return String(decoding: out, as: UTF8.self)
        case .text(let text):
            return text
        }
    }

    package var messageText: String { text(.message) }
    package var feedText: String { text(.feed) }

    /// Appends the message key as a JSON string, quotes included.
    package func appendMessageJSON(to out: inout [UInt8]) { appendJSON(.message, to: &out) }

    /// Appends the feed id as a JSON string, quotes included.
    package func appendFeedJSON(to out: inout [UInt8]) { appendJSON(.feed, to: &out) }

    /// A canonical identifier is written straight from its 32 bytes (base64, the sigil and the
    /// suffix need no escaping); any other text is escaped as `JSON.stringify` does.
    private func appendJSON(_ kind: Kind, to out: inout [UInt8]) {
        switch self {
        case .digest(let digest):
            out.append(UInt8(ascii: "\""))
            digest.appendText(sigil: kind.sigil, to: &out)
            kind.suffix.withUTF8Buffer { out.append(contentsOf: $0) }
            out.append(UInt8(ascii: "\""))
        case .text(let text):
            JSValue.writeString(JSString(text), to: &out)
        }
    }

    /// From text read back from a state file.
    package init(messageText text: String) { self = Self.parsing(text, .message) }
    package init(feedText text: String) { self = Self.parsing(text, .feed) }

    private static func parsing(_ text: String, _ kind: Kind) -> SSBIdentifier {
        var copy = text
        return copy.withUTF8 { bytes in Self(JSONString(raw: UnsafeRawBufferPointer(bytes), escaped: false), kind) }
    }
}
