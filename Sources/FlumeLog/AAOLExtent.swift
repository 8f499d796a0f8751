/// What an AAOL file holds, as found on open without changing it: where the last whole record
/// ends, the last record (JS `since`), and any damage in the last block (a partial trailing
/// block, a record that runs past its block or the file). JS repairs the last block in place
/// and misreads a file whose size is not a whole number of blocks; this only reports.
public struct AAOLExtent: Equatable, Sendable, CustomStringConvertible {
    public var fileSize: Int64
    public var blockSize: Int
    /// The end of the last complete record: where reading stops.
    public var validEnd: Int64
    /// The offset of the last record (JS `since`), nil when there is none.
    public var lastRecordOffset: Int64?
    /// Bytes after the last whole block (a file cut mid-block; AAOL writes whole blocks).
    public var partialBlockBytes: Int64 { fileSize % Int64(blockSize) }
    /// The damage that stopped the walk of the last block, when one did.
    public var damage: FlumeLogError?

    /// Whether anything in the file cannot be read as a record of a whole block.
    public var isTorn: Bool { partialBlockBytes != 0 || damage != nil }

    public var description: String {
        var parts: [String] = []
        if partialBlockBytes != 0 { parts.append("the last \(partialBlockBytes) bytes are a partial block") }
        if let damage { parts.append("damaged from offset \(damage.offset ?? validEnd): \(damage.message)") }
        return parts.isEmpty ? "\(fileSize) bytes in whole blocks, no damage" : parts.joined(separator: "; ")
    }

    /// Walks the last block holding a record (the partial block included) and finds where the
    /// records end. Earlier blocks are read by scans, strictly.
    public static func scan(_ source: any ByteSource, blockSize: Int, size: Int64, path: String?) throws(FlumeLogError) -> AAOLExtent {
        var extent = AAOLExtent(fileSize: size, blockSize: blockSize, validEnd: 0, lastRecordOffset: nil)
        let reader = AAOLReader(source: source, blockSize: blockSize, end: size, path: path)
        var block = size == 0 ? -1 : (size - 1) / Int64(blockSize) * Int64(blockSize)
        while block >= 0 {
            var position = block
            var last: Int64?
            do {
                try reader.loadBlock(at: block, limit: size)
                while let record = try reader.entry(at: position, limit: size, hint: .backward) {
                    last = record.offset
                    position = record.nextOffset
                }
            } catch {
                // The latest damage is the one to report; the records before it still count.
                if extent.damage == nil { extent.damage = error }
            }
            if let last {
                extent.lastRecordOffset = last
                extent.validEnd = position
                return extent
            }
            // No record in this block (all zero, or damaged from its start): look further back.
            block -= Int64(blockSize)
        }
        return extent
    }
}
