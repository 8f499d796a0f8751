#if canImport(Glibc)
import Glibc
#endif
import FlumeLog

/// What the fuzzer asks of every input, shared by the libFuzzer target and the regression
/// tests: the input becomes a log file (on tmpfs, `/dev/shm`, so every reader strategy reads
/// a real file without disk I/O); every strategy must answer exactly what the
/// in-memory reference answers; a read-write open (recovery) must then agree with the
/// read-only one. A disagreement is a bug, reported as a `Finding`; a crash is one too.
public enum FuzzOracle {
    public struct Finding: Error, CustomStringConvertible {
        public var description: String
    }

    /// The first input byte picks the trailer width; the rest is the file.
    public static func check(_ input: UnsafeRawBufferPointer) throws {
        guard let selector = input.first else { return }
        let width = TrailerWidth.allCases[Int(selector) % 3]
        let bytes = UnsafeRawBufferPointer(rebasing: input.dropFirst())
        let reference = ReadOutcome.of { try MemoryLog(bytes: bytes, width: width) }

        let path = scratchPath
        let fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Finding(description: "cannot create \(path): errno \(errno)") }
        defer { close(fd) }
        if let base = bytes.baseAddress, bytes.count > 0 {
            guard pwrite(fd, base, bytes.count, 0) == bytes.count else { throw Finding(description: "pwrite failed") }
        }
        for (strategy, answer) in ReadOutcome.perStrategy(path, width: width, strategies: everyStrategyVariant)
        where answer != reference {
            throw Finding(description: "\(strategy) answered \(answer), the reference \(reference)")
        }
        // Recovery: a read-write open either refuses (as the read-only open did) or keeps
        // exactly the records the read-only open saw, and cuts nothing else.
        let recovered = ReadOutcome.of { try OffsetLog(path: path, width: width, access: .readWrite) }
        guard recovered == reference else {
            throw Finding(description: "read-write open answered \(recovered), the reference \(reference)")
        }
    }

    /// One scratch file per process, rewritten for every input.
    public static let scratchPath: String = {
        let directory = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        return "\(directory)/flumefuzz-\(getpid()).offset"
    }()
}
