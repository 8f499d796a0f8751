import FlumeLog
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The project's corpora: recipes in `Corpus/recipes/`, generated files cached in
/// `Corpus/cache/` (git-ignored) with a marker holding the recipe fingerprint and the file's
/// checksum, so a corpus is made once and reused until its recipe or the generator changes.
public struct CorpusStore: Sendable {
    public var recipesDirectory: String
    public var cacheDirectory: String

    public init(recipesDirectory: String = "Corpus/recipes", cacheDirectory: String = "Corpus/cache") {
        self.recipesDirectory = recipesDirectory
        self.cacheDirectory = cacheDirectory
    }

    /// Every recipe, by name.
    public func recipes() throws -> [CorpusRecipe] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: recipesDirectory) else {
            throw CorpusError(.recipe, file: recipesDirectory, message: "no recipes folder here (run from the project root, or pass --recipes)")
        }
        return try names.filter { $0.hasSuffix(".json") }.sorted()
            .map { try CorpusRecipe.load(from: recipesDirectory + "/" + $0) }
    }

    /// A recipe by name (`small`) or by path (`my/recipe.json`).
    public func recipe(named nameOrPath: String) throws -> CorpusRecipe {
        if nameOrPath.hasSuffix(".json") || nameOrPath.contains("/") { return try CorpusRecipe.load(from: nameOrPath) }
        let path = recipesDirectory + "/" + nameOrPath + ".json"
        guard FileManager.default.fileExists(atPath: path) else {
            let known = (try? recipes().map(\.name).joined(separator: ", ")) ?? "none"
            throw CorpusError(.recipe, file: nameOrPath, message: "no such recipe in \(recipesDirectory) (known: \(known))")
        }
        return try CorpusRecipe.load(from: path)
    }

    /// The recipe's corpus in `directory` (default: the cache): reused when its marker matches,
    /// generated otherwise. `progress` gets (recipe name, bytes written, target bytes).
    public func corpus(for recipe: CorpusRecipe, in directory: String? = nil, force: Bool = false,
                       progress: @escaping (String, Int64, Int64?) -> Void = { _, _, _ in }) throws -> GeneratedCorpus {
        let folder = directory ?? cacheDirectory
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let format = try recipe.format
        // An offset2 log is a directory; its manifest's file size is its data file's.
        let logPath = folder + "/" + recipe.name + (format.name == "offset" ? ".offset" : format == .offset2 ? "" : ".log")
        let sizedFile = format == .offset2 ? logPath + "/data" : logPath
        let manifestPath = folder + "/" + recipe.name + ".manifest.json"
        let markerPath = folder + "/" + recipe.name + ".complete"
        if !force, let marker = try? String(contentsOfFile: markerPath, encoding: .utf8),
           let manifest = try? Self.loadManifest(manifestPath, format: format),
           marker == Self.marker(recipe: recipe, manifest: manifest),
           FileDescriptor.size(atPath: sizedFile) == manifest.fileSize {
            return GeneratedCorpus(recipe: recipe, logPath: logPath, manifestPath: manifestPath, manifest: manifest,
                                   reused: true, seconds: 0)
        }
        try? FileManager.default.removeItem(atPath: markerPath)
        let started = Date()
        let generator = CorpusGenerator(recipe: recipe) { base in
            try self.corpus(for: self.recipe(named: base), progress: progress)
        }
        let manifest = try generator.generate(logPath: logPath, manifestPath: manifestPath) { bytes in
            progress(recipe.name, bytes, recipe.targetBytes)
        }
        try AtomicFile.write(Array(Self.marker(recipe: recipe, manifest: manifest).utf8), to: markerPath)
        return GeneratedCorpus(recipe: recipe, logPath: logPath, manifestPath: manifestPath, manifest: manifest,
                               reused: false, seconds: Date().timeIntervalSince(started))
    }

    static func loadManifest(_ path: String, format: LogFormat) throws -> CorpusManifest {
        switch format {
        case .offset: .offset(try GoldenManifest.load(from: path))
        case .aaol: .aaol(try AAOLManifestVerifier.load(path))
        case .offset2: .offset2(try Offset2ManifestVerifier.load(path))
        }
    }

    static func marker(recipe: CorpusRecipe, manifest: CorpusManifest) -> String {
        "recipe \(recipe.fingerprint)\nfile_size \(manifest.fileSize)\nfile_sha256 \(manifest.fileSHA256)\n"
    }
}
