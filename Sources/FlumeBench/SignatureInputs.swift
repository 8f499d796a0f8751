import CSodiumReference
import Dispatch
import FlumeLog
import FlumeSSB
import Synchronization

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

    /// The same on every core (`ssb-validate`'s threads), each claiming 64 messages at a time:
    /// what this machine's cores can verify, however well they scale.
    func verifyAllOnEveryCore() -> Int64 {
        let workers = SSBValidator.workerCount
        let claimed = Atomic<Int>(0)
        let valid = Atomic<Int64>(0)
        let total = count
        keys.withUnsafeBufferPointer { keys in
            signatures.withUnsafeBufferPointer { signatures in
                texts.withUnsafeBufferPointer { texts in
                    textEnds.withUnsafeBufferPointer { textEnds in
                        let inputs = UnsafeSendable((keys, signatures, texts, textEnds))
                        DispatchQueue.concurrentPerform(iterations: workers) { _ in
                            let (keys, signatures, texts, textEnds) = inputs.value
                            while true {
                                let first = claimed.add(64, ordering: .relaxed).oldValue
                                guard first < total else { return }
                                let verified = flume_sodium_verify_range(keys.baseAddress, signatures.baseAddress, texts.baseAddress,
                                                                         textEnds.baseAddress, Int64(first), Int64(min(64, total - first)))
                                valid.add(verified < 0 ? Int64.min / 2 : verified, ordering: .relaxed)
                            }
                        }
                    }
                }
            }
        }
        return max(-1, valid.load(ordering: .relaxed))
    }
}
