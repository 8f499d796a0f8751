import CSodium

extension SSBValidator {
    /// A record checked on the direct path (`DirectMessageReader`): `.valid` for a message
    /// that passes every check, nil for anything else, which the `JSValue` path then decides
    /// and explains. Both paths reach the same verdict (`DirectCheckTests`); this one builds
    /// no tree and stringifies nothing, so signature checks are nearly all the work.
    package static func checkDirect(_ payload: UnsafeRawBufferPointer, reader: inout DirectMessageReader,
                            keys: inout PublicKeyCache) -> Outcome? {
        guard let fields = try? reader.read(payload) else { return nil }
        func text(_ range: Range<Int>) -> String { DirectMessageReader.string(range, in: payload) }
        let previous = fields.previous.map(text)
        if fields.sequence == 1 {
            guard previous == nil else { return nil }
        } else {
            guard let previous, isMessageLink(previous) else { return nil }
        }
        if let box = fields.box, !isBoxed(text(box)) { return nil }
        guard let signature = signatureBytes(text(fields.signature)),
              let latin1Count = reader.latin1Text(of: fields, in: payload), latin1Count <= maximumMessageLength else { return nil }
        let key = text(fields.key)
        guard SSBMessageText.key(ofLatin1Text: Array(UnsafeBufferPointer(start: reader.latin1Text, count: latin1Count))) == key else { return nil }
        let author = text(fields.author)
        guard let publicKey = keys.key(for: author),
              crypto_sign_verify_detached(signature, reader.signedText, UInt64(fields.signedCount), publicKey) == 0 else { return nil }
        return .valid(Message(key: key, author: author, sequence: fields.sequence, previous: previous,
                              isPrivate: fields.box != nil, checkedDirectly: true))
    }
}
