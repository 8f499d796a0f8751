#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts detached POSIX threads (Foundation's `Thread` would link all of Foundation into the
/// binary). The name is what `top -H` and `perf` show; it is set through `/proc` (Swift does
/// not see `pthread_setname_np`), and a kernel without `/proc/thread-self` leaves the thread
/// unnamed.
package enum NamedThread {
    /// Runs `body` on a new thread and returns 0; or, when the system would not start one (as
    /// at a thread limit), `pthread_create`'s error number, and `body` does not run.
    package static func start(named name: String, _ body: @escaping @Sendable () -> Void) -> Int32 {
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
            return result
        }
        pthread_detach(thread)
        return 0
    }
}
