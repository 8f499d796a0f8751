/// What a case measured: an operation of the suite, or a reference. Written in results as the
/// operation's name (`forward_scan`) or the reference's (`reference_read_copy`).
public enum CaseOperation: Hashable, Sendable, NamedValue {
    case operation(Operation)
    case reference(ReferenceKind)

    public init?(name: String) {
        if let operation = Operation(rawValue: name) { self = .operation(operation); return }
        guard let reference = ReferenceKind(rawValue: name) else { return nil }
        self = .reference(reference)
    }

    public var description: String {
        switch self {
        case .operation(let operation): operation.rawValue
        case .reference(let reference): reference.rawValue
        }
    }

    public var operation: Operation? {
        if case .operation(let operation) = self { return operation }
        return nil
    }
}
