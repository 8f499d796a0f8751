import ArgumentParser
import FlumeBench
import FlumeLog
import FlumeViews
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What `views rebuild|update|check` was asked, as plain values, and the work itself. `Views`'
/// subcommands (ArgumentParser's parse) and `Views.parsedDirectly` (the plain forms) both
/// make one.
struct ViewsRequest: Equatable {
    enum Action: String {
        case rebuild, update, check
    }

    /// Every view, as `--views` names them by default.
    static let allViews = ViewKind.allCases.map(\.rawValue).listed(separator: ",")

    var action: Action
    /// LOG: a file, or an offset2 directory.
    var log: String
    var framing: LogFraming
    /// `--dir`: the folder of the view state files.
    var directory: String
    /// `--views`: comma-separated view names.
    var views: String = Self.allViews
    var strategy: ReaderStrategy.Kind = .buffered
    var records: RecordsOption.Choice = .auto

    /// The views `--views` names; an unknown one is a usage error.
    func kinds() throws -> [ViewKind] {
        try views.split(separator: ",").map { name in
            guard let kind = ViewKind(rawValue: name.trimmingWhitespace) else {
                throw ValidationError("unknown view '\(name)'; views are \(ViewKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return kind
        }
    }

    func driver() throws -> ViewDriver {
        noteUringFallback([strategy])
        let opened = try framing.openReadOnly(log, strategy: ReaderStrategy(strategy), command: "views")
        let encoding = try RecordsOption.resolved(records, for: opened)
        return ViewDriver(log: opened, encoding: encoding, directory: directory, views: try kinds())
    }

    /// Rebuilds or updates the views and prints what happened to each, or checks them against
    /// a fresh rebuild (exit 1 when one does not agree).
    func run() throws {
        let driver = try driver()
        // A log that fails to read: the error, and the format its bytes fit if another.
        func reading<Result>(_ body: () throws -> Result) throws -> Result {
            do { return try body() } catch let error as FlumeLogError {
                throw LogFraming.reportFailure(error, reading: log, as: driver.log.format, command: "views")
            }
        }
        if action == .check {
            let results = try reading { try driver.check() }
            for result in results {
                print("\(result.view.rawValue.padded(to: 6)) \(result.agrees ? "ok  " : "FAIL") \(result.detail)")
            }
            if !results.allSatisfy(\.agrees) { throw ExitStatus.doesNotConform }
            return
        }
        let start = MonotonicClock.now()
        let outcomes = try reading { try action == .rebuild ? driver.rebuild() : driver.update() }
        let seconds = Double(MonotonicClock.now() - start) / 1e9
        for outcome in outcomes {
            let done = switch outcome.action {
            case .resumed: "resumed"
            case .rebuilt(let reason): "rebuilt (\(reason))"
            }
            print("\(outcome.view.rawValue.padded(to: 6)) \(done), \(outcome.recordsApplied) records applied, since \(outcome.since ?? -1) → \(driver.statePath(outcome.view))")
        }
        if driver.skippedRecords > 0 { print("\(driver.skippedRecords) records were not SSB messages and were skipped") }
        let peak = ResourceUsage.peakResidentBytes().map { ", peak resident \($0 >> 20) MB" } ?? ""
        print(Formatting.decimal(seconds) + " s" + peak)
    }
}
