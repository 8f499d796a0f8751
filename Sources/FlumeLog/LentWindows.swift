/// What a windowed source (`buffered`, `pread`) has lent under a `PayloadLease`: each buffer a
/// load replaced, and each large record's mapping, kept with the end of the file range it held
/// until the lease holder has used the records in it. Then buffers go back to a pool the next
/// loads fill, and mappings are unmapped: a feed holds a few megabytes of windows, reused, and
/// nothing is allocated per load once the pool has grown.
struct LentWindows {
    private var buffers: [(base: UnsafeMutableRawPointer, end: Int64)] = []
    private var mappings: [(record: LargeRecordMapping, end: Int64)] = []
    private var spare: [UnsafeMutableRawPointer] = []
    let bufferSize: Int
    /// Leases held: while there are any, loads fill fresh buffers.
    private(set) var leases = 0
    /// The first large record's mapping found cut off its file (a page vanished) as it was
    /// released: the bytes it lent read as zeros.
    private(set) var truncated: LargeRecordMapping?

    init(bufferSize: Int) { self.bufferSize = bufferSize }

    mutating func beginLease() {
        if leases == 0 { truncated = nil }
        leases += 1
    }

    mutating func endLease() {
        leases -= 1
        if leases == 0 { release(upTo: .max) }
    }

    /// A buffer for the next load, from the pool when it has one.
    mutating func freshBuffer() -> UnsafeMutableRawPointer {
        spare.popLast() ?? .allocate(byteCount: bufferSize, alignment: 4096)
    }

    /// Keeps a replaced buffer whose bytes ended at file offset `end`.
    mutating func keep(_ base: UnsafeMutableRawPointer, endingAt end: Int64) { buffers.append((base, end)) }

    mutating func keep(_ record: LargeRecordMapping) {
        mappings.append((record, record.mapping.fileOffset + Int64(record.mapping.length)))
    }

    /// The records ending at or before `end` are no longer used: what held only them is freed.
    /// Not only a prefix: the window an open read at the log's end is kept first, and stays.
    mutating func release(upTo end: Int64) {
        for buffer in buffers where buffer.end <= end { spare.append(buffer.base) }
        buffers.removeAll { $0.end <= end }
        for mapping in mappings where mapping.end <= end {
            if truncated == nil, mapping.record.wasTruncated { truncated = mapping.record }
            mapping.record.mapping.unmap()
        }
        mappings.removeAll { $0.end <= end }
    }

    /// Frees everything (the source's `deinit`).
    mutating func deallocate() {
        release(upTo: .max)
        spare.forEach { $0.deallocate() }
        spare = []
    }
}
