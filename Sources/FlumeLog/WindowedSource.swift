#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The `buffered` and `pread` strategies: the file read into one reused buffer (a window). A
/// frame that crosses the window's end is carried over to its start. A record larger than the
/// buffer is mapped while it is borrowed (`LargeRecordMapping`).
///
/// `buffered` refills with `read(2)` from the current position (fio's `sync` engine), seeking
/// only when the caller jumps; a reverse scan asks for the stretch before its window
/// (`BackwardReadahead`), which the kernel does by itself only forwards. `pread` refills with
/// positional reads (fio's `psync`), tells the kernel the access pattern with `posix_fadvise`,
/// and keeps `readahead(2)` a window ahead of forward scans; random reads load only a page or
/// two.
final class WindowedSource: WindowLending {
    enum Refill {
        case read(readaheadBehind: Int)
        case pread(readahead: Int)
    }

    private let file: FileDescriptor
    private let refill: Refill
    /// The buffer and what it holds.
    let window: UnsafeMutablePointer<SourceWindow>
    /// The buffer's size.
    let windowLimit: Int
    /// Where the next `read(2)` starts, so sequential refills need no `lseek`.
    private var filePosition: Int64 = 0
    /// `pread`: the advice last given, and how far readahead has been requested.
    private var advised: AccessHint?
    private var readaheadEnd: Int64 = 0
    private let readaheadBehind: BackwardReadahead
    /// A record larger than the buffer, while it is borrowed.
    private var oversized: LargeRecordMapping?
    /// Reads by offset announced in file order within one buffer's reach (`willRead(at:)`):
    /// a random load inside them reads up to the last one's page at once.
    private var announced: Range<Int64> = 0..<0
    /// Under a `PayloadLease`, what loads replaced, kept until released.
    private var lent: LentWindows

    init(file: FileDescriptor, bufferSize: Int, refill: Refill) {
        self.file = file
        self.refill = refill
        windowLimit = bufferSize
        switch refill {
        case .pread(let readahead), .read(let readahead): readaheadBehind = BackwardReadahead(distance: readahead, chunk: bufferSize)
        }
        window = .allocate(capacity: 1)
        window.initialize(to: SourceWindow(base: .allocate(byteCount: bufferSize, alignment: 4096)))
        lent = LentWindows(bufferSize: bufferSize)
    }

    deinit {
        oversized?.mapping.unmap()
        lent.deallocate()
        window.pointee.base.deallocate()
        window.deallocate()
    }

    /// See `PayloadLease`: while one is held, a load fills a fresh buffer and keeps the one it
    /// replaces (and a large record's mapping) until `release(upTo:)` passes its end.
    func beginLease() { lent.beginLease() }
    func endLease() { lent.endLease() }
    func release(upTo end: Int64) { lent.release(upTo: end) }

    /// Throws when a large record lent under the lease was cut off its file while lent.
    func checkLentIntact() throws(FlumeLogError) {
        if let record = lent.truncated { throw record.truncationError(path: file.path) }
    }

    func currentSize() throws(FlumeLogError) -> Int64 { try file.size() }

    /// See `SourceDispatch.twin`.
    func twin() -> (source: any ByteSource, file: FileDescriptor)? {
        file.reopenedForReading().map { (WindowedSource(file: $0, bufferSize: windowLimit, refill: refill), $0) }
    }

    func invalidate() { window.pointee.count = 0 }

    func checkIntact(thorough: Bool) throws(FlumeLogError) {
        try oversized.checkIntact(path: file.path)
    }

    func load(at offset: Int64, count: Int, hint: AccessHint) throws(FlumeLogError) -> UnsafeRawBufferPointer {
        if lent.leases > 0, let record = oversized {
            try oversized.checkIntact(path: file.path)
            lent.keep(record)
            oversized = nil
        }
        try oversized.release(path: file.path)
        if count > windowLimit {
            // Read through its mapping; what lies below is asked for meanwhile.
            if hint == .backward { readaheadBehind.window(startingAt: offset, of: file) }
            let record = try LargeRecordMapping(file, offset: offset, count: count, hint: hint)
            oversized = record
            return record.bytes
        }
        if case .pread = refill, advised != hint {
            try? file.advise(hint == .random ? .random : .sequential)
            advised = hint
        }
        let windowStart = window.pointee.start
        let windowEnd = windowStart + Int64(window.pointee.count)
        switch hint {
        case .forward:
            try fill(from: offset, keepingFrom: offset >= windowStart && offset < windowEnd ? offset : nil)
        case .backward:
            let start = max(0, offset + Int64(count) - Int64(windowLimit))
            readaheadBehind.window(startingAt: start, of: file)
            try fill(from: start, keepingFrom: nil)
        case .random:
            // A page or two around the request: the frame's head and, usually, its tail; or
            // the records announced after it too (a manifest's reads, every record in order).
            let ahead = announced.contains(offset) ? Int(announced.upperBound - offset) : 0
            try fill(from: offset, keepingFrom: nil, limit: max(count, 8192, ahead))
        }
        return try lent(at: offset, count: count, path: file.path)
    }

    /// Offsets in order that one buffer holds are read together: about one read per buffer
    /// instead of one per 8 KiB (the 1 GiB corpus's manifest check: 140,000 reads per strategy).
    func willRead(at offsets: UnsafeBufferPointer<Int64>) {
        announced = 0..<0
        guard let first = offsets.first, let last = offsets.last, last >= first,
              last - first <= Int64(windowLimit - 8192),
              offsets.climbs else { return }
        announced = first..<last + 8192
    }

    /// Loads the window starting at `start`. Bytes already held from `keepingFrom` on move to
    /// the front instead of being read again.
    private func fill(from start: Int64, keepingFrom keep: Int64?, limit: Int? = nil) throws(FlumeLogError) {
        var held = window.pointee
        var kept = 0
        let previous = held.base
        if lent.leases > 0 {
            lent.keep(previous, endingAt: held.end)
            held.base = lent.freshBuffer()
        }
        if let keep {
            kept = Int(held.start + Int64(held.count) - keep)
            held.base.copyMemory(from: previous + Int(keep - held.start), byteCount: kept)
        }
        held.start = start
        held.count = kept
        window.pointee = held
        let readFrom = start + Int64(kept)
        let wanted = max(min(limit ?? windowLimit, windowLimit) - kept, 0)
        let target = UnsafeMutableRawBufferPointer(start: held.base + kept, count: wanted)
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
        window.pointee.count = kept + got
    }
}
