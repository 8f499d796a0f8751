import FlumeLog

/// An independent, deliberately plain transcription of flumelog-offset's `frame()`
/// (frame/recoverable.js with frame/offset-codecs.js), byte by byte, so that tests do not
/// check the encoder against itself.
public enum ReferenceFraming {
    public static func frames(_ payloads: [[UInt8]], bits: Int, startingAt start: Int = 0) -> [UInt8] {
        let trailerBytes = bits == 32 ? 4 : bits == 48 ? 6 : 8
        var out: [UInt8] = []
        var position = start
        for payload in payloads {
            let n = payload.count
            let length: [UInt8] = [UInt8(n >> 24 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]
            position += n + 8 + trailerBytes
            out += length + payload + length
            // uint32be; uint48be = u16 high, u32 low; int53 writeUInt64BE = u32 high, u32 low.
            var trailer: [UInt8] = []
            for index in stride(from: trailerBytes - 1, through: 0, by: -1) {
                trailer.append(UInt8((position >> (8 * index)) & 0xFF))
            }
            out += trailer
        }
        return out
    }

    /// JS `restore()`: scan back from the end for a position whose preceding W bytes hold it.
    public static func jsRestoredSize(_ bytes: [UInt8], bits: Int) -> Int {
        let w = bits == 32 ? 4 : bits == 48 ? 6 : 8
        var end = bytes.count
        while end >= w {
            var value = 0
            for byte in bytes[(end - w)..<end] { value = value << 8 | Int(byte) }
            if value == end { return end }
            end -= 1
        }
        return 0
    }
}

/// Payloads of assorted sizes and contents: empty, tiny, binary, JSON-like, larger than a page.
public func samplePayloads(count: Int, seed: UInt64 = 1) -> [[UInt8]] {
    var state = seed
    func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state >> 33
    }
    return (0..<count).map { index in
        switch index % 7 {
        case 0: return Array("{\"seq\":\(index),\"text\":\"héllo ✓\"}".utf8)
        case 1: return []
        case 2: return (0..<Int(next() % 64)).map { _ in UInt8(next() & 0xFF) }
        case 3: return [UInt8](repeating: UInt8(ascii: "x"), count: 5000 + Int(next() % 3000))
        case 4: return [0, 0, 1]
        default: return (0..<Int(next() % 700)).map { _ in UInt8(32 + next() % 90) }
        }
    }
}
