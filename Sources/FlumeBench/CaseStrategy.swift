import FlumeLog

/// How a case reads: a reader strategy, none (writes), or a reference's own way. Written in
/// results as `buffered` / `mmap` / `pread`, `-`, or the reference's label (`read(2)`).
public enum CaseStrategy: Hashable, Sendable, NamedValue {
    case reader(ReaderStrategy.Kind)
    /// Appends: the reader strategy plays no part.
    case none
    case reference(ReferenceKind)

    public init?(name: String) {
        if name == "-" { self = .none; return }
        if let kind = ReaderStrategy.Kind(rawValue: name) { self = .reader(kind); return }
        guard let reference = ReferenceKind.allCases.first(where: { $0.label == name }) else { return nil }
        self = .reference(reference)
    }

    public var description: String {
        switch self {
        case .reader(let kind): kind.rawValue
        case .none: "-"
        case .reference(let reference): reference.label
        }
    }

    public var readerKind: ReaderStrategy.Kind? {
        if case .reader(let kind) = self { return kind }
        return nil
    }
}
