import Crypto
import FlumeBIPF
import FlumeJSON
import FlumeLog
import Foundation
import TestSupport
import XCTest

/// The records ssb-db2's migration wrote (`bipf-small.log`, `bipf-unicode.log`): encoding the
/// JSON of each `log.offset` record gives exactly the BIPF bytes JS stored, and decoding them
/// gives back the source text, except where JS itself lost it (lone surrogates).
final class BIPFMigrationTests: XCTestCase {
    func testMigratedRecordsAreByteIdenticalAndDecodeToTheirSource() throws {
        let root = try CompatibilityCorpus.require()
        for (log, source, lossy) in [("bipf-small", "js/js-small-u32.offset", 0), ("bipf-unicode", "js/js-unicode-u32.offset", 2)] {
            let manifest = try JSValue.parse(Array(try Data(contentsOf: root.appendingPathComponent("aaol/\(log).manifest.json"))))
            let records = try XCTUnwrap(manifest["records"]?.arrayValue)
            let offsetLog = try OffsetLog(path: root.appendingPathComponent(source).path, access: .readOnly)
            var index = 0, roundTrips = 0
            try offsetLog.forEach { record in
                let entry = records[index]
                XCTAssertEqual(entry["source_offset"]?.integerValue, record.offset)
                let bipf = try BIPF.encode(try JSValue.parse(record.payload))
                XCTAssertEqual(Hex.encode(SHA256.hash(data: bipf)), entry["bipf_sha256"]?.stringValue, "\(log) record \(index)")
                let text = try BIPF.decode(bipf).value.jsonValue!.stringify()
                XCTAssertEqual(Hex.encode(SHA256.hash(data: text)), entry["json_sha256"]?.stringValue, "\(log) record \(index)")
                if text.elementsEqual(record.payload) { roundTrips += 1 }
                index += 1
            }
            XCTAssertEqual(index, records.count, log)
            XCTAssertEqual(roundTrips, records.count - lossy, "\(log): records whose JSON comes back byte for byte")
        }
    }
}
