import ArgumentParser
@testable import FlumebenchCLI
import XCTest

/// `views rebuild|update|check` start without ArgumentParser when their arguments are plain
/// (`Views.parsedDirectly`): the request that parse builds must equal the one ArgumentParser's
/// parse makes, and everything else must be left to ArgumentParser.
final class ViewsDirectParseTests: XCTestCase {
    /// ArgumentParser's request for `views ARGUMENTS`.
    private func parsed(_ arguments: [String]) throws -> ViewsRequest {
        let command = try Views.parseAsRoot(arguments)
        switch command {
        case let rebuild as Views.Rebuild: return rebuild.options.request(.rebuild)
        case let update as Views.Update: return update.options.request(.update)
        case let check as Views.Check: return check.options.request(.check)
        default: throw XCTSkip("\(arguments) parsed as \(type(of: command))")
        }
    }

    func testThePlainFormsParseAsArgumentParserParsesThem() throws {
        let forms: [[String]] = [
            ["update", "log.offset", "--dir", "views"],
            ["rebuild", "--dir=views", "log.offset", "--strategy", "mmap"],
            ["check", "log.offset", "--dir", "v", "--views", "last,keys"],
            ["update", "log.offset", "--dir", "v", "--views=clock", "--records", "json", "--width", "48"],
            ["update", "log.bipf", "--dir", "v", "--format", "aaol", "--block-size", "4096", "--records", "bipf"],
            ["rebuild", "dir", "--format=offset2", "--dir", "v", "--strategy", "uring", "--records=gossb"],
            ["update", "log", "--format", "auto", "--dir", "v"],
        ]
        for form in forms {
            let direct = try XCTUnwrap(Views.parsedDirectly(form[...]), "\(form) was left to ArgumentParser")
            XCTAssertEqual(direct, try parsed(form), "\(form)")
        }
    }

    /// Help, unknown or repeated options, unreadable values, a missing `--dir`, values that
    /// look like options and what validation refuses all go through ArgumentParser.
    func testEverythingElseIsLeftToArgumentParser() {
        let forms: [[String]] = [
            [], ["update"], ["--help"], ["update", "--help"], ["update", "log", "--help"], ["update", "log"],
            ["list", "log", "--dir", "v"], ["update", "log", "extra", "--dir", "v"], ["update", "log", "--dir"],
            ["update", "log", "--dir", "v", "--dir", "w"], ["update", "log", "--dir", "-v"],
            ["update", "log", "--dir", "v", "--strategy", "all"], ["update", "log", "--dir", "v", "--records", "xml"],
            ["update", "log", "--dir", "v", "--views", "last,nope"], ["update", "log", "--dir", "v", "--width", "40"],
            ["update", "log", "--dir", "v", "--format", "aaol", "--width", "32"], ["update", "log", "--dir", "v", "--block-size", "4096"],
            ["update", "log", "--dir", "v", "--thorough"], ["update", "log", "--dir", "v", "--"],
        ]
        for form in forms {
            XCTAssertNil(Views.parsedDirectly(form[...]), "\(form)")
        }
    }
}
