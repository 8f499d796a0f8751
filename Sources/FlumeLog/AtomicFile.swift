#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that a reader finds the old content or the new, never a mix, and a crash
/// leaves one of the two: the bytes go to a new temporary file beside the target (created
/// exclusively, never through a link planted at its name), which is synced and renamed over
/// the target; then the directory is synced so the rename itself is durable. View states,
/// manifests, cache markers and baselines are all written this way.
public enum AtomicFile {
    /// The prefix of the temporaries of `name`: `.NAME.tmp-`. A killed writer can leave one;
    /// `isTemporary` recognises them so their owners can remove them.
    public static func temporaryPrefix(of name: String) -> String { ".\(name).tmp-" }

    /// Whether a file name is a temporary left by `write`.
    public static func isTemporary(_ name: String) -> Bool { name.hasPrefix(".") && name.contains(".tmp-") }

    /// Replaces (or creates) the file at `path` with `bytes`.
    public static func write(_ bytes: [UInt8], to path: String) throws(FlumeLogError) {
        let (directory, name) = split(path)
        let (file, temporary) = try createTemporary(in: directory, prefix: temporaryPrefix(of: name))
        do {
            try file.pwriteFully(bytes, at: 0)
            try file.sync()
        } catch {
            file.close()
            unlink(temporary)
            throw error
        }
        file.close()
        try moveIntoPlace(temporary, path, directory: directory)
    }

    /// Replaces (or creates) the file at `path` with what `body` writes to the temporary file
    /// it is given: for contents written as a stream (a converted or compacted log). The
    /// temporary is created here, exclusively and empty, before `body` opens it; `body` must
    /// sync what it wrote. When `body` throws, the temporary is removed and `path` is untouched.
    public static func replace(_ path: String, writing body: (String) throws -> Void) throws {
        let (directory, name) = split(path)
        let (file, temporary) = try createTemporary(in: directory, prefix: temporaryPrefix(of: name))
        file.close()
        do {
            try body(temporary)
        } catch {
            unlink(temporary)
            throw error
        }
        try moveIntoPlace(temporary, path, directory: directory)
    }

    private static func split(_ path: String) -> (directory: String, name: String) {
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        return (directory, String(path.split(separator: "/").last ?? Substring(path)))
    }

    /// Renames `temporary` over `path`, then syncs the directory so the rename is durable (a
    /// failure of that sync loses nothing).
    private static func moveIntoPlace(_ temporary: String, _ path: String, directory: String) throws(FlumeLogError) {
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw FlumeLogError(.io, file: path, message: "cannot rename \(temporary) into place", errno: code)
        }
        if let folder = try? FileDescriptor.open(directory, .readOnly) {
            _ = try? folder.sync()
            folder.close()
        }
    }

    /// A new file `prefix` + PID + random digits in `directory`, created exclusively.
    private static func createTemporary(in directory: String, prefix: String) throws(FlumeLogError) -> (FileDescriptor, String) {
        var generator = SystemRandomNumberGenerator()
        var lastError: FlumeLogError?
        for _ in 0..<16 {
            let path = "\(directory)/\(prefix)\(getpid())-\(String(generator.next() & 0xFFFF_FFFF, radix: 16))"
            do {
                return (try FileDescriptor.createExclusive(path), path)
            } catch where error.errno == EEXIST {
                lastError = error
            }
        }
        throw lastError ?? FlumeLogError(.io, file: directory, message: "cannot create a temporary file")
    }
}
