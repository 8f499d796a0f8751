/// An offset log held in memory with the same API and the same bytes as `OffsetLog`: the
/// reference the file-backed log is checked against in tests.
public final class MemoryLog: OffsetFrameLog {
    public let width: TrailerWidth
    public private(set) var reader: LogReader
    public private(set) var since: Int64?
    private let storage: MemorySource
    private var frameBuffer: [UInt8] = []

    public init(width: TrailerWidth = .bits32) {
        self.width = width
        storage = MemorySource()
        reader = LogReader(source: storage, width: width, end: 0, path: nil)
    }

    /// Loads the bytes of a log and recovers it as a read-write open would: a torn tail is cut.
    public convenience init(bytes: some Collection<UInt8>, width: TrailerWidth = .bits32) throws(FlumeLogError) {
        self.init(width: width)
        Array(bytes).withUnsafeBytes { storage.append($0) }
        let extent = try LogExtent.scan(storage, width: width, size: Int64(storage.count), path: nil)
        storage.truncate(to: Int(extent.validEnd))
        reader.end = extent.validEnd
        since = extent.lastRecordOffset
    }

    /// The log's bytes, exactly as a file would hold them.
    public var bytes: [UInt8] { storage.bytes }

    @discardableResult
    public func append(_ payload: some Collection<UInt8>) throws(FlumeLogError) -> Int64 {
        try append(batch: CollectionOfOne(payload))[0]
    }

    @discardableResult
    public func append<Payloads: Collection>(batch payloads: Payloads) throws(FlumeLogError) -> [Int64]
        where Payloads.Element: Collection<UInt8> {
        frameBuffer.removeAll(keepingCapacity: true)
        let offsets = try FrameEncoder.encode(payloads, startingAt: end, width: width, into: &frameBuffer)
        frameBuffer.withUnsafeBytes { storage.append($0) }
        reader.end = Int64(storage.count)
        if let last = offsets.last { since = last }
        return offsets
    }

    public func delete(at offset: Int64) throws(FlumeLogError) {
        let record = try reader.checkedFrame(at: offset)
        storage.overwrite(at: Int(offset) + 4, with: 0, count: record.length)
    }
}
