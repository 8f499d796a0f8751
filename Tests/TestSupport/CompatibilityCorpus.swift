import FlumeCorpus
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

    /// Every offset log of the corpus with its manifest (`SharedCorpus`, the one walk).
    public static func logsWithManifests() throws -> [(log: String, manifest: String, name: String)] {
        SharedCorpus(root: try require().path).offsetLogs().map { entry in
            (entry.logPath, entry.manifestPath, String(entry.name.split(separator: "/").last!))
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
