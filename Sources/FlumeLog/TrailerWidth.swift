/// The width of a frame's trailing offset field, chosen by the writer and not stored in the file.
///
/// flumelog-offset calls it `offsetCodec`: 32 (the default, and the only one SSB uses),
/// 48 (`u16` high + `u32` low) or 53 (`u32` high + `u32` low, value below 2^53). Reader and
/// writer must agree; a mismatch shows up as length or trailer errors at the first frame.
public enum TrailerWidth: Int, Sendable, CaseIterable, CustomStringConvertible {
    case bits32 = 32
    case bits48 = 48
    case bits53 = 53

    /// Accepts the numbers JS accepts for `offsetCodec`.
    public init(bits: Int) throws(FlumeLogError) {
        guard let width = TrailerWidth(rawValue: bits) else {
            throw FlumeLogError(.invalidArgument, message: "trailer width must be 32, 48 or 53 bits, not \(bits)")
        }
        self = width
    }

    public var bits: Int { rawValue }

    /// Bytes the trailer occupies on disk: 4, 6 or 8.
    public var byteCount: Int {
        switch self {
        case .bits32: 4
        case .bits48: 6
        case .bits53: 8
        }
    }

    /// The largest offset the trailer can hold; no frame may end past it.
    public var maxOffset: Int64 {
        switch self {
        case .bits32: Int64(UInt32.max)
        case .bits48: (Int64(1) << 48) - 1
        case .bits53: (Int64(1) << 53) - 1
        }
    }

    /// Bytes a frame occupies beyond its payload: two lengths and the trailer.
    public var frameOverhead: Int { 8 + byteCount }

    public var description: String { "\(rawValue)-bit (\(byteCount)-byte trailer)" }

    /// Writes `value` (which must be `0...maxOffset`) big-endian at `pointer`.
    @inlinable
    public func encode(_ value: Int64, to pointer: UnsafeMutableRawPointer) {
        let v = UInt64(value)
        switch self {
        case .bits32:
            pointer.storeBytes(of: UInt32(truncatingIfNeeded: v).bigEndian, as: UInt32.self)
        case .bits48:
            pointer.storeBytes(of: UInt16(truncatingIfNeeded: v >> 32).bigEndian, as: UInt16.self)
            (pointer + 2).storeBytes(of: UInt32(truncatingIfNeeded: v).bigEndian, as: UInt32.self)
        case .bits53:
            pointer.storeBytes(of: UInt32(truncatingIfNeeded: v >> 32).bigEndian, as: UInt32.self)
            (pointer + 4).storeBytes(of: UInt32(truncatingIfNeeded: v).bigEndian, as: UInt32.self)
        }
    }

    /// Reads a trailer at `pointer`. A 53-bit trailer whose high word has bits above 2^53 set
    /// decodes to a value no valid frame can have, so it fails validation like any mismatch.
    @inlinable
    public func decode(from pointer: UnsafeRawPointer) -> Int64 {
        switch self {
        case .bits32:
            return Int64(UInt32(bigEndian: pointer.loadUnaligned(as: UInt32.self)))
        case .bits48:
            let high = Int64(UInt16(bigEndian: pointer.loadUnaligned(as: UInt16.self)))
            let low = Int64(UInt32(bigEndian: (pointer + 2).loadUnaligned(as: UInt32.self)))
            return high << 32 | low
        case .bits53:
            let high = Int64(UInt32(bigEndian: pointer.loadUnaligned(as: UInt32.self)))
            let low = Int64(UInt32(bigEndian: (pointer + 4).loadUnaligned(as: UInt32.self)))
            return high << 32 | low
        }
    }
}
