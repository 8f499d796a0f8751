import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One status line on stderr, rewritten in place; shown only on a terminal.
final class Progress {
    private let enabled = isatty(2) == 1
    private var shown = false

    func show(_ line: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
        shown = true
    }

    func clear() {
        guard enabled, shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        shown = false
    }
}
