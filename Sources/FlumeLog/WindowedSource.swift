#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The `buffered` and `pread` strategies: the file read into one reused buffer (a window). A
/// frame that crosses the window's end is carried over to its start; a record larger than the
/// buffer grows it once to that record's size, which the decoder has already bounded by the file.
///
/// `buffered` refills with `read(2)` from the current position (fio's `sync` engine), seeking
/// only when the caller jumps. `pread` refills with positional reads (fio's `psync`), tells the
/// kernel the access pattern with `posix_fadvise`, and keeps `readahead(2)` a window ahead of
/// forward scans; random reads load only a page or two.
final class WindowedSource: ByteSource {
    enum Refill {
        case read
        case pread(readahead: Int)
    }

    private let file: FileDescriptor
    private let refill: Refill
    private var buffer: UnsafeMutableRawBufferPointer
    /// File offset of `buffer[0]` and how many bytes of the buffer hold file data.
    private var windowStart: Int64 = 0
    private var windowCount: Int = 0
    /// Where the next `read(2)` starts, so sequential refills need no `lseek`.
    private var filePosition: Int64 = 0
    /// `pread`: the advice last given, and how far readahead has been requested.
    private var advised: AccessHint?
    private var readaheadEnd: Int64 = 0

    init(file: FileDescriptor, bufferSize: Int, refill: Refill) {
        self.file = file
        self.refill = refill
        buffer = .allocate(byteCount: bufferSize, alignment: 4096)
    }

    deinit { buffer.deallocate() }

    func currentSize() throws(FlumeLogError) -> Int64 { try file.size() }

    func invalidate() { windowCount = 0 }

    @inline(__always)
    func bytes(at offset: Int64, count: Int, hint: AccessHint) throws(FlumeLogError) -> UnsafeRawBufferPointer {
        let windowEnd = windowStart + Int64(windowCount)
        if offset >= windowStart, offset + Int64(count) <= windowEnd {
            let start = Int(offset - windowStart)
            return UnsafeRawBufferPointer(start: buffer.baseAddress! + start, count: count)
        }
        return try load(at: offset, count: count, hint: hint)
    }

    private func load(at offset: Int64, count: Int, hint: AccessHint) throws(FlumeLogError) -> UnsafeRawBufferPointer {
        if count > buffer.count { grow(to: count) }
        if case .pread = refill, advised != hint {
            try? file.advise(hint == .random ? .random : .sequential)
            advised = hint
        }
        let windowEnd = windowStart + Int64(windowCount)
        switch hint {
        case .forward:
            try fill(from: offset, keepingFrom: offset >= windowStart && offset < windowEnd ? offset : nil)
        case .backward:
            try fill(from: max(0, offset + Int64(count) - Int64(buffer.count)), keepingFrom: nil)
        case .random:
            // A page or two around the request: the frame's head and, usually, its tail.
            try fill(from: offset, keepingFrom: nil, limit: max(count, 8192))
        }
        guard offset + Int64(count) <= windowStart + Int64(windowCount) else {
            throw FlumeLogError(.truncatedFrame, file: file.path, offset: offset,
                                message: "the file ended at \(windowStart + Int64(windowCount)) while reading \(count) bytes (did it shrink underneath?)")
        }
        let start = Int(offset - windowStart)
        return UnsafeRawBufferPointer(start: buffer.baseAddress! + start, count: count)
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
        let wanted = max(min(limit ?? buffer.count, buffer.count) - kept, 0)
        let target = UnsafeMutableRawBufferPointer(rebasing: buffer[kept..<kept + wanted])
        let got: Int
        switch refill {
        case .read:
            if readFrom != filePosition { try file.seek(to: readFrom) }
            got = try file.readFully(into: target)
            filePosition = readFrom + Int64(got)
        case .pread(let readahead):
            got = try file.preadFully(into: target, at: readFrom)
            let readEnd = readFrom + Int64(got)
            if readahead > 0, limit == nil, readEnd + Int64(readahead) / 2 > readaheadEnd {
                let from = max(readEnd, readaheadEnd)
                file.readAhead(offset: from, length: Int(readEnd + Int64(readahead) - from))
                readaheadEnd = readEnd + Int64(readahead)
            }
        }
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
