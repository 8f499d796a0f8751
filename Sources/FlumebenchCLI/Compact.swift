import ArgumentParser
import FlumeLog

struct Compact: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Remove the deleted records of an AAOL log (ssb-db2's log.bipf), as JS compact() does.",
        discussion: """
            The live records are laid out again from the start, in order, with JS's block fit \
            rule, so records after the first deleted one get new offsets: indexes keyed by \
            offset must be rebuilt (ssb-db2 resets them). `<log>.stats` is reset. The result is \
            byte-identical to JS's; it is written to a temporary file beside the log, synced and \
            renamed over it, under the writer lock. Damaged logs are refused (repair them first).

            Exit status: 0 done, 1 the log is damaged, 64 usage error, 66 LOG cannot be opened or is locked.
            """
    )

    @Argument(help: "The AAOL log.")
    var log: String

    @Option(help: ArgumentHelp("Block size in bytes (default 65536, as ssb-db2).", valueName: "bytes"))
    var blockSize: Int = AAOLLog.defaultBlockSize

    func run() throws {
        do {
            let removed = try AAOLLog.compact(log, blockSize: blockSize)
            print("\(log): \(removed) deleted record\(removed == 1 ? "" : "s") removed; offsets after the first changed, rebuild the indexes")
        } catch {
            printError("flumebench compact: \(error)")
            throw ExitStatus.forOpening(error)
        }
    }
}
