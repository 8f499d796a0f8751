import ArgumentParser
import FlumeBench
import FlumeCorpus
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct Corpus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Generate and list the project's corpora (recipes in Corpus/recipes/).",
        discussion: """
            A recipe (JSON) fully determines a corpus: the same recipe always gives \
            byte-identical log and manifest files. Generated files are cached in Corpus/cache/ \
            (git-ignored) with their checksums and reused until the recipe changes.
            """,
        subcommands: [Generate.self, List.self]
    )

    struct Location: ParsableArguments {
        @Option(help: ArgumentHelp("The recipes folder (default: Corpus/recipes in a checkout, else the installed ones).", valueName: "dir"))
        var recipes: String?

        @Option(help: ArgumentHelp("Where generated corpora are cached (default: Corpus/cache in a checkout, else $XDG_CACHE_HOME/flumebench).", valueName: "dir"))
        var cache: String?

        var store: CorpusStore {
            CorpusStore(recipesDirectory: recipes ?? ProjectPaths.current.recipes, cacheDirectory: cache ?? ProjectPaths.current.cache)
        }
    }

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "Generate a corpus (log + golden manifest) from a recipe.",
            discussion: """
                Prints the log and manifest paths, the record count, and the generation rate. \
                Check the result with `flumebench verify LOG --manifest MANIFEST`, and an SSB \
                corpus with `flumebench ssb-validate LOG`.

                Exit status: 0 done, 1 generation failed, 64 unknown or invalid recipe.
                """
        )

        @Argument(help: "A recipe name (see `corpus list`) or a recipe file (*.json); `all` for every recipe.")
        var recipe: String

        @Option(help: ArgumentHelp("Write here instead of the cache.", valueName: "dir"))
        var out: String?

        @Flag(help: "Generate even when a cached copy matches.")
        var force = false

        @OptionGroup var location: Location

        func run() throws {
            let store = location.store
            let recipes: [CorpusRecipe]
            do {
                recipes = recipe == "all" ? try store.recipes() : [try store.recipe(named: recipe)]
            } catch {
                printError("flumebench corpus generate: \(error)")
                throw ExitStatus.usage
            }
            let progress = Progress()
            for recipe in recipes {
                do {
                    let corpus = try store.corpus(for: recipe, in: out, force: force) { name, bytes, target in
                        let of = target.map { " of \($0 >> 20) MiB" } ?? ""
                        progress.show("generating \(name): \(bytes >> 20) MiB\(of)")
                    }
                    progress.clear()
                    print(Self.describe(corpus))
                } catch {
                    progress.clear()
                    printError("flumebench corpus generate \(recipe.name): \(error)")
                    throw ExitStatus.doesNotConform
                }
            }
        }

        static func describe(_ corpus: GeneratedCorpus) -> String {
            let manifest = corpus.manifest
            var line = "\(corpus.recipe.name): \(corpus.logPath) (\(manifest.recordCount) records, \(Formatting.bytes(manifest.fileSize)))"
            if corpus.reused {
                line += ", cached"
            } else {
                let seconds = max(corpus.seconds, 1e-6)
                line += String(printf: ", generated in %.1f s: %.0f records/s, %.0f MB/s",
                               corpus.seconds, Double(manifest.recordCount) / seconds, Double(manifest.fileSize) / 1e6 / seconds)
            }
            return line + "\n  manifest: \(corpus.manifestPath)"
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the recipes and whether each is cached.")

        @OptionGroup var location: Location

        func run() throws {
            let store = location.store
            let recipes: [CorpusRecipe]
            do { recipes = try store.recipes() } catch {
                printError("flumebench corpus list: \(error)")
                throw ExitStatus.usage
            }
            let width = recipes.map(\.name.count).max() ?? 4
            for recipe in recipes {
                let size = recipe.targetBytes.map { "~" + Formatting.bytes($0) } ?? recipe.recordCount.map { "\($0) records" } ?? "as base"
                let cached = FileManager.default.fileExists(atPath: "\(store.cacheDirectory)/\(recipe.name).complete") ? "cached" : "-"
                let name = recipe.name.padded(to: width)
                let kind = recipe.kind.rawValue.padded(to: 9)
                let sizeColumn = size.padded(to: 14)
                print("\(name)  \(kind) \(sizeColumn) \(cached.padded(to: 7)) \(recipe.description)")
            }
        }
    }
}
