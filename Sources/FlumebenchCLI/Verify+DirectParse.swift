import ArgumentParser
import FlumeLog

extension Verify {
    /// `verify LOG [--strategy S] [--format F] [--width W] [--block-size N] [--manifest FILE]
    /// [--all] [--thorough]`, read without ArgumentParser. Its parse reflects over every option
    /// (`Mirror`, then protocol-conformance lookups that scan the binary's thousands of
    /// conformance records), which was half of a small log's `verify` process: 7.0 -> 4.4 ms
    /// for a 1,359-record log. Anything else (help, an option it does not know, one given
    /// twice, a value it cannot read, a value that starts with `-`, what `validate()` refuses)
    /// returns nil and goes through ArgumentParser, which explains. The values are read by the
    /// same `ExpressibleByArgument` initializers; `VerifyDirectParseTests` holds the two parses
    /// equal. What it builds is the request alone: creating `Verify`'s property wrappers would
    /// cost a fifth of the process's instructions again.
    static func parsedDirectly(_ arguments: ArraySlice<String>) -> VerifyRequest? {
        var log: String?, manifest: String?
        var strategy: StrategiesOption.Choice?, format: FormatOptions.FormatChoice?, width: TrailerWidth?, blockSize: Int?
        var all = false, thorough = false
        var tokens = arguments.makeIterator()
        while let token = tokens.next() {
            guard token.hasPrefix("-") else {
                guard log == nil else { return nil }
                log = token
                continue
            }
            let parts = token.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            let attached = parts.count == 2 ? String(parts[1]) : nil
            if name == "--all" || name == "--thorough" {
                guard attached == nil, !(name == "--all" ? all : thorough) else { return nil }
                if name == "--all" { all = true } else { thorough = true }
                continue
            }
            guard let value = attached ?? tokens.next(), !value.hasPrefix("-") else { return nil }
            // A value the option cannot read is ArgumentParser's to explain.
            switch name {
            case "--strategy" where strategy == nil:
                guard let choice = StrategiesOption.Choice(argument: value) else { return nil }
                strategy = choice
            case "--format" where format == nil:
                guard let choice = FormatOptions.FormatChoice(argument: value) else { return nil }
                format = choice
            case "--width" where width == nil:
                guard let bits = TrailerWidth(argument: value) else { return nil }
                width = bits
            case "--block-size" where blockSize == nil:
                guard let bytes = Int(argument: value) else { return nil }
                blockSize = bytes
            case "--manifest" where manifest == nil:
                manifest = value
            default:
                return nil
            }
        }
        guard let log else { return nil }
        let framing = LogFraming(format: format, width: width, blockSize: blockSize ?? AAOLLog.defaultBlockSize)
        guard (try? framing.validate()) != nil else { return nil }
        return VerifyRequest(log: log, framing: framing, manifest: manifest,
                             strategyChoice: strategy ?? StrategiesOption.defaultChoice, all: all, thorough: thorough)
    }
}
