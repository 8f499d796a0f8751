#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A flume offset log in a file, byte-compatible with JS flumelog-offset 3.4.
///
/// A read-write open takes an exclusive advisory lock (two writers corrupted real users'
/// logs), creates a missing file, and cuts a torn tail the way JS does. A read-only open
/// takes no lock and never changes the file: it reads the same records and reports the torn
/// tail in `openedExtent`.
public final class OffsetLog: OffsetFrameLog {
    public enum Access: Sendable {
        case readOnly
        case readWrite
    }

    public let path: String
    public let width: TrailerWidth
    public let access: Access
    public let strategy: ReaderStrategy
    public var syncPolicy: SyncPolicy
    /// What the open found: file size, valid end and torn bytes, before any recovery.
    public let openedExtent: LogExtent
    /// True when the open cut a torn tail from the file (read-write only).
    public let recoveredTornTail: Bool
    public private(set) var reader: LogReader
    public private(set) var since: Int64?

    let file: FileDescriptor
    private var frameBuffer: [UInt8] = []

    /// Opens (read-write: creating when missing) the log at `path`.
    public init(path: String, width: TrailerWidth = .bits32, access: Access = .readWrite,
                syncPolicy: SyncPolicy = .none, strategy: ReaderStrategy = .standard) throws(FlumeLogError) {
        self.path = path
        self.width = width
        self.access = access
        self.strategy = strategy
        self.syncPolicy = syncPolicy
        let (file, created) = try FileDescriptor.openLog(path, writable: access == .readWrite)
        self.file = file
        do {
            if access == .readWrite { try file.lockExclusive() }
            let source = strategy.makeSource(for: file)
            let extent = try LogExtent.scan(source, width: width, size: try file.size(), path: path)
            openedExtent = extent
            recoveredTornTail = access == .readWrite && extent.isTorn
            if recoveredTornTail {
                if extent.validEnd == 0 { try Self.refuseOtherFormat(path, width: width, size: extent.fileSize) }
                try file.truncate(to: extent.validEnd)
                try file.sync()
                source.invalidate()
            }
            if created { try Self.syncDirectory(containing: path) }
            reader = LogReader(source: source, width: width, end: extent.validEnd, path: path)
            since = extent.lastRecordOffset
        } catch {
            file.close()
            throw error
        }
    }

    deinit { file.close() }

    /// JS cuts a torn tail whatever it holds. A file without a single frame whose bytes are a
    /// log of another format (ssb-db2's log.bipf, an offset log of another trailer width) is
    /// that log, not a torn one: cutting it, as JS would, destroys it. Refused, nothing changed.
    /// (A crash in a log's first append leaves a partial frame that fits no format: cut.)
    private static func refuseOtherFormat(_ path: String, width: TrailerWidth, size: Int64) throws(FlumeLogError) {
        let others = ((try? LogFormat.fits(path)) ?? []).filter { $0.format != .offset(width) }
        guard !others.isEmpty else { return }
        throw FlumeLogError(.otherFormat, file: path, offset: 0,
                            message: "no frame of a \(LogFormat.offset(width)) was found, but the bytes read as "
                                + others.map { "\($0.format) (\($0.evidence))" }.joined(separator: " or ")
                                + ": opened for writing, all \(size) bytes would be cut as a torn tail; nothing was changed")
    }

    @discardableResult
    public func append(_ payload: some Collection<UInt8>) throws(FlumeLogError) -> Int64 {
        try requireWritable()
        let start = end
        let next = try FrameEncoder.frameEnd(payloadLength: payload.count, at: start, width: width, path: path)
        frameBuffer.removeAll(keepingCapacity: true)
        FrameEncoder.append(payload, at: start, width: width, to: &frameBuffer)
        try writeFrames(at: start, end: next, lastRecord: start, sync: syncPolicy == .eachAppend)
        return start
    }

    // Generic code runs unspecialized across the module boundary and allocated three to five
    // times per record; these entry points are specialized for the common collections.
    @discardableResult
    @_specialize(exported: true, where Payloads == [[UInt8]])
    @_specialize(exported: true, where Payloads == ArraySlice<[UInt8]>)
    @_specialize(exported: true, where Payloads == [UnsafeRawBufferPointer])
    public func append<Payloads: Collection>(batch payloads: Payloads) throws(FlumeLogError) -> [Int64]
        where Payloads.Element: Collection<UInt8> {
        try requireWritable()
        guard !payloads.isEmpty else { return [] }
        let start = end
        frameBuffer.removeAll(keepingCapacity: true)
        let offsets = try FrameEncoder.encode(payloads, startingAt: start, width: width, into: &frameBuffer, path: path)
        try writeFrames(at: start, end: start + Int64(frameBuffer.count), lastRecord: offsets.last!, sync: syncPolicy != .none)
        return offsets
    }

    public func delete(at offset: Int64) throws(FlumeLogError) {
        try requireWritable()
        let length = try reader.checkedFrame(at: offset).length
        var done = 0
        while done < length {
            let chunk = min(64 * 1024, length - done)
            try file.pwriteFully([UInt8](repeating: 0, count: chunk), at: offset + 4 + Int64(done))
            done += chunk
        }
        reader.source.invalidate()
        if syncPolicy != .none { try file.sync() }
    }

    /// Re-reads the file's end, for a read-only log that another process appends to (a live
    /// tail): records appended since the open become readable. A read-write log, which holds
    /// the only writer lock, already knows its end.
    @discardableResult
    public func refresh() throws(FlumeLogError) -> LogExtent {
        // A restarted writer may have cut a torn tail and written other bytes in its place.
        reader.source.invalidate()
        let extent = try LogExtent.scan(reader.source, width: width, size: try file.size(), path: path)
        if access == .readOnly {
            reader.end = extent.validEnd
            since = extent.lastRecordOffset
        }
        return extent
    }

    /// Makes every append so far durable.
    public func sync() throws(FlumeLogError) { try file.sync() }

    /// Writes `frameBuffer` at `start` in one write. On failure the file is cut back to
    /// `start`, so a refused or failed append leaves it as it was.
    private func writeFrames(at start: Int64, end next: Int64, lastRecord: Int64, sync: Bool) throws(FlumeLogError) {
        do {
            try file.pwriteFully(frameBuffer, at: start)
            if sync { try file.sync() }
        } catch {
            try? file.truncate(to: start)
            throw error
        }
        reader.end = next
        since = lastRecord
    }

    private func requireWritable() throws(FlumeLogError) {
        guard access == .readWrite else {
            throw FlumeLogError(.invalidArgument, file: path, message: "the log is open read-only")
        }
    }

    /// Opens the file, refusing anything but a regular file (a FIFO would block, a directory
    /// cannot be read). Reports whether it was created.
    /// Makes a new file's directory entry durable.
    private static func syncDirectory(containing path: String) throws(FlumeLogError) {
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let dir = try FileDescriptor.open(directory.isEmpty ? "/" : directory, .readOnly)
        defer { dir.close() }
        try dir.sync()
    }
}
