#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// ssb-validate's rules for a message's string fields and the validator's thread count,
/// spelled once for the `JSValue` path, the direct path and the benchmark's inputs.
extension SSBValidator {
    /// Whether `text` can be a `previous` link: `%` + … + `.sha256`.
    static func isMessageLink(_ text: String) -> Bool {
        text.hasPrefix("%") && text.hasSuffix(".sha256")
    }

    /// Whether string content is a private-message envelope: base64 + `.box` or `.box2`.
    static func isBoxed(_ text: String) -> Bool {
        guard text.hasSuffix(".box") || text.hasSuffix(".box2") else { return false }
        return Base64.decode(text.prefix(upTo: text.lastIndex(of: ".")!)) != nil
    }

    /// A signature field's 64 bytes (base64 + `.sig.ed25519`); nil for anything else.
    static func signatureBytes(_ text: String) -> [UInt8]? {
        guard text.hasSuffix(".sig.ed25519"), let signature = Base64.decode(text.dropLast(".sig.ed25519".count)),
              signature.count == 64 else { return nil }
        return signature
    }

    /// An author's 32-byte ed25519 public key (`@` + base64 + `.ed25519`); nil for anything else.
    static func publicKey(of author: String) -> [UInt8]? {
        guard author.hasPrefix("@"), author.hasSuffix(".ed25519"),
              let raw = Base64.decode(author.dropFirst().dropLast(".ed25519".count)), raw.count == 32 else { return nil }
        return raw
    }

    /// Threads that check messages: one per core, at most 8.
    package static var workerCount: Int { max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8)) }
}
