#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a new AAOL file as JS AAOL 4.3.10 appends records one at a time (`append(buf)`, and
/// `append([...])`, which places its records one by one): a record goes into the current
/// block when its length field, its payload and a 2-byte end-of-block marker still fit, and
/// otherwise starts the next block; blocks are written whole, zero-padded. The same payloads
/// give the same bytes as JS. Unlike JS, an empty payload is refused (JS writes an
/// end-of-block marker and loses the rest of the block), and so is one over `blockSize - 4`
/// (JS throws too).
public final class AAOLWriter {
    public let path: String
    public let blockSize: Int
    private let file: FileDescriptor
    private var block: [UInt8]
    private var blockIndex: Int64 = 0
    private var inBlock = 0
    private var finished = false
    /// The offset of the last record written (JS `since`).
    public private(set) var since: Int64?

    /// Creates `path`, which must not exist (created exclusively, never through a link).
    public init(creating path: String, blockSize: Int = AAOLLog.defaultBlockSize) throws(FlumeLogError) {
        guard blockSize >= 16, blockSize <= 1 << 30 else {
            throw FlumeLogError(.invalidArgument, file: path, message: "block size must be 16 bytes ... 1 GiB, not \(blockSize)")
        }
        self.path = path
        self.blockSize = blockSize
        file = try FileDescriptor.createExclusive(path)
        block = [UInt8](repeating: 0, count: blockSize)
    }

    deinit { file.close() }

    /// Appends one record and returns its offset.
    @discardableResult
    public func append(_ payload: UnsafeRawBufferPointer) throws(FlumeLogError) -> Int64 {
        guard !finished else { throw FlumeLogError(.invalidArgument, file: path, message: "the writer is finished") }
        guard !payload.isEmpty else {
            throw FlumeLogError(.invalidArgument, file: path, offset: blockIndex * Int64(blockSize) + Int64(inBlock),
                                message: "a zero-length payload would read as an end-of-block marker (JS writes it, and loses the rest of the block)")
        }
        guard payload.count <= blockSize - 4 else {
            throw FlumeLogError(.valueTooLarge, file: path, message: "a \(payload.count)-byte payload does not fit a \(blockSize)-byte block (at most \(blockSize - 4))")
        }
        if inBlock + 2 + payload.count + 2 > blockSize { try nextBlock() }
        let offset = blockIndex * Int64(blockSize) + Int64(inBlock)
        block[inBlock] = UInt8(truncatingIfNeeded: payload.count)
        block[inBlock + 1] = UInt8(truncatingIfNeeded: payload.count >> 8)
        block.withUnsafeMutableBytes { out in
            UnsafeMutableRawBufferPointer(rebasing: out[(inBlock + 2)...]).copyMemory(from: payload)
        }
        inBlock += 2 + payload.count
        since = offset
        return offset
    }

    @discardableResult
    public func append(_ payload: [UInt8]) throws(FlumeLogError) -> Int64 {
        try payload.withUnsafeBytes { raw in Result { () throws(FlumeLogError) in try append(raw) } }.get()
    }

    /// Writes the last block and syncs the file. A log with no record stays empty, as JS leaves it.
    public func finish() throws(FlumeLogError) {
        guard !finished else { return }
        finished = true
        if inBlock > 0 { try file.pwriteFully(block, at: blockIndex * Int64(blockSize)) }
        try file.sync()
    }

    private func nextBlock() throws(FlumeLogError) {
        try file.pwriteFully(block, at: blockIndex * Int64(blockSize))
        blockIndex += 1
        inBlock = 0
        block.withUnsafeMutableBytes { $0.initializeMemory(as: UInt8.self, repeating: 0) }
    }
}
