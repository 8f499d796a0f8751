import ArgumentParser

/// The command line; `Sources/FlumebenchBinary` is its binary.
public struct Flumebench: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "flumebench",
        abstract: "Read, check, convert and measure the logs of Secure Scuttlebutt: flume offset logs (log.offset), ssb-db2's async-append-only-log (log.bipf) and go-ssb's offset2 logs.",
        discussion: """
            With no subcommand, or with only options, runs `run`: the default benchmark suite \
            (Benchmarks/default.json), writing Reports/latest/report.md (./flumebench-reports/ \
            outside a checkout).

            Exit status: 0 conforms, 1 does not conform (stderr names the first difference and \
            its offset), 64 usage error, 66 a file cannot be opened, 70 the tool failed (not a \
            verdict on any log).
            """,
        subcommands: [Run.self, Bench.self, Gate.self, Merge.self, ExecCase.self, Baseline.self, Conformance.self, Verify.self, Convert.self, Compact.self, Salvage.self, Corpus.self, SSBValidate.self, Dump.self, Import.self, Views.self, StressAppend.self]
    )

    public init() {}

    /// `run` is the default subcommand, chosen here rather than with `defaultSubcommand`: that
    /// makes the parser reflect over all of `run`'s options on every start, whatever the
    /// command (2.3 M of the 28 M instructions a short `verify` took).
    public static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let rootOnly = ["-h", "--help", "help", "--version", "--experimental-dump-help", "--generate-completion-script"]
        if arguments.first.map({ $0.hasPrefix("-") && !rootOnly.contains($0) }) ?? true {
            arguments.insert(Run.configuration.commandName!, at: 0)
        }
        // The commands most often run on many small logs start without ArgumentParser's parse.
        if arguments.first == Verify.configuration.commandName, let request = Verify.parsedDirectly(arguments.dropFirst()) {
            do { try request.run() } catch { Verify.exit(withError: error) }
            return
        }
        if arguments.first == Views.configuration.commandName, let request = Views.parsedDirectly(arguments.dropFirst()) {
            do { try request.run() } catch { Views.exit(withError: error) }
            return
        }
        main(arguments)
    }
}
