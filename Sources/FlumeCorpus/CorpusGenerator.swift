import FlumeJSON
import FlumeLog
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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
                         progress: (Int64) -> Void = { _ in }) throws -> CorpusManifest {
        try recipe.validate()
        if recipe.kind == .converted { return try convert(logPath: logPath, manifestPath: manifestPath, progress: progress) }
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
            guard let baseManifest = base.manifest.golden else {
                throw CorpusError(.recipe, file: recipe.name, message: "fault.base \(fault.base) is not an offset log")
            }
            manifest = try FaultInjector(fault: fault, width: width, seed: recipe.seed)
                .write(basePath: base.logPath, base: baseManifest, to: logPath)
        case .converted:
            preconditionFailure("converted above")
        }
        let (size, digest) = try ManifestVerifier.sizeAndSHA256(ofFileAt: logPath)
        manifest.file = fileName
        manifest.fileSize = size
        manifest.fileSHA256 = digest
        try AtomicFile.write(manifest.jsonText(notes: notes), to: manifestPath)
        return .offset(manifest)
    }

    private var notes: [(String, String)] {
        [("recipe", recipe.name), ("recipe_fingerprint", recipe.fingerprint),
         ("written_by", "flumebench corpus generate (generator \(Self.version))")]
    }

    /// A converted recipe: the base's log through `LogConverter`, with the writer's account as
    /// the manifest.
    private func convert(logPath: String, manifestPath: String, progress: (Int64) -> Void) throws -> CorpusManifest {
        let options = recipe.convert!
        let format = try recipe.format
        let base = try baseCorpus(options.base)
        let source = try base.recipe.format.openReadOnly(base.logPath)
        try? FileManager.default.removeItem(atPath: logPath)
        let notes = notes + [("converted_from", "\(options.base) (\(base.manifest.fileSHA256))")]
        guard case .aaol(let blockSize) = format else {
            // offset2: a directory, and a manifest in go-offset2's schema from the writer's account.
            var builder = Offset2ManifestBuilder()
            try LogConverter(to: format, records: options.records).write(source, into: logPath, progress: { _, offset in
                progress(offset)
            }, written: { builder.add($0) })
            let text = try builder.jsonText(directory: logPath, notes: notes)
            try AtomicFile.write(text, to: manifestPath)
            return .offset2(try JSValue.parse(text))
        }
        guard FileManager.default.createFile(atPath: logPath, contents: nil) else {
            throw CorpusError(.recipe, file: recipe.name, message: "cannot create \(logPath)")
        }
        var builder = AAOLManifestBuilder(blockSize: blockSize, isBIPF: options.records == .bipf)
        try LogConverter(to: format, records: options.records).write(source, into: logPath, progress: { _, offset in
            progress(offset)
        }, written: { try builder.add($0) })
        let (size, digest) = try ManifestVerifier.sizeAndSHA256(ofFileAt: logPath)
        let text = builder.jsonText(file: URL(fileURLWithPath: logPath).lastPathComponent, fileSize: size, fileSHA256: digest, notes: notes)
        try AtomicFile.write(text, to: manifestPath)
        return .aaol(try JSValue.parse(text))
    }
}

/// A corpus on disk: its log, its manifest, and whether it was made now or found in the cache.
public struct GeneratedCorpus: Sendable {
    public var recipe: CorpusRecipe
    public var logPath: String
    public var manifestPath: String
    public var manifest: CorpusManifest
    public var reused: Bool
    /// Seconds the generation took (0 when reused).
    public var seconds: Double
}
