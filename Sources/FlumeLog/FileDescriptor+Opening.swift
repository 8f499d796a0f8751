#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension FileDescriptor {
    /// Opens a log file of any format: read-only, or read-write creating it when missing
    /// (`created` says so). Anything but a regular file is refused without blocking (a FIFO
    /// is opened non-blocking, then set back).
    static func openLog(_ path: String, writable: Bool, permissions: mode_t = 0o644) throws(FlumeLogError) -> (file: FileDescriptor, created: Bool) {
        var created = false
        var file: FileDescriptor
        do {
            file = try FileDescriptor.open(path, writable ? .readWrite : .readOnly, nonBlocking: true)
        } catch where error.errno == ENOENT && writable {
            file = try FileDescriptor.open(path, .readWrite, create: true, nonBlocking: true, permissions: permissions)
            created = true
        }
        do throws(FlumeLogError) {
            let status = try file.status()
            guard status.st_mode & S_IFMT == S_IFREG else {
                let kind = switch status.st_mode & S_IFMT {
                case S_IFDIR: "a directory"
                case S_IFIFO: "a FIFO"
                case S_IFCHR, S_IFBLK: "a device"
                case S_IFSOCK: "a socket"
                default: "not a regular file"
                }
                throw FlumeLogError(.invalidArgument, file: path, message: "cannot read a log from \(kind)")
            }
            try file.clearNonBlocking()
        } catch {
            file.close()
            throw error
        }
        return (file, created)
    }
}
