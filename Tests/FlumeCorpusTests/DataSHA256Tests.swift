import Crypto
import FlumeCorpus
import TestSupport
import XCTest

/// The SHA-256 manifest verification hashes with (the CPU's SHA extensions where it has them)
/// gives swift-crypto's digests for every length around the block boundaries and for any way
/// the bytes are split between updates.
final class DataSHA256Tests: XCTestCase {
    func testDigestsEqualSwiftCryptosWhateverTheSplit() {
        var random = SplitMix64(seed: 256)
        let bytes = random.bytes(70_000)
        for length in Array(0...300) + [1_000, 4_095, 4_096, 65_537, 70_000] {
            let message = Array(bytes.prefix(length))
            let expected = Data(SHA256.hash(data: message)).map { String(format: "%02x", $0) }.joined()
            var hash = DataSHA256()
            var start = 0
            while start < message.count {
                let end = min(message.count, start + 1 + Int(random.next() % 150))
                message[start..<end].withUnsafeBytes { hash.update($0) }
                start = end
            }
            XCTAssertEqual(hash.finalize().description, expected, "length \(length)")
            XCTAssertEqual(message.withUnsafeBytes { DataSHA256.hash($0) }.description, expected, "length \(length), one update")
        }
        print("DataSHA256: SHA extensions \(DataSHA256.accelerated ? "used" : "absent: swift-crypto")")
    }
    /// Two hashes updated side by side, each with its own bytes split its own way (lengths that
    /// leave either with a partial block, or none): each gives swift-crypto's digest.
    func testPairedUpdatesGiveEachHashItsOwnDigest() {
        var random = SplitMix64(seed: 257)
        let bytes = random.bytes(70_000)
        for (firstLength, secondLength) in [(0, 0), (1, 200), (64, 64), (63, 129), (1_000, 4_096), (70_000, 65_537), (300, 0)] {
            let first = Array(bytes.prefix(firstLength)), second = Array(bytes.suffix(secondLength))
            var firstHash = DataSHA256(), secondHash = DataSHA256()
            var firstAt = 0, secondAt = 0
            while firstAt < first.count || secondAt < second.count {
                let firstEnd = min(first.count, firstAt + Int(random.next() % 300))
                let secondEnd = min(second.count, secondAt + Int(random.next() % 300))
                first[firstAt..<firstEnd].withUnsafeBytes { firstBytes in
                    second[secondAt..<secondEnd].withUnsafeBytes { secondBytes in
                        DataSHA256.update(&firstHash, with: firstBytes, &secondHash, with: secondBytes)
                    }
                }
                firstAt = firstEnd
                secondAt = secondEnd
            }
            let digest = { (message: [UInt8]) in Data(SHA256.hash(data: message)).map { String(format: "%02x", $0) }.joined() }
            XCTAssertEqual(firstHash.finalize().description, digest(first), "first of \(firstLength) and \(secondLength)")
            XCTAssertEqual(secondHash.finalize().description, digest(second), "second of \(firstLength) and \(secondLength)")
        }
    }
}
