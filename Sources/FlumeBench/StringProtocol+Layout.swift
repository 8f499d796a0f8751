extension StringProtocol {
    /// The text without leading and trailing white space (spaces, tabs, line breaks).
    package var trimmingWhitespace: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }

    /// The text cut or padded with spaces to `width` characters: a column of a table.
    package func padded(to width: Int) -> String {
        count >= width ? String(prefix(width)) : String(self) + String(repeating: " ", count: width - count)
    }
}

extension [String] {
    /// The strings with `separator` between them: `joined(separator:)` without its unspecialized
    /// body, which looks a conformance up at run time (a scan of the binary's 4,600 conformance
    /// records, 2 % of a small log's `verify`).
    package func listed(separator: String) -> String {
        var text = ""
        for (index, element) in enumerated() { text += index == 0 ? element : separator + element }
        return text
    }
}
