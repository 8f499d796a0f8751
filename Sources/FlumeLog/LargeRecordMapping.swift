/// A record larger than a buffered source's buffer, mapped for the time it is borrowed instead
/// of growing the buffer, so the memory a reader holds is bounded by its configuration, not by
/// the largest record in its input.
struct LargeRecordMapping {
    let mapping: MemoryMapping
    /// The bus-error count when the mapping was made.
    private let faults: Int

    init(_ file: FileDescriptor, offset: Int64, count: Int) throws(FlumeLogError) {
        let size = try file.size()
        guard offset + Int64(count) <= size else {
            throw FlumeLogError(.truncatedFrame, file: file.path, offset: offset,
                                message: "the file ends at \(size), before \(offset + Int64(count)) (did it shrink underneath?)")
        }
        mapping = try MemoryMapping(file, offset: offset, length: count)
        mapping.advise(.sequential)
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
