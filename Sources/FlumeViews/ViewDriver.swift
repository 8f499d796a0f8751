import FlumeJSON
import FlumeLog
import FlumeSSB
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Keeps a set of views in step with a log. Each view's state lives in `DIR/<name>.json` as
/// `{"seq": since, "version": v, "value": …}`. `update()` resumes each view from its `seq`, or
/// rebuilds it from scratch when its state is missing or corrupt, its version changed, or it is
/// ahead of the log (or points at no record); then one scan feeds every view the records it has
/// not seen, and each changed state is written atomically.
///
/// Like JS flumedb, views see what the JS stream yields: deleted records are skipped. A log
/// whose last record is deleted is in sync once the views reach its last live record.
public final class ViewDriver {
    /// What happened to one view.
    public struct Outcome: Sendable, Equatable {
        public enum Action: Sendable, Equatable {
            /// Its state was loaded and brought up to date.
            case resumed
            /// Built from the start; the reason says why.
            case rebuilt(reason: String)
        }

        public var view: ViewKind
        public var action: Action
        /// Records applied in this update.
        public var recordsApplied: Int
        /// The offset of the last record the view has seen, nil when none.
        public var since: Int64?
    }

    public let log: any ReadableLog
    /// How the log's records are written (JSON, or BIPF in ssb-db2's log).
    public let encoding: RecordEncoding
    public let directory: String
    private let views: [SSBView]
    private var sinces: [ViewKind: Int64] = [:]
    /// Records that were not SSB messages (not JSON, or without key, author or sequence).
    public private(set) var skippedRecords = 0
    private var appliedInLastFeed = 0
    /// Whether feeds may read records on a second thread (see `ViewFeed`).
    public let parallel: Bool
    /// Whether the last feed did read records on a second thread.
    public private(set) var lastFeedWasParallel = false
    /// Whether the last feed read the payloads where the log lent them (`PayloadLease`).
    public private(set) var lastFeedReadInPlace = false

    /// `versions` overrides the version a view is built at (for migrations and tests);
    /// `parallel: false` keeps every feed on the calling thread.
    public init(log: any ReadableLog, encoding: RecordEncoding = .json, directory: String, views kinds: [ViewKind],
                versions: [ViewKind: Int] = [:], parallel: Bool = true) {
        self.log = log
        self.encoding = encoding
        self.directory = directory
        self.parallel = parallel
        views = Set(kinds).sorted().map { $0.makeView(version: versions[$0] ?? $0.currentVersion) }
    }

    public func statePath(_ kind: ViewKind) -> String { "\(directory)/\(kind.rawValue).json" }

    /// Brings every view up to date with the log, persisting what changed.
    @discardableResult
    public func update() throws -> [Outcome] {
        try prepareDirectory()
        var outcomes: [ViewKind: Outcome] = [:]
        for view in views {
            let action = loadState(of: view)
            outcomes[view.kind] = Outcome(view: view.kind, action: action, recordsApplied: 0, since: sinces[view.kind])
        }
        let applied = try feed()
        for view in views {
            let changed = applied[view.kind, default: 0] > 0 || outcomes[view.kind]!.action != .resumed
            outcomes[view.kind]!.recordsApplied = applied[view.kind, default: 0]
            outcomes[view.kind]!.since = sinces[view.kind]
            if changed { try AtomicFile.write(stateFile(of: view), to: statePath(view.kind)) }
        }
        return views.map { outcomes[$0.kind]! }
    }

    /// Builds every view from the start and writes each state (atomically), whatever was stored.
    @discardableResult
    public func rebuild() throws -> [Outcome] {
        try prepareDirectory()
        let states = try rebuildInMemory()
        for view in views { try AtomicFile.write(states[view.kind]!, to: statePath(view.kind)) }
        return views.map { Outcome(view: $0.kind, action: .rebuilt(reason: "requested"), recordsApplied: appliedInLastFeed,
                                   since: sinces[$0.kind]) }
    }

    /// Compares each stored state with a fresh rebuild in memory, as JSON values.
    public func check() throws -> [(view: ViewKind, agrees: Bool, detail: String)] {
        let fresh = try rebuildInMemory()
        return views.map { view in
            guard let stored = FileManager.default.contents(atPath: statePath(view.kind)) else {
                return (view.kind, false, "no state at \(statePath(view.kind))")
            }
            guard let storedValue = try? JSValue.parse(Array(stored)), storedValue.objectValue != nil else {
                return (view.kind, false, "state unreadable")
            }
            let freshValue = try? JSValue.parse(fresh[view.kind]!)
            func seq(_ state: JSValue?) -> String { state?["seq"]?.integerValue.map(String.init) ?? "?" }
            if let freshValue, storedValue.isEqualIgnoringMemberOrder(freshValue) {
                return (view.kind, true, "agrees (seq \(seq(storedValue)))")
            }
            return (view.kind, false, "differs from a rebuild (stored seq \(seq(storedValue)), rebuilt seq \(seq(freshValue)))")
        }
    }

    /// The views' states as their files would hold them now (after a rebuild or an update).
    public func currentStates() -> [ViewKind: [UInt8]] {
        Dictionary(uniqueKeysWithValues: views.map { ($0.kind, stateFile(of: $0)) })
    }

    /// Builds every view from the start in memory, writing nothing; the states as files would hold them.
    public func rebuildInMemory() throws -> [ViewKind: [UInt8]] {
        _ = try rebuildWithoutWriting()
        return currentStates()
    }

