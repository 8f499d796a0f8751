import CSodiumReference
import FlumeLog
import FlumeSSB

/// The signatures of a log's messages laid out for libsodium (key, signature and signed text
/// of each, back to back), gathered once per corpus before the libsodium reference's first
/// timed round, so that the reference times Ed25519 verification alone.
final class SignatureInputs {
    private var keys: [UInt8] = []
    private var signatures: [UInt8] = []
    private var texts: [UInt8] = []
    private var textEnds: [Int64] = []
    var count: Int { textEnds.count }

    /// Every signed message of `log`, deleted records skipped (as `ssb-validate` skips them).
    init(_ log: any ReadableLog) throws {
        try log.forEachRecord(.forward, from: .beginning, deleted: .skipped) { record in
            guard let input = SSBValidator.signatureInput(of: Array(record.payload)) else { return }
            keys += input.publicKey
            signatures += input.signature
            texts += input.signedText
            textEnds.append(Int64(texts.count))
        }
    }

    /// How many of the signatures libsodium verifies, on this thread (-1: libsodium would not start).
    func verifyAll() -> Int64 {
        flume_sodium_verify_all(keys, signatures, texts, textEnds, Int64(count))
    }
}
