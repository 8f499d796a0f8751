import Crypto
import FlumeJSON
import FlumeLog
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Checks a go-ssb offset2 directory against its manifest, the schema of
/// `../shared/corpus/go-offset2` (see its README), through one reader strategy. For a
/// directory margaret opens: the seq it opens at, every entry (offset, length, sha256, nulled),
/// the payload stream, reverse order, `gt`/`lt`/`gte`/`limit` queries, reads past the end and
/// at -1. For one it refuses: margaret's error text, word for word, and what a salvage read
/// keeps (the entries whose frames are complete). Read-only: nothing is changed.
public struct Offset2ManifestVerifier {
    public let directory: String
    public let manifest: JSValue

    public init(directory: String, manifest: JSValue) {
        self.directory = directory
        self.manifest = manifest
    }

    /// Reads a manifest file.
    public static func load(_ manifestPath: String) throws(CorpusError) -> JSValue {
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            throw CorpusError(.manifest, file: manifestPath, message: "cannot read")
        }
        let value: JSValue
        do { value = try JSValue.parse(Array(data)) } catch { throw CorpusError(.manifest, file: manifestPath, message: "not JSON: \(error)") }
        guard value["files"]?["ofst"] != nil, value["entries"]?.arrayValue != nil else {
            throw CorpusError(.manifest, file: manifestPath, message: "not an offset2 manifest (no files.ofst or entries)")
        }
        return value
    }

    /// The three files' sizes and digests.
    public func fileDifferences() throws(FlumeLogError) -> [ManifestDifference] {
        var found: [ManifestDifference] = []
        for name in ["data", "ofst", "jrnl"] {
            let path = directory + "/" + name
            guard let expected = manifest["files"]?[name], expected != .null else {
                found.expect("files.\(name)", "absent", FileManager.default.fileExists(atPath: path) ? "present" : "absent")
                continue
            }
            let (size, digest) = try ManifestVerifier.sizeAndSHA256(ofFileAt: path)
            found.expect("files.\(name).size", expected["size"]?.integerValue, size)
            found.expect("files.\(name).sha256", expected["sha256"]?.stringValue, digest)
        }
        return found
    }

    var margaretOpens: Bool { manifest["margaret_open"]?["result"]?.stringValue == "opened" }

    /// Everything the log yields through `strategy`, held against the manifest.
    public func differences(using strategy: ReaderStrategy) throws -> [ManifestDifference] {
        var found: [ManifestDifference] = []
        let entries = manifest["entries"]?.arrayValue ?? []
        let log: Offset2Log
        if margaretOpens {
            log = try Offset2Log(directory: directory, strategy: strategy)
            found.expect("margaret_open.seq", manifest["margaret_open"]?["seq"]?.integerValue ?? -1, log.sinceOrMinusOne)
        } else {
            let expected = manifest["margaret_open"]?["error"]?.stringValue ?? "?"
            do {
                _ = try Offset2Log(directory: directory, strategy: strategy)
                found.expect("margaret_open.error", expected, "opened")
            } catch {
                found.expect("margaret_open.error", expected, Self.margaretText(of: error) ?? error.description)
            }
            log = try Offset2Log(directory: directory, mode: .salvage, strategy: strategy)
        }
        // The entries whose frames are complete: all of them for a log margaret opens; for a
        // salvage read, the complete ones in order.
        let complete = entries.prefix { $0["sha256"]?.stringValue != nil }
        var scanned: [(seq: Int64, length: Int, sha256: ManifestDigest, nulled: Bool)] = []
        var stream = DataSHA256()
        var cursor = try log.cursor(.forward, deleted: .visible)
        while let record = try cursor.next() {
            // Each entry's sha256 beside the payload stream's.
            let digest = cursor.lastNulled ? DataSHA256.hash(record.payload) : DataSHA256.hash(record.payload, updatingBeside: &stream)
            scanned.append((record.offset, record.payload.count, digest, cursor.lastNulled))
        }
        found.expectList("entries[].seq", complete.compactMap { $0["seq"]?.integerValue }, scanned.map(\.seq))
        found.expectList("entries[].length", complete.compactMap { $0["length"]?.integerValue }.map(Int.init), scanned.map(\.length))
        found.expectList("entries[].sha256", complete.compactMap { $0["sha256"]?.stringValue.map(ManifestDigest.init(hex:)) }, scanned.map(\.sha256))
        found.expectList("entries[].nulled", complete.map { $0["nulled"] == .bool(true) }, scanned.map(\.nulled))
        for (seq, entry) in complete.enumerated() {
            let offset = try log.reader.frameOffset(of: Int64(seq), hint: .random)
            found.expect("entries[\(seq)].offset", entry["offset"]?.integerValue, offset, at: Int64(seq))
        }
        if margaretOpens {
            found.expect("entry_count", manifest["entry_count"]?.integerValue, log.end)
            found.expectList("nulled_seqs", manifest["nulled_seqs"]?.arrayValue?.compactMap(\.integerValue) ?? [],
                             scanned.filter(\.nulled).map(\.seq))
            found.expect("payload_stream_sha256", manifest["payload_stream_sha256"]?.stringValue, stream.finalize().description)
            try checkReadback(log, &found)
        }
        var reverse: [Int64] = []
        var backwards = try log.cursor(.reverse, deleted: .visible)
        while let record = try backwards.next() { reverse.append(record.offset) }
        found.expectList("reverse scan (= forward scan reversed)", scanned.map(\.seq).reversed(), reverse)
        return found
    }

    /// `Get` past the end and at -1, and the push queries margaret answered.
    private func checkReadback(_ log: Offset2Log, _ found: inout [ManifestDifference]) throws {
        guard let readback = manifest["margaret_readback"] else { return }
        func failure(_ seq: Int64) -> FlumeLogError.Code? {
            do { _ = try log.withRecord(at: seq, deleted: .skipped) { _ in }; return nil } catch let error as FlumeLogError { return error.code } catch { return nil }
        }
        if let past = readback["get_past_end"]?["seq"]?.integerValue {
            found.expect("margaret_readback.get_past_end (end of stream)", FlumeLogError.Code.offsetOutOfRange, failure(past))
        }
        found.expect("margaret_readback.get_minus1 (invalid argument)", FlumeLogError.Code.invalidArgument, failure(-1))
        if let gets = readback["get"]?.arrayValue {
            for get in gets {
                guard let seq = get["seq"]?.integerValue else { continue }
                if get["nulled"] == .bool(true) {
                    found.expect("margaret_readback.get[\(seq)] (Entry Nulled)", FlumeLogError.Code.deleted, failure(seq), at: seq)
                } else if let digest = get["sha256"]?.stringValue {
                    found.expect("margaret_readback.get[\(seq)].sha256", ManifestDigest(hex: digest), try log.withRecord(at: seq) { DataSHA256.hash($0.payload) }, at: seq)
                }
            }
        }
        /// A query's items: seq, and sha256 for entries not nulled.
        func query(_ start: ScanStart, below: Int64 = .max, limit: Int = .max) throws -> [JSValue] {
            var items: [JSValue] = []
            var cursor = try log.cursor(.forward, from: start, deleted: .visible)
            while items.count < limit, let record = try cursor.next(), record.offset < below {
                items.append(.number(Double(record.offset)))
            }
            return items
        }
        if let expected = readback["query_push_gt1_lt5"]?.arrayValue, log.end > 1 {
            found.expectList("margaret_readback.query_push_gt1_lt5 seqs", expected.map { $0["seq"] ?? .null }, try query(.after(1), below: 5))
        }
        if let expected = readback["query_push_gte2_limit3"]?.arrayValue, log.end > 2 {
            found.expectList("margaret_readback.query_push_gte2_limit3 seqs", expected.map { $0["seq"] ?? .null }, try query(.including(2), limit: 3))
        }
    }

    /// margaret's words inside an open error's message (`margaret: "…"`).
    static func margaretText(of error: FlumeLogError) -> String? {
        guard let range = error.message.firstRange(of: "margaret: \"") else { return nil }
        let rest = error.message[range.upperBound...]
        return rest.hasSuffix("\"") ? String(rest.dropLast()) : String(rest)
    }

    /// Every check under each strategy, and the files' own: the problems found, one line each.
    /// The strategies run side by side, the files' sha256s beside them.
    public func check(strategies: [ReaderStrategy]) throws(FlumeLogError) -> [(strategy: ReaderStrategy, problems: [String])] {
        try ManifestCheck.run(strategies: strategies, location: directory, file: fileDifferences, pass: differences(using:))
    }
}
