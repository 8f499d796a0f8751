/// What a validating walk shows every live record, to learn more than the walk does (what
/// codec the payloads are in, say). A walk in halves inspects each half with its own copy,
/// started from the value the caller passed, and joins them in log order with `add`.
public protocol RecordInspector {
    /// Sees one record; its payload is borrowed for the call.
    mutating func inspect(_ record: Record)
    /// Adds what a copy found in the records after these.
    mutating func add(_ later: Self)
}

/// Looks at nothing: a walk that only counts.
public struct NoInspection: RecordInspector {
    public init() {}
    @inline(__always) public mutating func inspect(_ record: Record) {}
    public mutating func add(_ later: NoInspection) {}
}
