import ArgumentParser
import FlumeViews

struct Views: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "views",
        abstract: "Build, update and check the SSB views of a log.",
        discussion: """
            Views: last (per feed: latest key, sequence, claimed timestamp; flumeview-reduce's \
            format, as ssb-db's last.json), keys (key → offset), clock (feed, sequence → offset), \
            types (content type → count, offsets), links (backlinks: message → linking records). \
            Each is stored as DIR/<view>.json = {"seq","version","value"}, written atomically.
            """,
        subcommands: [Rebuild.self, Update.self, Check.self]
    )

    struct Options: ParsableArguments {
        @OptionGroup var input: LogOptions

        @Option(help: "Folder of the view state files.")
        var dir: String

        @Option(help: "Comma-separated views (default: all): last,keys,clock,types,links.")
        var views: String = ViewsRequest.allViews

        @OptionGroup var reader: StrategyOption

        @OptionGroup var records: RecordsOption

        func validate() throws {
            _ = try request(.check).kinds()
        }

        /// The options as plain values, for `action`.
        func request(_ action: ViewsRequest.Action) -> ViewsRequest {
            ViewsRequest(action: action, log: input.log, framing: input.framing.framing, directory: dir, views: views,
                         strategy: reader.kind, records: records.choice)
        }
    }

    struct Rebuild: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rebuild", abstract: "Build the views from the start and write their states.")
        @OptionGroup var options: Options

        func run() throws { try options.request(.rebuild).run() }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Bring stored views up to date: resume each from its seq, rebuild what cannot be trusted.")
        @OptionGroup var options: Options

        func run() throws { try options.request(.update).run() }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Report whether the stored views agree with a fresh rebuild (exit 1 when one does not).")
        @OptionGroup var options: Options

        func run() throws { try options.request(.check).run() }
    }
}
