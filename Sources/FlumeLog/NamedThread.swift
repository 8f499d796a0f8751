#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts POSIX threads (Foundation's `Thread` would link all of Foundation into the binary).
/// The name is what `top -H` and `perf` show; it is set through `/proc` (Swift does not see
/// `pthread_setname_np`), and a kernel without `/proc/thread-self` leaves the thread unnamed.
/// Every thread is joined by its owner: none outlives what started it, and a process under
/// callgrind counts each thread's exit, where a detached thread's exit raced the process's
/// (the instruction gate saw two counts of one case, 6,200 instructions apart).
package enum NamedThread {
    /// A started thread; `join()` must be called once, and returns when the thread has ended.
    package struct Handle: @unchecked Sendable {
        private let thread: pthread_t

        fileprivate init(_ thread: pthread_t) { self.thread = thread }

        package func join() { pthread_join(thread, nil) }
    }

    /// The system would not start a thread (as at a thread limit): `pthread_create`'s error number.
    package struct Failure: Error {
        package let code: Int32
    }

    /// Runs `body` on a new thread; on failure `body` does not run.
    package static func start(named name: String, _ body: @escaping @Sendable () -> Void) -> Result<Handle, Failure> {
        final class Work {
            let name: String
            let body: @Sendable () -> Void
            init(_ name: String, _ body: @escaping @Sendable () -> Void) { (self.name, self.body) = (name, body) }
        }
        let work = Unmanaged.passRetained(Work(name, body))
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { context in
            let work = Unmanaged<Work>.fromOpaque(context!).takeRetainedValue()
            let comm = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
            if comm >= 0 {
                _ = work.name.withCString { write(comm, $0, strlen($0)) }
                close(comm)
            }
            work.body()
            return nil
        }, work.toOpaque())
        guard result == 0 else {
            work.release()
            return .failure(Failure(code: result))
        }
        return .success(Handle(thread))
    }
}
