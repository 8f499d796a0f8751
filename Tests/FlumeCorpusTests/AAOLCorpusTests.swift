import Crypto
import FlumeCorpus
import FlumeJSON
import FlumeLog
import Foundation
import TestSupport
import XCTest

/// Every AAOL log of the compatibility corpus (written by JS AAOL 4.3.10, or damaged copies of
/// one) read under every strategy exactly as its manifest says: the records JS streams, in
/// order, deleted ones as tombstones, `since`, the log size `get()` checks, reverse scans,
/// `gt`/`gte` probes, reads by offset and JS's error cases; damaged files as the records a
/// parser finds, with the damage reported and the file unchanged.
final class AAOLCorpusTests: XCTestCase {
    private struct Manifest {
        let name: String
        let json: JSValue
        var isDamaged: Bool { json["torn"] != nil }
        var records: [JSValue] { json["records"]?.arrayValue ?? [] }
    }

    private func manifests() throws -> [(log: String, manifest: Manifest)] {
        let folder = try CompatibilityCorpus.require().appendingPathComponent("aaol")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".manifest.json") }.sorted()
        return try names.map { name in
            let base = String(name.dropLast(".manifest.json".count))
            let json = try JSValue.parse(Array(try Data(contentsOf: folder.appendingPathComponent(name))))
            return (folder.appendingPathComponent(base + ".log").path, Manifest(name: base, json: json))
        }
    }

    private func sha256(_ bytes: UnsafeRawBufferPointer) -> String { Hex.encode(SHA256.hash(data: bytes)) }

    func testEveryIntactLogReadsAsJSStreamsIt() throws {
        let logs = try manifests().filter { !$0.manifest.isDamaged }
        XCTAssertEqual(logs.count, 9)
        for (path, manifest) in logs {
            let name = manifest.name
            let expectedOffsets = try XCTUnwrap(manifest.json["stream_offsets"]?.arrayValue).compactMap(\.integerValue)
            let nulls = Set(manifest.json["aaol_stream"]?["null_value_offsets"]?.arrayValue?.compactMap(\.integerValue) ?? [])
            var onDisk: [Int64: String] = [:]
            for record in manifest.records {
                onDisk[record["offset"]!.integerValue!] = (record["sha256_on_disk"] ?? record["sha256"])!.stringValue!
            }
            for strategy in ReaderStrategy.all {
                let label = "\(name) [\(strategy.kind)]"
                let log = try AAOLLog(path: path, strategy: strategy)
                XCTAssertFalse(log.openedExtent.isTorn, label)
                XCTAssertEqual(log.since ?? -1, manifest.json["since"]?.integerValue, label)
                if let size = manifest.json["aaol_readback_log_size"]?.integerValue { XCTAssertEqual(log.end, size, label) }
                var offsets: [Int64] = [], deleted: Set<Int64> = []
                var values = SHA256()
                try log.forEach { record in
                    offsets.append(record.offset)
                    XCTAssertEqual(sha256(record.payload), onDisk[record.offset], "\(label) @\(record.offset)")
                    if record.isDeleted { deleted.insert(record.offset) } else { values.update(bufferPointer: record.payload) }
                }
                XCTAssertEqual(offsets, expectedOffsets, label)
                XCTAssertEqual(deleted, nulls, label)
                XCTAssertEqual(Hex.encode(values.finalize()), manifest.json["aaol_stream"]?["values_sha256"]?.stringValue, label)
                var reverse: [Int64] = []
                try log.forEach(.reverse) { reverse.append($0.offset) }
                XCTAssertEqual(reverse, expectedOffsets.reversed(), label)
                var live: [Int64] = []
                try log.forEach(deleted: .skipped) { live.append($0.offset) }
                XCTAssertEqual(live, expectedOffsets.filter { !nulls.contains($0) }, label)
                for offset in expectedOffsets {
                    let digest = try log.withRecord(at: offset) { sha256($0.payload) }
                    XCTAssertEqual(digest, onDisk[offset], "\(label) get(\(offset))")
                }
                try checkProbes(log, manifest, label)
            }
        }
    }

    /// `gte`, `gt` and `limit` as JS answered them; JS's `get()` errors as typed errors.
    private func checkProbes(_ log: AAOLLog, _ manifest: Manifest, _ label: String) throws {
        guard let probes = manifest.json["aaol_readback"]?["stream_probes"], let middle = probes["middle_offset"]?.integerValue else { return }
        func scan(_ start: ScanStart) throws -> [Int64] {
            var offsets: [Int64] = []
            try log.forEach(from: start) { offsets.append($0.offset) }
            return offsets
        }
        let gte = try scan(.including(middle)), gt = try scan(.after(middle))
        XCTAssertEqual(gte.count, probes["gte_count"]?.integerValue.map(Int.init), label)
        XCTAssertEqual(gte.first, probes["gte_first"]?.integerValue, label)
        XCTAssertEqual(gt.count, probes["gt_count"]?.integerValue.map(Int.init), label)
        XCTAssertEqual(gt.first, probes["gt_first"]?.integerValue, label)
        XCTAssertEqual(Array(try scan(.beginning).prefix(3)), probes["limit3"]?.arrayValue?.compactMap(\.integerValue), label)
        func code(_ offset: Int64) -> FlumeLogError.Code? {
            do { _ = try log.withRecord(at: offset) { _ in } } catch { return (error as? FlumeLogError)?.code }
            return nil
        }
        XCTAssertEqual(code(-1), .invalidArgument, "\(label): JS ERR_AAOL_INVALID_OFFSET")
        XCTAssertEqual(code(1_000_000_000_000), .offsetOutOfRange, "\(label): JS ERR_AAOL_OFFSET_OUT_OF_BOUNDS")
        XCTAssertEqual(code(log.end), .offsetOutOfRange, label)
        if let since = log.since, since > 0 { XCTAssertEqual(code(since + 1), .notAFrameStart, "\(label): JS reads garbage there") }
    }

    /// Damaged copies: the records an independent parser finds, the damage named, nothing
    /// changed; where JS destroys committed records (a partial block) or crashes (a file
    /// shorter than a block), every whole record is still read.
    func testDamagedLogsReadEveryWholeRecordAndSayWhatIsWrong() throws {
        let logs = try manifests().filter { $0.manifest.isDamaged }
        XCTAssertEqual(logs.count, 7)
        let expectations: [String: (partial: Bool, damaged: Bool)] = [
            "aaol-torn-blockcut": (false, false), "aaol-torn-zerotail": (false, false),
            "aaol-torn-zeropayload": (false, false), "aaol-torn-badlen": (false, true), "aaol-torn-zeroblock": (false, false),
            "aaol-torn-midblock": (true, true), "aaol-torn-short": (true, true),
        ]
        for (path, manifest) in logs {
            let name = manifest.name
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            let expected = manifest.records.map { ($0["offset"]!.integerValue!, $0["sha256"]!.stringValue!) }
            XCTAssertEqual(expected.count, manifest.json["record_count"]?.integerValue.map(Int.init), name)
            for strategy in ReaderStrategy.all {
                let label = "\(name) [\(strategy.kind)]"
                let log = try AAOLLog(path: path, strategy: strategy)
                var found: [(Int64, String)] = []
                try log.forEach { found.append(($0.offset, sha256($0.payload))) }
                XCTAssertEqual(found.map(\.0), expected.map(\.0), label)
                XCTAssertEqual(found.map(\.1), expected.map(\.1), label)
                XCTAssertEqual(log.since, expected.last?.0, label)
                let expectation = try XCTUnwrap(expectations[name], "\(name): no expectation")
                XCTAssertEqual(log.openedExtent.partialBlockBytes != 0, expectation.partial, label)
                XCTAssertEqual(log.openedExtent.damage != nil, expectation.damaged, "\(label): \(log.openedExtent)")
                var reverse: [Int64] = []
                try log.forEach(.reverse) { reverse.append($0.offset) }
                XCTAssertEqual(reverse, expected.map(\.0).reversed(), label)
            }
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before, "\(name) changed")
        }
    }

    /// `auto` tells every log of the corpus by its bytes, names the evidence, and refuses
    /// what fits nothing or is empty.
    func testEveryCorpusLogIsToldByItsBytes() throws {
        let root = try CompatibilityCorpus.require()
        var told = 0
        for folder in ["aaol", "js", "real"] {
            let directory = root.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path)
            where name.hasSuffix(".log") || name.hasSuffix(".offset") {
                let path = directory.appendingPathComponent(name).path
                let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
                guard size > 0 else {
                    XCTAssertThrowsError(try LogFormat.detect(path), name)
                    continue
                }
                let detection = try LogFormat.detect(path)
                XCTAssertEqual(detection.format, name.hasSuffix(".log") ? .aaolDefault : .offset(.bits32), "\(name): \(detection.evidence)")
                XCTAssertFalse(detection.evidence.isEmpty)
                told += 1
            }
        }
        XCTAssertGreaterThanOrEqual(told, 37)
        let dir = try TemporaryDirectory()
        var random = SplitMix64(seed: 7)
        let noise = try dir.write(random.bytes(100_000), as: "noise")
        XCTAssertThrowsError(try LogFormat.detect(noise)) { XCTAssertTrue("\($0)".contains("fit no format"), "\($0)") }
    }

    /// The verifier `verify --manifest` and the conformance matrix use: every log conforms, and
    /// edited manifests are caught, naming the field.
    func testTheManifestVerifierPassesEveryLogAndCatchesEdits() throws {
        for (path, manifest) in try manifests() {
            let results = try AAOLManifestVerifier(path: path, manifest: manifest.json).check(strategies: ReaderStrategy.all)
            XCTAssertEqual(results.count, ReaderStrategy.all.count)
            XCTAssertEqual(results.flatMap(\.problems), [], manifest.name)
        }
        let root = try CompatibilityCorpus.require().appendingPathComponent("aaol")
        func problems(_ name: String, _ edit: (inout JSObject) -> Void) throws -> [String] {
            guard case .object(var object) = try AAOLManifestVerifier.load(root.appendingPathComponent("\(name).manifest.json").path) else { return [] }
            edit(&object)
            let verifier = AAOLManifestVerifier(path: root.appendingPathComponent("\(name).log").path, manifest: .object(object))
            return try verifier.check(strategies: [.standard]).flatMap(\.problems)
        }
        XCTAssertTrue(try problems("aaol-small") { $0["since"] = .number(0) }.contains { $0.contains("since") })
        XCTAssertTrue(try problems("aaol-deleted") { $0["aaol_stream"] = .object(JSObject(["null_value_offsets": .array([])])) }
            .contains { $0.contains("null_value_offsets") })
        XCTAssertTrue(try problems("bipf-small") { object in
            var records = object["records"]!.arrayValue!
            var first = records[0].objectValue!
            first["json_sha256"] = .text(String(repeating: "0", count: 64))
            records[0] = .object(first)
            object["records"] = .array(records)
        }.contains { $0.contains("json_sha256") })
        XCTAssertTrue(try problems("aaol-torn-midblock") { object in
            object["records"] = .array(Array(object["records"]!.arrayValue!.dropLast()))
        }.contains { $0.contains("records[].offset") })
    }

    /// The files JS left after reopening the damaged copies (`*.reopened*.log`, no manifest of
    /// their own; what a parser finds in each is in the damaged copy's manifest): read under
    /// every strategy as those records, where JS left whole blocks; with the damage reported
    /// where it did not.
    func testTheFilesJSLeftAfterReopeningReadAsAParserFindsThem() throws {
        let folder = try CompatibilityCorpus.require().appendingPathComponent("aaol")
        var checked = 0
        for (_, manifest) in try manifests() where manifest.isDamaged {
            for key in ["aaol_reopen", "aaol_reopen_validate", "aaol_reopen_then_append"] {
                // `NAME.log (identical)` names a file another reopen left the same.
                guard let reopen = manifest.json[key], let named = reopen["result_file"]?.stringValue,
                      let file = named.split(separator: " ").first.map(String.init),
                      let result = reopen["result"], let records = result["records"]?.arrayValue else { continue }
                let path = folder.appendingPathComponent(file).path
                let expected = records.compactMap { record -> (Int64, String)? in
                    guard let offset = record["offset"]?.integerValue, let digest = record["sha256"]?.stringValue else { return nil }
                    return (offset, digest)
                }
                for strategy in ReaderStrategy.all {
                    let log = try AAOLLog(path: path, strategy: strategy)
                    var found: [(Int64, String)] = []
                    try log.forEach { found.append(($0.offset, sha256($0.payload))) }
                    XCTAssertEqual(found.map(\.0), expected.map(\.0), "\(file) [\(strategy.kind)]")
                    XCTAssertEqual(found.map(\.1), expected.map(\.1), "\(file) [\(strategy.kind)]")
                }
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 10)
    }
}
