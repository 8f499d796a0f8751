import FlumeLog
import TestSupport
import XCTest

/// Randomly damaged logs (seeded, so failures reproduce): every reader strategy answers what
/// the in-memory reference answers, the same records or the same error code at the same
/// offset, and nothing crashes.
final class FuzzedInputTests: XCTestCase {
    private struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 17
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }
    }

    private func damage(_ original: [UInt8], _ random: inout Random) -> [UInt8] {
        var bytes = original
        for _ in 0...random.below(3) {
            switch random.below(7) {
            case 0 where !bytes.isEmpty:
                bytes[random.below(bytes.count)] ^= UInt8(1 + random.below(255))
            case 1 where bytes.count >= 4:
                // A length or trailer word set to an extreme: 0, 0xFFFFFFFF, or random.
                let at = random.below(bytes.count - 3)
                let word: UInt32 = [0, .max, UInt32(truncatingIfNeeded: random.next())][random.below(3)]
                withUnsafeBytes(of: word.bigEndian) { bytes.replaceSubrange(at..<at + 4, with: $0) }
            case 2:
                bytes = Array(bytes.prefix(random.below(bytes.count + 1)))
            case 3:
                bytes += (0..<1 + random.below(64)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            case 4 where !bytes.isEmpty:
                let at = random.below(bytes.count)
                bytes.insert(contentsOf: (0..<1 + random.below(8)).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: at)
            case 5 where !bytes.isEmpty:
                let at = random.below(bytes.count)
                bytes.removeSubrange(at..<min(bytes.count, at + 1 + random.below(16)))
            default:
                bytes = (0..<random.below(3000)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            }
        }
        return bytes
    }

    func testDamagedLogsReadAlikeUnderEveryStrategy() throws {
        let dir = try TemporaryDirectory()
        var random = Random(state: 0x5EED)
        var reads = 0, failures = 0
        for width in TrailerWidth.allCases {
            var payloads = samplePayloads(count: 30, seed: UInt64(width.bits))
            payloads[5] = [UInt8](repeating: 0, count: 40) // a tombstone
            let original = ReferenceFraming.frames(payloads, bits: width.bits)
            for iteration in 0..<250 {
                let bytes = damage(original, &random)
                let path = try dir.write(bytes, as: "fuzz.offset")
                let reference = ReadOutcome.of { try MemoryLog(bytes: bytes, width: width) }
                if case .read = reference { reads += 1 } else { failures += 1 }
                for (strategy, outcome) in ReadOutcome.perStrategy(path, width: width, strategies: everyStrategyVariant) {
                    XCTAssertEqual(outcome, reference, "\(width) iteration \(iteration) through \(strategy)")
                }
            }
        }
        // The damage must exercise both answers: records read and typed errors.
        XCTAssertGreaterThan(reads, 50)
        XCTAssertGreaterThan(failures, 200)
    }
}
