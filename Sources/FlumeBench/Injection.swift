/// Deliberate regressions, for proving that the gate catches them (tests only; a run with one
/// records it in `results.json`).
public enum Injection: Sendable, Equatable, CustomStringConvertible {
    /// Scans allocate once more per record.
    case allocationPerRecord
    /// Scans take this many percent longer.
    case slowerScans(percent: Int)

    /// `allocation-per-record` or `slower-scans:20`.
    public init?(argument: String) {
        if argument == "allocation-per-record" { self = .allocationPerRecord; return }
        let parts = argument.split(separator: ":")
        guard parts.count == 2, parts[0] == "slower-scans", let percent = Int(parts[1]), percent > 0 else { return nil }
        self = .slowerScans(percent: percent)
    }

    public var description: String {
        switch self {
        case .allocationPerRecord: "allocation-per-record"
        case .slowerScans(let percent): "slower-scans:\(percent)"
        }
    }
}

extension [Injection] {
    /// How much slower scans are made, when a run injects that.
    public var slowdownPercent: Int? {
        for injection in self { if case .slowerScans(let percent) = injection { return percent } }
        return nil
    }
}
