import FlumeLog

/// An independent reading of AAOL bytes, written from the format description rather than from
/// `AAOLReader`: what every strategy must answer for the same bytes.
enum AAOLReference {
    static func outcome(_ bytes: UnsafeRawBufferPointer, blockSize: Int) -> ReadOutcome {
        let size = bytes.count
        func length(at position: Int) -> Int { Int(bytes[position]) | Int(bytes[position + 1]) << 8 }

        // The valid end: the end of the last whole record of the last block that has one.
        var validEnd = 0
        var since: Int64?
        var block = size == 0 ? -1 : (size - 1) / blockSize * blockSize
        while block >= 0, since == nil {
            var position = block
            while position - block + 2 <= blockSize, position + 2 <= size {
                let count = length(at: position)
                if count == 0 || position - block + 2 + count > blockSize || position + 2 + count > size { break }
                since = Int64(position)
                position += 2 + count
                validEnd = position
            }
            block -= blockSize
        }

        // Forward: every block from 0, stopping at a zero length; a record past its block is damage.
        var forward: [StoredRecord] = []
        var position = 0
        while position < validEnd {
            let inBlock = position % blockSize
            if inBlock + 2 > blockSize || position + 2 > validEnd {
                position = position - inBlock + blockSize
                continue
            }
            let count = length(at: position)
            if count == 0 {
                position = position - inBlock + blockSize
                continue
            }
            guard inBlock + 2 + count <= blockSize, position + 2 + count <= validEnd else {
                return .failed(.truncatedFrame, offset: Int64(position))
            }
            let payload = Array(bytes[(position + 2)..<(position + 2 + count)])
            forward.append(StoredRecord(offset: Int64(position), payload: payload, nextOffset: Int64(position + 2 + count)))
            position += 2 + count
        }
        return .read(forward: forward, reverse: forward.reversed().map(\.offset),
                     jsForward: forward.filter { !$0.isDeleted }.map(\.offset), byOffset: forward, since: since)
    }
}
