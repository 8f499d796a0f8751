import Dispatch
import Synchronization

/// Records whose messages are checked on every core in the background while the validator
/// reads the next batch and chain-checks the last: reading and chain checks no longer leave
/// the cores idle between batches. Threads claim a few records at a time, so they finish
/// together however the records' costs vary.
final class ValidationBatch: @unchecked Sendable {
    typealias Entry = (offset: Int64, payload: [UInt8])

    let entries: [Entry]
    private let directPath: Bool
    private let results: UnsafeMutableBufferPointer<SSBValidator.Outcome>
    private let claimed = Atomic<Int>(0)
    private let finished = DispatchSemaphore(value: 0)
    private var waited = false

    /// Records claimed at once: small against a batch, large against the claim's cost.
    private static let claim = 16

    init(_ entries: [Entry], directPath: Bool) {
        self.entries = entries
        self.directPath = directPath
        results = .allocate(capacity: entries.count)
        results.initialize(repeating: .deleted)
    }

    /// The checking closure holds the batch, so it is never freed under the checks.
    deinit {
        results.deinitialize()
        results.deallocate()
    }

    /// Starts the checks; `outcomes()` waits for them.
    func start() {
        let workers = SSBValidator.workerCount
        DispatchQueue.global().async { [self] in
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                var keys = SSBValidator.PublicKeyCache()
                var reader = DirectMessageReader()
                while true {
                    let first = claimed.add(Self.claim, ordering: .relaxed).oldValue
                    guard first < entries.count else { return }
                    for index in first..<min(first + Self.claim, entries.count) {
                        let payload = entries[index].payload
                        let direct = directPath ? payload.withUnsafeBytes { SSBValidator.checkDirect($0, reader: &reader, keys: &keys) } : nil
                        results[index] = direct ?? SSBValidator.check(payload, keys: &keys)
                    }
                }
            }
            finished.signal()
        }
    }

    /// Every record's outcome, in log order, once all are checked.
    func outcomes() -> UnsafeBufferPointer<SSBValidator.Outcome> {
        if !waited {
            finished.wait()
            waited = true
        }
        return UnsafeBufferPointer(results)
    }
}
