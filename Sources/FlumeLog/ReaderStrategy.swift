/// How a file-backed log reads its bytes: a small value with validated parameters and a human
/// description (fio calls these I/O engines: `sync`, `psync`, `mmap`). Every strategy feeds the
/// same decoder, so all yield the same records and the same errors.
public struct ReaderStrategy: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        /// `read(2)` into one reused buffer.
        case buffered
        /// The file mapped read-only; no copy.
        case mmap
        /// `pread(2)` into one reused buffer, with `posix_fadvise` hints and `readahead(2)`.
        case pread
        /// io_uring: reads queued ahead of a forward scan into one registered buffer.
        case uring
    }

    public let kind: Kind
    /// Bytes per refill of the buffer (`buffered`, `pread`); 0 for `mmap`.
    public let bufferSize: Int
    /// Bytes kept in flight ahead of a forward scan (`pread`, `uring`), and asked for behind a
    /// reverse scan (`buffered`; `pread` and `uring` ask for this or
    /// `BackwardReadahead.reverseScanDistance`, whichever is more; the kernel reads ahead of
    /// `read(2)` forwards by itself); 0 for `mmap`.
    public let readahead: Int

    /// 256 KiB measured best for buffered and pread scans on this machine kind (64 KiB to 4 MiB
    /// tried; see the README's "Reader strategies").
    public static let defaultBufferSize = 256 * 1024
    public static let defaultReadahead = 2 * 1024 * 1024

    /// `read(2)` into one reused buffer of `bufferSize` bytes (4 KiB ... 1 GiB).
    public static func buffered(bufferSize: Int = defaultBufferSize) throws(FlumeLogError) -> ReaderStrategy {
        try checkBufferSize(bufferSize)
        return ReaderStrategy(kind: .buffered, bufferSize: bufferSize, readahead: BackwardReadahead.reverseScanDistance)
    }

    /// The file mapped read-only.
    public static let mmap = ReaderStrategy(kind: .mmap, bufferSize: 0, readahead: 0)

    /// `pread(2)` into a buffer of `bufferSize` bytes, `readahead` bytes requested ahead of a
    /// forward scan (0 turns readahead off).
    public static func pread(bufferSize: Int = defaultBufferSize, readahead: Int = defaultReadahead) throws(FlumeLogError) -> ReaderStrategy {
        try checkBufferSize(bufferSize)
        guard readahead >= 0, readahead <= 1 << 30 else {
            throw FlumeLogError(.invalidArgument, message: "readahead must be 0 ... 1 GiB, not \(readahead) bytes")
        }
        return ReaderStrategy(kind: .pread, bufferSize: bufferSize, readahead: readahead)
    }

    /// io_uring reads of `bufferSize` bytes, `inFlight` bytes of them queued ahead of a forward
    /// scan (at least two reads). Where the kernel refuses io_uring (see
    /// `uringUnavailableReason`), it reads as `pread` with the same sizes.
    public static func uring(bufferSize: Int = defaultBufferSize, inFlight: Int = defaultReadahead) throws(FlumeLogError) -> ReaderStrategy {
        try checkBufferSize(bufferSize)
        guard inFlight >= 2 * bufferSize, inFlight / bufferSize <= 256 else {
            throw FlumeLogError(.invalidArgument, message: "io_uring keeps 2 ... 256 reads of \(size(bufferSize)) in flight, not \(inFlight) bytes")
        }
        return ReaderStrategy(kind: .uring, bufferSize: bufferSize, readahead: inFlight)
    }

    /// Why this process cannot use io_uring (the kernel refused to set up a ring: an old kernel,
    /// `kernel.io_uring_disabled`, a seccomp filter), or nil when it can. The `uring` strategy
    /// then reads with `pread(2)`; tools should say so.
    public static var uringUnavailableReason: String? { UringSource.unavailableReason }

    /// Bytes of buffers a reader with this strategy holds: its buffer (`buffered`, `pread`), its
    /// slots and carry (`uring`), none (`mmap`). Records larger than a buffer are mapped, so
    /// this bounds a reader's heap whatever its input.
    public var bufferMemory: Int {
        switch kind {
        case .buffered, .pread: bufferSize
        case .mmap: 0
        case .uring: bufferSize * (readahead / bufferSize + 1)
        }
    }

    /// The default strategy.
    public static let standard = ReaderStrategy(kind: .buffered, bufferSize: defaultBufferSize, readahead: BackwardReadahead.reverseScanDistance)

    /// Each kind with its default parameters.
    public static let all: [ReaderStrategy] = [
        standard, mmap, ReaderStrategy(kind: .pread, bufferSize: defaultBufferSize, readahead: defaultReadahead),
        ReaderStrategy(kind: .uring, bufferSize: defaultBufferSize, readahead: defaultReadahead),
    ]

    /// The kind with default parameters.
    public init(_ kind: Kind) {
        self = Self.all.first { $0.kind == kind }!
    }

    private init(kind: Kind, bufferSize: Int, readahead: Int) {
        self.kind = kind
        self.bufferSize = bufferSize
        self.readahead = readahead
    }

    public var description: String {
        switch kind {
        case .buffered: "buffered read(2), \(Self.size(bufferSize)) buffer, \(Self.size(readahead)) readahead behind reverse scans"
        case .mmap: "mmap, read-only shared mapping"
        case .pread: "pread, \(Self.size(bufferSize)) buffer, \(readahead == 0 ? "no" : Self.size(readahead)) readahead"
        case .uring: "io_uring, \(Self.size(bufferSize)) reads, \(readahead / bufferSize) in flight"
        }
    }

    private static func size(_ bytes: Int) -> String {
        bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes >> 10) KiB"
    }

    private static func checkBufferSize(_ bytes: Int) throws(FlumeLogError) {
        guard bytes >= 4096, bytes <= 1 << 30 else {
            throw FlumeLogError(.invalidArgument, message: "buffer size must be 4 KiB ... 1 GiB, not \(bytes) bytes")
        }
    }

    func makeSource(for file: FileDescriptor) -> ByteSource {
        switch kind {
        case .buffered: WindowedSource(file: file, bufferSize: bufferSize, refill: .read(readaheadBehind: readahead))
        case .mmap: MappedSource(file: file)
        case .pread: WindowedSource(file: file, bufferSize: bufferSize, refill: .pread(readahead: readahead))
        case .uring:
            UringSource(file: file, slotSize: bufferSize, depth: readahead / bufferSize)
                ?? WindowedSource(file: file, bufferSize: bufferSize, refill: .pread(readahead: readahead))
        }
    }
}
