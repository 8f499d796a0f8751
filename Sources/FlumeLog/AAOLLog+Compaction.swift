#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension AAOLLog {
    /// Compacts the log at `path` as JS `compact()` does: deleted records are removed and the
    /// live ones laid out again from the start with the fit rule, in order, so every record
    /// after the first hole gets a new offset (anything keyed by offset must be rebuilt, as
    /// ssb-db2 resets its indexes); `<log>.stats` is reset. Unlike JS, which shifts blocks in
    /// place with a resumable state file, the compacted log is written to a temporary file
    /// beside it, synced, and renamed over it: a crash leaves the old log or the new one.
    /// Returns how many records were removed.
    @discardableResult
    public static func compact(_ path: String, blockSize: Int = defaultBlockSize) throws(FlumeLogError) -> Int {
        let old = try AAOLLog(path: path, blockSize: blockSize, access: .readWrite)
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let name = String(path.split(separator: "/").last ?? Substring(path))
        var generator = SystemRandomNumberGenerator()
        let temporary = "\(directory)/.\(name).compact-\(getpid())-\(String(generator.next() & 0xFFFF_FFFF, radix: 16))"
        var removed = 0
        do throws(FlumeLogError) {
            let new = try AAOLLog.create(temporary, blockSize: blockSize)
            var cursor = try old.reader.cursor(.forward)
            while let record = try cursor.next() {
                if record.isDeleted { removed += 1 } else { try new.appendDeferred(record.payload) }
            }
            try new.sync()
            guard rename(temporary, path) == 0 else {
                throw FlumeLogError(.io, file: path, message: "cannot rename the compacted log \(temporary) into place", errno: errno)
            }
        } catch {
            unlink(temporary)
            throw error
        }
        try AtomicFile.write(Array(#"{"deletedBytes":0}"#.utf8), to: path + ".stats")
        return removed
    }
}
