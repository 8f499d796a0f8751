/// A record larger than a buffered source's buffer, mapped for the time it is borrowed instead
/// of growing the buffer, so the memory a reader holds is bounded by its configuration, not by
/// the largest record in its input.
struct LargeRecordMapping {
    let mapping: MemoryMapping
    /// The bus-error count when the mapping was made.
    private let faults: Int

    /// A scan forward leaves the mapping to the kernel's default readahead: the record's first
    /// page, read with the window before it, is already cached, and after a cached page
    /// `MADV_SEQUENTIAL` reads a window per fault while the scan waits (64 MiB of mostly 4 MiB
    /// records, cold: buffered 50 -> 24 ms, pread 59 -> 31, uring 58 -> 28). Reverse scans and
    /// reads by offset keep `MADV_SEQUENTIAL`: the default's read-around made a reverse scan
    /// slower (45 -> 65 ms).
    init(_ file: FileDescriptor, offset: Int64, count: Int, hint: AccessHint) throws(FlumeLogError) {
        let size = try file.size()
        guard offset + Int64(count) <= size else {
            throw FlumeLogError(.truncatedFrame, file: file.path, offset: offset,
                                message: "the file ends at \(size), before \(offset + Int64(count)) (did it shrink underneath?)")
        }
        mapping = try MemoryMapping(file, offset: offset, length: count)
        if hint != .forward { mapping.advise(.sequential) }
        faults = BusErrorGuard.faults
    }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: mapping.base, count: mapping.length) }

    /// Whether a page of the mapping vanished (the file was truncated) since it was made.
    var wasTruncated: Bool { BusErrorGuard.faults != faults }

    func truncationError(path: String) -> FlumeLogError {
        FlumeLogError(.truncatedFrame, file: path, offset: mapping.fileOffset,
                      message: "the file was truncated while a large record was being read")
    }
}

extension Optional<LargeRecordMapping> {
    /// Throws when the record lent last was cut off its file while lent (and unmaps it).
    mutating func checkIntact(path: String) throws(FlumeLogError) {
        if let record = self, record.wasTruncated {
            self = nil
            record.mapping.unmap()
            throw record.truncationError(path: path)
        }
    }

    /// Unmaps the record lent last, once it is checked as above: the next load replaces it.
    mutating func release(path: String) throws(FlumeLogError) {
        try checkIntact(path: path)
        if let record = self {
            self = nil
            record.mapping.unmap()
        }
    }
}
