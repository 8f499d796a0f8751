/// Contiguous bytes of a file held in memory: `count` bytes from file offset `start`, at `base`.
struct SourceWindow {
    var base: UnsafeMutableRawPointer
    var start: Int64 = 0
    var count: Int = 0

    var end: Int64 { start + Int64(count) }
}

/// A source that lends bytes out of one window of the file (`buffered`, `pread`, `uring`) and
/// loads another when a request falls outside it. The per-frame fast paths live here once, so
/// the strategies differ only in how they load. The window is kept behind a pointer: the fast
/// path then reads plain memory, with none of the exclusivity checks class properties cost.
protocol WindowLending: ByteSource {
    var window: UnsafeMutablePointer<SourceWindow> { get }
    /// The largest request served from the window; a larger one is mapped (`LargeRecordMapping`)
    /// and `load` returns the mapping's bytes.
    var windowLimit: Int { get }
    /// Makes the window hold `offset ..< offset + count` and returns those bytes (or the
    /// mapping's, above `windowLimit`); a file that ended before them is `truncatedFrame`.
    func load(at offset: Int64, count: Int, hint: AccessHint) throws(FlumeLogError) -> UnsafeRawBufferPointer
}

extension WindowLending {
    @inline(__always)
    func bytes(at offset: Int64, count: Int, hint: AccessHint) throws(FlumeLogError) -> UnsafeRawBufferPointer {
        let held = window.pointee
        if offset >= held.start, offset + Int64(count) <= held.end {
            return UnsafeRawBufferPointer(start: held.base + Int(offset - held.start), count: count)
        }
        return try load(at: offset, count: count, hint: hint)
    }

    @inline(__always)
    func bytes(from offset: Int64, atLeast minimum: Int, hint: AccessHint) throws(FlumeLogError) -> UnsafeRawBufferPointer {
        var held = window.pointee
        if offset < held.start || offset + Int64(minimum) > held.end {
            let loaded = try load(at: offset, count: minimum, hint: hint)
            if minimum > windowLimit { return loaded }
            held = window.pointee
        }
        let start = Int(offset - held.start)
        return UnsafeRawBufferPointer(start: held.base + start, count: held.count - start)
    }

    /// The held bytes that end at `end`, at least `minimum` of them: a backward scan reads
    /// frames from here without a call per frame. A missing stretch loads a backward window
    /// ending at `end`.
    @inline(__always)
    func bytes(endingAt end: Int64, atLeast minimum: Int, hint: AccessHint) throws(FlumeLogError) -> UnsafeRawBufferPointer {
        var held = window.pointee
        if end - Int64(minimum) < held.start || end > held.end {
            let loaded = try load(at: end - Int64(minimum), count: minimum, hint: hint)
            if minimum > windowLimit { return loaded }
            held = window.pointee
        }
        return UnsafeRawBufferPointer(start: held.base, count: Int(end - held.start))
    }

    /// The loaded window's bytes for `offset ..< offset + count`, or `truncatedFrame` when the
    /// file ended before them (it shrank underneath).
    func lent(at offset: Int64, count: Int, path: String) throws(FlumeLogError) -> UnsafeRawBufferPointer {
        let held = window.pointee
        guard offset >= held.start, offset + Int64(count) <= held.end else {
            throw FlumeLogError(.truncatedFrame, file: path, offset: offset,
                                message: "the file ended at \(held.end) while reading \(count) bytes (did it shrink underneath?)")
        }
        return UnsafeRawBufferPointer(start: held.base + Int(offset - held.start), count: count)
    }
}
