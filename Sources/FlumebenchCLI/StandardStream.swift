#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard output or error written at once, unbuffered (`print` buffers standard output):
/// diagnostics, progress lines and acknowledgements that must be out before the next step.
enum StandardStream {
    case output, error

    var descriptor: Int32 { self == .output ? 1 : 2 }

    /// Writes all of `text`, retrying short and interrupted writes; gives up quietly when the
    /// stream is closed (there is nowhere left to report it).
    func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            guard var next = bytes.baseAddress else { return }
            var left = bytes.count
            while left > 0 {
                let written = Glibc.write(descriptor, next, left)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                next += written
                left -= written
            }
        }
    }
}
