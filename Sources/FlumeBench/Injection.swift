/// Deliberate regressions, for proving that the gate catches them (tests only; a run with one
/// records it in `results.json`).
public enum Injection: Sendable, Equatable, CustomStringConvertible {
    /// Scans allocate once more per record.
    case allocationPerRecord
    /// Scans take this many percent longer.
    case slowerScans(percent: Int)
    /// The cases counted by callgrind do this many percent more work (they read that share of
    /// the records again).
    case extraInstructions(percent: Int)
    /// Scans make one more read system call per record.
    case readPerRecord

    /// `allocation-per-record`, `read-per-record`, `slower-scans:20` or `extra-instructions:20`.
    public init?(argument: String) {
        if argument == "allocation-per-record" { self = .allocationPerRecord; return }
        if argument == "read-per-record" { self = .readPerRecord; return }
        let parts = argument.split(separator: ":")
        guard parts.count == 2, let percent = Int(parts[1]), percent > 0 else { return nil }
        switch parts[0] {
        case "slower-scans": self = .slowerScans(percent: percent)
        case "extra-instructions": self = .extraInstructions(percent: percent)
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .allocationPerRecord: "allocation-per-record"
        case .readPerRecord: "read-per-record"
        case .slowerScans(let percent): "slower-scans:\(percent)"
        case .extraInstructions(let percent): "extra-instructions:\(percent)"
        }
    }
}

extension [Injection] {
    /// How much slower scans are made, when a run injects that.
    public var slowdownPercent: Int? {
        for injection in self { if case .slowerScans(let percent) = injection { return percent } }
        return nil
    }

    /// How much more work the instruction-counted cases do, when a run injects that.
    public var extraInstructionsPercent: Int? {
        for injection in self { if case .extraInstructions(let percent) = injection { return percent } }
        return nil
    }
}
