import ArgumentParser
@testable import FlumebenchCLI
import XCTest

/// `verify` starts without ArgumentParser when its arguments are plain
/// (`Verify.parsedDirectly`): the request that parse builds must equal the one ArgumentParser's
/// parse makes, and everything else must be left to ArgumentParser.
final class VerifyDirectParseTests: XCTestCase {
    func testThePlainFormsParseAsArgumentParserParsesThem() throws {
        let forms: [[String]] = [
            ["log.offset"],
            ["log.offset", "--strategy", "mmap"],
            ["--strategy=pread", "log.offset"],
            ["log.offset", "--strategy", "all", "--all", "--thorough"],
            ["log.offset", "--width", "48"],
            ["--width=53", "log.offset", "--format", "offset"],
            ["log.bipf", "--format", "aaol", "--manifest", "golden.manifest.json"],
            ["log.bipf", "--format", "aaol", "--block-size", "65536", "--strategy", "mmap"],
            ["--block-size=4096", "log.bipf", "--format=aaol"],
            ["dir", "--format=offset2", "--strategy", "uring", "--thorough"],
            ["log", "--format", "auto", "--all"],
        ]
        for form in forms {
            let direct = try XCTUnwrap(Verify.parsedDirectly(form[...]), "\(form) was left to ArgumentParser")
            let parsed = try XCTUnwrap(Verify.parseAsRoot(form) as? Verify)
            XCTAssertEqual(direct, parsed.request, "\(form)")
        }
    }

    /// Help, unknown or repeated options, unreadable values, values that look like options and
    /// what validation refuses all go through ArgumentParser, which explains them.
    func testEverythingElseIsLeftToArgumentParser() {
        let forms: [[String]] = [
            [], ["--help"], ["-h"], ["log", "--help"], ["log", "extra"], ["log", "--strategy"],
            ["log", "--strategy", "bogus"], ["log", "--width", "40"], ["log", "--format", "json"],
            ["log", "--strategy", "mmap", "--strategy", "pread"], ["log", "--all", "--all"], ["log", "--all=true"],
            ["log", "--block-size", "4096"], ["log", "--format", "aaol", "--block-size", "lots"], ["log", "--manifest", "--all"], ["log", "--format", "aaol", "--width", "32"],
            ["log", "--"], ["-", "log"], ["log", "--generate-completion-script", "bash"],
        ]
        for form in forms {
            XCTAssertNil(Verify.parsedDirectly(form[...]), "\(form)")
        }
    }
}
