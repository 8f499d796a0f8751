#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a salvage read of an offset2 directory keeps and skips. Beyond margaret, which refuses
/// every directory whose `data` has torn or extra bytes or whose `ofst` is torn: the entries
/// kept are those `ofst` lists, in order, whose frames are complete and follow one another in
/// `data` from offset 0; the walk stops at the first that is not. The journal is not trusted
/// (it is written first, before the entry). Nothing is written: `writeRepairedCopy` makes a
/// directory margaret opens, holding exactly the kept entries.
public struct Offset2Salvage: Sendable, Equatable {
    /// The entries kept, as an extent the reader reads.
    public var extent: Offset2Extent
    /// What was skipped and why, one sentence each (empty when the directory is whole).
    public var skipped: [String]
    /// What margaret says when it opens the directory, nil when it opens it.
    public var margaretVerdict: Offset2Damage?

    static func scan(_ files: Offset2Files) throws(FlumeLogError) -> Offset2Salvage {
        let margaret: Offset2Damage? = switch try Offset2Extent.check(files) {
        case .success: nil
        case .failure(let damage): damage
        }
        let dataSize = try files.data.size(), offsetsSize = try files.offsets.size(), journalSize = try files.journal.size()
        var skipped: [String] = []
        var kept: Int64 = 0, position: Int64 = 0
        let listed = offsetsSize / 8
        while kept < listed {
            let offset = try files.offsets.int64(at: kept * 8)
            guard offset == position else {
                skipped.append("seq \(kept) and after: the offset table puts seq \(kept) at \(offset), not at \(position) where the previous frame ends")
                break
            }
            guard position <= dataSize - 8 else {
                skipped.append("seq \(kept) and after: data ends at \(dataSize), before seq \(kept)'s 8-byte size field at \(position)")
                break
            }
            let size = try files.data.int64(at: position)
            guard size != .min, abs(size) <= dataSize - position - 8 else {
                skipped.append("seq \(kept) and after: its frame at \(position) claims \(size) bytes, but data ends at \(dataSize) (\(dataSize - position - 8) payload bytes present)")
                break
            }
            position += 8 + abs(size)
            kept += 1
        }
        if kept == listed, offsetsSize % 8 != 0 {
            skipped.append("\(offsetsSize % 8) bytes of a partial entry at the end of the offset table (at \(listed * 8))")
        }
        if kept == listed, dataSize > position {
            var tail = "\(dataSize - position) bytes of data after the last listed entry's frame (from \(position))"
            if dataSize - position >= 8, let size = try? files.data.int64(at: position), size >= 0, size == dataSize - position - 8 {
                tail += ": one complete frame of \(size) bytes that the offset table does not list (an append cut short before its offset was written; not kept)"
            }
            skipped.append(tail)
        }
        var journal: Int64? = nil
        if journalSize == 8 {
            journal = try files.journal.int64(at: 0)
            if journal != kept - 1 { skipped.append("the journal says the last seq is \(journal!), not \(kept - 1): ignored") }
        } else if journalSize != 0 {
            skipped.append("the journal is \(journalSize) bytes long (0 or 8 expected): ignored")
        } else if kept > 0 {
            skipped.append("the journal is empty beside \(kept) entries: ignored")
        }
        let extent = Offset2Extent(entryCount: kept, dataEnd: position, journalSeq: journal.map { min($0, kept - 1) },
                                   dataSize: dataSize, offsetsSize: offsetsSize, journalSize: journalSize)
        return Offset2Salvage(extent: extent, skipped: skipped, margaretVerdict: margaret)
    }
}

extension Offset2Log {
    /// Writes the entries this log reads into a new directory `destination` (which must not
    /// exist), byte for byte, nulled entries included: `data` and `ofst` cut to them, `jrnl`
    /// naming the last. margaret opens the copy; this log's files are never touched.
    public func writeRepairedCopy(to destination: String) throws(FlumeLogError) {
        guard mkdir(destination, 0o700) == 0 else {
            throw FlumeLogError(.io, file: destination, message: "cannot create the repaired copy's directory (it must not exist)", errno: errno)
        }
        let names = Offset2Files.names
        try Self.copyPrefix(of: files.data, count: reader.dataEnd, to: destination + "/" + names.data)
        try Self.copyPrefix(of: files.offsets, count: reader.count * 8, to: destination + "/" + names.offsets)
        let journal = try FileDescriptor.createExclusive(destination + "/" + names.journal, permissions: 0o600)
        defer { journal.close() }
        if reader.count > 0 { try journal.writeInt64(reader.count - 1, at: 0) }
        try journal.sync()
    }

    private static func copyPrefix(of source: FileDescriptor, count: Int64, to path: String) throws(FlumeLogError) {
        let target = try FileDescriptor.createExclusive(path, permissions: 0o600)
        defer { target.close() }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 4096)
        defer { buffer.deallocate() }
        var done: Int64 = 0
        while done < count {
            let chunk = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<Int(min(Int64(buffer.count), count - done))])
            let read = try source.preadFully(into: chunk, at: done)
            guard read == chunk.count else {
                throw FlumeLogError(.truncatedFrame, file: source.path, offset: done + Int64(read), message: "the file shrank while it was copied")
            }
            try target.pwriteFully(UnsafeRawBufferPointer(chunk), at: done)
            done += Int64(read)
        }
        try target.sync()
    }
}
