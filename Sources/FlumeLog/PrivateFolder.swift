#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A new, private folder (mode 0700) under the system's temporary folder (`$TMPDIR`, else
/// `/tmp`), made by `mkdtemp`: its name cannot be guessed or planted beforehand.
public enum PrivateFolder {
    /// Creates the folder and returns its path; the caller removes it.
    /// The corresponding C function is `mkdtemp`.
    public static func make(prefix: String) throws(FlumeLogError) -> String {
        let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/\(prefix)-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw FlumeLogError(.io, file: base, message: "cannot create a temporary folder", errno: errno)
        }
        return String(cString: made)
    }
}
