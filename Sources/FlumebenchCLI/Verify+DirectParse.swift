import ArgumentParser
import FlumeLog

extension Verify {
    /// `verify LOG [--strategy S] [--format F] [--width W] [--block-size N] [--manifest FILE]
    /// [--all] [--thorough]`, read without ArgumentParser (`PlainArguments`): 7.0 -> 4.4 ms for
    /// a 1,359-record log's `verify` process. Anything else (help, an option it does not know,
    /// one given twice, a value it cannot read, a value that starts with `-`, what `validate()`
    /// refuses) returns nil and goes through ArgumentParser, which explains.
    /// `VerifyDirectParseTests` holds the two parses equal. What it builds is the request
    /// alone: creating `Verify`'s property wrappers would cost a fifth of the process's
    /// instructions again.
    static func parsedDirectly(_ arguments: ArraySlice<String>) -> VerifyRequest? {
        guard var plain = PlainArguments(arguments, flags: ["--all", "--thorough"],
                                         options: ["--strategy", "--format", "--width", "--block-size", "--manifest"]),
              plain.positionals.count == 1 else { return nil }
        let strategy: StrategiesOption.Choice? = plain.read("--strategy")
        let format: FormatOptions.FormatChoice? = plain.read("--format")
        let width: TrailerWidth? = plain.read("--width")
        let blockSize: Int? = plain.read("--block-size")
        guard !plain.unreadable else { return nil }
        let framing = LogFraming(format: format, width: width, blockSize: blockSize ?? AAOLLog.defaultBlockSize)
        guard (try? framing.validate()) != nil else { return nil }
        return VerifyRequest(log: plain.positionals[0], framing: framing, manifest: plain.text("--manifest"),
                             strategyChoice: strategy ?? StrategiesOption.defaultChoice,
                             all: plain.flags.contains("--all"), thorough: plain.flags.contains("--thorough"))
    }
}
