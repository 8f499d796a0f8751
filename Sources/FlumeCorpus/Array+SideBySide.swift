import Dispatch
import FlumeLog

extension Array {
    /// `map`, the elements taken side by side on the machine's cores: verify's strategies each
    /// read the file through a descriptor of their own, so their passes need not wait on one
    /// another. The results are in the elements' order. `inTurn`: one after another on this
    /// thread instead, for work too small to pay for waking another core (see
    /// `LogVerification.passesInTurnUpTo`).
    package func mapSideBySide<Result>(inTurn: Bool = false, _ transform: (Element) -> Result) -> [Result] {
        if inTurn { return map(transform) }
        let results = UnsafeMutableBufferPointer<Result?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer { _ = results.deinitialize(); results.deallocate() }
        let slots = UnsafeSendable(results)
        withoutActuallyEscaping(transform) { transform in
            let work = UnsafeSendable((self, transform))
            DispatchQueue.concurrentPerform(iterations: count) { index in
                slots.value[index] = work.value.1(work.value.0[index])
            }
        }
        return results.map { $0! }
    }
}
