@preconcurrency import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An SSB identity: an ed25519 key pair whose feed id is `@` + base64(public key) + `.ed25519`.
public struct SSBKeyPair: Sendable {
    public let signingKey: Curve25519.Signing.PrivateKey
    public let id: String

    /// The key pair of a 32-byte ed25519 seed, as ssb-keys `generate('ed25519', seed)` makes it.
    public init(seed: [UInt8]) throws {
        signingKey = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        id = "@" + Base64.encode(signingKey.publicKey.rawRepresentation) + ".ed25519"
    }

    /// The signature field SSB stores: base64 + `.sig.ed25519`.
    public func signature(for text: [UInt8]) throws -> String {
        try Base64.encode(signingKey.signature(for: text)) + ".sig.ed25519"
    }
}
