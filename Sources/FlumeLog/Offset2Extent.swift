/// What the open-time check of a go-ssb offset2 directory found: margaret's `checkJournal`,
/// made without its side effect. margaret rewrites `jrnl` when the journal is ahead of the
/// offset table, before it has checked anything else (and then often fails); here the check
/// only reads, and a read-write open rewrites the journal only once the rest has passed.
public struct Offset2Extent: Sendable, Equatable, CustomStringConvertible {
    /// Entries the log reads: seqs `0 ..< entryCount`.
    public var entryCount: Int64
    /// The end of the last entry's frame in `data`: no entry is read past it.
    public var dataEnd: Int64
    /// The seq `jrnl` holds, nil when it is empty.
    public var journalSeq: Int64?
    /// File sizes as found.
    public var dataSize: Int64
    public var offsetsSize: Int64
    public var journalSize: Int64
    /// margaret's one recovery: the journal was bumped for an append whose entry never reached
    /// `ofst` (a crash after the first of append's three writes). The entries are read as
    /// `ofst` lists them; a read-write open rewrites `jrnl`, as margaret does.
    public var journalAhead: Bool { journalSeq.map { $0 > entryCount - 1 } ?? false }

    public var description: String {
        var text = "\(entryCount) entr\(entryCount == 1 ? "y" : "ies"), data ends at \(dataEnd)"
        if journalAhead, let journalSeq { text += "; the journal says \(journalSeq), one append ahead of the offset table (margaret rewrites it to \(entryCount - 1))" }
        return text
    }
}

/// Why margaret cannot open an offset2 directory: its own error text, and where the damage is.
public struct Offset2Damage: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// `jrnl` is neither 0 nor 8 bytes.
        case journalSize
        /// `jrnl` is empty but `ofst` or `data` is not.
        case journalEmpty
        /// `jrnl` holds a smaller seq than `ofst` has entries.
        case journalBehind
        /// The size field of the entry `ofst` ends with cannot be read (`data` ends first).
        case sizeUnreadable
        /// `data` ends before the last entry's frame does (margaret's positive size difference).
        case dataShorterThanLastFrame
        /// `data` holds bytes after the last entry's frame (margaret's negative size difference).
        case bytesAfterLastFrame
        /// A frame of `data` does not start where `ofst` says (margaret's consistency walk).
        case framesDisagree
    }

    public var kind: Kind
    /// margaret's error, word for word (`offset2: integrity error: …`).
    public var margaretError: String
    /// The file the damage is in.
    public var file: String
    public var seq: Int64?
    public var offset: Int64?
    /// What it means, in words a person can act on.
    public var explanation: String

    public var code: FlumeLogError.Code {
        switch kind {
        case .journalSize, .journalEmpty, .journalBehind: .journalMismatch
        case .sizeUnreadable: .truncatedFrame
        case .dataShorterThanLastFrame: .truncatedFrame
        case .bytesAfterLastFrame: .trailingBytes
        case .framesDisagree: .walksDisagree
        }
    }

    /// The error an open throws: margaret's words, then ours.
    public var error: FlumeLogError {
        let at = seq.map { "seq \($0): " } ?? ""
        return FlumeLogError(code, file: file, offset: offset, message: "\(at)\(explanation); margaret: \"\(margaretError)\"")
    }

    public var description: String { error.description }
}

extension Offset2Extent {
    static let margaretPrefix = "offset2: integrity error: "
    static let secondPassPrefix = "recover: check journal 2nd pass: offset2: journal inconsistent: "

