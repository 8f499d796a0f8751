/// Per manifest entry, a 64-bit checksum (`PayloadChecksum`) of the payload a pass read at the
/// entry's offset, or none where it read none there or its SHA-256 differed. Two flat arrays,
/// 9 bytes an entry where `[UInt64?]` took 16: a pass keeps one until every pass is done (the
/// 1 GiB corpus: 1.4 M entries, per strategy).
public struct RecordChecksums: Sendable {
    private var values: [UInt64]
    private var read: [Bool]

    public init(count: Int) {
        values = [UInt64](repeating: 0, count: count)
        read = [Bool](repeating: false, count: count)
    }

    public init(_ checksums: [UInt64?]) {
        values = checksums.map { $0 ?? 0 }
        read = checksums.map { $0 != nil }
    }

    public var count: Int { values.count }

    /// The entry's checksum, nil where the pass read none for it.
    public subscript(entry: Int) -> UInt64? {
        read[entry] ? values[entry] : nil
    }

    mutating func record(_ checksum: UInt64, at entry: Int) {
        values[entry] = checksum
        read[entry] = true
    }

    /// The first entry both passes read whose checksums differ.
    public func firstDisagreement(with other: RecordChecksums) -> Int? {
        (0..<Swift.min(count, other.count)).first { entry in
            read[entry] && other.read[entry] && values[entry] != other.values[entry]
        }
    }
}
