@testable import FlumeBench
import FlumeLog
import Foundation
import TestSupport
import XCTest

/// The simdjson reference runs in its own process (`flumebench-simdjson`, built beside
/// flumebench): it finds every message of an offset log, names the frame where a torn log stops,
/// and refuses what it cannot read with the harness's error, naming the helper.
final class SimdJSONReferenceTests: XCTestCase {
    private func helper() throws -> SimdJSONReference {
        let candidates = [CommandLine.arguments[0], Bundle.main.bundleURL.appendingPathComponent("flumebench").path]
        guard let found = candidates.lazy.compactMap({ SimdJSONReference.locate(beside: $0) }).first else {
            throw XCTSkip("\(SimdJSONReference.executableName) not built beside the test bundle (swift build builds it)")
        }
        return found
    }

    func testItFindsEveryMessageAndNamesWhereATornLogStops() throws {
        let simdjson = try helper()
        let dir = try TemporaryDirectory()
        let path = dir.path("log.offset")
        let messages = (1...300).map { sequence in
            #"{"key":"%msg\#(sequence).sha256","value":{"author":"@a.ed25519","sequence":\#(sequence),"timestamp":1.5,"content":{"type":"post"}}}"#
        }
        let offsets = try OffsetLog(path: path).append(batch: messages.map { Array($0.utf8) } + [Array("not json".utf8)])
        let end = Int64(try fileBytes(path).count)

        let whole = try simdjson.extract(path: path, trailerBytes: 4, end: end)
        XCTAssertEqual(whole.records, 301)
        XCTAssertEqual(whole.messages, 300, "the record that is not JSON is a record, not a message")
        XCTAssertEqual(whole.errorOffset, -1)
        // The lengths of key, author and type, the sequence and the timestamp's whole part.
        let sum = (1...300).reduce(0) { $0 + "%msg\($1).sha256".count + "@a.ed25519".count + "post".count + $1 + 1 }
        XCTAssertEqual(whole.fieldSum, UInt64(sum))
        XCTAssertGreaterThan(whole.seconds, 0)

        // The last message's trailer torn off: the walk stops at that frame, having read the rest.
        var bytes = try fileBytes(path)
        let tornAt = Int(offsets[299])
        bytes.removeLast(bytes.count - tornAt - 6)
        let torn = try dir.write(bytes, as: "torn.offset")
        let stopped = try simdjson.extract(path: torn, trailerBytes: 4, end: Int64(bytes.count))
        XCTAssertEqual(stopped.errorOffset, Int64(tornAt))
        XCTAssertEqual(stopped.messages, 299)
    }

    func testWhatItCannotReadIsAHarnessErrorNamingTheHelper() throws {
        let simdjson = try helper()
        XCTAssertThrowsError(try simdjson.extract(path: "/no/such/log", trailerBytes: 5, end: 10)) { error in
            XCTAssertTrue("\(error)".contains(SimdJSONReference.executableName), "\(error)")
            XCTAssertTrue("\(error)".contains("exited with 64"), "\(error)")
        }
        let missing = try simdjson.extract(path: "/no/such/log", trailerBytes: 4, end: 10)
        XCTAssertEqual(missing.errorOffset, -2, "a file that cannot be mapped")
    }
}
