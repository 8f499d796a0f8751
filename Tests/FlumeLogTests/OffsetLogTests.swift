import FlumeLog
import TestSupport
import XCTest

/// The file-backed log against the in-memory reference, for every trailer width.
final class OffsetLogTests: XCTestCase {
    func testAppendsMatchMemoryLogAndTheReferenceBytes() throws {
        let dir = try TemporaryDirectory()
        let payloads = samplePayloads(count: 60)
        for width in TrailerWidth.allCases {
            let path = dir.path("log-\(width.bits).offset")
            let file = try OffsetLog(path: path, width: width)
            let memory = MemoryLog(width: width)
            XCTAssertNil(file.since)
            XCTAssertEqual(file.sinceOrMinusOne, -1)
            var fileOffsets: [Int64] = []
            var memoryOffsets: [Int64] = []
            for payload in payloads[0..<20] {
                fileOffsets.append(try file.append(payload))
                memoryOffsets.append(try memory.append(payload))
            }
            fileOffsets += try file.append(batch: Array(payloads[20..<45]))
            memoryOffsets += try memory.append(batch: Array(payloads[20..<45]))
            for payload in payloads[45...] {
                fileOffsets.append(try file.append(payload))
                memoryOffsets.append(try memory.append(payload))
            }
            XCTAssertEqual(fileOffsets, memoryOffsets)
            XCTAssertEqual(file.since, fileOffsets.last)
            XCTAssertEqual(file.end, Int64(try fileBytes(path).count))
            XCTAssertEqual(try fileBytes(path), memory.bytes)
            XCTAssertEqual(memory.bytes, ReferenceFraming.frames(payloads, bits: width.bits))

            let records = try file.records()
            XCTAssertEqual(records.map(\.payload), payloads)
            XCTAssertEqual(records.map(\.offset), fileOffsets)
            XCTAssertEqual(records, try memory.records())
            XCTAssertEqual(try file.records(.reverse), records.reversed())
            XCTAssertEqual(records[1].payload, [], "a zero-length payload reads back empty")
            XCTAssertFalse(records[1].isDeleted)
        }
    }

