import ArgumentParser
import FlumeCorpus
import FlumeLog

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that a log is read exactly right (never modifies it).",
        discussion: """
            With --manifest, checks every field of the golden manifest: records, offsets, \
            lengths, per-record sha256, stream sha256, JS stream and reverse orders, deleted \
            records, since, and a torn tail's recovered records. One pass hashes the records \
            and another the stream, side by side (a single strategy's stream by a second scan); \
            every other strategy's reads are held to the first's record by record (64-bit \
            checksums; a hash that disagrees has each strategy hash for itself). Without one, validates every frame in one forward pass \
            per strategy (--thorough: backwards too) and prints a summary.

            Exit status: 0 conforms, 1 does not (stderr names the first difference and its \
            offset; a file of another format, which reads as no record and a torn tail, is \
            named with the format its bytes fit), 64 usage error, 66 LOG or the manifest cannot \
            be opened.
            """
    )

    @OptionGroup var input: LogOptions

    @Option(help: ArgumentHelp("A golden manifest (*.manifest.json) to check against.", valueName: "file"))
    var manifest: String?

    @OptionGroup var reader: StrategiesOption

    @Flag(help: "List every difference, not just the first.")
    var all = false

    @Flag(help: "Also walk every record backwards (the reverse decoder checked against the forward one): a second read of the file per strategy.")
    var thorough = false

    /// The parse as plain values.
    var request: VerifyRequest {
        VerifyRequest(log: input.log, framing: input.framing.framing, manifest: manifest, strategyChoice: reader.choice,
                      all: all, thorough: thorough)
    }

    func run() throws { try request.run() }
}
