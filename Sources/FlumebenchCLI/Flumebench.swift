import ArgumentParser

@main
struct Flumebench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flumebench",
        abstract: "Read, check, convert and measure the logs of Secure Scuttlebutt: flume offset logs (log.offset) and ssb-db2's async-append-only-log (log.bipf).",
        discussion: """
            With no subcommand, runs `run`: the default benchmark suite (Benchmarks/default.json), \
            writing Reports/latest/report.md. Run it from the project root.

            Exit status: 0 conforms, 1 does not conform (stderr names the first difference and \
            its offset), 64 usage error, 66 a file cannot be opened, 70 the tool failed (not a \
            verdict on any log).
            """,
        subcommands: [Run.self, Bench.self, Gate.self, Merge.self, ExecCase.self, Baseline.self, Conformance.self, Verify.self, Convert.self, Compact.self, Salvage.self, Corpus.self, SSBValidate.self, Dump.self, Import.self, Views.self, StressAppend.self],
        defaultSubcommand: Run.self
    )
}
