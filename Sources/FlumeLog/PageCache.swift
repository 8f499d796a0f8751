#if canImport(Glibc)
import Glibc
#endif

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

    /// The share of the file's pages in the page cache, 0 ... 1, by `mincore(2)` over a
    /// read-only mapping (which faults nothing in): what proves a cold measurement cold. An
    /// empty file counts as not resident. Nil when the kernel will not tell: it reveals the
    /// residency of a file only to its owner or to who could write it (for others `mincore`
    /// reports every page resident, and `cachestat` refuses).
    public static func residentFraction(_ path: String) throws(FlumeLogError) -> Double? {
        let file = try FileDescriptor.open(path, .readOnly)
        defer { file.close() }
        guard try file.status().st_uid == geteuid() || access(path, W_OK) == 0 else { return nil }
        let size = try file.size()
        guard size > 0 else { return 0 }
        let mapping = try MemoryMapping(file, length: Int(size))
        defer { mapping.unmap() }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let pages = (Int(size) + page - 1) / page
        var vector = [UInt8](repeating: 0, count: pages)
        let status = vector.withUnsafeMutableBufferPointer {
            mincore(UnsafeMutableRawPointer(mutating: mapping.base), Int(size), $0.baseAddress)
        }
        guard status == 0 else {
            throw FileDescriptor.ioError(.init(code: errno), path: path, "mincore failed", offset: 0)
        }
        return Double(vector.reduce(0) { $0 + Int($1 & 1) }) / Double(pages)
    }
}
