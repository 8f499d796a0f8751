/// A go-ssb "margaret offset2" log: a directory of `data`, `ofst` and `jrnl` (the Rust seed's
/// `GoOffsetLog`), read by seq through any reader strategy.
///
/// A strict open runs margaret's open-time check (`Offset2Extent`) and throws its verdict as a
/// typed error naming the file, the seq and the offset, with margaret's words; a read-only open
/// never writes (margaret rewrites `jrnl` even when it then fails). A salvage open
/// (`Offset2Salvage`) reads every complete entry of a directory margaret refuses and says what
/// it skipped. A read-write open takes the writer lock on `data`, creates an empty log in a
/// missing directory as margaret does, makes margaret's one repair (a journal one append
/// ahead) once the rest has passed, and appends, nulls and replaces as margaret does.
public final class Offset2Log {
    public enum OpenMode: Sendable {
        /// margaret's check: a damaged directory is an error.
        case strict
        /// Every complete entry of a damaged directory (read-only).
        case salvage
    }

    public let directory: String
    public let strategy: ReaderStrategy
    public let access: OffsetLog.Access
    /// What the open found.
    public let openedExtent: Offset2Extent
    /// A salvage open's account of what it skipped; nil for a strict open.
    public let salvage: Offset2Salvage?
    /// True when a read-write open rewrote a journal that was ahead (margaret's recovery).
    public let repairedJournal: Bool
    public internal(set) var reader: Offset2Reader
    let files: Offset2Files
    /// `ofst` held in memory once reads by seq have been many (8 bytes per entry): a read by
    /// seq is then one read of `data`, not two reads in two files. Loaded after
    /// `max(32, entries / 512)` reads, so opening a log to read one entry never loads it
    /// (that made `open` 2.8-4.4x slower than the offset log's); scans do not use it.
    private var offsetTable: [Int64] = []
    private var readsBySeq = 0
    /// Appends not yet written (`appendDeferred`).
    var pending = Offset2Batch()

    public init(directory: String, access: OffsetLog.Access = .readOnly, mode: OpenMode = .strict,
                strategy: ReaderStrategy = .standard) throws(FlumeLogError) {
        guard mode == .strict || access == .readOnly else {
            throw FlumeLogError(.invalidArgument, file: directory, message: "a salvage open is read-only: write a repaired copy instead")
        }
        self.directory = directory
        self.strategy = strategy
        self.access = access
        files = try Offset2Files.open(directory, writable: access == .readWrite)
        do throws(FlumeLogError) {
            if access == .readWrite { try files.data.lockExclusive() }
            switch mode {
            case .strict:
                switch try Offset2Extent.check(files) {
                case .success(let extent): openedExtent = extent
                case .failure(let damage): throw damage.error
                }
                salvage = nil
            case .salvage:
                let found = try Offset2Salvage.scan(files)
                salvage = found
                openedExtent = found.extent
            }
            repairedJournal = access == .readWrite && openedExtent.journalAhead
            if repairedJournal {
                try files.journal.writeInt64(openedExtent.entryCount - 1, at: 0)
            }
            reader = Offset2Reader(data: strategy.makeSource(for: files.data), offsets: strategy.makeSource(for: files.offsets),
                                   count: openedExtent.entryCount, dataEnd: openedExtent.dataEnd, directory: directory)
        } catch {
            files.close()
            throw error
        }
    }

    deinit {
        try? flush()  // appends not yet written are not dropped silently
        files.close()
    }

    /// Entries: the seq after the last.
    public var end: Int64 { reader.count }
    /// The last seq, nil for an empty log (margaret's `SeqEmpty`, -1).
    public var since: Int64? { reader.count > 0 ? reader.count - 1 : nil }

    public func cursor(_ direction: ScanDirection = .forward, from start: ScanStart = .beginning,
                       deleted: DeletedRecords = .visible) throws(FlumeLogError) -> Offset2Cursor {
        var cursor = try reader.cursor(direction, from: start, deleted: deleted)
        cursor.owner = self
        return cursor
    }

    /// Entry `seq` (payload borrowed for the call). With `.skipped`, a nulled entry fails with
    /// `.deleted`, as margaret's `Get` fails with `Entry Nulled`.
    public func withRecord<Result>(at seq: Int64, deleted: DeletedRecords = .visible,
                                   _ body: (Record) throws -> Result) throws -> Result {
        try reader.checkSeq(seq)
        readsBySeq += 1
        if offsetTable.count < reader.count, readsBySeq > max(32, Int(reader.count / 512)) {
            do throws(FlumeLogError) { try reader.loadOffsets(into: &offsetTable) } catch {
                offsetTable.removeAll()
                throw error
            }
        }
        let (record, nulled) = Int(seq) < offsetTable.count
            ? try reader.entry(seq, at: offsetTable[Int(seq)], hint: .random)
            : try reader.entry(seq, hint: .random)
        if deleted == .skipped, nulled {
            throw FlumeLogError(.deleted, file: directory, offset: seq, message: "seq \(seq) was nulled (margaret: Entry Nulled)")
        }
        let result = try body(record)
        for source in reader.sources { try source.checkIntact(thorough: false) }
        return result
    }

    /// Whether entry `seq` was nulled.
    public func isNulled(_ seq: Int64) throws(FlumeLogError) -> Bool {
        try reader.checkedEntry(seq).nulled
    }
}
