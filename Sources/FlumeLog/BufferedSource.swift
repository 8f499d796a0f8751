#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The `buffered` strategy: `read(2)` into one reused buffer (fio's `sync` engine). A frame
/// that crosses the buffer's end is carried over to its start; a record larger than the buffer
/// grows it once to that record's size, which the decoder has already bounded by the file.
final class BufferedSource: ByteSource {
    private let file: FileDescriptor
    private var buffer: UnsafeMutableRawBufferPointer
    /// File offset of `buffer[0]` and how many bytes of the buffer hold file data.
    private var windowStart: Int64 = 0
    private var windowCount: Int = 0
    /// Where the next `read(2)` starts, so sequential refills need no `lseek`.
    private var filePosition: Int64 = 0

    init(file: FileDescriptor, bufferSize: Int) {
        self.file = file
        buffer = .allocate(byteCount: bufferSize, alignment: 4096)
    }

    deinit { buffer.deallocate() }

    func currentSize() throws(FlumeLogError) -> Int64 { try file.size() }

    func invalidate() { windowCount = 0 }

    func bytes(at offset: Int64, count: Int, hint: AccessHint) throws(FlumeLogError) -> UnsafeRawBufferPointer {
        let windowEnd = windowStart + Int64(windowCount)
        if offset >= windowStart, offset + Int64(count) <= windowEnd {
            return slice(offset, count)
        }
        if count > buffer.count { grow(to: count) }
        switch hint {
        case .forward:
            try fill(from: offset, keepingFrom: offset >= windowStart && offset < windowEnd ? offset : nil)
        case .backward:
            try fill(from: max(0, offset + Int64(count) - Int64(buffer.count)), keepingFrom: nil)
        case .random:
            try fill(from: offset, keepingFrom: nil, limit: max(count, 4096))
        }
        guard offset + Int64(count) <= windowStart + Int64(windowCount) else {
            throw FlumeLogError(.truncatedFrame, file: file.path, offset: offset,
                                message: "the file ended at \(windowStart + Int64(windowCount)) while reading \(count) bytes (did it shrink underneath?)")
        }
        return slice(offset, count)
    }

    private func slice(_ offset: Int64, _ count: Int) -> UnsafeRawBufferPointer {
        let start = Int(offset - windowStart)
        return UnsafeRawBufferPointer(rebasing: buffer[start..<start + count])
    }

    /// Loads the window starting at `start`. Bytes already held from `keepingFrom` on move to
    /// the front instead of being read again.
    private func fill(from start: Int64, keepingFrom keep: Int64?, limit: Int? = nil) throws(FlumeLogError) {
        var kept = 0
        if let keep {
            kept = Int(windowStart + Int64(windowCount) - keep)
            buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + Int(keep - windowStart), byteCount: kept)
        }
        windowStart = start
        windowCount = kept
        let readFrom = start + Int64(kept)
        if readFrom != filePosition { try file.seek(to: readFrom) }
        let wanted = min(limit ?? buffer.count, buffer.count) - kept
        let got = try file.readFully(into: UnsafeMutableRawBufferPointer(rebasing: buffer[kept..<kept + max(wanted, 0)]))
        filePosition = readFrom + Int64(got)
        windowCount = kept + got
    }

    private func grow(to count: Int) {
        let size = (count + 4095) & ~4095
        let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 4096)
        grown.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: windowCount)
        buffer.deallocate()
        buffer = grown
    }
}
