/// How a file-backed log reads its bytes: a small value with validated parameters and a
/// human description (fio calls these I/O engines).
public struct ReaderStrategy: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        /// `read(2)` into one reused buffer.
        case buffered
    }

    public let kind: Kind
    /// Bytes per refill of the buffer.
    public let bufferSize: Int

    public static let defaultBufferSize = 256 * 1024

    /// `read(2)` into one reused buffer of `bufferSize` bytes (at least 4 KiB).
    public static func buffered(bufferSize: Int = defaultBufferSize) throws(FlumeLogError) -> ReaderStrategy {
        guard bufferSize >= 4096, bufferSize <= 1 << 30 else {
            throw FlumeLogError(.invalidArgument, message: "buffer size must be 4 KiB ... 1 GiB, not \(bufferSize) bytes")
        }
        return ReaderStrategy(kind: .buffered, bufferSize: bufferSize)
    }

    /// The default strategy.
    public static let standard = ReaderStrategy(kind: .buffered, bufferSize: defaultBufferSize)

    public var description: String {
        switch kind {
        case .buffered: "buffered read(2), \(bufferSize / 1024) KiB buffer"
        }
    }

    func makeSource(for file: FileDescriptor) -> ByteSource {
        switch kind {
        case .buffered: BufferedSource(file: file, bufferSize: bufferSize)
        }
    }
}
