/// A fast checksum of what a case read: every payload byte and the offset of every record,
/// combined so that the order of reading does not matter (a reverse scan and a forward scan of
/// the same records agree). Reading wrong bytes, skipping a record or reading one twice changes it.
/// The C reference walk (`flume_reference_walk_mmap`) computes the same function, so the
/// reference does the same work as the measured cases; manifest verification compares each
/// record read by offset with the same record as the scan read it (whose sha256 it checked).
public enum PayloadChecksum {
    /// The checksum of one record.
    @inline(__always)
    public static func record(offset: Int64, payload: UnsafeRawBufferPointer) -> UInt64 {
        var a: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bitPattern: offset)
        var b: UInt64 = UInt64(payload.count)
        let words = payload.count / 16
        var index = 0
        if let base = payload.baseAddress {
            for _ in 0..<words {
                a = (a ^ base.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0x0000_0100_0000_01B3
                b = (b &+ base.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)).rotateLeft(29)
                index += 16
            }
            while index < payload.count {
                b = (b ^ UInt64(base.load(fromByteOffset: index, as: UInt8.self))) &* 0x0000_0100_0000_01B3
                index += 1
            }
        }
        return SplitMix64.mix(a ^ b.rotateLeft(17))
    }
}

extension UInt64 {
    @inline(__always)
    func rotateLeft(_ count: UInt64) -> UInt64 { (self << count) | (self >> (64 - count)) }
}
