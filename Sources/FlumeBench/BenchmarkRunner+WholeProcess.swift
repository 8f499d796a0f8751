import FlumeLog
import FlumeSSB
import FlumeViews
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension BenchmarkRunner {
    /// A case that runs the flumebench binary as a user would, timed from start to exit: what
    /// the process costs beyond the harness's in-process figure (start-up, state files, exit).
    func runInOwnProcess(_ operation: Operation, _ corpus: PreparedCorpus, _ strategy: ReaderStrategy,
                         _ scratch: String) throws -> Sample {
        guard operation.runsInOwnProcess, let binary = options.flumebenchBinary else {
            throw BenchError(.harness, message: "\(operation.rawValue) does not run in a process of its own here")
        }
        switch operation {
        case .verifyProcess: return try verifyInOwnProcess(binary, corpus, strategy)
        case .verifyAllProcess: return try verifyInOwnProcess(binary, corpus, nil)
        case .verifyManifestProcess: return try verifyManifestInOwnProcess(binary, corpus)
        default: return try rebuildViewsInOwnProcess(binary, corpus, scratch)
        }
    }

    /// `flumebench verify LOG --strategy S` (every strategy without one): its summary's record
    /// count (entries, for offset2) must be the corpus's.
    private func verifyInOwnProcess(_ binary: String, _ corpus: PreparedCorpus, _ strategy: ReaderStrategy?) throws -> Sample {
        let before = ResourceUsage.children()
        let run = try Subprocess.run(binary, ["verify", corpus.path] + corpus.format.commandLineArguments
                                     + (strategy.map { ["--strategy", $0.kind.rawValue] } ?? []))
        let usage = ResourceUsage.delta(from: before, to: .children())
        guard run.status == 0 else {
            throw BenchError(.harness, file: corpus.path,
                             message: "flumebench verify exited with \(run.status): \(run.stderr.suffix(500))")
        }
        // "  records        1359 (12 deleted, 0 empty)", or "  entries …" for offset2.
        let counted = run.stdout.split(separator: "\n").lazy.compactMap { line -> Int? in
            let words = line.split(separator: " ")
            guard words.count >= 2, ["records", "entries"].contains(words[0]) else { return nil }
            return Int(words[1])
        }.first
        return Sample(seconds: 0, usage: usage, records: Int64(counted ?? 0), bytes: corpus.fileSize,
                      checksum: "\(counted.map(String.init) ?? "no") records verified",
                      expected: "\(corpus.offsets.count) records verified")
    }

    /// `flumebench verify LOG --manifest M` (every strategy): it must conform; its peak
    /// resident memory is what it prints.
    private func verifyManifestInOwnProcess(_ binary: String, _ corpus: PreparedCorpus) throws -> Sample {
        guard let manifest = corpus.manifestPath else {
            throw BenchError(.harness, file: corpus.path, message: "verify_manifest_process needs a generated corpus's golden manifest")
        }
        let before = ResourceUsage.children()
        let run = try Subprocess.run(binary, ["verify", corpus.path, "--manifest", manifest] + corpus.format.commandLineArguments)
        let usage = ResourceUsage.delta(from: before, to: .children())
        guard run.status == 0 || run.status == 1 else {
            throw BenchError(.harness, file: corpus.path,
                             message: "flumebench verify --manifest exited with \(run.status): \(run.stderr.suffix(500))")
        }
        let verdict = run.status == 0 ? "conforms to its manifest" : "does not conform: \(run.stderr.prefix(300))"
        var sample = Sample(seconds: 0, usage: usage, records: Int64(corpus.offsets.count), bytes: corpus.fileSize,
                            checksum: verdict, expected: "conforms to its manifest")
        sample.processPeakBytes = Self.printedPeak(in: run.stdout)
        return sample
    }

    /// The "peak resident N MB" a flumebench command prints (`verify` aligns N in a column), in bytes.
    private static func printedPeak(in output: String) -> UInt64? {
        output.split(separator: "\n").lazy.compactMap { line in
            line.firstRange(of: "peak resident ").flatMap { Int(line[$0.upperBound...].drop { $0 == " " }.prefix { $0.isNumber }) }
        }.first.map { UInt64($0) << 20 }
    }

    /// `flumebench views rebuild` of all five views: each must apply every record.
    private func rebuildViewsInOwnProcess(_ binary: String, _ corpus: PreparedCorpus, _ scratch: String) throws -> Sample {
        let before = ResourceUsage.children()
        let run = try Subprocess.run(binary, ["views", "rebuild", corpus.path] + corpus.format.commandLineArguments
                                     + ["--dir", scratch + ".views", "--records", corpus.recordEncoding.rawValue])
        let usage = ResourceUsage.delta(from: before, to: .children())
        guard run.status == 0 else {
            throw BenchError(.harness, file: corpus.path,
                             message: "flumebench views rebuild exited with \(run.status): \(run.stderr.suffix(500))")
        }
        let lines = run.stdout.split(separator: "\n")
        // "last   rebuilt (requested), 1234 records applied, since …" per view.
        let applied = lines.compactMap { line in
            line.firstRange(of: " records applied").flatMap { Int(line[..<$0.lowerBound].split(separator: " ").last ?? "") }
        }
        let expected = "\(ViewKind.allCases.count) views, \(corpus.streamRecordCount) records applied each"
        let found = Set(applied).count == 1 ? "\(applied.count) views, \(applied[0]) records applied each"
            : "\(applied.count) views, records applied \(applied.map(String.init).joined(separator: "/"))"
        var sample = Sample(seconds: 0, usage: usage, records: Int64(applied.first ?? 0), bytes: corpus.end,
                            checksum: found, expected: expected)
        sample.processPeakBytes = Self.printedPeak(in: run.stdout)
        return sample
    }
}
