import Foundation
import TestSupport
import XCTest

/// `make install PREFIX=...` installs a flumebench that works from any folder: `bench` on a
/// log, the installed recipes and suites, corpora in the user's cache folder.
final class InstallTests: XCTestCase {
    private func run(_ executable: String, _ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    func testTheInstalledBinaryRunsAnywhere() throws {
        let binary = try FlumebenchProcess.binary().path
        let prefix = try TemporaryDirectory(), elsewhere = try TemporaryDirectory(), cache = try TemporaryDirectory()
        // The binary under test is installed as built (make's own build step is skipped).
        let (status, _, stderr) = try run("/usr/bin/env", ["make", "-o", "build", "-o", "deps", "install",
                                                           "PREFIX=\(prefix.url.path)", "FLUMEBENCH=\(binary)"],
                                          in: CompatibilityCorpus.packageRoot)
        XCTAssertEqual(status, 0, stderr)
        let installed = prefix.path("bin/flumebench")
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: installed))
        XCTAssertTrue(FileManager.default.fileExists(atPath: prefix.path("share/flumebench/Benchmarks/smoke.json")))

        let environment = ["XDG_CACHE_HOME": cache.url.path]
        let (listed, recipes, listError) = try run(installed, ["corpus", "list"], in: elsewhere.url, environment: environment)
        XCTAssertEqual(listed, 0, listError)
        XCTAssertTrue(recipes.contains("medium-bipf"), recipes)
        let (generated, _, generateError) = try run(installed, ["corpus", "generate", "small"], in: elsewhere.url, environment: environment)
        XCTAssertEqual(generated, 0, generateError)
        XCTAssertTrue(FileManager.default.fileExists(atPath: cache.path("flumebench/small.offset")), "corpora go to the user's cache folder")
        let (unknown, _, suiteError) = try run(installed, ["run", "--suite", "no-such-suite"], in: elsewhere.url, environment: environment)
        XCTAssertEqual(unknown, 64)
        XCTAssertTrue(suiteError.contains("smoke") && suiteError.contains("share/flumebench/Benchmarks"), suiteError)

        let log = cache.path("flumebench/small.offset")
        let (benched, benchOut, benchError) = try run(installed, ["bench", log, "--cache", "warm", "--operations", "open,forward_scan",
                                                                  "--time-budget", "5"], in: elsewhere.url, environment: environment)
        XCTAssertEqual(benched, 0, benchError)
        XCTAssertTrue(benchOut.contains("forward_scan small.offset warm:"), benchOut)
        XCTAssertTrue(FileManager.default.fileExists(atPath: elsewhere.path("flumebench-reports/latest/report.md")))
    }
}
