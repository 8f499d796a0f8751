/// An async-append-only-log file (ssb-db2's `log.bipf`, JS AAOL 4.3.10), opened read-only:
/// the same records JS streams, read through any reader strategy, and whatever the open
/// found wrong with the last block reported in `openedExtent`, never repaired here. The file
/// is never changed.
public final class AAOLLog {
    /// JS AAOL's default and ssb-db2's choice.
    public static let defaultBlockSize = 65536

    public let path: String
    public let blockSize: Int
    public let strategy: ReaderStrategy
    public let openedExtent: AAOLExtent
    public let reader: AAOLReader
    let file: FileDescriptor

    public init(path: String, blockSize: Int = defaultBlockSize, strategy: ReaderStrategy = .standard) throws(FlumeLogError) {
        guard blockSize >= 16, blockSize <= 1 << 30 else {
            throw FlumeLogError(.invalidArgument, file: path, message: "block size must be 16 bytes ... 1 GiB, not \(blockSize)")
        }
        self.path = path
        self.blockSize = blockSize
        self.strategy = strategy
        file = try FileDescriptor.openLog(path, writable: false).file
        do {
            let source = strategy.makeSource(for: file)
            openedExtent = try AAOLExtent.scan(source, blockSize: blockSize, size: try file.size(), path: path)
            reader = AAOLReader(source: source, blockSize: blockSize, end: openedExtent.validEnd, path: path)
        } catch {
            file.close()
            throw error
        }
    }

    deinit { file.close() }

    /// The offset of the last record (JS `since`); nil for an empty log (JS: -1).
    public var since: Int64? { openedExtent.lastRecordOffset }

    /// The end of the last record: what JS `get()` checks offsets against.
    public var end: Int64 { reader.end }

    public func cursor(_ direction: ScanDirection = .forward, from start: ScanStart = .beginning,
                       deleted: DeletedRecords = .visible) throws(FlumeLogError) -> AAOLCursor {
        try reader.cursor(direction, from: start, deleted: deleted)
    }

    public func forEach(_ direction: ScanDirection = .forward, from start: ScanStart = .beginning,
                        deleted: DeletedRecords = .visible, _ body: (Record) throws -> Void) throws {
        var cursor = try reader.cursor(direction, from: start, deleted: deleted)
        while let record = try cursor.next() { try body(record) }
    }

    /// The record at `offset` (payload borrowed for the call). With `.skipped`, a deleted record
    /// fails with `.deleted`, as JS `get()` fails with `ERR_AAOL_DELETED_RECORD`.
    public func withRecord<Result>(at offset: Int64, deleted: DeletedRecords = .visible,
                                   _ body: (Record) throws -> Result) throws -> Result {
        let record = try reader.checkedRecord(at: offset)
        if deleted == .skipped, record.isDeleted {
            throw FlumeLogError(.deleted, file: path, offset: offset, message: "the record was deleted (ERR_AAOL_DELETED_RECORD)")
        }
        let result = try body(record)
        try reader.source.checkIntact(thorough: false)
        return result
    }
}
