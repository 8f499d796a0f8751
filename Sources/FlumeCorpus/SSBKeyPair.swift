@preconcurrency import Crypto
import Foundation

/// An SSB identity: an ed25519 key pair whose feed id is `@` + base64(public key) + `.ed25519`.
public struct SSBKeyPair: Sendable {
    public let signingKey: Curve25519.Signing.PrivateKey
    public let id: String

    /// The key pair of a 32-byte ed25519 seed, as ssb-keys `generate('ed25519', seed)` makes it.
    public init(seed: [UInt8]) throws {
        signingKey = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        id = "@" + Data(signingKey.publicKey.rawRepresentation).base64EncodedString() + ".ed25519"
    }

    /// The signature field SSB stores: base64 + `.sig.ed25519`.
    public func signature(for text: [UInt8]) throws -> String {
        try Data(signingKey.signature(for: text)).base64EncodedString() + ".sig.ed25519"
    }
}
