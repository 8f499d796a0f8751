/// `expectList` for offsets that arrive one at a time (a scan's), held to the expected list as
/// they come instead of kept for the comparison: a list is 11 MB for the 1 GiB corpus, per
/// strategy. Notes the same difference `expectList` would: where the lists first part.
package struct OffsetListCheck {
    private let field: String
    private let expected: [Int64]
    /// The expected list read from its end (a forward scan's offsets, for a reverse scan).
    private let reversed: Bool
    private var count = 0
    /// The first index where the offset arriving differed from the list, or came past its end.
    private var firstDifference: (index: Int, offset: Int64)?

    package init(_ field: String, expected: [Int64], reversed: Bool = false) {
        self.field = field
        self.expected = expected
        self.reversed = reversed
    }

    private func expected(at index: Int) -> Int64 {
        reversed ? expected[expected.count - 1 - index] : expected[index]
    }

    package mutating func add(_ offset: Int64) {
        if firstDifference == nil, count >= expected.count || expected(at: count) != offset {
            firstDifference = (count, offset)
        }
        count += 1
    }

    /// Notes where the lists part, if they do.
    package func finish(into found: inout [ManifestDifference]) {
        let index: Int, got: String, at: Int64?
        if let firstDifference {
            (index, got, at) = (firstDifference.index, "\(firstDifference.offset)", firstDifference.offset)
        } else if count < expected.count {
            (index, got, at) = (count, "end of list (\(count) entries)", nil)
        } else {
            return
        }
        let want = index < expected.count ? "\(expected(at: index))" : "end of list (\(expected.count) entries)"
        found.append(ManifestDifference(field: "\(field)[\(index)]", offset: at, expected: want, actual: got))
    }
}
