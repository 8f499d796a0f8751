#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where suites, recipes, corpora and reports are. In a checkout (the current folder holds
/// `Benchmarks/` and `Corpus/recipes/`): the checkout's own folders. Anywhere else: the suites
/// and recipes installed beside the binary (`make install`: `PREFIX/share/flumebench`),
/// corpora in the user's cache folder (`$XDG_CACHE_HOME/flumebench`, else
/// `~/.cache/flumebench`), reports in `./flumebench-reports`.
struct ProjectPaths {
    var suites: String
    var recipes: String
    var cache: String
    var reports: String
    var isCheckout: Bool

    var baselines: String { suites + "/baselines" }
    var latestResults: String { reports + "/latest/results.json" }

    static let current: ProjectPaths = {
        let files = FileManager.default
        if files.fileExists(atPath: "Benchmarks/smoke.json"), files.fileExists(atPath: "Corpus/recipes") {
            return ProjectPaths(suites: "Benchmarks", recipes: "Corpus/recipes", cache: "Corpus/cache", reports: "Reports", isCheckout: true)
        }
        let share = installedShare
        let environment = ProcessInfo.processInfo.environment
        let cacheHome = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path) + "/.cache"
        return ProjectPaths(suites: share + "/Benchmarks", recipes: share + "/recipes", cache: cacheHome + "/flumebench",
                            reports: "flumebench-reports", isCheckout: false)
    }()

    /// The running flumebench binary, for the runs of itself the harness makes.
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// `../share/flumebench` from the running binary (symbolic links resolved).
    static var installedShare: String {
        URL(fileURLWithPath: executable).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("share/flumebench").path
    }
}
