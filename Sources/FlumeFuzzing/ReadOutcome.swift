import FlumeLog

/// Everything a reader can be asked, answered through one strategy: the conformance checker
/// that runs the same questions over every reader strategy (and over `MemoryLog`, the
/// reference), so that "identical results and identical errors" is one comparison. The fuzz
/// oracle and the tests share it.
public enum ReadOutcome: Equatable, CustomStringConvertible {
    case read(forward: [StoredRecord], reverse: [Int64], jsForward: [Int64], byOffset: [StoredRecord], since: Int64?)
    case failed(FlumeLogError.Code, offset: Int64?)

    /// Asks `log` everything; the first error ends the questions.
    public static func of(_ log: () throws -> any ReadableLog) -> ReadOutcome {
        do {
            let log = try log()
            var forward: [StoredRecord] = [], reverse: [Int64] = [], jsForward: [Int64] = []
            try log.forEachRecord { forward.append($0.copied()) }
            try log.forEachRecord(.reverse) { reverse.append($0.offset) }
            try log.forEachRecord(deleted: .skipped) { jsForward.append($0.offset) }
            let byOffset = try forward.map { try log.copyOfRecord(at: $0.offset) }
            // The same reads in bulk, newest first (io_uring submits them together): any
            // difference is reported as the walks disagreeing, which no reference does.
            var inBulk: [StoredRecord] = []
            try log.forEachRecord(at: forward.reversed().map(\.offset), deleted: .visible) { inBulk.append($0.copied()) }
            guard inBulk.elementsEqual(byOffset.reversed()) else { return .failed(.walksDisagree, offset: nil) }
            return .read(forward: forward, reverse: reverse, jsForward: jsForward, byOffset: byOffset, since: log.since)
        } catch let error as FlumeLogError {
            return .failed(error.code, offset: error.offset)
        } catch {
            return .failed(.io, offset: nil)
        }
    }

    /// The outcome through each strategy, reading the file at `path` read-only.
    public static func perStrategy(_ path: String, width: TrailerWidth,
                                   strategies: [ReaderStrategy] = ReaderStrategy.all) -> [ReaderStrategy: ReadOutcome] {
        Dictionary(uniqueKeysWithValues: strategies.map { strategy in
            (strategy, of { try OffsetLog(path: path, width: width, access: .readOnly, strategy: strategy) })
        })
    }

    public var description: String {
        switch self {
        case .read(let forward, _, _, _, let since): "\(forward.count) records, since \(since ?? -1)"
        case .failed(let code, let offset): "\(code) at \(offset ?? -1)"
        }
    }
}

/// Every strategy, and small-buffer variants too, so frames cross buffer ends and outgrow the
/// buffer: what the fuzzer and the conformance tests read every input with.
public let everyStrategyVariant: [ReaderStrategy] = ReaderStrategy.all + [
    try! .buffered(bufferSize: 4096), try! .pread(bufferSize: 4096, readahead: 0), try! .pread(bufferSize: 8192, readahead: 65536),
    // Two and three slots: the forward stream wraps every 8 or 12 KiB.
    try! .uring(bufferSize: 4096, inFlight: 8192), try! .uring(bufferSize: 4096, inFlight: 12288),
]
