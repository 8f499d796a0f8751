/// The flume offset format's own protocol: what `OffsetLog` (a file) and `MemoryLog` (the
/// reference in tests) share, frames and trailer widths included: the same reads,
/// scans, appends and deletions, so a test can hold one against the other.
public protocol OffsetFrameLog: AnyObject {
    var width: TrailerWidth { get }
    /// The decoder over this log's bytes, bounded by its valid end.
    var reader: LogReader { get }
    /// The offset of the last record (JS `since`); nil for an empty log, where JS reports -1.
    var since: Int64? { get }

    /// Appends one record and returns its offset.
    @discardableResult
    func append(_ payload: some Collection<UInt8>) throws(FlumeLogError) -> Int64
    /// Appends records in one write and returns each record's own offset (JS returns only the last).
    @discardableResult
    func append<Payloads: Collection>(batch payloads: Payloads) throws(FlumeLogError) -> [Int64]
        where Payloads.Element: Collection<UInt8>
    /// Deletes as JS does: the payload becomes zero bytes; both lengths and the trailer stay.
    func delete(at offset: Int64) throws(FlumeLogError)
}

extension OffsetFrameLog {
    /// The valid end: where the next append goes (the file size, unless a torn tail was left
    /// in place by a read-only open).
    public var end: Int64 { reader.end }

    /// A pull-style scan; see `LogCursor`.
    public func cursor(_ direction: ScanDirection = .forward, from start: ScanStart = .beginning,
                       deleted: DeletedRecords = .visible) throws(FlumeLogError) -> LogCursor {
        var cursor = try reader.cursor(direction, from: start, deleted: deleted)
        cursor.owner = self
        return cursor
    }

    /// Calls `body` with each record (payload borrowed for the call), in `direction`.
    public func forEach(_ direction: ScanDirection = .forward, from start: ScanStart = .beginning,
                        deleted: DeletedRecords = .visible, _ body: (Record) throws -> Void) throws {
        var cursor = try reader.cursor(direction, from: start, deleted: deleted)
        while let record = try cursor.next() { try body(record) }
    }

    /// Copies of the records of a scan; for tests and small logs.
    public func records(_ direction: ScanDirection = .forward, from start: ScanStart = .beginning,
                        deleted: DeletedRecords = .visible) throws -> [StoredRecord] {
        var result: [StoredRecord] = []
        try forEach(direction, from: start, deleted: deleted) { result.append($0.copied()) }
        return result
    }

    /// Reads the record at `offset` (payload borrowed for the call). With `.skipped`, a deleted
    /// record fails with `.deleted`, as JS `get()` does.
    public func withRecord<Result>(at offset: Int64, deleted: DeletedRecords = .visible,
                                   _ body: (Record) throws -> Result) throws -> Result {
        let result = try body(try reader.checkedRecord(at: offset, deleted: deleted))
        try reader.source.checkIntact(thorough: false)
        return result
    }

    /// A copy of the record at `offset`; see `withRecord`.
    public func record(at offset: Int64, deleted: DeletedRecords = .visible) throws -> StoredRecord {
        try withRecord(at: offset, deleted: deleted) { $0.copied() }
    }
}