    /// Creates the state folder, and removes temporary files a killed writer left behind (they
    /// are never read as state; see `AtomicFile`).
    private func prepareDirectory() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        where AtomicFile.isTemporary(name) && name.contains(".json.tmp-") {
            try? FileManager.default.removeItem(atPath: "\(directory)/\(name)")
        }
    }

    /// Loads a view's state file, or resets the view and says why it must be rebuilt. A state
    /// that is already up to date (its header names this version and a record of this log
    /// with no live record after it) is left unread: it will not be fed nor written, so
    /// parsing megabytes of it would change nothing (`views check` reads it whole).
    private func loadState(of view: SSBView) -> Outcome.Action {
        func rebuild(_ reason: String) -> Outcome.Action {
            view.reset()
            sinces[view.kind] = nil
            return .rebuilt(reason: reason)
        }
        if let header = Self.stateHeader(statePath(view.kind)), header.version == view.version, isUpToDate(header.seq) {
            sinces[view.kind] = header.seq >= 0 ? header.seq : nil
            return .resumed
        }
        guard let data = FileManager.default.contents(atPath: statePath(view.kind)) else { return rebuild("no state") }
        guard let state = try? JSValue.parse(Array(data)), let seq = state["seq"]?.integerValue,
              let version = state["version"]?.integerValue, let value = state["value"] else { return rebuild("state unreadable") }
        guard version == view.version else { return rebuild("version \(version) → \(view.version)") }
        if seq >= 0 {
            guard seq < log.end else { return rebuild("state at \(seq) is ahead of the log (end \(log.end))") }
            guard (try? log.withRecord(at: seq, deleted: .visible) { _ in }) != nil else { return rebuild("state at \(seq) names no record of this log") }
        }
        do {
            try view.load(value: value)
        } catch {
            return rebuild("state unreadable: \(error)")
        }
        sinces[view.kind] = seq >= 0 ? seq : nil
        return .resumed
    }

    /// One scan from the earliest view's position; each view gets only records past its own.
    private func feed() throws -> [ViewKind: Int] {
        let start = views.map { sinces[$0.kind] ?? -1 }
        let earliest = start.min() ?? -1
        // Payloads are read where the log lent them, not copied into the feed's batches, where
        // its reader lends lasting ones (`PayloadLease`). The feed, and its worker, end inside
        // the lease, even when the scan throws.
        let lease = log.leasePayloads()
        lastFeedReadInPlace = lease != nil
        let (positions, counts) = try withExtendedLifetime(lease) {
            let feed = ViewFeed(views: views, positions: start, encoding: encoding, parallel: parallel, lease: lease)
            try log.forEachRecord(.forward, from: earliest < 0 ? .beginning : .after(earliest), deleted: .skipped) { feed.add($0) }
            defer {
                lastFeedWasParallel = feed.wasParallel
                skippedRecords += feed.skipped
            }
            return feed.finish()
        }
        try lease?.end()
        var applied: [ViewKind: Int] = [:]
        for (index, view) in views.enumerated() {
            if positions[index] >= 0 { sinces[view.kind] = positions[index] }
            applied[view.kind] = counts[index]
        }
        appliedInLastFeed = counts.max() ?? 0
        return applied
    }

    /// Feeds every view from the start in memory and returns how many records were read:
    /// the rebuild alone, without writing state, for measurement.
    public func rebuildWithoutWriting() throws -> Int {
        for view in views {
            view.reset()
            view.reserve(records: Int(log.end / 512))
            sinces[view.kind] = nil
        }
        return try feed().values.max() ?? 0
    }

    /// Whether a state at `seq` has seen every live record of the log: `seq` names a record
    /// (or is -1) and none but deleted ones follow it.
    private func isUpToDate(_ seq: Int64) -> Bool {
        guard seq < log.end else { return false }
        do {
            if seq >= 0 { try log.withRecord(at: seq, deleted: .visible) { _ in } }
            var newer = try log.records(.forward, from: seq < 0 ? .beginning : .after(seq), deleted: .skipped)
            return try newer.next() == nil
        } catch {
            return false
        }
    }

    /// `seq` and `version` from the first bytes of a state file as this driver (and JS) writes
    /// it, `{"seq":N,"version":V,"value":…}`, when it has that shape and ends with `}`; nil
    /// otherwise (the file is then read whole).
    static func stateHeader(_ path: String) -> (seq: Int64, version: Int)? {
        guard let file = try? FileDescriptor.open(path, .readOnly) else { return nil }
        defer { file.close() }
        guard let head = try? file.bytes(count: 64, at: 0), let size = try? file.size(), size > 0,
              let last = try? file.bytes(count: 1, at: size - 1), last == [UInt8(ascii: "}")]
        else { return nil }
        var bytes = head[...]
        func expect(_ text: String) -> Bool {
            guard bytes.starts(with: text.utf8) else { return false }
            bytes = bytes.dropFirst(text.utf8.count)
            return true
        }
        func integer() -> Int64? {
            let negative = expect("-")
            let digits = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            guard (1...18).contains(digits.count) else { return nil }
            bytes = bytes.dropFirst(digits.count)
            let value = digits.reduce(Int64(0)) { $0 * 10 + Int64($1 - UInt8(ascii: "0")) }
            return negative ? -value : value
        }
        guard expect("{\"seq\":"), let seq = integer(), expect(",\"version\":"), let version = integer(),
              expect(",\"value\":") else { return nil }
        return (seq, Int(version))
    }

    private func stateFile(of view: SSBView) -> [UInt8] {
        var json = JSONText()
        json.raw("{\"seq\":")
        json.number(sinces[view.kind] ?? -1)
        json.raw(",\"version\":")
        json.number(Int64(view.version))
        json.raw(",\"value\":")
        view.writeValue(to: &json)
        json.raw("}")
        return json.bytes
    }
}
