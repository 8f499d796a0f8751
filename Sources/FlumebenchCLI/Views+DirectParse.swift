import ArgumentParser
import FlumeLog

extension Views {
    /// `views rebuild|update|check LOG --dir DIR [--views V] [--strategy S] [--format F]
    /// [--width W] [--block-size N] [--records R]`, read without ArgumentParser
    /// (`PlainArguments`, as `verify`'s plain forms). Anything else returns nil and goes
    /// through ArgumentParser, which explains; `ViewsDirectParseTests` holds the two parses
    /// equal.
    static func parsedDirectly(_ arguments: ArraySlice<String>) -> ViewsRequest? {
        guard let action = arguments.first.flatMap(ViewsRequest.Action.init(rawValue:)),
              var plain = PlainArguments(arguments.dropFirst(), flags: [], options: ["--dir", "--views", "--strategy", "--format",
                                                                                     "--width", "--block-size", "--records"]),
              plain.positionals.count == 1, let directory = plain.text("--dir") else { return nil }
        let strategy: ReaderStrategy.Kind? = plain.read("--strategy")
        let format: FormatOptions.FormatChoice? = plain.read("--format")
        let width: TrailerWidth? = plain.read("--width")
        let blockSize: Int? = plain.read("--block-size")
        let records: RecordsOption.Choice? = plain.read("--records")
        guard !plain.unreadable else { return nil }
        let request = ViewsRequest(action: action, log: plain.positionals[0],
                                   framing: LogFraming(format: format, width: width, blockSize: blockSize ?? AAOLLog.defaultBlockSize),
                                   directory: directory, views: plain.text("--views") ?? ViewsRequest.allViews,
                                   strategy: strategy ?? .buffered, records: records ?? .auto)
        guard (try? request.framing.validate()) != nil, (try? request.kinds()) != nil else { return nil }
        return request
    }
}
