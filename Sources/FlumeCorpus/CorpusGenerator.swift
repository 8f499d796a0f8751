import FlumeLog
import Foundation

/// Turns a recipe into a log file and its golden manifest.
public struct CorpusGenerator {
    /// Bumped whenever a generator's output changes, so cached corpora are made again.
    public static let version = 1

    public let recipe: CorpusRecipe
    /// Finds (generating if needed) the corpus a fault recipe damages.
    public var baseCorpus: (String) throws -> GeneratedCorpus

    public init(recipe: CorpusRecipe, baseCorpus: @escaping (String) throws -> GeneratedCorpus) {
        self.recipe = recipe
        self.baseCorpus = baseCorpus
    }

    /// Writes the log to `logPath` and the manifest to `manifestPath`; returns the manifest.
    /// `progress` gets the bytes written so far.
    public func generate(logPath: String, manifestPath: String,
                         progress: (Int64) -> Void = { _ in }) throws -> GoldenManifest {
        try recipe.validate()
        let width = try recipe.width
        let fileName = URL(fileURLWithPath: logPath).lastPathComponent
        var manifest: GoldenManifest
        switch recipe.kind {
        case .synthetic, .ssb:
            var sink = try CorpusSink(path: logPath, width: width)
            if recipe.kind == .ssb {
                try SSBCorpusGenerator(recipe: recipe).write(to: &sink, progress: progress)
            } else {
                try SyntheticGenerator(recipe: recipe).write(to: &sink, progress: progress)
            }
            try sink.finish()
            manifest = sink.manifest.manifest(file: fileName, fileSize: 0, fileSHA256: "")
        case .fault:
            let fault = recipe.fault!
            let base = try baseCorpus(fault.base)
            manifest = try FaultInjector(fault: fault, width: width, seed: recipe.seed)
                .write(basePath: base.logPath, base: base.manifest, to: logPath)
        }
        let (size, digest) = try ManifestVerifier.sizeAndSHA256(ofFileAt: logPath)
        manifest.file = fileName
        manifest.fileSize = size
        manifest.fileSHA256 = digest
        let notes = [("recipe", recipe.name), ("recipe_fingerprint", recipe.fingerprint),
                     ("written_by", "flumebench corpus generate (generator \(Self.version))")]
        try AtomicFile.write(manifest.jsonText(notes: notes), to: manifestPath)
        return manifest
    }
}

/// A corpus on disk: its log, its manifest, and whether it was made now or found in the cache.
public struct GeneratedCorpus: Sendable {
    public var recipe: CorpusRecipe
    public var logPath: String
    public var manifestPath: String
    public var manifest: GoldenManifest
    public var reused: Bool
    /// Seconds the generation took (0 when reused).
    public var seconds: Double
}
