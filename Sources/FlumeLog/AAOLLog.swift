#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An async-append-only-log file (ssb-db2's `log.bipf`, JS AAOL 4.3.10): the same records JS
/// streams, read through any reader strategy.
///
/// A read-only open never changes the file and reports what it found wrong with the last block
/// in `openedExtent`. A read-write open takes the writer lock and refuses a damaged file with a
/// typed error naming the offset and the reason, unless `repair` is given: then it zero-fills
/// from the end of the last whole record to its block's end and makes the file whole blocks,
/// cutting only bytes that held no complete record (JS zero-fills the same way where it is
/// sane, and destroys committed records where the file is not whole blocks). Appends place
/// records with JS's fit rule and write the current block whole; deletion zero-fills the
/// payload and counts it in `<log>.stats` as JS does.
public final class AAOLLog {
    /// JS AAOL's default and ssb-db2's choice.
    public static let defaultBlockSize = 65536

    public let path: String
    public let blockSize: Int
    public let strategy: ReaderStrategy
    public let access: OffsetLog.Access
    /// What the open found, before any repair.
    public let openedExtent: AAOLExtent
    /// True when a read-write open with `repair` changed the file.
    public let repaired: Bool
    public internal(set) var reader: AAOLReader
    public internal(set) var since: Int64?
    /// Bytes of deleted records, their length fields included (`<log>.stats`, `deletedBytes`).
    public internal(set) var deletedBytes: Int64 = 0
    let file: FileDescriptor
    /// The block appends go into (read-write only), where it starts, and whether it holds
    /// records not yet written.
    var block: [UInt8] = []
    var blockStart: Int64 = 0
    var blockDirty = false
    /// Record starts (in-block offsets) of the blocks reads by offset have walked: proving an
    /// offset is a record start means walking its block from the start, so each block is
    /// walked once (4 bytes per record walked). The block appends go into is never kept.
    /// By block number; empty until walked.
    private var startsByBlock: [[UInt32]] = []
    private var walkedStarts: [Int64] = []

    public init(path: String, blockSize: Int = defaultBlockSize, access: OffsetLog.Access = .readOnly, repair: Bool = false,
                strategy: ReaderStrategy = .standard) throws(FlumeLogError) {
        guard blockSize >= 16, blockSize <= 1 << 30 else {
            throw FlumeLogError(.invalidArgument, file: path, message: "block size must be 16 bytes ... 1 GiB, not \(blockSize)")
        }
        self.path = path
        self.blockSize = blockSize
        self.strategy = strategy
        self.access = access
        file = try FileDescriptor.openLog(path, writable: access == .readWrite).file
        do throws(FlumeLogError) {
            if access == .readWrite { try file.lockExclusive() }
            let source = strategy.makeSource(for: file)
            let extent = try AAOLExtent.scan(source, blockSize: blockSize, size: try file.size(), path: path)
            openedExtent = extent
            repaired = access == .readWrite && extent.isTorn
            if repaired {
                guard repair else {
                    throw FlumeLogError(extent.damage?.code ?? .truncatedFrame, file: path, offset: extent.damage?.offset ?? extent.validEnd,
                                        message: "the last block is damaged (\(extent)); nothing was changed. A repair cuts the \(extent.fileSize - extent.validEnd) bytes after the last whole record at \(extent.validEnd)")
                }
                try Self.repair(file, extent: extent, blockSize: blockSize)
                source.invalidate()
            }
            reader = AAOLReader(source: source, blockSize: blockSize, end: extent.validEnd, path: path)
            since = extent.lastRecordOffset
            if access == .readWrite {
                blockStart = extent.validEnd == 0 ? 0 : (extent.validEnd - 1) / Int64(blockSize) * Int64(blockSize)
                block = try currentBlock()
                deletedBytes = Self.readStats(path)
            }
        } catch {
            file.close()
            throw error
        }
    }

    deinit { file.close() }

