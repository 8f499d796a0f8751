import CFlumeMemory
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A raw file descriptor with the system calls FlumeLog needs, in swift-system's layering:
/// each call has an internal `Result<_, Errno>` twin, EINTR is retried in one helper
/// (`retryingInterrupts`), and short reads and writes are looped in one place
/// (`preadFully`, `pwriteFully`). Errors carry the path so callers need not add it.
package struct FileDescriptor {
    package let rawValue: Int32
    package let path: String

    /// `errno` from a failed call.
    struct Errno: Error { var code: Int32 }

    package enum AccessMode { case readOnly, readWrite }

    /// Opens `path`; `create` makes a missing file with `permissions` (0644 unless told).
    /// The corresponding C function is `open`.
    /// `nonBlocking` keeps a FIFO from blocking the open; clear it with `clearNonBlocking`.
    package static func open(_ path: String, _ mode: AccessMode, create: Bool = false,
                     nonBlocking: Bool = false, permissions: mode_t = 0o644) throws(FlumeLogError) -> FileDescriptor {
        var flags: Int32 = O_CLOEXEC
        flags |= mode == .readOnly ? O_RDONLY : O_RDWR
        if create { flags |= O_CREAT }
        if nonBlocking { flags |= O_NONBLOCK }
        let result = retryingInterrupts { Glibc.open(path, flags, permissions) }
        switch result {
        case .success(let fd): return FileDescriptor(rawValue: fd, path: path)
        case .failure(let e): throw ioError(e, path: path, "cannot open")
        }
    }

    /// Creates `path` for writing, failing when anything is there already, a symbolic link
    /// included (`O_EXCL | O_NOFOLLOW`): a file planted at a guessed name is never written
    /// through. The corresponding C function is `open`.
    static func createExclusive(_ path: String, permissions: mode_t = 0o644) throws(FlumeLogError) -> FileDescriptor {
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
        switch retryingInterrupts({ Glibc.open(path, flags, permissions) }) {
        case .success(let fd): return FileDescriptor(rawValue: fd, path: path)
        case .failure(let e): throw ioError(e, path: path, "cannot create")
        }
    }

    /// The corresponding C function is `close`. EINTR is not retried (Linux closes anyway).
    package func close() {
        _ = Glibc.close(rawValue)
    }

    /// The file's size and type. The corresponding C function is `fstat`.
    package func status() throws(FlumeLogError) -> stat {
        var info = stat()
        if fstat(rawValue, &info) != 0 {
            throw Self.ioError(Errno(code: errno), path: path, "cannot stat")
        }
        return info
    }

    package func size() throws(FlumeLogError) -> Int64 { Int64(try status().st_size) }

    /// A second descriptor, read-only, for the same file (not a `dup`: an open file description
    /// of its own, so its `read(2)` position is its own), or nil when it cannot be opened
    /// (no `/proc`).
    func reopenedForReading() -> FileDescriptor? {
        let descriptor = Glibc.open("/proc/self/fd/\(rawValue)", O_RDONLY | O_CLOEXEC)
        return descriptor >= 0 ? FileDescriptor(rawValue: descriptor, path: path) : nil
    }

    /// The size of the file at `path` (a symbolic link followed), nil when it cannot be
    /// stat'ed. The corresponding C function is `stat`.
    package static func size(atPath path: String) -> Int64? {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : nil
    }

    /// Whether `mincore` tells this process the truth about the file's pages: Linux reveals
    /// residency only to the file's owner or to who could write it (others see every page
    /// resident).
    func revealsResidency() throws(FlumeLogError) -> Bool {
        try status().st_uid == geteuid() || access(path, W_OK) == 0
    }

    /// Whether the page cache holds every page of `range` (`cachestat(2)`), or nil when the
    /// kernel will not say (before Linux 6.5; a file this process may not write).
    func isCached(_ range: Range<Int64>) -> Bool? {
        let page = Int64(sysconf(Int32(_SC_PAGESIZE)))
        let low = range.lowerBound & ~(page - 1)
        guard range.upperBound > low else { return true }
        let cached = flume_cached_pages(rawValue, UInt64(low), UInt64(range.upperBound - low))
        guard cached >= 0 else { return nil }
        return cached >= (range.upperBound - low + page - 1) / page
    }

    /// Up to `count` bytes at `offset` (fewer only at end of file), as an array.
    package func bytes(count: Int, at offset: Int64) throws(FlumeLogError) -> [UInt8] {
        try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized throws(FlumeLogError) in
            initialized = try preadFully(into: UnsafeMutableRawBufferPointer(buffer), at: offset)
        }
    }

    /// Reads up to `buffer.count` bytes at `offset`, looping over short reads; returns fewer
    /// only at end of file. The corresponding C function is `pread`.
    package func preadFully(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(FlumeLogError) -> Int {
        var done = 0
        while done < buffer.count {
            let result = Self.retryingInterrupts {
                Glibc.pread(rawValue, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            }
            switch result {
            case .success(0): return done
            case .success(let n): done += n
            case .failure(let e): throw Self.ioError(e, path: path, "read failed", offset: offset + Int64(done))
            }
        }
        return done
    }

    /// Reads up to `buffer.count` bytes from the current position, looping over short reads;
    /// returns fewer only at end of file. The corresponding C function is `read`.
    func readFully(into buffer: UnsafeMutableRawBufferPointer) throws(FlumeLogError) -> Int {
        var done = 0
        while done < buffer.count {
            let result = Self.retryingInterrupts { Glibc.read(rawValue, buffer.baseAddress! + done, buffer.count - done) }
            switch result {
            case .success(0): return done
            case .success(let n): done += n
            case .failure(let e): throw Self.ioError(e, path: path, "read failed")
            }
        }
        return done
    }

    /// Moves the file position. The corresponding C function is `lseek`.
    func seek(to offset: Int64) throws(FlumeLogError) {
        if Glibc.lseek(rawValue, off_t(offset), SEEK_SET) < 0 {
            throw Self.ioError(Errno(code: errno), path: path, "seek failed", offset: offset)
        }
    }

    /// Writes all of `bytes` at `offset`, looping over short writes.
    /// The corresponding C function is `pwrite`.
    package func pwriteFully(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(FlumeLogError) {
        var done = 0
        while done < bytes.count {
            let result = Self.retryingInterrupts {
                Glibc.pwrite(rawValue, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            }
            switch result {
            case .success(let n): done += n
            case .failure(let e): throw Self.ioError(e, path: path, "write failed", offset: offset + Int64(done))
            }
        }
    }

    /// Writes all of `bytes` at `offset`; see `pwriteFully(_:at:)`.
    package func pwriteFully(_ bytes: [UInt8], at offset: Int64) throws(FlumeLogError) {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(FlumeLogError) in try pwriteFully(raw, at: offset) }
        }.get()
    }

    /// Cuts or extends the file to `size` bytes. The corresponding C function is `ftruncate`.
    package func truncate(to size: Int64) throws(FlumeLogError) {
        let result = Self.retryingInterrupts { ftruncate(rawValue, off_t(size)) }
        if case .failure(let e) = result { throw Self.ioError(e, path: path, "cannot truncate", offset: size) }
    }

    /// Makes written data durable. The corresponding C function is `fsync`.
    func sync() throws(FlumeLogError) {
        let result = Self.retryingInterrupts { fsync(rawValue) }
        if case .failure(let e) = result { throw Self.ioError(e, path: path, "fsync failed") }
    }

    /// Takes the exclusive advisory lock without waiting. The lock belongs to this open file
    /// description, so a second open of the same log, in this process or another, is refused.
    /// The corresponding C function is `flock`.
    func lockExclusive() throws(FlumeLogError) {
        let result = Self.retryingInterrupts { flock(rawValue, LOCK_EX | LOCK_NB) }
        switch result {
        case .success: return
        case .failure(let e) where e.code == EWOULDBLOCK:
            throw FlumeLogError(.locked, file: path,
                                message: "locked by another process: another writer has this log open read-write", errno: e.code)
        case .failure(let e): throw Self.ioError(e, path: path, "cannot lock")
        }
    }

    /// Restores blocking I/O after a non-blocking open. The corresponding C function is `fcntl`.
    func clearNonBlocking() throws(FlumeLogError) {
        let flags = fcntl(rawValue, F_GETFL)
        if flags < 0 || fcntl(rawValue, F_SETFL, flags & ~O_NONBLOCK) < 0 {
            throw Self.ioError(Errno(code: errno), path: path, "cannot set blocking mode")
        }
    }

    /// Calls `body` again while it fails with EINTR.
    @inline(__always)
    static func retryingInterrupts<T: FixedWidthInteger>(_ body: () -> T) -> Result<T, Errno> {
        while true {
            let value = body()
            if value != -1 { return .success(value) }
            let code = errno
            if code != EINTR { return .failure(Errno(code: code)) }
        }
    }

    static func ioError(_ e: Errno, path: String, _ what: String, offset: Int64? = nil) -> FlumeLogError {
        FlumeLogError(.io, file: path, offset: offset, message: what, errno: e.code)
    }
}

extension FileDescriptor {
    /// Access-pattern advice for the page cache. The corresponding C function is `posix_fadvise`.
    enum Advice {
        case normal, sequential, random, willNeed, dontNeed

        var raw: Int32 {
            switch self {
            case .normal: POSIX_FADV_NORMAL
            case .sequential: POSIX_FADV_SEQUENTIAL
            case .random: POSIX_FADV_RANDOM
            case .willNeed: POSIX_FADV_WILLNEED
            case .dontNeed: POSIX_FADV_DONTNEED
            }
        }
    }

    /// Advises the kernel about `offset ..< offset + length` (0 length: to the end).
    /// posix_fadvise returns its error instead of setting errno.
    /// The corresponding C function is `posix_fadvise`.
    func advise(_ advice: Advice, offset: Int64 = 0, length: Int64 = 0) throws(FlumeLogError) {
        var code: Int32
        repeat { code = posix_fadvise(rawValue, off_t(offset), off_t(length), advice.raw) } while code == EINTR
        if code != 0 { throw Self.ioError(Errno(code: code), path: path, "posix_fadvise failed", offset: offset) }
    }

    /// Starts reading `offset ..< offset + length` into the page cache without waiting.
    /// The corresponding C function is `readahead`.
    func readAhead(offset: Int64, length: Int) {
        // Advisory: a failure changes nothing the caller can act on.
        if let readahead = Self.readaheadFunction {
            _ = readahead(rawValue, offset, length)
        } else {
            try? advise(.willNeed, offset: offset, length: Int64(length))
        }
    }

    /// glibc declares `readahead` only under _GNU_SOURCE, which Swift's Glibc module does not
    /// set, so it is looked up once by name.
    private typealias ReadaheadFunction = @convention(c) (Int32, Int64, Int) -> Int
    private static let readaheadFunction: ReadaheadFunction? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "readahead") else { return nil }
        return unsafeBitCast(symbol, to: ReadaheadFunction.self)
    }()
}
