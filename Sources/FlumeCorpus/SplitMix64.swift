#if canImport(Glibc)
import Glibc
#endif

/// SplitMix64: small, fast, and the same sequence on every machine for a seed.
struct SplitMix64: Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let vocabulary = ["the", "log", "scuttlebutt", "feed", "pub", "gossip", "offline", "first", "hello",
                                     "friends", "sailing", "garden", "solar", "patchwork", "manyverse", "café", "✓", "boat",
                                     "replication", "message", "thread", "invite", "follow", "peer", "island", "ocean"]

    /// `count` base64 digits; for the 43 digits of an SSB id the last one carries 4 bits of the
    /// 32 bytes and 2 zero bits, as canonical base64 of real ids does.
    mutating func base64(count: Int) -> String {
        var bytes = [UInt8](repeating: 0, count: count)
        for index in 0..<count { bytes[index] = Self.alphabet[Int(next() & 63)] }
        if count == 43 { bytes[42] = Self.alphabet[Int(next() & 15) << 2] }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `count` random bytes.
    mutating func bytes(_ count: Int) -> [UInt8] {
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
    mutating func below(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(next() % UInt64(bound)) }

    mutating func words(_ count: Int) -> String {
        var text = ""
        for index in 0..<count {
            if index > 0 { text += next() % 12 == 0 ? "\n" : " " }
            text += Self.vocabulary[Int(next() % UInt64(Self.vocabulary.count))]
        }
        return text
    }
}
