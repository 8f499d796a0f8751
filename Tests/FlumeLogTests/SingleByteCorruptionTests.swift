import FlumeLog
import TestSupport
import XCTest

/// A log with any single byte changed is read correctly or rejected with a typed error:
/// never a crash, never a record at a wrong offset or of a wrong length. (A changed payload
/// byte cannot be noticed by any reader: the format has no checksum. It must reach the
/// consumer as stored, in the right record.)
final class SingleByteCorruptionTests: XCTestCase {
    private func check(_ original: [UInt8], width: TrailerWidth, open: ([UInt8]) throws -> any OffsetFrameLog) throws {
        let reference = try MemoryLog(bytes: original, width: width).records()
        var rejected = 0, accepted = 0
        for index in original.indices {
            for flip: UInt8 in [0x01, 0x80, 0xFF] {
                var bytes = original
                bytes[index] ^= flip
                let records: [StoredRecord]
                do {
                    let log = try open(bytes)
                    records = try log.records()
                    XCTAssertEqual(try log.records(.reverse), records.reversed(), "byte \(index)")
                } catch is FlumeLogError {
                    rejected += 1
                    continue
                }
                accepted += 1
                XCTAssertEqual(records.map(\.offset), reference.map(\.offset), "byte \(index) ^ \(flip)")
                XCTAssertEqual(records.map(\.length), reference.map(\.payload.count), "byte \(index) ^ \(flip)")
                for (got, want) in zip(records, reference) where got.payload != want.payload {
                    let payloadStart = Int(want.offset) + 4
                    XCTAssertTrue((payloadStart..<payloadStart + want.payload.count).contains(index),
                                  "byte \(index) ^ \(flip) changed record \(want.offset) though it lies outside its payload")
                }
            }
        }
        XCTAssertGreaterThan(rejected, 0)
        XCTAssertGreaterThan(accepted, 0)
    }

    func testEveryByteOfEveryWidthInMemory() throws {
        let payloads = samplePayloads(count: 12).map { Array($0.prefix(200)) }
        for width in TrailerWidth.allCases {
            try check(ReferenceFraming.frames(payloads, bits: width.bits), width: width) { bytes in
                try MemoryLog(bytes: bytes, width: width)
            }
        }
    }

    /// The same mutations as files, through every reader strategy: each answers exactly what
    /// the in-memory reference answers, records or error code and offset.
    func testEveryStrategyAnswersLikeTheReferenceForEveryMutation() throws {
        let dir = try TemporaryDirectory()
        let payloads = samplePayloads(count: 6).map { Array($0.prefix(90)) }
        for width in TrailerWidth.allCases {
            let original = ReferenceFraming.frames(payloads, bits: width.bits)
            for index in original.indices {
                var bytes = original
                bytes[index] ^= 0x41
                let path = try dir.write(bytes, as: "mutated.offset")
                let reference = ReadOutcome.of { try MemoryLog(bytes: bytes, width: width) }
                for (strategy, outcome) in ReadOutcome.perStrategy(path, width: width, strategies: everyStrategyVariant) {
                    XCTAssertEqual(outcome, reference, "\(width) byte \(index): \(strategy)")
                }
            }
        }
    }
}
