/// A pull-style scan of an offset2 log by seq, either way; with `.skipped`, nulled entries are
/// passed over (margaret yields them as `ErrNulled` values). Payloads are borrowed until the
/// next call; an error is sticky.
public struct Offset2Cursor {
    public let reader: Offset2Reader
    public let direction: ScanDirection
    public let deleted: DeletedRecords
    /// The seq the next call reads.
    public private(set) var seq: Int64
    /// Whether the record the last call returned was nulled.
    public private(set) var lastNulled = false
    private var failure: FlumeLogError?
    /// The log the cursor was made by, kept alive while the cursor lives: its files stay open.
    var owner: AnyObject?

    init(reader: Offset2Reader, direction: ScanDirection, deleted: DeletedRecords, seq: Int64) {
        self.reader = reader
        self.direction = direction
        self.deleted = deleted
        self.seq = seq
    }

    public mutating func next() throws(FlumeLogError) -> Record? {
        if let failure { throw failure }
        let hint: AccessHint = direction == .forward ? .forward : .backward
        do throws(FlumeLogError) {
            while seq >= 0, seq < reader.count {
                let (record, nulled) = try reader.entry(seq, hint: hint)
                seq += direction == .forward ? 1 : -1
                if nulled, deleted == .skipped { continue }
                lastNulled = nulled
                return record
            }
            for source in reader.sources { try source.checkIntact(thorough: false) }
            return nil
        } catch {
            failure = error
            throw error
        }
    }
}
