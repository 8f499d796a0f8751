import FlumeJSON

#if canImport(Glibc)
import Glibc
#endif

/// The fields of one SSB log record, `{"key","value":{...},"timestamp"}`, that the views read:
/// message key, author, sequence, claimed timestamp, content type, whether the content is a
/// private box, and (on request) the message links in the content. Read by `JSONScanner`
/// straight from the borrowed payload; strings stay borrowed until asked for.
public struct SSBMessage {
    package var key: JSONString?
    package var author: JSONString?
    /// The sequence, when it is an integer.
    public package(set) var sequence: Int64?
    /// The claimed timestamp (`value.timestamp`) exactly as written, so it is written back the same.
    package var timestamp: UnsafeRawBufferPointer?
    /// The claimed timestamp as a number, where the record holds numbers, not text (BIPF).
    package var timestampNumber: Double?
    package var type: JSONString?
    /// The content is a string: a private (boxed) message.
    public package(set) var isPrivate = false

    public var keyString: String? { key?.value }
    public var authorString: String? { author?.value }
    public var typeString: String? { type?.value }
    public var timestampText: String? {
        timestamp.map { String(decoding: $0, as: UTF8.self) } ?? timestampNumber.map(JSNumberFormat.string)
    }

    /// True when the fields every SSB view needs are there.
    public var isMessage: Bool { key != nil && author != nil && sequence != nil }

    /// No fields: what a record that is not a message reads as.
    package init() {}

    /// Reads `payload`; with `links`, every message reference in the content is appended to it.
    /// Throws when the payload is not JSON. The members' names are taken as JS writes them
    /// (`SSBMessage+JSLayout.swift`), and SSB ids and signatures by their fixed lengths.
    package static func scan(_ payload: UnsafeRawBufferPointer, collectingLinks: Bool,
                     into links: inout [JSONString]) throws(JSONScanner.Malformed) -> SSBMessage {
        var message = SSBMessage()
        var scanner = JSONScanner(payload)
        try scanner.forEachMember(of: RecordMember.self) { scanner, member throws(JSONScanner.Malformed) in
            switch member {
            case .key:
                if let id = scanner.plainString(length: SSBIdentifier.Kind.message.textLength) {
                    message.key = id
                } else if try scanner.peek() == UInt8(ascii: "\"") {
                    message.key = try scanner.string()
                } else {
                    try scanner.skipValue()
                }
            case .value where try scanner.peek() == UInt8(ascii: "{"):
                try message.scanValue(&scanner, collectingLinks: collectingLinks, into: &links)
            case .value, .other:
                try scanner.skipValue()
            }
        }
        try scanner.finish()
        return message
    }

    private mutating func scanValue(_ scanner: inout JSONScanner, collectingLinks: Bool,
                                    into links: inout [JSONString]) throws(JSONScanner.Malformed) {
        try scanner.forEachMember(of: ValueMember.self) { scanner, member throws(JSONScanner.Malformed) in
            switch member {
            case .author:
                if let id = scanner.plainString(length: SSBIdentifier.Kind.feed.textLength) {
                    author = id
                } else if try scanner.peek() == UInt8(ascii: "\"") {
                    author = try scanner.string()
                } else {
                    try scanner.skipValue()
                }
            case .sequence, .timestamp:
                let next = try scanner.peek()
                guard next == UInt8(ascii: "-") || next &- UInt8(ascii: "0") < 10 else { return try scanner.skipValue() }
                let number = try scanner.number()
                if member == .sequence { sequence = JSONScanner.integer(number) } else { timestamp = number }
            case .content:
                let next = try scanner.peek()
                type = nil
                isPrivate = next == UInt8(ascii: "\"")
                if next == UInt8(ascii: "{") {
                    try scanContent(&scanner, collectingLinks: collectingLinks, into: &links)
                } else {
                    try scanner.skipValue()
                }
            case .previous:
                if !scanner.take("null"), scanner.plainString(length: SSBIdentifier.Kind.message.textLength) == nil { try scanner.skipValue() }
            case .hash:
                if !scanner.take("\"sha256\"") { try scanner.skipValue() }
            case .signature:
                if scanner.plainString(length: SSBIdentifier.signatureTextLength) == nil { try scanner.skipValue() }
            case .other:
                try scanner.skipValue()
            }
        }
    }

    private mutating func scanContent(_ scanner: inout JSONScanner, collectingLinks: Bool,
                                      into links: inout [JSONString]) throws(JSONScanner.Malformed) {
        try scanner.forEachMember(of: ContentMember.self) { scanner, member throws(JSONScanner.Malformed) in
            if member == .type, try scanner.peek() == UInt8(ascii: "\"") {
                let value = try scanner.string()
                type = value
                if collectingLinks { links.append(value) }
            } else {
                try scanner.skipValue(depth: 1, collecting: collectingLinks, into: &links)
            }
        }
    }
}

extension SSBMessage {
    /// Reads the SSB fields of one payload (for tools and tests; views use the borrowed form).
    public static func parse(_ payload: UnsafeRawBufferPointer) throws -> SSBMessage {
        var none: [JSONString] = []
        return try scan(payload, collectingLinks: false, into: &none)
    }

    /// The message links (`%…=.sha256`) in the content of `payload`, in order.
    public static func links(in payload: UnsafeRawBufferPointer) throws -> [String] {
        var strings: [JSONString] = []
        _ = try scan(payload, collectingLinks: true, into: &strings)
        return strings.filter(\.isMessageReference).map(\.value)
    }
}

extension JSONString {
    /// `%` + 43 base64 characters + `=.sha256`, as ssb-ref's `isMsg` accepts.
    package var isMessageReference: Bool {
        !escaped && SSBIdentifier.Kind.message.framesCanonicalText(raw) && raw[1..<44].allSatisfy(Base64.isDigit)
    }
}
