import ArgumentParser
import FlumeCorpus
import FlumeLog
import Foundation

struct Conformance: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify every log of the compatibility corpus against its golden manifest.",
        discussion: """
            Reads the logs that JS flumelog-offset and real SSB clients wrote (corpus folders \
            js/ and real/), each checked field by field against NAME.manifest.json, and prints \
            one line per log. Every reader strategy (buffered, mmap, pread) must conform, and \
            all must agree. Nothing is written.
            """
    )

    @OptionGroup var corpus: CorpusOptions

    func run() throws {
        let root = corpus.directory
        let manifests = ["js", "real"].flatMap { folder in
            let dir = "\(root)/\(folder)"
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            return names.filter { $0.hasSuffix(".manifest.json") }.sorted().map { "\(dir)/\($0)" }
        }
        guard !manifests.isEmpty else {
            print("""
                compatibility corpus not found at \(root) (no js/ or real/ manifests): nothing to verify.
                Point --corpus or FLUME_CORPUS at a corpus folder (../shared/corpus in the project's workspace).
                """)
            return
        }
        print("Compatibility corpus: \(root)")
        var failures = 0
        for manifestPath in manifests {
            let name = String(manifestPath.split(separator: "/").last!.dropLast(".manifest.json".count))
            let logPath = String(manifestPath.dropLast(".manifest.json".count)) + ".offset"
            let manifest: GoldenManifest
            do {
                manifest = try GoldenManifest.load(from: manifestPath)
            } catch {
                failures += 1
                print("  FAIL  \(name): \(error)")
                continue
            }
            let width = TrailerWidth(rawValue: manifest.offsetCodecBits) ?? .bits32
            let result = LogVerification.run(path: logPath, manifest: manifest, width: width, strategies: ReaderStrategy.all)
            if result.status == .conforms, let summary = result.summary {
                let torn = summary.extent.isTorn ? ", torn tail \(summary.extent.tornBytes) B" : ""
                let deleted = summary.deletedRecords > 0 ? ", \(summary.deletedRecords) deleted" : ""
                print("  ok    \(name.padding(toLength: 28, withPad: " ", startingAt: 0)) \(summary.records) records, \(summary.extent.fileSize) bytes, \(width.bits)-bit\(deleted)\(torn)")
            } else {
                failures += 1
                print("  FAIL  \(name): \(result.firstProblem ?? "does not conform")")
            }
        }
        print("\(manifests.count - failures) of \(manifests.count) logs conform")
        if failures > 0 { throw ExitStatus.doesNotConform }
    }
}
