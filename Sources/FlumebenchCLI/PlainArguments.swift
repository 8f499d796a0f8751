import ArgumentParser

/// A command's arguments in their plain forms, split without ArgumentParser: positionals,
/// flags (`--name`) and options (`--name value`, `--name=value`). ArgumentParser's parse
/// reflects over every option of the command (`Mirror`, then protocol-conformance lookups that
/// scan the binary's thousands of conformance records), which was half of a small log's
/// `verify`. Anything not plain makes it nil, for ArgumentParser to parse and explain: an
/// option the command does not take here, one given twice, a flag with a value, an option
/// without one or with one that starts with `-`.
struct PlainArguments {
    var positionals: [String] = []
    /// Arrays, not a `Set` and a `Dictionary`: their generic storage's metadata is made at run
    /// time by a conformance lookup (a scan of the binary's 4,600 conformance records, two per
    /// start of `verify`); a command has a handful of names.
    var flags: [String] = []
    private var values: [(name: String, value: String)] = []
    /// A value its option could not read: ArgumentParser's to explain.
    private(set) var unreadable = false

    init?(_ arguments: ArraySlice<String>, flags known: [String], options: [String]) {
        var tokens = arguments.makeIterator()
        while let token = tokens.next() {
            guard token.hasPrefix("-") else {
                positionals.append(token)
                continue
            }
            let parts = token.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            let attached = parts.count == 2 ? String(parts[1]) : nil
            if known.contains(name) {
                guard attached == nil, !flags.contains(name) else { return nil }
                flags.append(name)
                continue
            }
            guard options.contains(name), text(name) == nil, let value = attached ?? tokens.next(), !value.hasPrefix("-") else {
                return nil
            }
            values.append((name, value))
        }
    }

    /// `name`'s value as given (nil when it was not).
    func text(_ name: String) -> String? { values.first { $0.name == name }?.value }

    /// `name`'s value read by the same `ExpressibleByArgument` initializer ArgumentParser uses
    /// (nil when it was not given); one it cannot read marks the arguments `unreadable`.
    mutating func read<Value: ExpressibleByArgument>(_ name: String) -> Value? {
        guard let text = text(name) else { return nil }
        guard let value = Value(argument: text) else {
            unreadable = true
            return nil
        }
        return value
    }
}
