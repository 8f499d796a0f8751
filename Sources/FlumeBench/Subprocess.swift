#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs another program to completion: the one place the harness starts processes (git, the
/// base build's runs, valgrind, machine facts). `posix_spawn` and `poll`, not Foundation's
/// `Process`, which would link all of Foundation and ICU into the binary.
public enum Subprocess {
    public struct Outcome: Sendable {
        /// The exit status; 128 + the signal's number when a signal ended the program.
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Where a program's standard output goes.
    public enum Output: Sendable {
        /// Read into `Outcome.stdout`.
        case captured
        /// To `/dev/null`, unread (a reference that copies a file out must not be measured
        /// through our pipe).
        case discarded
    }

    /// The program could not be started: the path and the system's reason.
    public struct LaunchError: Error, CustomStringConvertible {
        public var executable: String
        public var errno: Int32
        public var description: String { "cannot run \(executable): \(String(cString: strerror(errno)))" }
    }

    /// Runs `executable` (a path) with `arguments`, in `directory`, its environment this
    /// process's with `environment` laid over it; standard error captured, standard output
    /// captured or discarded (the pipes read side by side, so neither fills while the other is
    /// read).
    public static func run(_ executable: String, _ arguments: [String], in directory: String? = nil,
                           environment: [String: String] = [:], output: Output = .captured) throws -> Outcome {
        var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0 else { throw LaunchError(executable: executable, errno: errno) }
        guard pipe(&errPipe) == 0 else {
            let code = errno
            close(outPipe[0]); close(outPipe[1])
            throw LaunchError(executable: executable, errno: code)
        }
        // Not inherited by any other child started meanwhile (the child gets its ends as 1 and 2).
        for descriptor in outPipe + errPipe { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if output == .discarded {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        } else {
            posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        }
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)

        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0.key)=\($0.value)" }
        // In another directory through the shell (`posix_spawn_file_actions_addchdir_np` is
        // not visible to Swift): `sh -c 'cd -- "$0" && exec "$@"' DIRECTORY PROGRAM ARGUMENTS…`.
        let command = directory.map { ["/bin/sh", "-c", #"cd -- "$0" && exec "$@""#, $0, executable] } ?? [executable]
        let argv = (command + arguments).map { strdup($0) } + [nil]
        let envp = variables.map { strdup($0) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid = pid_t()
        let started = posix_spawn(&pid, command[0], &actions, nil, argv, envp)
        close(outPipe[1]); close(errPipe[1])
        guard started == 0 else {
            close(outPipe[0]); close(errPipe[0])
            throw LaunchError(executable: executable, errno: started)
        }
        let (stdout, stderr) = drain(outPipe[0], errPipe[0])
        close(outPipe[0]); close(errPipe[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        return Outcome(status: signal == 0 ? (status >> 8) & 0xff : 128 + signal,
                       stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Everything written to both descriptors until each reaches end of file.
    private static func drain(_ first: Int32, _ second: Int32) -> ([UInt8], [UInt8]) {
        var collected: [[UInt8]] = [[], []]
        var watched = [pollfd(fd: first, events: Int16(POLLIN), revents: 0), pollfd(fd: second, events: Int16(POLLIN), revents: 0)]
        var chunk = [UInt8](repeating: 0, count: 65536)
        while watched.contains(where: { $0.fd >= 0 }) {
            if poll(&watched, nfds_t(watched.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            for index in watched.indices where watched[index].fd >= 0 && watched[index].revents != 0 {
                let count = chunk.withUnsafeMutableBytes { read(watched[index].fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    collected[index] += chunk[..<count]
                } else if count == 0 || errno != EINTR {
                    watched[index].fd = -1 // end of file (poll ignores negative descriptors)
                }
            }
        }
        return (collected[0], collected[1])
    }

    /// The path of `name` on the PATH (the first executable one), nil when there is none:
    /// what `env NAME` would run, without `env`'s own start.
    public static func executable(named name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { access($0, X_OK) == 0 }
    }

    /// A command's trimmed standard output (`arguments[0]` found on the PATH), nil when it
    /// cannot run, fails, or prints nothing.
    public static func output(_ arguments: [String]) -> String? {
        guard let outcome = try? run("/usr/bin/env", arguments), outcome.status == 0 else { return nil }
        let text = outcome.stdout.trimmingWhitespace
        return text.isEmpty ? nil : text
    }
}
