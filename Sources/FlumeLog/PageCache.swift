/// Puts one file's pages into or out of the page cache, for measurements that must start cold
/// or warm. Needs no privileges: it advises the kernel about this file only.
public enum PageCache {
    /// Syncs the file, then drops its cached pages (`POSIX_FADV_DONTNEED`), so the next read
    /// comes from the disk. Pages mapped by a live process may stay.
    public static func evict(_ path: String) throws(FlumeLogError) {
        let file = try FileDescriptor.open(path, .readOnly)
        defer { file.close() }
        try file.sync()
        try file.advise(.dontNeed)
    }

    /// Reads the whole file once, so the next read is served from memory.
    public static func warm(_ path: String) throws(FlumeLogError) {
        let file = try FileDescriptor.open(path, .readOnly)
        defer { file.close() }
        try? file.advise(.sequential)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 4096)
        defer { buffer.deallocate() }
        var offset: Int64 = 0
        while case let got = try file.preadFully(into: buffer, at: offset), got > 0 {
            offset += Int64(got)
        }
    }
}
