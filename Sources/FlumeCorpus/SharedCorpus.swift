#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The compatibility corpus: logs written by JavaScript and by real SSB clients, each beside
/// its golden manifest (`../shared/corpus`, or wherever `FLUME_CORPUS` points). Read-only.
public struct SharedCorpus: Sendable {
    /// One log of the corpus and its manifest.
    public struct Entry: Sendable {
        /// `folder/base`, as reports name it (`js/js-small-u32`).
        public var name: String
        public var logPath: String
        public var manifestPath: String
    }

    /// The folders holding flume offset logs (`NAME.offset` + `NAME.manifest.json`).
    public static let offsetFolders = ["js", "real"]

    public let root: String

    public init(root: String) { self.root = root }

    /// `explicit` (a `--corpus` option), else `$FLUME_CORPUS`, else `../shared/corpus`.
    public init(explicit: String?) {
        let environment = ProcessInfo.processInfo.environment["FLUME_CORPUS"].flatMap { $0.isEmpty ? nil : $0 }
        root = explicit ?? environment ?? "../shared/corpus"
    }

    /// Whether the corpus is there (it has at least one of the offset-log folders).
    public var exists: Bool {
        Self.offsetFolders.contains { FileManager.default.fileExists(atPath: "\(root)/\($0)") }
    }

    /// The folder of async-append-only-log files (`NAME.log` + `NAME.manifest.json`).
    public static let aaolFolder = "aaol"

    /// Every AAOL log with a manifest, sorted by name.
    public func aaolLogs() -> [Entry] { entries(in: Self.aaolFolder, logSuffix: ".log") }

    /// The logs of one folder: each `NAME.manifest.json` beside `NAME` + `logSuffix`, sorted.
    private func entries(in folder: String, logSuffix: String) -> [Entry] {
        let directory = "\(root)/\(folder)"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".manifest.json") }.sorted().map { name in
            let base = String(name.dropLast(".manifest.json".count))
            return Entry(name: "\(folder)/\(base)", logPath: "\(directory)/\(base)\(logSuffix)", manifestPath: "\(directory)/\(name)")
        }
    }

    /// The folder of go-ssb offset2 directories (`NAME/` + `NAME.manifest.json`).
    public static let offset2Folder = "go-offset2"

    /// Every offset2 directory with a manifest, sorted by name (`logPath` is the directory).
    public func offset2Logs() -> [Entry] { entries(in: Self.offset2Folder, logSuffix: "") }

    /// Every offset log with a manifest, folder by folder, sorted by name.
    public func offsetLogs() -> [Entry] {
        Self.offsetFolders.flatMap { entries(in: $0, logSuffix: ".offset") }
    }
}
