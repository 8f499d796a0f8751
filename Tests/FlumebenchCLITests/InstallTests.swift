import Foundation
import TestSupport
import XCTest

/// `make install PREFIX=...` installs a flumebench that works from any folder: `bench` on a
/// log, the installed recipes and suites, corpora in the user's cache folder.
final class InstallTests: XCTestCase {
    func testTheInstalledBinaryRunsAnywhere() throws {
        let binary = try FlumebenchProcess.binary().path
        let prefix = try TemporaryDirectory(), elsewhere = try TemporaryDirectory(), cache = try TemporaryDirectory()
        // The binary under test is installed as built (make's own build step is skipped).
        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        make.arguments = ["make", "-o", "build", "-o", "deps", "install", "PREFIX=\(prefix.url.path)", "FLUMEBENCH=\(binary)"]
        make.currentDirectoryURL = CompatibilityCorpus.packageRoot
        make.standardOutput = FileHandle.nullDevice
        try make.run()
        make.waitUntilExit()
        XCTAssertEqual(make.terminationStatus, 0, "make install failed")
        let installed = URL(fileURLWithPath: prefix.path("bin/flumebench"))
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: installed.path))
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: prefix.path("bin/flumebench-simdjson")), "the simdjson helper beside it")
        func run(_ arguments: [String]) throws -> FlumebenchProcess.Outcome {
            try FlumebenchProcess.run(arguments, in: elsewhere.url, executable: installed, environment: ["XDG_CACHE_HOME": cache.url.path])
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: prefix.path("share/flumebench/Benchmarks/smoke.json")))

        let listed = try run(["corpus", "list"])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertTrue(listed.stdout.contains("medium-bipf"), listed.stdout)
        let generated = try run(["corpus", "generate", "small"])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: cache.path("flumebench/small.offset")), "corpora go to the user's cache folder")
        let unknown = try run(["run", "--suite", "no-such-suite"])
        XCTAssertEqual(unknown.status, 64)
        XCTAssertTrue(unknown.stderr.contains("smoke") && unknown.stderr.contains("share/flumebench/Benchmarks"), unknown.stderr)

        let log = cache.path("flumebench/small.offset")
        let benched = try run(["bench", log, "--cache", "warm", "--operations", "open,forward_scan", "--time-budget", "5"])
        XCTAssertEqual(benched.status, 0, benched.stderr)
        XCTAssertTrue(benched.stdout.contains("forward_scan small.offset warm:"), benched.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: elsewhere.path("flumebench-reports/latest/report.md")))
    }
}
