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
    /// Reverse scans: where the frame read last starts, the end of the one below it when the
    /// frames lie back to back, as margaret writes them.
    private var frameAbove: Int64?
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
                let offset = try reader.frameOffset(of: seq, hint: hint)
                if direction == .reverse, frameAbove == nil {
                    frameAbove = seq + 1 < reader.count ? try reader.frameOffset(of: seq + 1, hint: hint) : reader.dataEnd
                }
                if direction == .reverse, let above = frameAbove, offset >= 0, offset < above, above <= reader.dataEnd,
                   above - offset <= 64 << 10 {
                    // A window that ends at this frame's end. Loaded for the frame's head, the
                    // window ended there, and the payload took a second read of nearly the same
                    // bytes: a reverse scan read the data twice. (A frame farther below, one
                    // rewritten elsewhere, a large one, or an `ofst` entry past the data take
                    // the plain path, which names what is wrong.)
                    _ = try reader.data.bytes(endingAt: above, atLeast: Int(above - offset), hint: hint)
                }
                let (record, nulled) = try reader.entry(seq, at: offset, hint: hint)
                if direction == .reverse { frameAbove = offset }
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
