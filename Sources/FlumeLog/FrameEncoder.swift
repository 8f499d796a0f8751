/// Encodes frames exactly as flumelog-offset writes them:
/// `u32 length | payload | u32 length | uintW end`, all big-endian.
public enum FrameEncoder {
    /// Appends the frames of `payloads` to `buffer` as if written at file offset `start`, and
    /// returns each record's own offset. Every length and end offset is checked before any
    /// byte is added, so a refusal leaves `buffer` as it was.
    @_specialize(exported: true, where Payloads == [[UInt8]])
    @_specialize(exported: true, where Payloads == ArraySlice<[UInt8]>)
    public static func encode<Payloads: Collection>(
        _ payloads: Payloads, startingAt start: Int64, width: TrailerWidth,
        into buffer: inout [UInt8], path: String? = nil
    ) throws(FlumeLogError) -> [Int64] where Payloads.Element: Collection<UInt8> {
        var offsets: [Int64] = []
        offsets.reserveCapacity(payloads.count)
        var end = start
        for payload in payloads {
            offsets.append(end)
            end = try frameEnd(payloadLength: payload.count, at: end, width: width, path: path)
        }
        buffer.reserveCapacity(buffer.count + Int(end - start))
        for (payload, offset) in zip(payloads, offsets) {
            append(payload, at: offset, width: width, to: &buffer)
        }
        return offsets
    }

    /// Where a frame of `payloadLength` bytes written at `offset` ends, or `.valueTooLarge` when
    /// the length does not fit its `u32` field or the end does not fit the trailer.
    public static func frameEnd(payloadLength: Int, at offset: Int64, width: TrailerWidth,
                                path: String? = nil) throws(FlumeLogError) -> Int64 {
        guard payloadLength <= Int(UInt32.max) else {
            throw FlumeLogError(.valueTooLarge, file: path, offset: offset,
                                message: "a \(payloadLength)-byte payload does not fit the u32 length field (max \(UInt32.max))")
        }
        let end = offset + Int64(payloadLength) + Int64(width.frameOverhead)
        guard end <= width.maxOffset else {
            throw FlumeLogError(.valueTooLarge, file: path, offset: offset,
                                message: "a frame ending at \(end) does not fit a \(width.bits)-bit trailer (max \(width.maxOffset)); use a wider trailer")
        }
        return end
    }

    /// Appends one frame; the caller has checked it with `frameEnd`.
    @inline(__always)
    static func append(_ payload: some Collection<UInt8>, at offset: Int64, width: TrailerWidth, to buffer: inout [UInt8]) {
        let length = UInt32(payload.count)
        let end = offset + Int64(payload.count) + Int64(width.frameOverhead)
        withUnsafeBytes(of: length.bigEndian) { buffer.append(contentsOf: $0) }
        buffer.append(contentsOf: payload)
        withUnsafeBytes(of: length.bigEndian) { buffer.append(contentsOf: $0) }
        var trailer = (0, 0) as (UInt64, UInt64)
        withUnsafeMutableBytes(of: &trailer) { raw in
            width.encode(end, to: raw.baseAddress!)
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[0..<width.byteCount]))
        }
    }
}
