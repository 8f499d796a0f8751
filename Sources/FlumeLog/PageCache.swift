#if canImport(Glibc)
import Glibc
#endif

/// Puts a log's pages into or out of the page cache, for measurements that must start cold
/// or warm. Needs no privileges: it advises the kernel about these files only. A log is a
/// file, or a directory of files (go-ssb's offset2: each file in it).
public enum PageCache {
    /// The files a log at `path` is made of: itself, or a directory's regular files, sorted.
    public static func files(of path: String) throws(FlumeLogError) -> [String] {
        var info = stat()
        guard stat(path, &info) == 0 else { throw FileDescriptor.ioError(.init(code: errno), path: path, "cannot stat") }
        guard info.st_mode & S_IFMT == S_IFDIR else { return [path] }
        guard let directory = opendir(path) else { throw FileDescriptor.ioError(.init(code: errno), path: path, "cannot list") }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            var child = stat()
            if name != ".", name != "..", stat(path + "/" + name, &child) == 0, child.st_mode & S_IFMT == S_IFREG {
                names.append(path + "/" + name)
            }
        }
        return names.sorted()
    }

    /// Syncs the log's files, then drops their cached pages (`POSIX_FADV_DONTNEED`), so the
    /// next read comes from the disk. Pages mapped by a live process may stay.
    public static func evict(_ path: String) throws(FlumeLogError) {
        for path in try files(of: path) {
            let file = try FileDescriptor.open(path, .readOnly)
            defer { file.close() }
            try file.sync()
            try file.advise(.dontNeed)
        }
    }

    /// Reads the log's files whole once, so the next read is served from memory.
    public static func warm(_ path: String) throws(FlumeLogError) {
        for path in try files(of: path) { try warmFile(path) }
    }

    private static func warmFile(_ path: String) throws(FlumeLogError) {
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

    /// The share of the log's pages in the page cache, 0 ... 1, by `mincore(2)` over a
    /// read-only mapping (which faults nothing in): what proves a cold measurement cold. An
    /// empty file counts as not resident. Nil when the kernel will not tell: it reveals the
    /// residency of a file only to its owner or to who could write it (for others `mincore`
    /// reports every page resident, and `cachestat` refuses). A directory's files count by size.
    public static func residentFraction(_ path: String) throws(FlumeLogError) -> Double? {
        var resident = 0, pages = 0
        for path in try files(of: path) {
            guard let counted = try residentPages(path) else { return nil }
            resident += counted.resident
            pages += counted.pages
        }
        return pages == 0 ? 0 : Double(resident) / Double(pages)
    }

    private static func residentPages(_ path: String) throws(FlumeLogError) -> (resident: Int, pages: Int)? {
        let file = try FileDescriptor.open(path, .readOnly)
        defer { file.close() }
        guard try file.revealsResidency() else { return nil }
        let size = try file.size()
        guard size > 0 else { return (0, 0) }
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
        return (vector.reduce(0) { $0 + Int($1 & 1) }, pages)
    }
}
