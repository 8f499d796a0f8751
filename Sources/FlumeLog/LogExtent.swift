/// Where a log's complete frames end, as found on open: the same place JS flumelog-offset
/// truncates a torn file to, found without changing the file.
public struct LogExtent: Equatable, Sendable, CustomStringConvertible {
    /// The file's size when it was examined.
    public var fileSize: Int64
    /// The end of the last complete, valid frame: where the next append goes.
    public var validEnd: Int64
    /// The offset of the last complete record (JS `since`), nil when there is none.
    public var lastRecordOffset: Int64?

    /// Bytes of a partial frame after `validEnd` (a torn append).
    public var tornBytes: Int64 { fileSize - validEnd }
    public var isTorn: Bool { fileSize != validEnd }

    public var description: String {
        isTorn ? "torn tail: \(tornBytes) bytes of a partial frame after offset \(validEnd)"
               : "\(validEnd) bytes, no torn tail"
    }

    /// Finds the valid end of the `size` bytes in `source`.
    ///
    /// Like JS `restore()`, it scans back from the end for a position whose preceding trailer
    /// holds that position. Unlike JS, the frame ending there must also validate strictly and
    /// start at a frame boundary, and what follows it must be a *partial* frame (a torn
    /// append): bytes that hold a complete but invalid frame, or that end in a trailer naming
    /// the file's end, are corruption, reported as that frame's error rather than cut away.
    public static func scan(_ source: any ByteSource, width: TrailerWidth, size: Int64,
                            path: String?) throws(FlumeLogError) -> LogExtent {
        let reader = LogReader(source: source, width: width, end: size, path: path)
        if size == 0 { return LogExtent(fileSize: 0, validEnd: 0, lastRecordOffset: nil) }

        // A complete first frame that fails validation is damage (or the wrong width): say so
        // at once instead of scanning the whole file backwards.
        if let firstEnd = try completeFrameEnd(at: 0, reader), firstEnd <= size {
            _ = try reader.validateFrame(at: 0)
        }

        var validEnd: Int64 = 0
        var lastRecord: Int64?
        if let found = try lastValidFrame(reader, size: size) {
            validEnd = found.end
            lastRecord = found.start
        }
        if validEnd < size {
            // A torn append leaves a prefix of a frame. A tail that holds a whole frame by its
            // length, or that ends in a trailer naming the file's end, is damage instead.
            let holdsWholeFrame = try completeFrameEnd(at: validEnd, reader).map { $0 <= size } ?? false
            var endsLikeAFrame = false
            if size - validEnd >= reader.overhead {
                let last = try source.bytes(at: size - Int64(width.byteCount), count: width.byteCount, hint: .random)
                endsLikeAFrame = width.decode(from: last.baseAddress!) == size
            }
            if holdsWholeFrame || endsLikeAFrame {
                _ = try reader.validateFrame(at: validEnd)
                try reader.fail(.trailerMismatch, at: validEnd,
                                     "the bytes after the last valid frame end hold a damaged frame, not a torn append")
            }
        }
        return LogExtent(fileSize: size, validEnd: validEnd, lastRecordOffset: lastRecord)
    }

    /// Where the frame starting at `offset` would end by its leading length, or nil when not
    /// even the length is there.
    private static func completeFrameEnd(at offset: Int64, _ reader: LogReader) throws(FlumeLogError) -> Int64? {
        guard reader.end - offset >= 4 else { return nil }
        let head = try reader.source.bytes(at: offset, count: 4, hint: .random)
        return offset + Int64(UInt32(bigEndian: head.loadUnaligned(as: UInt32.self))) + reader.overhead
    }

    /// Scans back from `size`, a chunk at a time, for the last frame end whose frame validates.
    private static func lastValidFrame(_ reader: LogReader, size: Int64) throws(FlumeLogError) -> (start: Int64, end: Int64)? {
        let width = reader.width
        let trailerWidth = Int64(width.byteCount)
        let chunkSize: Int64 = 64 * 1024
        var candidate = size
        while candidate >= reader.overhead {
            // Positions candidate, candidate-1, ... down to the chunk's low end need the
            // trailer bytes [p - W, p): load them in one backward read.
            let low = max(reader.overhead, candidate - chunkSize)
            let chunkStart = low - trailerWidth
            let chunk = try reader.source.bytes(at: chunkStart, count: Int(candidate - chunkStart), hint: .backward)
            var position = candidate
            var hit: Int64?
            while position >= low {
                if width.decode(from: chunk.baseAddress! + Int(position - trailerWidth - chunkStart)) == position {
                    hit = position
                    break
                }
                position -= 1
            }
            guard let end = hit else {
                candidate = low - 1
                continue
            }
            do {
                let start = try reader.start(ofFrameEndingAt: end, hint: .backward)
                if try reader.validateFrame(at: start) == end, try reader.isFrameStart(start) { return (start, end) }
            } catch where error.code != .io {
                // A chance match inside a payload or a torn tail: keep scanning back.
            }
            candidate = end - 1
        }
        return nil
    }
}
