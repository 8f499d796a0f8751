import FlumeLog

/// An independent reading of an offset2 directory's three files held in memory, written
/// straight from the go-offset2 README (margaret's `checkJournal`, `Get`, and the salvage
/// rule), sharing no code with `Offset2Log`: what the fuzz oracle holds every strategy to.
public enum Offset2Reference {
    /// The bytes of a directory, as the fuzzer splits one input.
    public struct Files {
        public var data: [UInt8]
        public var offsets: [UInt8]
        public var journal: [UInt8]

        public init(data: [UInt8], offsets: [UInt8], journal: [UInt8]) {
            self.data = data
            self.offsets = offsets
            self.journal = journal
        }

        /// One input split in three: byte 0 gives the journal's length (mod 12), bytes 1-2
        /// the offset table's (little-endian, mod what remains + 1); data is the rest.
        public init(splitting input: UnsafeRawBufferPointer) {
            let bytes = [UInt8](input)
            guard bytes.count >= 3 else { self.init(data: [], offsets: [], journal: []); return }
            var rest = Array(bytes[3...])
            let journalLength = min(Int(bytes[0]) % 12, rest.count)
            let journal = Array(rest.prefix(journalLength))
            rest.removeFirst(journalLength)
            let offsetsLength = (Int(bytes[1]) | Int(bytes[2]) << 8) % (rest.count + 1)
            self.init(data: Array(rest[offsetsLength...]), offsets: Array(rest.prefix(offsetsLength)), journal: journal)
        }
    }

    static func int64(_ bytes: [UInt8], at offset: Int) -> Int64 {
        bytes[offset..<offset + 8].reduce(0) { $0 << 8 | Int64($1) }
    }

    /// What a strict (margaret) open and every read answer.
    public static func outcome(_ files: Files) -> ReadOutcome {
        let data = files.data, offsets = files.offsets, journal = files.journal
        let dataSize = Int64(data.count)
        guard journal.count == 0 || journal.count == 8 else { return .failed(.journalMismatch, offset: 0) }
        if journal.isEmpty {
            return offsets.isEmpty && data.isEmpty ? entries(files, count: 0, dataEnd: 0) : .failed(.journalMismatch, offset: 0)
        }
        let journalSeq = int64(journal, at: 0)
        let tableSeq = Int64(offsets.count / 8) - 1
        if journalSeq < tableSeq { return .failed(.journalMismatch, offset: 0) }
        let count = tableSeq + 1
        guard offsets.count >= 8 else { return data.isEmpty ? entries(files, count: 0, dataEnd: 0) : .failed(.trailingBytes, offset: 0) }
        let last = int64(offsets, at: offsets.count - 8)
        guard last >= 0, last <= dataSize - 8 else { return .failed(.truncatedFrame, offset: last) }
        let size = int64(data, at: Int(last))
        let length = size == .min ? Int64.max : abs(size)
        let end = length > dataSize ? Int64.max : last + 8 + length
        if end > dataSize { return .failed(.truncatedFrame, offset: last) }
        if end < dataSize { return .failed(.trailingBytes, offset: end) }
        if journalSeq > tableSeq {
            var position: Int64 = 0
            for seq in 0..<count {
                guard int64(offsets, at: Int(seq) * 8) == position, position <= dataSize - 8 else { return .failed(.walksDisagree, offset: seq * 8) }
                let frame = int64(data, at: Int(position))
                guard frame != .min, abs(frame) <= dataSize - position - 8 else { return .failed(.walksDisagree, offset: position) }
                position += 8 + abs(frame)
            }
        }
        return entries(files, count: count, dataEnd: end)
    }

    /// What a salvage open reads: the listed entries whose frames chain from 0, complete.
    public static func salvageOutcome(_ files: Files) -> ReadOutcome {
        let data = files.data, offsets = files.offsets
        var kept: Int64 = 0, position: Int64 = 0
        while Int(kept) < offsets.count / 8 {
            guard int64(offsets, at: Int(kept) * 8) == position, position <= Int64(data.count) - 8 else { break }
            let size = int64(data, at: Int(position))
            guard size != .min, abs(size) <= Int64(data.count) - position - 8 else { break }
            position += 8 + abs(size)
            kept += 1
        }
        return entries(files, count: kept, dataEnd: position)
    }

    /// Entries `0 ..< count` read as `Get` reads them, bounded by `dataEnd`.
    static func entries(_ files: Files, count: Int64, dataEnd: Int64) -> ReadOutcome {
        var forward: [StoredRecord] = []
        for seq in 0..<count {
            let offset = int64(files.offsets, at: Int(seq) * 8)
            guard offset >= 0, offset <= dataEnd - 8 else { return .failed(.offsetOutOfRange, offset: seq * 8) }
            let size = int64(files.data, at: Int(offset))
            guard size != .min, abs(size) <= dataEnd - offset - 8 else { return .failed(.truncatedFrame, offset: offset) }
            let start = Int(offset) + 8
            forward.append(StoredRecord(offset: seq, payload: Array(files.data[start..<start + Int(abs(size))]), nextOffset: seq + 1))
        }
        let nulled = Set((0..<count).filter { int64(files.data, at: Int(int64(files.offsets, at: Int($0) * 8))) < 0 })
        return .read(forward: forward, reverse: forward.map(\.offset).reversed(), jsForward: forward.map(\.offset).filter { !nulled.contains($0) },
                     byOffset: forward, since: count > 0 ? count - 1 : nil)
    }
}
