import FlumeBIPF
import FlumeCorpus
import FlumeJSON
import FlumeLog
import FlumeSSB
import Foundation
import TestSupport
import XCTest

/// Recipes give byte-identical corpora whose manifests every strategy conforms to.
final class CorpusGenerationTests: XCTestCase {
    private var recipesDirectory: String { CompatibilityCorpus.packageRoot.appendingPathComponent("Corpus/recipes").path }

    private func store(_ dir: TemporaryDirectory) -> CorpusStore {
        CorpusStore(recipesDirectory: recipesDirectory, cacheDirectory: dir.path("cache"))
    }

    private func fileBytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    func testTheSameRecipeGivesByteIdenticalFiles() throws {
        for name in ["small", "synthetic-w53", "fault-garbage-tail"] {
            let first = try TemporaryDirectory(), second = try TemporaryDirectory()
            let recipe = try store(first).recipe(named: name)
            let a = try store(first).corpus(for: recipe)
            let b = try store(second).corpus(for: recipe)
            XCTAssertFalse(a.reused)
            XCTAssertEqual(try fileBytes(a.logPath), try fileBytes(b.logPath), name)
            XCTAssertEqual(try fileBytes(a.manifestPath), try fileBytes(b.manifestPath), name)
        }
    }

    func testEveryStandardRecipeIsValidAndSmallOnesVerifyUnderEveryStrategy() throws {
        let dir = try TemporaryDirectory()
        let recipes = try store(dir).recipes()
        XCTAssertTrue(Set(["small", "medium", "large"]).isSubset(of: recipes.map(\.name)))
        XCTAssertEqual(Set(recipes.map(\.fingerprint)).count, recipes.count, "two recipes share a fingerprint")
        // The 64 MiB and 1 GiB ones are exercised by the benchmark suites.
        for recipe in recipes where (recipe.targetBytes ?? 0) <= 4 << 20 && recipe.kind != .converted {
            let corpus = try store(dir).corpus(for: recipe)
            let manifest = try XCTUnwrap(corpus.manifest.golden)
            let result = LogVerification.run(path: corpus.logPath, manifest: manifest,
                                             width: try recipe.width, strategies: ReaderStrategy.all)
            XCTAssertEqual(result.status, .conforms, "\(recipe.name): \(result.allProblems)")
            if recipe.kind == .fault, manifest.torn == nil {
                XCTAssertNotNil(result.expectedErrorSeen, "\(recipe.name): the damage was not reported")
            }
        }
    }

    /// `small-aaol` and `small-bipf` hold `small`'s records (deleted ones dropped, as ssb-db2's
    /// migration drops them) in AAOL, raw and as BIPF, and conform to the manifests written
    /// with them under every strategy.
    func testConvertedRecipesHoldTheBaseRecordsAndConform() throws {
        let dir = try TemporaryDirectory()
        let base = try store(dir).corpus(for: store(dir).recipe(named: "small"))
        var texts: [[UInt8]] = []
        try OffsetLog(path: base.logPath, width: .bits32).forEach(deleted: .skipped) { texts.append(Array($0.payload)) }
        XCTAssertLessThan(texts.count, base.manifest.recordCount, "small has deleted records to drop")
        for name in ["small-aaol", "small-bipf"] {
            let recipe = try store(dir).recipe(named: name)
            let corpus = try store(dir).corpus(for: recipe)
            guard case .aaol(let manifest) = corpus.manifest else { return XCTFail("\(name): not an AAOL manifest") }
            for (strategy, problems) in try AAOLManifestVerifier(path: corpus.logPath, manifest: manifest).check(strategies: ReaderStrategy.all) {
                XCTAssertEqual(problems, [], "\(name) under \(strategy.kind)")
            }
            var records: [[UInt8]] = []
            try AAOLLog(path: corpus.logPath).forEach { record in
                if name == "small-bipf" {
                    records.append(try XCTUnwrap(BIPF.decode(record.payload).value.jsonValue).stringify())
                } else {
                    records.append(Array(record.payload))
                }
            }
            let expected = name == "small-bipf" ? try texts.map { try JSValue.parse($0).stringify() } : texts
            XCTAssertEqual(records, expected, name)
            XCTAssertEqual(corpus.manifest.streamRecordCount, texts.count)
            XCTAssertTrue(try store(dir).corpus(for: recipe).reused, "\(name): not reused")
        }
    }

