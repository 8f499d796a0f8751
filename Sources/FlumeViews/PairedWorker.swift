#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch
import FlumeLog
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A second thread working in step with the caller: `start()` wakes it to run its body once,
/// `wait()` returns when that run is done, and the caller does its own work in between. One
/// thread for the worker's life, so a feed of a million
/// records pays a hand-off per batch, not a thread or an allocation; each side spins briefly
/// before it sleeps, as the other is usually microseconds away (a sleeping thread takes tens
/// of microseconds to wake on a virtual machine). `stop()` ends the thread; it must be called.
final class PairedWorker: @unchecked Sendable {
    /// A count one thread raises and another waits on.
    private final class Handoff: Sendable {
        /// About 20-50 µs of polling before sleeping.
        static let spins = 20_000
        private let count = Atomic<Int>(0)
        private let sleeping = Atomic<Bool>(false)
        private let semaphore = DispatchSemaphore(value: 0)

        func raise() {
            count.add(1, ordering: .sequentiallyConsistent)
            if sleeping.load(ordering: .sequentiallyConsistent) { semaphore.signal() }
        }

        /// Returns once the count passes `seen`, with the count. A signal left over from an
        /// earlier round only wakes the loop to look again.
        func wait(beyond seen: Int) -> Int {
            for _ in 0..<Self.spins {
                let now = count.load(ordering: .acquiring)
                if now > seen { return now }
            }
            sleeping.store(true, ordering: .sequentiallyConsistent)
            var now = count.load(ordering: .sequentiallyConsistent)
            while now <= seen {
                semaphore.wait()
                now = count.load(ordering: .sequentiallyConsistent)
            }
            sleeping.store(false, ordering: .sequentiallyConsistent)
            return now
        }
    }

    private let body: @Sendable () -> Void
    private let posted = Handoff()
    private let finished = Handoff()
    private var rounds = 0
    /// Written before a round is posted, read after it is seen.
    private var stopping = false
    /// Set once, in `init`, before any other thread can see the worker.
    private var thread: NamedThread.Handle?

    init(_ body: @escaping @Sendable () -> Void) {
        self.body = body
        let started = NamedThread.start(named: "flume-views") { [self] in
            var seen = 0
            while true {
                seen = posted.wait(beyond: seen)
                if stopping { break }
                body()
                finished.raise()
            }
        }
        switch started {
        case .success(let thread): self.thread = thread
        case .failure(let failure): preconditionFailure("cannot start the views' worker thread: \(String(cString: strerror(failure.code)))")
        }
    }

    /// Whether the worker has been started and not yet waited for.
    private var isBusy = false

    /// Starts a run on the worker and returns at once.
    func start() {
        precondition(!isBusy, "the worker is already running")
        isBusy = true
        rounds += 1
        posted.raise()
    }

    /// Waits for the run to finish, if one was started.
    func wait() {
        guard isBusy else { return }
        _ = finished.wait(beyond: rounds - 1)
        isBusy = false
    }

    /// Ends the worker's thread (it holds the worker until then) and joins it.
    func stop() {
        wait()
        stopping = true
        rounds += 1
        posted.raise()
        thread?.join()
    }
}
