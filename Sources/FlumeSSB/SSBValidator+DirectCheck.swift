import CSodium
import Crypto
import FlumeJSON

#if canImport(Glibc)
import Glibc
#endif

extension SSBValidator {
    /// A record checked on the direct path (`DirectMessageReader`): `.valid` for a message
    /// that passes every check, nil for anything else, which the `JSValue` path then decides
    /// and explains. Both paths reach the same verdict (`DirectCheckTests`); this one builds
    /// no tree and stringifies nothing, so signature checks are nearly all the work.
    package static func checkDirect(_ payload: UnsafeRawBufferPointer, reader: inout DirectMessageReader,
                            keys: inout PublicKeyCache) -> Outcome? {
        guard let fields = try? reader.read(payload) else { return nil }
        let bytes = payload.baseAddress!.assumingMemoryBound(to: UInt8.self)
        func text(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(start: bytes + range.lowerBound + 1, count: range.count - 2) // without quotes
        }
        let previous = fields.previous.map(text)
        if fields.sequence == 1 {
            guard previous == nil else { return nil }
        } else {
            guard let previous, previous.starts(with: "%".utf8), previous.reversed().starts(with: ".sha256".utf8.reversed()) else { return nil }
        }
        if let box = fields.box {
            let boxed = text(box)
            guard let dot = boxed.lastIndex(of: UInt8(ascii: ".")),
                  [".box", ".box2"].contains(where: { boxed[dot...].elementsEqual($0.utf8) }),
                  Base64.decode(String(decoding: boxed[..<dot], as: UTF8.self)) != nil else { return nil }
        }
        let signatureText = text(fields.signature)
        let signatureSuffix = ".sig.ed25519".utf8
        guard signatureText.count > signatureSuffix.count,
              signatureText.reversed().starts(with: signatureSuffix.reversed()),
              let signature = Base64.decode(String(decoding: signatureText.dropLast(signatureSuffix.count), as: UTF8.self)),
              signature.count == 64 else { return nil }

        guard let latin1Count = reader.latin1Text(of: fields, in: payload), latin1Count <= maximumMessageLength else { return nil }
        let digest = SHA256.hash(data: UnsafeRawBufferPointer(start: reader.latin1Text, count: latin1Count))
        let key = text(fields.key)
        guard key.count == 52, key.first == UInt8(ascii: "%"), key.reversed().starts(with: ".sha256".utf8.reversed()),
              digest.withUnsafeBytes({ Base64.encode($0).utf8.elementsEqual(key[1..<45]) }) else { return nil }

        let author = String(decoding: text(fields.author), as: UTF8.self)
        guard let publicKey = keys.key(for: author),
              crypto_sign_verify_detached(signature, reader.signedText, UInt64(fields.signedCount), publicKey) == 0 else { return nil }
        return .valid(Message(key: String(decoding: key, as: UTF8.self), author: author, sequence: fields.sequence,
                              previous: previous.map { String(decoding: $0, as: UTF8.self) }, isPrivate: fields.box != nil, checkedDirectly: true))
    }
}