    /// Zero-fills from the last whole record to its block's end and cuts (or pads) the file to
    /// that block's end: only bytes that held no complete record change.
    private static func repair(_ file: FileDescriptor, extent: AAOLExtent, blockSize: Int) throws(FlumeLogError) {
        let size = Int64(blockSize)
        let blockEnd = extent.validEnd == 0 ? 0 : (extent.validEnd - 1) / size * size + size
        if blockEnd > extent.validEnd {
            try file.pwriteFully([UInt8](repeating: 0, count: Int(blockEnd - extent.validEnd)), at: extent.validEnd)
        }
        try file.truncate(to: blockEnd)
        try file.sync()
    }

    /// The block holding the append position, as stored, zero past the last record.
    private func currentBlock() throws(FlumeLogError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: blockSize)
        let end = reader.end
        let start = end == 0 ? 0 : (end - 1) / Int64(blockSize) * Int64(blockSize)
        let count = Int(end - start)
        if count > 0 {
            let stored = try reader.dispatch.bytes(at: start, count: count, hint: .random)
            bytes.withUnsafeMutableBytes { $0.copyMemory(from: stored) }
        }
        return bytes
    }

    /// The end of the last record: what JS `get()` checks offsets against.
    public var end: Int64 { reader.end }

    public func cursor(_ direction: ScanDirection = .forward, from start: ScanStart = .beginning,
                       deleted: DeletedRecords = .visible) throws(FlumeLogError) -> AAOLCursor {
        var cursor = try reader.cursor(direction, from: start, deleted: deleted)
        cursor.owner = self
        return cursor
    }

    public func forEach(_ direction: ScanDirection = .forward, from start: ScanStart = .beginning,
                        deleted: DeletedRecords = .visible, _ body: (Record) throws -> Void) throws {
        var cursor = try reader.cursor(direction, from: start, deleted: deleted)
        while let record = try cursor.next() { try body(record) }
    }

    /// The record at an offset a caller gave, proved a record start by its block's starts.
    private func checkedRecord(at offset: Int64) throws(FlumeLogError) -> Record {
        let block = reader.blockStart(of: offset)
        guard offset >= 0, offset < end, access == .readOnly || block < blockStart else {
            return try reader.checkedRecord(at: offset)  // range errors, and the block appends change
        }
        let index = Int(block / Int64(blockSize))
        if index >= startsByBlock.count {
            startsByBlock.append(contentsOf: repeatElement([], count: index + 1 - startsByBlock.count))
        }
        if startsByBlock[index].isEmpty {
            try reader.recordStarts(inBlockOf: block, into: &walkedStarts, hint: .random)
            startsByBlock[index] = walkedStarts.map { UInt32(truncatingIfNeeded: $0 - block) }
        }
        let inBlock = UInt32(truncatingIfNeeded: offset - block)
        let isStart = startsByBlock[index].withUnsafeBufferPointer { starts in
            var low = 0, high = starts.count
            while low < high {
                let middle = (low + high) / 2
                if starts[middle] < inBlock { low = middle + 1 } else { high = middle }
            }
            return low < starts.count && starts[low] == inBlock
        }
        guard isStart else {
            try reader.fail(.notAFrameStart, at: offset, "not the start of a record of its block")
        }
        return try reader.record(at: offset, hint: .random)
    }

    /// The record at `offset` (payload borrowed for the call). With `.skipped`, a deleted record
    /// fails with `.deleted`, as JS `get()` fails with `ERR_AAOL_DELETED_RECORD`.
    public func withRecord<Result>(at offset: Int64, deleted: DeletedRecords = .visible,
                                   _ body: (Record) throws -> Result) throws -> Result {
        let record = try checkedRecord(at: offset)
        if deleted == .skipped, record.isDeleted {
            throw FlumeLogError(.deleted, file: path, offset: offset, message: "the record was deleted (ERR_AAOL_DELETED_RECORD)")
        }
        let result = try body(record)
        try reader.source.checkIntact(thorough: false)
        return result
    }
}
