#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#endif

/// One status line on stderr: on a terminal, rewritten in place; elsewhere (CI logs), one plain
/// line every `plainInterval` seconds, so a long run shows it is alive without flooding the log.
final class Progress {
    private let enabled = isatty(2) == 1
    private var shown = false
    private var lastPlainLine: Date?
    static let plainInterval: TimeInterval = 10

    func show(_ line: String) {
        guard enabled else {
            let now = Date()
            // The first line waits an interval too: short commands stay quiet.
            guard let last = lastPlainLine else { lastPlainLine = now; return }
            if now.timeIntervalSince(last) >= Self.plainInterval {
                StandardStream.error.write("\(line)\n")
                lastPlainLine = now
            }
            return
        }
        StandardStream.error.write("\r\u{1B}[K\(line)")
        shown = true
    }

    func clear() {
        guard enabled, shown else { return }
        StandardStream.error.write("\r\u{1B}[K")
        shown = false
    }
}
