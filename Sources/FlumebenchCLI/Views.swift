import ArgumentParser
import FlumeBench
import FlumeLog
import FlumeViews
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct Views: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "views",
        abstract: "Build, update and check the SSB views of a log.",
        discussion: """
            Views: last (per feed: latest key, sequence, claimed timestamp; flumeview-reduce's \
            format, as ssb-db's last.json), keys (key → offset), clock (feed, sequence → offset), \
            types (content type → count, offsets), links (backlinks: message → linking records). \
            Each is stored as DIR/<view>.json = {"seq","version","value"}, written atomically.
            """,
        subcommands: [Rebuild.self, Update.self, Check.self]
    )

    struct Options: ParsableArguments {
        @OptionGroup var input: LogOptions

        @Option(help: "Folder of the view state files.")
        var dir: String

        @Option(help: "Comma-separated views (default: all): last,keys,clock,types,links.")
        var views: String = ViewKind.allCases.map(\.rawValue).joined(separator: ",")

        @OptionGroup var reader: StrategyOption

        @OptionGroup var records: RecordsOption

        func validate() throws {
            _ = try kinds()
        }

        func kinds() throws -> [ViewKind] {
            try views.split(separator: ",").map { name in
                guard let kind = ViewKind(rawValue: name.trimmingWhitespace) else {
                    throw ValidationError("unknown view '\(name)'; views are \(ViewKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return kind
            }
        }

        func driver() throws -> ViewDriver {
            let opened = try input.openReadOnly(strategy: reader.strategy, command: "views")
            let encoding = try records.resolved(for: opened)
            return ViewDriver(log: opened, encoding: encoding, directory: dir, views: try kinds())
        }
    }

    /// Runs `action` on the driver of `options` and prints what happened to each view.
    static func run(_ options: Options, _ action: (ViewDriver) throws -> [ViewDriver.Outcome]) throws {
        let driver = try options.driver()
        let start = Date()
        let outcomes = try action(driver)
        report(outcomes, driver, seconds: Date().timeIntervalSince(start))
    }

    static func report(_ outcomes: [ViewDriver.Outcome], _ driver: ViewDriver, seconds: Double) {
        for outcome in outcomes {
            let action = switch outcome.action {
            case .resumed: "resumed"
            case .rebuilt(let reason): "rebuilt (\(reason))"
            }
            print("\(outcome.view.rawValue.padded(to: 6)) \(action), \(outcome.recordsApplied) records applied, since \(outcome.since ?? -1) → \(driver.statePath(outcome.view))")
        }
        if driver.skippedRecords > 0 { print("\(driver.skippedRecords) records were not SSB messages and were skipped") }
        let peak = ResourceUsage.peakResidentBytes().map { ", peak resident \($0 >> 20) MB" } ?? ""
        print(String(printf: "%.2f s", seconds) + peak)
    }

    struct Rebuild: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rebuild", abstract: "Build the views from the start and write their states.")
        @OptionGroup var options: Options

        func run() throws { try Views.run(options) { try $0.rebuild() } }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Bring stored views up to date: resume each from its seq, rebuild what cannot be trusted.")
        @OptionGroup var options: Options

        func run() throws { try Views.run(options) { try $0.update() } }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Report whether the stored views agree with a fresh rebuild (exit 1 when one does not).")
        @OptionGroup var options: Options

        func run() throws {
            let results = try options.driver().check()
            for result in results {
                print("\(result.view.rawValue.padded(to: 6)) \(result.agrees ? "ok  " : "FAIL") \(result.detail)")
            }
            if !results.allSatisfy(\.agrees) { throw ExitStatus.doesNotConform }
        }
    }

}
