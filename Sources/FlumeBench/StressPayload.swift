import FlumeCorpus

/// Payloads whose content is a function of their index, so a reader can tell an intact record
/// from a half-written or misplaced one without any other record of what was written. Used by
/// the crash-consistency and live-tail tests through `flumebench stress-append`.
public enum StressPayload {
    /// `#<index>:` then filler bytes derived from the index (never zero, so never a tombstone).
    /// Most are 100 B to 2 KiB; every 40th is 256 KiB to 1 MiB, large enough that a kill can
    /// land in the middle of its write.
    public static func make(_ index: Int) -> [UInt8] {
        var random = SplitMix64(seed: UInt64(truncatingIfNeeded: index))
        let length = index % 40 == 39 ? 256 * 1024 + random.below(768 * 1024) : 100 + random.below(1948)
        var payload = Array("#\(index):".utf8)
        payload.reserveCapacity(length)
        while payload.count < length { payload.append(UInt8(truncatingIfNeeded: random.next()) | 1) }
        return payload
    }

    /// The index a payload claims, if it is exactly the payload `make` gives for that index.
    public static func index(of payload: UnsafeRawBufferPointer) -> Int? {
        guard payload.first == UInt8(ascii: "#"), let colon = payload.firstIndex(of: UInt8(ascii: ":")),
              let index = Int(String(decoding: payload[1..<colon], as: UTF8.self)), index >= 0,
              make(index).withUnsafeBytes({ $0.elementsEqual(payload) })
        else { return nil }
        return index
    }
}
