import Foundation
import XCTest

/// The read-only compatibility corpus: `$FLUME_CORPUS`, else `../shared/corpus` beside the
/// package. Tests that need it skip, with this message, when it is absent.
public enum CompatibilityCorpus {
    public static var directory: URL? {
        let candidates = [ProcessInfo.processInfo.environment["FLUME_CORPUS"].flatMap { $0.isEmpty ? nil : $0 }]
            .compactMap { $0 }.map { URL(fileURLWithPath: $0) }
            + [packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")]
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("js").path) }
    }

    /// The corpus folder, or an `XCTSkip` that says how to provide it.
    public static func require() throws -> URL {
        guard let directory else {
            throw XCTSkip("compatibility corpus not found: set FLUME_CORPUS or place it at ../shared/corpus beside the package")
        }
        return directory
    }

    /// Every `NAME.manifest.json` in `js/` and `real/`, as (log, manifest) paths.
    public static func logsWithManifests() throws -> [(log: String, manifest: String, name: String)] {
        let root = try require()
        return ["js", "real"].flatMap { folder -> [(String, String, String)] in
            let dir = root.appendingPathComponent(folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            return names.filter { $0.hasSuffix(".manifest.json") }.sorted().map { name in
                let base = String(name.dropLast(".manifest.json".count))
                return (dir.appendingPathComponent(base + ".offset").path, dir.appendingPathComponent(name).path, base)
            }
        }
    }

    /// The package root (the folder holding Package.swift).
    public static var packageRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }
}