    func testReopenContinuesWhereTheLogEnds() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("reopen.offset")
        let payloads = samplePayloads(count: 10)
        for width in TrailerWidth.allCases {
            try? FileManager.default.removeItem(atPath: path)
            do {
                let log = try OffsetLog(path: path, width: width, syncPolicy: .eachAppend)
                try log.append(batch: Array(payloads[0..<5]))
            }
            let log = try OffsetLog(path: path, width: width, syncPolicy: .eachBatch)
            XCTAssertFalse(log.recoveredTornTail)
            let last = try log.append(payloads[5])
            try log.append(batch: Array(payloads[6...]))
            try log.sync()
            XCTAssertEqual(try fileBytes(path), ReferenceFraming.frames(payloads, bits: width.bits))
            XCTAssertEqual(try log.record(at: last).payload, payloads[5])
            let readOnly = try OffsetLog(path: path, width: width, access: .readOnly)
            XCTAssertEqual(readOnly.since, log.since)
            XCTAssertEqual(try readOnly.records().map(\.payload), payloads)
        }
    }

    func testScansFromAnOffsetInclusiveAndExclusiveBothWays() throws {
        let log = MemoryLog(width: .bits48)
        let offsets = try log.append(batch: samplePayloads(count: 12))
        func scan(_ direction: ScanDirection, _ start: ScanStart) throws -> [Int64] {
            try log.records(direction, from: start).map(\.offset)
        }
        XCTAssertEqual(try scan(.forward, .including(offsets[4])), Array(offsets[4...]))
        XCTAssertEqual(try scan(.forward, .after(offsets[4])), Array(offsets[5...]))
        XCTAssertEqual(try scan(.forward, .after(offsets[11])), [])
        XCTAssertEqual(try scan(.forward, .including(log.end)), [])
        XCTAssertEqual(try scan(.reverse, .including(offsets[4])), Array(offsets[0...4].reversed()))
        XCTAssertEqual(try scan(.reverse, .after(offsets[4])), Array(offsets[0..<4].reversed()))
        XCTAssertEqual(try scan(.reverse, .after(offsets[0])), [])
        XCTAssertEqual(try scan(.reverse, .after(log.end)), Array(offsets.reversed()))
        XCTAssertThrowsError(try scan(.forward, .including(offsets[4] + 1))) {
            XCTAssertEqual(($0 as? FlumeLogError)?.code, .notAFrameStart)
        }
    }

    func testCursorStopsEarlyAndBorrowsPayloads() throws {
        let log = MemoryLog()
        try log.append(batch: (0..<100).map { Array("record \($0)".utf8) })
        var cursor = try log.cursor()
        var seen: [String] = []
        while seen.count < 3, let record = try cursor.next() {
            seen.append(String(decoding: record.payload, as: UTF8.self))
        }
        XCTAssertEqual(seen, ["record 0", "record 1", "record 2"])
    }

    func testDeletionZeroesThePayloadAndKeepsTheFrame() throws {
        let dir = try TemporaryDirectory()
        let payloads = samplePayloads(count: 14).map { $0.isEmpty ? [1] : $0 }
        for width in TrailerWidth.allCases {
            let path = dir.path("del-\(width.bits).offset")
            try? FileManager.default.removeItem(atPath: path)
            let log = try OffsetLog(path: path, width: width, syncPolicy: .eachAppend)
            let memory = MemoryLog(width: width)
            let offsets = try log.append(batch: payloads)
            try memory.append(batch: payloads)
            // Read first so the reader's buffer holds the bytes that deletion changes.
            XCTAssertEqual(try log.record(at: offsets[3]).payload, payloads[3])
            for index in [0, 3, 13] {
                try log.delete(at: offsets[index])
                try memory.delete(at: offsets[index])
            }
            XCTAssertEqual(try fileBytes(path), memory.bytes)
            var expected = ReferenceFraming.frames(payloads, bits: width.bits)
            for index in [0, 3, 13] {
                let start = Int(offsets[index]) + 4
                expected.replaceSubrange(start..<start + payloads[index].count,
                                         with: [UInt8](repeating: 0, count: payloads[index].count))
            }
            XCTAssertEqual(try fileBytes(path), expected)

            let tombstone = try log.record(at: offsets[3])
            XCTAssertTrue(tombstone.isDeleted)
            XCTAssertEqual(tombstone.payload.count, payloads[3].count)
            XCTAssertThrowsError(try log.record(at: offsets[3], deleted: .skipped)) {
                XCTAssertEqual(($0 as? FlumeLogError)?.code, .deleted)
                XCTAssertEqual(($0 as? FlumeLogError)?.offset, offsets[3])
            }
            let live = offsets.enumerated().filter { ![0, 3, 13].contains($0.offset) }.map(\.element)
            XCTAssertEqual(try log.records(deleted: .skipped).map(\.offset), live)
            XCTAssertEqual(try log.records(.reverse, deleted: .skipped).map(\.offset), live.reversed())
            XCTAssertEqual(try log.records().count, payloads.count)
            XCTAssertEqual(log.since, offsets.last, "since still names the deleted last record, as in JS")
        }
    }

    func testReadOnlyLogRefusesWrites() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("ro.offset")
        try OffsetLog(path: path).append(Array("x".utf8))
        let log = try OffsetLog(path: path, access: .readOnly)
        XCTAssertThrowsError(try log.append(Array("y".utf8))) { XCTAssertEqual(($0 as? FlumeLogError)?.code, .invalidArgument) }
        XCTAssertThrowsError(try log.delete(at: 0)) { XCTAssertEqual(($0 as? FlumeLogError)?.code, .invalidArgument) }
    }

    func testRecordLargerThanTheReadBufferReadsBackWhole() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("big.offset")
        let big = (0..<300_000).map { UInt8($0 % 251) }
        let log = try OffsetLog(path: path, width: .bits53)
        try log.append(batch: [Array("a".utf8), big, Array("b".utf8)])
        let reader = try OffsetLog(path: path, width: .bits53, access: .readOnly, strategy: try .buffered(bufferSize: 4096))
        XCTAssertEqual(try reader.records().map(\.payload), [Array("a".utf8), big, Array("b".utf8)])
        XCTAssertEqual(try reader.records(.reverse).map(\.payload.count), [1, big.count, 1])
    }

    func testStrategyParametersAreValidated() {
        XCTAssertThrowsError(try ReaderStrategy.buffered(bufferSize: 100))
        XCTAssertEqual(try ReaderStrategy.buffered(bufferSize: 65_536).description, "buffered read(2), 64 KiB buffer, 8 MiB readahead behind reverse scans")
    }
}
