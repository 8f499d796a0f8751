import FlumeSSB

#if canImport(Glibc)
import Glibc
#endif

/// SplitMix64: small, fast, and the same sequence on every machine for a seed. The one
/// random generator of the package (corpora, benchmark read positions, stress payloads), and
/// its finalizer the one bit mixer (payload checksums).
public struct SplitMix64: Sendable {
    @usableFromInline var state: UInt64

    public init(seed: UInt64) { state = seed }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// SplitMix64's finalizer: spreads every input bit over the output.
    @inlinable @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    private static let vocabulary = ["the", "log", "scuttlebutt", "feed", "pub", "gossip", "offline", "first", "hello",
                                     "friends", "sailing", "garden", "solar", "patchwork", "manyverse", "café", "✓", "boat",
                                     "replication", "message", "thread", "invite", "follow", "peer", "island", "ocean"]

    /// `count` base64 digits; for the 43 digits of an SSB id the last one carries 4 bits of the
    /// 32 bytes and 2 zero bits, as canonical base64 of real ids does.
    mutating func base64(count: Int) -> String {
        var bytes = [UInt8](repeating: 0, count: count)
        for index in 0..<count { bytes[index] = Base64.alphabet[Int(next() & 63)] }
        if count == 43 { bytes[42] = Base64.alphabet[Int(next() & 15) << 2] }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `count` random bytes.
    public mutating func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var index = 0
        while index < count {
            var word = next()
            for _ in 0..<min(8, count - index) {
                out[index] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                index += 1
            }
        }
        return out
    }

    /// Normally distributed (Box-Muller), mean 0, standard deviation 1.
    mutating func gaussian() -> Double {
        let u1 = max(unit(), 1e-300)
        let u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Uniform in `0..<bound`.
    public mutating func below(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(next() % UInt64(bound)) }

    mutating func words(_ count: Int) -> String {
        var text = ""
        for index in 0..<count {
            if index > 0 { text += next() % 12 == 0 ? "\n" : " " }
            text += Self.vocabulary[Int(next() % UInt64(Self.vocabulary.count))]
        }
        return text
    }
}
