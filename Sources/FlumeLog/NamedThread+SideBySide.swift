extension NamedThread {
    /// Runs `second` on a thread of its own while this thread runs `first`, and returns both
    /// outcomes once both are done; nil when no thread could be started (neither ran). A thread
    /// of its own, started before `first` begins: a pooled worker (`concurrentPerform`) started
    /// so late on a 64 MiB log's walk that this thread had run both halves in turn.
    static func sideBySide<First, Second>(named name: String, _ first: () throws(FlumeLogError) -> First,
                                          _ second: @escaping () throws(FlumeLogError) -> Second)
        -> (Result<First, FlumeLogError>, Result<Second, FlumeLogError>)? {
        let slot = UnsafeMutablePointer<Result<Second, FlumeLogError>?>.allocate(capacity: 1)
        slot.initialize(to: nil)
        defer { slot.deinitialize(count: 1).deallocate() }
        let work = UnsafeSendable((slot, second))
        let started = start(named: name) {
            let (slot, second) = work.value
            slot.pointee = Result { () throws(FlumeLogError) -> Second in try second() }
        }
        guard case .success(let thread) = started else { return nil }
        let firstOutcome = Result { () throws(FlumeLogError) -> First in try first() }
        thread.join()
        return (firstOutcome, slot.pointee!)
    }
}
