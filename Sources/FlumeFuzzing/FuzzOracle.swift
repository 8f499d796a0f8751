#if canImport(Glibc)
import Glibc
#endif
import FlumeLog
import FlumeSSB

/// What the fuzzer asks of every input, shared by the libFuzzer target and the regression
/// tests: the input becomes a log file (on tmpfs, `/dev/shm`, so every reader strategy reads
/// a real file without disk I/O); every strategy must answer exactly what the
/// in-memory reference answers; a read-write open (recovery) must then agree with the
/// read-only one. A disagreement is a bug, reported as a `Finding`; a crash is one too.
public enum FuzzOracle {
    public struct Finding: Error, CustomStringConvertible {
        public var description: String
    }

    /// The first input byte picks what the rest is: below 0xC0 an offset log (the byte modulo
    /// 3 picks the trailer width, as the kept inputs expect); from 0xF0 on, an offset2
    /// directory (`Offset2Reference.Files(splitting:)`); from 0xE0 on, a record for
    /// `ssb-validate`'s direct path (`MessageOracle`); from 0xC0 on, by its low two bits, an
    /// AAOL file of 256-byte blocks, of 64 KiB blocks, of 16-byte blocks, or a BIPF value.
    public static func check(_ input: UnsafeRawBufferPointer) throws {
        guard let selector = input.first else { return }
        let bytes = UnsafeRawBufferPointer(rebasing: input.dropFirst())
        if selector >= 0xF0 { return try checkOffset2(bytes) }
        if selector >= 0xE0 { return try MessageOracle.check(bytes) }
        if selector >= 0xC0 {
            switch selector & 3 {
            case 0: return try checkAAOL(bytes, blockSize: 256)
            case 1: return try checkAAOL(bytes, blockSize: 65536)
            case 2: return try BIPFOracle.check(bytes)
            default: return try checkAAOL(bytes, blockSize: 16)
            }
        }
        let width = TrailerWidth.allCases[Int(selector) % 3]
        let reference = ReadOutcome.of { try MemoryLog(bytes: bytes, width: width) }

        let path = try write(bytes)
        for (strategy, answer) in ReadOutcome.perStrategy(path, width: width, strategies: everyStrategyVariant)
        where answer != reference {
            throw Finding(description: "\(strategy) answered \(answer), the reference \(reference)")
        }
        // Recovery: a read-write open either refuses (as the read-only open did) or keeps
        // exactly the records the read-only open saw, and cuts nothing else. Where the
        // read-only open saw no record and the bytes fit another format, it refuses
        // (`otherFormat`) and changes nothing: JS would cut that log whole.
        let recovered = ReadOutcome.of { try OffsetLog(path: path, width: width, access: .readWrite) }
        if case .failed(.otherFormat, _) = recovered {
            guard case .read(let forward, _, _, _, nil) = reference, forward.isEmpty,
                  try LogFormat.fits(path).contains(where: { $0.format != .offset(width) }),
                  try read(path).elementsEqual(bytes) else {
                throw Finding(description: "read-write open answered \(recovered) for a log the reference read as \(reference)")
            }
            return
        }
        guard recovered == reference else {
            throw Finding(description: "read-write open answered \(recovered), the reference \(reference)")
        }
    }

    /// The bytes as an AAOL file, read under every strategy variant, against the independent
    /// reference; the file must not change.
    static func checkAAOL(_ bytes: UnsafeRawBufferPointer, blockSize: Int) throws {
        let reference = AAOLReference.outcome(bytes, blockSize: blockSize)
        let path = try write(bytes)
        for strategy in everyStrategyVariant {
            let answer = ReadOutcome.of { try AAOLLog(path: path, blockSize: blockSize, strategy: strategy) }
            guard answer == reference else {
                throw Finding(description: "AAOL (\(blockSize)-byte blocks) through \(strategy) answered \(answer), the reference \(reference)")
            }
        }
    }

    /// The bytes as an offset2 directory, opened strictly and for salvage under every strategy
    /// variant, against the independent reference; every payload through the go-ssb decoder
    /// (which may refuse, never crash); the three files must not change.
    static func checkOffset2(_ bytes: UnsafeRawBufferPointer) throws {
        let files = Offset2Reference.Files(splitting: bytes)
        let directory = scratchPath + ".offset2"
        mkdir(directory, 0o700)
        for (name, content) in [("data", files.data), ("ofst", files.offsets), ("jrnl", files.journal)] {
            _ = try content.withUnsafeBytes { try write($0, to: directory + "/" + name) }
        }
        let strict = Offset2Reference.outcome(files), salvage = Offset2Reference.salvageOutcome(files)
        for strategy in everyStrategyVariant {
            let answer = ReadOutcome.of { try Offset2Log(directory: directory, strategy: strategy) }
            guard answer == strict else {
                throw Finding(description: "offset2 through \(strategy) answered \(answer), the reference \(strict)")
            }
            let salvaged = ReadOutcome.of { try Offset2Log(directory: directory, mode: .salvage, strategy: strategy) }
            guard salvaged == salvage else {
                throw Finding(description: "offset2 salvage through \(strategy) answered \(salvaged), the reference \(salvage)")
            }
        }
        if case .read(let forward, _, _, _, _) = salvage {
            for record in forward { _ = record.payload.withUnsafeBytes { try? GoSSBMessage.decode($0) } }
        }
        for (name, content) in [("data", files.data), ("ofst", files.offsets), ("jrnl", files.journal)] {
            guard try read(directory + "/" + name) == content else { throw Finding(description: "a read-only open changed \(name)") }
        }
    }

    /// Writes the input to the scratch file and returns its path.
    static func write(_ bytes: UnsafeRawBufferPointer, to path: String = scratchPath) throws -> String {
        let fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Finding(description: "cannot create \(path): errno \(errno)") }
        defer { close(fd) }
        if let base = bytes.baseAddress, bytes.count > 0 {
            guard pwrite(fd, base, bytes.count, 0) == bytes.count else { throw Finding(description: "pwrite failed") }
        }
        return path
    }

    static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Finding(description: "cannot open \(path): errno \(errno)") }
        defer { close(fd) }
        var bytes: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 65536)
        while case let got = Glibc.read(fd, &chunk, chunk.count), got > 0 { bytes += chunk[0..<got] }
        return bytes
    }

    /// One scratch file per process, rewritten for every input.
    public static let scratchPath: String = {
        let directory = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        return "\(directory)/flumefuzz-\(getpid()).offset"
    }()
}
