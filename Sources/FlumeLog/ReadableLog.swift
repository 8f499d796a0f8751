/// What every log format reads alike, whatever frames its records: scans both ways from any
/// record, reads by offset, `since` and the end. Consumers (verify, dump, views, benchmarks)
/// take any format through it; `OffsetFrameLog` adds what only the offset format has.
public protocol ReadableLog: AnyObject {
    var format: LogFormat { get }
    /// The file, nil for memory.
    var location: String? { get }
    /// The id of the last record (JS `since`; offset2: its seq); nil for an empty log, where JS
    /// reports -1.
    var since: Int64? { get }
    /// The end of the last complete record: no record lies at or past it.
    var end: Int64 { get }
    /// A pull-style scan of the records, payloads borrowed until the next call.
    func records(_ direction: ScanDirection, from start: ScanStart, deleted: DeletedRecords) throws(FlumeLogError) -> RecordCursor
    /// The record at `offset`, which must be a record start (payload borrowed for the call).
    func withRecord<Result>(at offset: Int64, deleted: DeletedRecords, _ body: (Record) throws -> Result) throws -> Result
    /// The record at each of `offsets`, in order (payloads borrowed for the call): reads by
    /// offset in bulk, which a reader that can read side by side (io_uring) submits together.
    /// An array, not any collection: a generic one is iterated through its witnesses, which
    /// allocated once per element (ReadByOffsetAllocationTests).
    func forEachRecord(at offsets: [Int64], deleted: DeletedRecords, _ body: (Record) throws -> Void) throws
}

extension ReadableLog {
    /// JS's `since`: -1 for an empty log.
    public var sinceOrMinusOne: Int64 { since ?? -1 }

    /// Calls `body` with each record of a scan (payload borrowed for the call).
    public func forEachRecord(_ direction: ScanDirection = .forward, from start: ScanStart = .beginning,
                              deleted: DeletedRecords = .visible, _ body: (Record) throws -> Void) throws {
        var cursor = try records(direction, from: start, deleted: deleted)
        while let record = try cursor.next() { try body(record) }
    }

    public func forEachRecord(at offsets: [Int64], deleted: DeletedRecords = .visible, _ body: (Record) throws -> Void) throws {
        for offset in offsets { try withRecord(at: offset, deleted: deleted, body) }
    }

    /// A copy of the record at `offset`.
    public func copyOfRecord(at offset: Int64, deleted: DeletedRecords = .visible) throws -> StoredRecord {
        try withRecord(at: offset, deleted: deleted) { $0.copied() }
    }
}

/// A scan of any format: the format's own cursor, held in place (an optional per format, not
/// an enum payload, which would be copied out and back, with its references retained and
/// released, on every record).
public struct RecordCursor {
    private var offset: LogCursor?
    private var aaol: AAOLCursor?
    private var offset2: Offset2Cursor?

    public init(_ cursor: LogCursor) { offset = cursor }
    public init(_ cursor: AAOLCursor) { aaol = cursor }
    public init(_ cursor: Offset2Cursor) { offset2 = cursor }

    @inline(__always)
    public mutating func next() throws(FlumeLogError) -> Record? {
        if offset != nil { return try offset!.next() }
        if aaol != nil { return try aaol!.next() }
        return try offset2!.next()
    }
}

extension OffsetLog: ReadableLog {
    public var format: LogFormat { .offset(width) }
    public var location: String? { path }

    /// Tells the reader strategy each 64 offsets before reading them (io_uring submits them
    /// together); nothing is allocated per record. Each batch reads through one copy of the
    /// reader: taking it from the log per record retained its source and path each time.
    public func forEachRecord(at offsets: [Int64], deleted: DeletedRecords = .visible, _ body: (Record) throws -> Void) throws {
        try offsets.withUnsafeBufferPointer { offsets in
            var start = 0
            while start < offsets.count {
                let batch = UnsafeBufferPointer(rebasing: offsets[start..<min(offsets.count, start + 64)])
                let reader = reader
                let source = reader.source
                source.willRead(at: batch)
                for offset in batch {
                    try body(try reader.checkedRecord(at: offset, deleted: deleted))
                    try source.checkIntact(thorough: false)
                }
                start += batch.count
            }
        }
    }

    public func records(_ direction: ScanDirection, from start: ScanStart, deleted: DeletedRecords) throws(FlumeLogError) -> RecordCursor {
        RecordCursor(try cursor(direction, from: start, deleted: deleted))
    }
}

extension MemoryLog: ReadableLog {
    public var format: LogFormat { .offset(width) }
    public var location: String? { nil }

    public func records(_ direction: ScanDirection, from start: ScanStart, deleted: DeletedRecords) throws(FlumeLogError) -> RecordCursor {
        RecordCursor(try cursor(direction, from: start, deleted: deleted))
    }
}

extension AAOLLog: ReadableLog {
    public var format: LogFormat { .aaol(blockSize: blockSize) }
    public var location: String? { path }

    public func records(_ direction: ScanDirection, from start: ScanStart, deleted: DeletedRecords) throws(FlumeLogError) -> RecordCursor {
        RecordCursor(try cursor(direction, from: start, deleted: deleted))
    }
}

extension Offset2Log: ReadableLog {
    public var format: LogFormat { .offset2 }
    public var location: String? { directory }

    public func records(_ direction: ScanDirection, from start: ScanStart, deleted: DeletedRecords) throws(FlumeLogError) -> RecordCursor {
        RecordCursor(try cursor(direction, from: start, deleted: deleted))
    }
}