    /// margaret's check over the three files, step by step, with its error texts: the journal's
    /// size, an empty journal, the journal against the offset table's count, then the size
    /// field of the entry the table's last 8 bytes point to and the end of `data`. When the
    /// journal is ahead, margaret's second pass also walks every frame of `data` against `ofst`.
    /// Throws only for a failed system call; damage is the result's failure.
    static func check(_ files: Offset2Files) throws(FlumeLogError) -> Result<Offset2Extent, Offset2Damage> {
        let dataSize = try files.data.size(), offsetsSize = try files.offsets.size(), journalSize = try files.journal.size()
        func damage(_ kind: Offset2Damage.Kind, _ margaret: String, file: FileDescriptor, seq: Int64? = nil, offset: Int64? = nil,
                    secondPass: Bool = false, _ explanation: String) -> Result<Offset2Extent, Offset2Damage> {
            .failure(Offset2Damage(kind: kind, margaretError: margaretPrefix + (secondPass ? secondPassPrefix : "") + margaret,
                                   file: file.path, seq: seq, offset: offset, explanation: explanation))
        }
        var extent = Offset2Extent(entryCount: 0, dataEnd: 0, journalSeq: nil, dataSize: dataSize,
                                   offsetsSize: offsetsSize, journalSize: journalSize)
        guard journalSize == 0 || journalSize == 8 else {
            return damage(.journalSize, "error reading seq: expected file size of 8B, got \(journalSize)B", file: files.journal, offset: 0,
                          "the journal is \(journalSize) bytes long; it must be 0 (an empty log) or 8 (the last seq)")
        }
        guard journalSize == 8 else {
            if offsetsSize != 0 {
                return damage(.journalEmpty, "journal empty but offset file isnt", file: files.journal, offset: 0,
                              "the journal is empty but the offset table holds \(offsetsSize) bytes (\(offsetsSize / 8) entries)")
            }
            if dataSize != 0 {
                return damage(.journalEmpty, "journal empty but data file isnt", file: files.journal, offset: 0,
                              "the journal and the offset table are empty but data holds \(dataSize) bytes")
            }
            return .success(extent)
        }
        let journal = try files.journal.int64(at: 0)
        extent.journalSeq = journal
        let tableSeq = offsetsSize / 8 - 1
        if journal < tableSeq {
            return damage(.journalBehind, "seq in journal does not match element count in log offset file - \(journal) != \(tableSeq)",
                          file: files.journal, seq: journal, offset: 0,
                          "the journal says the last seq is \(journal), but the offset table holds \(tableSeq + 1) entries")
        }
        let secondPass = journal > tableSeq
        extent.entryCount = tableSeq + 1
        guard offsetsSize >= 8 else {
            // A journal bumped for the first append, which never reached data or ofst. margaret
            // would look for the table's last entry before offset 0; an empty log it is.
            guard dataSize == 0 else {
                return damage(.bytesAfterLastFrame, "data file size difference \(-dataSize)", file: files.data, offset: 0,
                              secondPass: secondPass, "the offset table is empty but data holds \(dataSize) bytes (no entry was completed)")
            }
            return .success(extent)
        }
        // margaret reads the table's last 8 bytes, not entry `tableSeq`: with a partial entry
        // at the end they straddle two entries.
        let last = try files.offsets.int64(at: offsetsSize - 8)
        let lastSeq = tableSeq
        guard last >= 0, last <= dataSize - 8 else {
            let partial = offsetsSize % 8 != 0 ? " (the table ends with \(offsetsSize % 8) bytes of a partial entry, so its last 8 bytes straddle two entries)" : ""
            return damage(.sizeUnreadable, "error getting frame size from log data file: error reading payload length: EOF",
                          file: files.data, seq: lastSeq, offset: last, secondPass: secondPass,
                          "the last entry's frame should start at \(last), but data is \(dataSize) bytes long and cannot hold its 8-byte size field there\(partial)")
        }
        let size = try files.data.int64(at: last)
        let length = size == .min ? Int64.max : abs(size)
        let expectedEnd = length > dataSize ? Int64.max : last + 8 + length
        if expectedEnd != dataSize {
            let difference = expectedEnd == .max ? Int64.max : expectedEnd - dataSize
            let shorter = expectedEnd > dataSize
            return damage(shorter ? .dataShorterThanLastFrame : .bytesAfterLastFrame, "data file size difference \(difference)", file: files.data, seq: lastSeq,
                          offset: shorter ? last : expectedEnd, secondPass: secondPass,
                          shorter ? "data is shorter than the last entry's frame: it starts at \(last) and claims \(length) bytes, ending at \(expectedEnd == .max ? "past any file" : "\(expectedEnd)"), but data ends at \(dataSize)"
                              : "data holds \(dataSize - expectedEnd) bytes after the end of the last entry's frame at \(expectedEnd) (an append that never reached the offset table)")
        }
        extent.dataEnd = expectedEnd
        if secondPass {
            // margaret's CheckConsistency: every frame of data where ofst says.
            var position: Int64 = 0
            for seq in 0..<extent.entryCount {
                let listed = try files.offsets.int64(at: seq * 8)
                guard listed == position, position <= dataSize - 8 else {
                    return damage(.framesDisagree, "seq \(seq) offset \(listed) does not match the frame at \(position)", file: files.offsets,
                                  seq: seq, offset: seq * 8, secondPass: true,
                                  "the offset table says seq \(seq) starts at \(listed), but the frames of data put it at \(position)")
                }
                let frameSize = try files.data.int64(at: position)
                guard frameSize != .min, abs(frameSize) <= dataSize - position - 8 else {
                    return damage(.framesDisagree, "seq \(seq) frame runs past the end of data", file: files.data, seq: seq, offset: position,
                                  secondPass: true, "the frame of seq \(seq) at \(position) claims \(frameSize) bytes, past the end of data at \(dataSize)")
                }
                position += 8 + abs(frameSize)
            }
        }
        return .success(extent)
    }
}
