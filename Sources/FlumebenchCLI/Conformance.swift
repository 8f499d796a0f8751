import ArgumentParser
import FlumeBench
import FlumeCorpus
import FlumeJSON
import FlumeLog
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct Conformance: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conformance",
        abstract: "Verify every log of the compatibility corpus against its golden manifest.",
        discussion: """
            Reads the logs that JS flumelog-offset, JS async-append-only-log, go-ssb's margaret \
            and real SSB clients wrote (corpus folders js/, real/, aaol/ and go-offset2/), each checked field by field against NAME.manifest.json, and prints \
            one line per log. Every reader strategy (buffered, mmap, pread, uring) must conform, and \
            all must agree. Nothing is written.
            """
    )

    @OptionGroup var corpus: CorpusOptions

    func run() throws {
        let shared = corpus.shared
        let root = shared.root
        let logs = shared.offsetLogs()
        guard !logs.isEmpty else {
            print("""
                compatibility corpus not found at \(root) (no js/ or real/ manifests): nothing to verify.
                Point --corpus or FLUME_CORPUS at a corpus folder (../shared/corpus in the project's workspace).
                """)
            return
        }
        print("Compatibility corpus: \(root)")
        var failures = 0
        for entry in logs {
            let name = String(entry.name.split(separator: "/").last!)
            let manifest: GoldenManifest
            let width: TrailerWidth
            do {
                manifest = try GoldenManifest.load(from: entry.manifestPath)
                width = try manifest.width
            } catch {
                failures += 1
                print("  FAIL  \(name): \(error)")
                continue
            }
            let result = LogVerification.run(path: entry.logPath, manifest: manifest, width: width, strategies: ReaderStrategy.all)
            if result.status == .conforms, let summary = result.summary {
                let torn = summary.extent.isTorn ? ", torn tail \(summary.extent.tornBytes) B" : ""
                let deleted = summary.deletedRecords > 0 ? ", \(summary.deletedRecords) deleted" : ""
                print("  ok    \(name.padded(to: 28)) \(summary.records) records, \(summary.extent.fileSize) bytes, \(width.bits)-bit\(deleted)\(torn)")
            } else {
                failures += 1
                print("  FAIL  \(name): \(result.firstProblem ?? "does not conform")")
            }
        }
        let aaolLogs = shared.aaolLogs(), offset2Logs = shared.offset2Logs()
        for entry in aaolLogs {
            check(entry, failures: &failures) {
                let verifier = AAOLManifestVerifier(path: entry.logPath, manifest: try AAOLManifestVerifier.load(entry.manifestPath))
                return (try verifier.check(strategies: ReaderStrategy.all).flatMap(\.problems), "async-append-only-log")
            }
        }
        for entry in offset2Logs {
            check(entry, failures: &failures) {
                let manifest = try Offset2ManifestVerifier.load(entry.manifestPath)
                let problems = try Offset2ManifestVerifier(directory: entry.logPath, manifest: manifest).check(strategies: ReaderStrategy.all).flatMap(\.problems)
                return (problems, manifest["margaret_open"]?["result"]?.stringValue == "opened" ? "offset2" : "offset2, refused as margaret refuses it; salvaged")
            }
        }
        let total = logs.count + aaolLogs.count + offset2Logs.count
        print("\(total - failures) of \(total) logs conform")
        if failures > 0 { throw ExitStatus.doesNotConform }
    }

    /// One log's line: ok with `what`, or FAIL with the first problem (or the error).
    private func check(_ entry: SharedCorpus.Entry, failures: inout Int, _ problems: () throws -> ([String], what: String)) {
        let name = String(entry.name.split(separator: "/").last!)
        do {
            let (found, what) = try problems()
            if let first = found.first {
                failures += 1
                print("  FAIL  \(name): \(first)")
            } else {
                print("  ok    \(name.padded(to: 28)) \(what)")
            }
        } catch {
            failures += 1
            print("  FAIL  \(name): \(error)")
        }
    }
}
