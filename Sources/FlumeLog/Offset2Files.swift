#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The three files of a go-ssb offset2 log directory, open: `data` (frames), `ofst` (one
/// int64 offset per entry) and `jrnl` (the last seq). margaret creates them with mode 0600 in a
/// 0700 directory; so does a read-write open here.
struct Offset2Files {
    static let names = (data: "data", offsets: "ofst", journal: "jrnl")

    let directory: String
    let data: FileDescriptor
    let offsets: FileDescriptor
    let journal: FileDescriptor

    /// Opens the directory's files. Read-only: all three must exist (a clear error names the
    /// missing one). Read-write: the directory and files are created when missing.
    static func open(_ directory: String, writable: Bool) throws(FlumeLogError) -> Offset2Files {
        var info = stat()
        if stat(directory, &info) != 0 {
            guard writable, errno == ENOENT else {
                throw FlumeLogError(.io, file: directory, message: "cannot open the offset2 directory", errno: errno)
            }
            guard mkdir(directory, 0o700) == 0 || errno == EEXIST else {
                throw FlumeLogError(.io, file: directory, message: "cannot create the offset2 directory", errno: errno)
            }
        } else if info.st_mode & S_IFMT != S_IFDIR {
            throw FlumeLogError(.invalidArgument, file: directory,
                                message: "an offset2 log is a directory holding data, ofst and jrnl; this is a file")
        }
        var opened: [FileDescriptor] = []
        do throws(FlumeLogError) {
            for name in [names.data, names.offsets, names.journal] {
                let path = directory + "/" + name
                if !writable, access(path, F_OK) != 0 {
                    throw FlumeLogError(.invalidArgument, file: path, message: "missing: an offset2 log directory holds data, ofst and jrnl")
                }
                opened.append(try FileDescriptor.openLog(path, writable: writable, permissions: 0o600).file)
            }
        } catch {
            opened.forEach { $0.close() }
            throw error
        }
        return Offset2Files(directory: directory, data: opened[0], offsets: opened[1], journal: opened[2])
    }

    func close() {
        data.close()
        offsets.close()
        journal.close()
    }
}

extension FileDescriptor {
    /// The big-endian int64 at `offset`; the file must hold all 8 bytes.
    func int64(at offset: Int64) throws(FlumeLogError) -> Int64 {
        var value: Int64 = 0
        let count = try withUnsafeMutableBytes(of: &value) { buffer in
            Result { () throws(FlumeLogError) in try preadFully(into: buffer, at: offset) }
        }.get()
        guard count == 8 else {
            throw FlumeLogError(.truncatedFrame, file: path, offset: offset, message: "the file ends \(count) bytes into an 8-byte integer")
        }
        return Int64(bigEndian: value)
    }

    /// Writes `value` as a big-endian int64 at `offset`.
    func writeInt64(_ value: Int64, at offset: Int64) throws(FlumeLogError) {
        try withUnsafeBytes(of: value.bigEndian) { bytes in
            Result { () throws(FlumeLogError) in try pwriteFully(bytes, at: offset) }
        }.get()
    }
}