    func testTheCacheIsReusedAndRegeneratedWhenTheFileChanged() throws {
        let dir = try TemporaryDirectory()
        let recipe = try store(dir).recipe(named: "small")
        let made = try store(dir).corpus(for: recipe)
        XCTAssertTrue(try store(dir).corpus(for: recipe).reused)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: made.logPath))
        try handle.truncate(atOffset: 100)
        try handle.close()
        let again = try store(dir).corpus(for: recipe)
        XCTAssertFalse(again.reused)
        XCTAssertEqual(try ManifestVerifier.sizeAndSHA256(ofFileAt: again.logPath).1, made.manifest.fileSHA256)
    }

    func testGeneratedSSBValidatesAndTamperingIsRejected() throws {
        let dir = try TemporaryDirectory()
        let corpus = try store(dir).corpus(for: store(dir).recipe(named: "small"))
        let report = try SSBValidator(path: corpus.logPath, width: .bits32).validate()
        XCTAssertNil(report.failure)
        XCTAssertGreaterThan(report.privateMessages, 0)
        XCTAssertGreaterThan(report.deletedRecords, 0)
        XCTAssertEqual(report.messages + report.deletedRecords, corpus.manifest.recordCount)
        XCTAssertEqual(report.checkedDirectly, report.messages, "messages the direct path (no JSValue) declined")

        // One letter of a post's text changed (same length, so the frame stays valid).
        let entry = try XCTUnwrap(corpus.manifest.golden!.records.dropFirst(100).first { $0.jsTreatsAsDeleted != true })
        let tampered = dir.path("tampered.offset")
        var bytes = try fileBytes(corpus.logPath)
        let payloadStart = Int(entry.offset) + 4
        let payload = bytes[payloadStart..<payloadStart + entry.length]
        let marker = Array(#""type""#.utf8)
        let at = try XCTUnwrap(payload.firstRange(of: marker)).upperBound + 4
        bytes[at] = bytes[at] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
        try bytes.write(to: URL(fileURLWithPath: tampered))
        let failure = try XCTUnwrap(try SSBValidator(path: tampered, width: .bits32).validate().failure)
        XCTAssertEqual(failure.offset, entry.offset)
        XCTAssertTrue(failure.reason.contains("key is not the hash"), failure.reason)

        // Damage further on (a frame's length made huge): reading stops there with an error, but
        // the invalid message before it is the first problem, and the one reported.
        let later = try XCTUnwrap(corpus.manifest.golden!.records.dropFirst(300).first)
        bytes.replaceSubrange(Int(later.offset)..<Int(later.offset) + 4, with: [0x7F, 0xFF, 0xFF, 0xFF])
        let damaged = dir.path("tampered-and-damaged.offset")
        try bytes.write(to: URL(fileURLWithPath: damaged))
        XCTAssertEqual(try SSBValidator(path: damaged, width: .bits32).validate().failure?.offset, entry.offset)
        bytes[at] = try fileBytes(corpus.logPath)[at]
        try bytes.write(to: URL(fileURLWithPath: damaged))
        XCTAssertThrowsError(try SSBValidator(path: damaged, width: .bits32).validate(), "damage without an invalid message before it")
    }

    func testABrokenChainIsRejected() throws {
        // Messages 1, 2 and 4 of one feed, nothing deleted: sequence 3 is missing.
        let dir = try TemporaryDirectory()
        let recipe = CorpusRecipe(name: "one-feed", kind: .ssb, recordCount: 4, ssb: .init(
            feeds: 1, contentMix: ["post": 1], jsonStyle: "compact", fractionalTimestamps: 0, maxBurst: 1, deletions: 0))
        let corpus = try store(dir).corpus(for: recipe)
        let source = try OffsetLog(path: corpus.logPath, access: .readOnly).records().map(\.payload)
        let broken = dir.path("broken.offset")
        _ = try OffsetLog(path: broken).append(batch: [source[0], source[1], source[3]])
        let failure = try XCTUnwrap(try SSBValidator(path: broken, width: .bits32).validate().failure)
        XCTAssertEqual(failure.code, .sequenceGap)
        XCTAssertTrue(failure.reason.contains("1 missing"), failure.reason)

        // A migrated or compacted log has such gaps: allowed, they are counted.
        var lenient = SSBValidator(path: broken, width: .bits32)
        lenient.allowsGaps = true
        let report = try lenient.validate()
        XCTAssertNil(report.failure)
        XCTAssertEqual([report.messages, report.gaps, report.missingMessages], [3, 1, 1])

        // A fork is no gap: still refused.
        let forked = dir.path("forked.offset")
        _ = try OffsetLog(path: forked).append(batch: [source[0], source[1], source[1]])
        var forkChecker = SSBValidator(path: forked, width: .bits32)
        forkChecker.allowsGaps = true
        XCTAssertEqual(try forkChecker.validate().failure?.code, .brokenChain)
    }

    func testSyntheticPayloadSizesFollowTheirDistribution() throws {
        let dir = try TemporaryDirectory()
        let recipe = CorpusRecipe(name: "uniform", kind: .synthetic, recordCount: 2_000,
                                  payload: try JSONDecoder().decode(PayloadSizes.self, from: Data(#"{"distribution":"uniform","min":10,"max":20}"#.utf8)))
        let corpus = try store(dir).corpus(for: recipe)
        let lengths = corpus.manifest.golden!.records.map(\.length)
        XCTAssertEqual(lengths.count, 2_000)
        XCTAssertEqual(lengths.min(), 10)
        XCTAssertEqual(lengths.max(), 20)
    }

    func testAMeasuredDistributionDrawsFromTheGivenLog() throws {
        let root = try CompatibilityCorpus.require()
        let dir = try TemporaryDirectory()
        let source = root.appendingPathComponent("real/ssb-patchql-out.offset").path
        let sizes = Set(try OffsetLog(path: source, access: .readOnly).records().map(\.length))
        let payload = try JSONDecoder().decode(PayloadSizes.self, from: Data(#"{"distribution":"measured","log":"\#(source)"}"#.utf8))
        let corpus = try store(dir).corpus(for: CorpusRecipe(name: "measured", kind: .synthetic, recordCount: 500, payload: payload))
        XCTAssertTrue(Set(corpus.manifest.golden!.records.map(\.length)).isSubset(of: sizes))
    }

    func testInvalidRecipesAreRefusedWithTheReason() throws {
        let bad = CorpusRecipe(name: "bad", kind: .ssb, targetBytes: 1000, offsetCodecBits: 40)
        XCTAssertThrowsError(try bad.validate()) { XCTAssertTrue("\($0)".contains("offset_codec_bits"), "\($0)") }
        let noSSB = CorpusRecipe(name: "bad", kind: .ssb, targetBytes: 1000)
        XCTAssertThrowsError(try noSSB.validate()) { XCTAssertTrue("\($0)".contains("needs \"ssb\""), "\($0)") }
        let dir = try TemporaryDirectory()
        XCTAssertThrowsError(try store(dir).recipe(named: "no-such-recipe")) { XCTAssertTrue("\($0)".contains("known: "), "\($0)") }
    }
}
