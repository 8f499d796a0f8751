import Crypto
import FlumeJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The texts SSB derives from a message value, and what it computes over them.
public enum SSBMessageText {
    /// What the signature covers: `JSON.stringify(value without signature, null, 2)` as UTF-8.
    public static func signedText(of value: JSObject) -> [UInt8] {
        var unsigned = value
        unsigned["signature"] = nil
        return JSValue.object(unsigned).stringify(indent: 2, encoding: .utf8)
    }

    /// The message key: `%` + base64(sha256(latin1(JSON.stringify(value, null, 2)))) + `.sha256`.
    public static func key(of value: JSObject) -> String {
        key(ofLatin1Text: JSValue.object(value).stringify(indent: 2, encoding: .latin1))
    }

    /// The latin1 text of a value whose last field is `signature` (what the key hashes), built
    /// from its signed text when both are ASCII, where latin1 and UTF-8 agree and the signature
    /// adds one line: one stringify per message instead of two. Nil otherwise.
    public static func latin1Text(signedText: [UInt8], signature: String) -> [UInt8]? {
        guard signedText.count >= 2, signedText[signedText.count - 2] == UInt8(ascii: "\n"), signedText.last == UInt8(ascii: "}"),
              signedText.allSatisfy({ $0 < 0x80 }),
              signature.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) else { return nil }
        var text = signedText
        text.removeLast(2)
        text += Array(",\n  \"signature\": \"".utf8)
        text += Array(signature.utf8)
        text += Array("\"\n}".utf8)
        return text
    }

    static func key(ofLatin1Text text: [UInt8]) -> String {
        "%" + Base64.encode(SHA256.hash(data: text)) + ".sha256"
    }

    /// The length ssb-validate limits (8192): UTF-16 code units of the pretty-printed value.
    public static func validatedLength(of value: JSObject) -> Int {
        // Every code unit becomes one latin1 byte, so the latin1 text has the same length.
        JSValue.object(value).stringify(indent: 2, encoding: .latin1).count
    }
}
