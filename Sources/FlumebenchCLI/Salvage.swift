import ArgumentParser
import FlumeLog

struct Salvage: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "salvage",
        abstract: "Read every complete entry of a go-ssb offset2 log margaret cannot open, and write a repaired copy.",
        discussion: """
            margaret (go-ssb's log) refuses a directory whose data has torn or extra bytes, \
            whose ofst ends in a partial entry, or whose journal is behind ("offset2: integrity \
            error: ..."), and stays unopenable. This reads DIR without changing a byte, keeps \
            the entries ofst lists whose frames are complete and follow one another from the \
            start of data, and says what it skipped. With --out, it writes those entries, byte for \
            byte (nulled ones too), to a new directory margaret opens: data and ofst cut to them, \
            jrnl naming the last. DIR itself is never touched: replace it yourself once the copy \
            has been checked (`flumebench verify --format offset2 OUT`).

            Exit status: 0 done (whether or not DIR was damaged), 64 usage error, 66 DIR cannot \
            be opened or OUT exists.
            """
    )

    @Argument(help: "The offset2 log directory (data, ofst, jrnl).")
    var directory: String

    @Option(help: ArgumentHelp("Write the entries kept to this new directory.", valueName: "dir"))
    var out: String?

    func run() throws {
        let log: Offset2Log
        do {
            log = try Offset2Log(directory: directory, mode: .salvage)
        } catch {
            printError("flumebench salvage: \(error)")
            throw ExitStatus.cannotOpen
        }
        let salvage = log.salvage!
        if let verdict = salvage.margaretVerdict {
            print("\(directory): margaret refuses it: \"\(verdict.margaretError)\"")
            print("  why            \(verdict.explanation)")
        } else {
            print("\(directory): margaret opens it (seq \(log.sinceOrMinusOne)); nothing to salvage beyond what it reads")
        }
        print("  kept           \(log.end) entr\(log.end == 1 ? "y" : "ies") (seqs 0 ..< \(log.end)), data up to \(log.reader.dataEnd)")
        for skipped in salvage.skipped { print("  skipped        \(skipped)") }
        guard let out else {
            if salvage.margaretVerdict != nil { print("  next           flumebench salvage \(directory) --out DIR writes a repaired copy") }
            return
        }
        do {
            try log.writeRepairedCopy(to: out)
        } catch {
            printError("flumebench salvage: \(error)")
            throw ExitStatus.cannotOpen
        }
        print("  written        \(out): \(log.end) entries; \(directory) was not changed")
    }
}
