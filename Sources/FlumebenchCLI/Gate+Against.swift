import ArgumentParser
import FlumeBench
import FlumeCorpus
import FlumeLog
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Gate {
    /// Same-job A/B: the base (REV built in a cached worktree, or `--base-binary`) and this
    /// build run the suite in turns, base first and last of each pair of pairs (A B B A ...),
    /// and each side's runs are pooled into one result.
    func sameJobRuns() throws -> (base: BenchmarkResults, candidate: BenchmarkResults) {
        let (baseBinary, baseFolder) = try self.baseBinary.map { ($0, FileManager.default.currentDirectoryPath) } ?? buildBase()
        let candidate = ProjectPaths.executable
        let work = try PrivateFolder.make(prefix: "flumebench-ab")
        defer { try? FileManager.default.removeItem(atPath: work) }
        var baseRuns: [BenchmarkResults] = [], candidateRuns: [BenchmarkResults] = []
        for index in 0..<(2 * pairs) {
            // A B B A: the base runs first in even pairs of turns, last in odd ones.
            let order = index % 2 == 0 ? [true, false] : [false, true]
            for isBase in order {
                let name = "\(isBase ? "base" : "candidate")-\(index)"
                printError("gate --against: run \(index + 1) of \(2 * pairs), \(isBase ? "base" : "this build")")
                let results = try runSuite(binary: isBase ? baseBinary : candidate, in: isBase ? baseFolder : FileManager.default.currentDirectoryPath,
                                           extra: isBase ? [] : injections.flatMap { ["--inject", $0] }, work: work, name: name)
                if isBase { baseRuns.append(results) } else { candidateRuns.append(results) }
            }
        }
        return (try BenchmarkResults.pooled(baseRuns), try BenchmarkResults.pooled(candidateRuns))
    }

    /// One `run` of the suite by `binary` in `folder` (its own suites, recipes and corpora).
    private func runSuite(binary: String, in folder: String, extra: [String], work: String, name: String) throws -> BenchmarkResults {
        let copy = "\(work)/\(name).json"
        // Swift seeds its hashing per process: dictionaries (the views' state) then collide
        // differently from run to run, which moved view rebuilds by 15-27 % between processes
        // of the same code. Both sides hash alike. And both check the same compatibility corpus,
        // wherever the base's folder is.
        var environment = ["SWIFT_DETERMINISTIC_HASHING": "1"]
        let shared = SharedCorpus(explicit: nil)
        if shared.exists {
            environment["FLUME_CORPUS"] = URL(fileURLWithPath: shared.root, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath + "/"))
                .standardizedFileURL.path
        }
        let outcome = try Subprocess.run(binary, ["run", "--suite", suite, "--reports", "\(work)/\(name)-reports", "--results-copy", copy] + extra,
                                         in: folder, environment: environment)
        // Exit 1 (wrong data) still leaves results, which the gate reports as conformance failures.
        guard [0, 1].contains(outcome.status), FileManager.default.fileExists(atPath: copy) else {
            let text = outcome.stderr.split(separator: "\n").suffix(5).joined(separator: "\n")
            printError("flumebench gate: \(binary) run --suite \(suite) in \(folder) exited \(outcome.status):\n\(text)")
            throw ExitStatus.notComparable
        }
        return try BenchmarkResults.load(from: copy)
    }

    /// REV built in release in `.build/ab/<commit>/`: a detached worktree (`src`) and its build;
    /// reused when the binary is there.
    private func buildBase() throws -> (binary: String, folder: String) {
        guard let revision = against, let commit = Self.git(["rev-parse", "--verify", "\(revision)^{commit}"]) else {
            printError("flumebench gate: \(against ?? "") is not a revision of this repository")
            throw ExitStatus.usage
        }
        let root = FileManager.default.currentDirectoryPath + "/.build/ab/\(commit)"
        let source = root + "/src", binary = root + "/build/release/flumebench"
        if FileManager.default.isExecutableFile(atPath: binary) { return (binary, source) }
        if !FileManager.default.fileExists(atPath: source) {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            guard Self.git(["worktree", "add", "--detach", source, commit]) != nil else {
                printError("flumebench gate: cannot make a worktree of \(commit) at \(source)")
                throw ExitStatus.software
            }
        }
        printError("gate --against: building \(revision) (\(commit.prefix(10))) in release at \(source): minutes the first time, cached after")
        // Built as `make build` builds this one, so both start alike: one static executable where
        // the base's manifest has the trait, its simdjson helper beside it where it has one.
        let manifest = (try? String(contentsOfFile: source + "/Package.swift", encoding: .utf8)) ?? ""
        let traits = manifest.contains("\"StaticExecutable\"") ? ["--traits", "StaticExecutable"] : []
        let products = ["flumebench"] + (manifest.contains("\"\(SimdJSONReference.executableName)\"") ? [SimdJSONReference.executableName] : [])
        for product in products {
            let build = try Subprocess.run("/usr/bin/env", ["swift", "build", "-c", "release", "--product", product, "--static-swift-stdlib",
                                                            "--disable-local-rpath", "--package-path", source, "--scratch-path", root + "/build"] + traits)
            guard build.status == 0, FileManager.default.isExecutableFile(atPath: root + "/build/release/" + product) else {
                // The compiler's messages come on standard output; the tail of both says why.
                let text = (build.stdout + build.stderr).split(separator: "\n").suffix(20).joined(separator: "\n")
                printError("flumebench gate: building \(product) of \(revision) failed (swift build exited \(build.status)); it cannot be the base:\n\(text)")
                throw ExitStatus.notComparable
            }
        }
        return (binary, source)
    }

    /// A git command's trimmed output, nil when it fails.
    static func git(_ arguments: [String]) -> String? { Subprocess.output(["git"] + arguments) }
}
