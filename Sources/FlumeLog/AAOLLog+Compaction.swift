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
        var removed = 0
        do {
            try AtomicFile.replace(path) { temporary in
                let new = try AAOLLog(path: temporary, blockSize: blockSize, access: .readWrite)
                var cursor = try old.reader.cursor(.forward)
                while let record = try cursor.next() {
                    if record.isDeleted { removed += 1 } else { try new.appendDeferred(record.payload) }
                }
                try new.sync()
            }
        } catch let error as FlumeLogError {
            throw error
        } catch {
            throw FlumeLogError(.io, file: path, message: "compaction failed: \(error)")
        }
        try AtomicFile.write(Array(#"{"deletedBytes":0}"#.utf8), to: path + ".stats")
        return removed
    }
}
