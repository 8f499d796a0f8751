import FlumeJSON

extension SSBValidator {
    /// What the Ed25519 check of a record's message takes: the author's public key, the
    /// signature and the signed text (the value as JS stringifies it, without its signature).
    /// Nil for a record that is not a signed message. For measuring signature verification on
    /// its own, as the benchmark's libsodium reference does, over the same messages.
    public static func signatureInput(of payload: [UInt8]) -> (publicKey: [UInt8], signature: [UInt8], signedText: [UInt8])? {
        guard let record = try? JSValue.parse(payload), case .object(let envelope) = record,
              case .object(let value)? = envelope["value"],
              let author = value["author"]?.stringValue, let publicKey = publicKey(of: author),
              let signatureText = value["signature"]?.stringValue, let signature = signatureBytes(signatureText) else { return nil }
        return (publicKey, signature, SSBMessageText.signedText(of: value))
    }
}
