#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension LogFormat {
    /// A format found in a file's bytes, and the evidence, in words a person can check.
    public struct Detection: Sendable, Equatable {
        public var format: LogFormat
        public var evidence: String
    }

    /// Tells the format of the log at `path` from its first block of bytes: the formats whose
    /// framing the bytes satisfy. Refuses (`invalidArgument`, naming the evidence) when none
    /// fits, when more than one does, and for an empty file, which every format reads alike.
    public static func detect(_ path: String) throws(FlumeLogError) -> Detection {
        let found = try fits(path)
        guard found.count == 1 else {
            let message = found.isEmpty
                ? "the first bytes fit no format this tool reads (flume offset log of 32, 48 or 53 bits, async-append-only-log): give --format"
                : "the first bytes fit more than one format (\(found.map { "\($0.format): \($0.evidence)" }.joined(separator: "; "))): give --format"
            throw FlumeLogError(.invalidArgument, file: path, offset: 0, message: message)
        }
        return found[0]
    }

    /// Every format whose framing the first block of bytes at `path` satisfies (an offset2
    /// directory is that format alone); throws for an empty file, which every format reads alike.
    package static func fits(_ path: String) throws(FlumeLogError) -> [Detection] {
        if let evidence = offset2Evidence(path) { return [Detection(format: .offset2, evidence: evidence)] }
        let file = try FileDescriptor.openLog(path, writable: false).file
        defer { file.close() }
        let size = try file.size()
        guard size > 0 else {
            throw FlumeLogError(.invalidArgument, file: path, message: "an empty file reads alike in every format: give --format")
        }
        var prefix = [UInt8](repeating: 0, count: Int(min(size, Int64(AAOLLog.defaultBlockSize))))
        let count = try prefix.withUnsafeMutableBytes { buffer in
            Result { () throws(FlumeLogError) in try file.preadFully(into: buffer, at: 0) }
        }.get()
        prefix.removeLast(prefix.count - count)
        var found: [Detection] = []
        for width in TrailerWidth.allCases {
            if let evidence = offsetEvidence(prefix, width: width) { found.append(Detection(format: .offset(width), evidence: evidence)) }
        }
        if let evidence = aaolEvidence(prefix, fileSize: size) { found.append(Detection(format: .aaolDefault, evidence: evidence)) }
        return found
    }

    /// A directory holding `data` and `ofst` (and `jrnl`): go-ssb's offset2 layout.
    static func offset2Evidence(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return nil }
        let present = ["data", "ofst", "jrnl"].filter { access(path + "/" + $0, F_OK) == 0 }
        guard present.contains("data"), present.contains("ofst") else { return nil }
        return "a directory holding \(present.joined(separator: ", ")): go-ssb's offset2 layout"
    }

    /// Whole frames from offset 0 that validate at `width`: at least one, and as many as the
    /// bytes hold.
    static func offsetEvidence(_ bytes: [UInt8], width: TrailerWidth) -> String? {
        var offset = 0, frames = 0
        while bytes.count - offset >= width.frameOverhead {
            let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let next = offset + length + width.frameOverhead
            guard next <= bytes.count else { break }
            let trailing = bytes[offset + 4 + length..<offset + 8 + length].reduce(0) { $0 << 8 | Int($1) }
            let trailer = bytes.withUnsafeBytes { width.decode(from: $0.baseAddress! + offset + 8 + length) }
            guard trailing == length, trailer == Int64(next) else { return nil }
            offset = next
            frames += 1
        }
        guard frames > 0 else { return nil }
        return "\(frames) frame\(frames == 1 ? "" : "s") from offset 0 whose lengths agree and whose \(width.bits)-bit trailers hold their ends"
    }

    /// Block 0 walked as AAOL: at least one record, each fitting the block, then an
    /// end-of-block marker and zero padding to the block's end, or a file of whole blocks, or
    /// a file cut inside its first record.
    static func aaolEvidence(_ bytes: [UInt8], fileSize: Int64) -> String? {
        let blockSize = AAOLLog.defaultBlockSize
        var position = 0, records = 0, cutShort = false
        while position + 2 <= bytes.count {
            let length = Int(bytes[position]) | Int(bytes[position + 1]) << 8
            if length == 0 { break }
            guard position + 2 + length <= blockSize else { return nil }
            guard position + 2 + length <= bytes.count else {
                cutShort = true // a file cut inside its first block: the last record is partial
                break
            }
            position += 2 + length
            records += 1
        }
        let zeroPadding = bytes[min(position, bytes.count)...].allSatisfy { $0 == 0 }
        // JS pads with zeros, but leaves bytes behind a zero-length record it let through.
        guard records > 0, cutShort || zeroPadding || fileSize % Int64(blockSize) == 0 else { return nil }
        let shape = fileSize % Int64(blockSize) == 0 ? "\(fileSize / Int64(blockSize)) whole 64 KiB blocks" : "\(fileSize) bytes (not whole 64 KiB blocks)"
        let ending = cutShort ? "then a record the file cuts short"
            : zeroPadding ? "then an end-of-block marker and zero padding" : "then an end-of-block marker"
        return "block 0 holds \(records) record\(records == 1 ? "" : "s") \(ending); \(shape)"
    }
}
