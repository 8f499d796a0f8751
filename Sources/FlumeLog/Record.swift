/// One record as a reader yields it: its payload is *borrowed* from the reader's buffer or
/// mapping, valid only until the reader moves on (the next `next()` call, or the end of the
/// closure it was passed to). Copy with `copied()` to keep it.
public struct Record {
    /// The record's id ("seq" in JS): the byte offset of its leading length field.
    public let offset: Int64
    /// The payload bytes, borrowed.
    public let payload: UnsafeRawBufferPointer
    /// Offset of the next frame (= the trailer value = file size right after this append).
    public let nextOffset: Int64

    @inlinable
    public init(offset: Int64, payload: UnsafeRawBufferPointer, nextOffset: Int64) {
        self.offset = offset
        self.payload = payload
        self.nextOffset = nextOffset
    }

    public var length: Int { payload.count }

    /// JS flumelog-offset treats every non-empty payload made only of zero bytes as deleted
    /// (`log.del()` writes exactly that); an empty payload is not deleted, just empty.
    @inlinable
    public var isDeleted: Bool {
        guard !payload.isEmpty else { return false }
        for byte in payload where byte != 0 { return false }
        return true
    }

    /// An owned copy that outlives the reader.
    public func copied() -> StoredRecord {
        StoredRecord(offset: offset, payload: Array(payload), nextOffset: nextOffset)
    }
}

/// A record copied out of the log, for callers that keep records (tests, small tools).
public struct StoredRecord: Equatable, Hashable, Sendable {
    public var offset: Int64
    public var payload: [UInt8]
    public var nextOffset: Int64

    public init(offset: Int64, payload: [UInt8], nextOffset: Int64) {
        self.offset = offset
        self.payload = payload
        self.nextOffset = nextOffset
    }

    public var length: Int { payload.count }

    public var isDeleted: Bool { !payload.isEmpty && payload.allSatisfy { $0 == 0 } }
}

/// Whether deleted records (tombstones) reach the consumer.
public enum DeletedRecords: Sendable {
    /// Tombstones are yielded; check `Record.isDeleted`.
    case visible
    /// JS-compatible: scans skip them, single reads fail with `.deleted`.
    case skipped
}

/// Which way a scan walks the log.
public enum ScanDirection: Sendable {
    case forward
    case reverse
}

/// Where a scan begins, in its own direction (JS `gte`/`gt` forward, `lte`/`lt` in reverse).
public enum ScanStart: Sendable, Equatable {
    /// The first record forward, the last record in reverse.
    case beginning
    /// At the record starting at this offset, inclusive.
    case including(Int64)
    /// At the record that follows this one in scan direction (exclusive).
    case after(Int64)
}
