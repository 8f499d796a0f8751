/// One way a log differs from its golden manifest.
public struct ManifestDifference: Equatable, Sendable, CustomStringConvertible {
    /// The manifest field that does not hold (`records[3].sha256`, `since`, ...).
    public var field: String
    /// The byte offset of the record concerned, when there is one.
    public var offset: Int64?
    public var expected: String
    public var actual: String

    public var description: String {
        let at = offset.map { " at offset \($0)" } ?? ""
        return "\(field)\(at): expected \(expected), found \(actual)"
    }
}

extension [ManifestDifference] {
    /// Notes a difference when `actual` is not `expected`.
    /// (The field's name is built only for a difference: checks run once per record.)
    mutating func expect<T: Equatable>(_ field: @autoclosure () -> String, _ expected: T, _ actual: T, at offset: Int64? = nil) {
        if expected != actual {
            append(ManifestDifference(field: field(), offset: offset, expected: "\(expected)", actual: "\(actual)"))
        }
    }

    /// Notes where two lists first part, naming the index and the offset found there.
    package mutating func expectList<T: Equatable>(_ field: String, _ expected: some Collection<T>, _ actual: [T]) {
        let expected = [T](expected)
        guard expected != actual else { return }
        let index = zip(expected, actual).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? Swift.min(expected.count, actual.count)
        let want = index < expected.count ? "\(expected[index])" : "end of list (\(expected.count) entries)"
        let got = index < actual.count ? "\(actual[index])" : "end of list (\(actual.count) entries)"
        append(ManifestDifference(field: "\(field)[\(index)]", offset: index < actual.count ? actual[index] as? Int64 : nil,
                                  expected: want, actual: got))
    }
}
