import FlumeJSON
import FlumeSSB

/// The SSB views this package builds, each as ssb-db 20 (or its plugins) derives it.
public enum ViewKind: String, Sendable, CaseIterable, Comparable {
    /// Per feed: the latest message's key, sequence and claimed timestamp (ssb-db `last`);
    /// stored in flumeview-reduce's format, `{"seq","version","value"}`.
    case last
    /// Message key → record offset (ssb-db `keys`).
    case keys
    /// Feed and sequence → record offset (ssb-db `clock`).
    case clock
    /// Content type → count and record offsets (private messages have none).
    case types
    /// Backlinks: message key → offsets of the records whose content links to it (ssb-backlinks).
    case links

    /// The version each view is built at; a state file of another version is rebuilt.
    public var currentVersion: Int { 1 }

    public static func < (a: ViewKind, b: ViewKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    func makeView(version: Int) -> SSBView {
        switch self {
        case .last: LastView(version: version)
        case .keys: KeysView(version: version)
        case .clock: ClockView(version: version)
        case .types: TypesView(version: version)
        case .links: LinksView(version: version)
        }
    }
}

/// One view's state in memory. Its file is `{"seq": since, "version": v, "value": …}`.
protocol SSBView: AnyObject {
    var kind: ViewKind { get }
    var version: Int { get }
    /// Whether `apply` needs the content's links collected.
    var needsLinks: Bool { get }
    func reset()
    /// Room for about this many records, so a rebuild does not rehash as it grows.
    func reserve(records: Int)
    /// Takes a run of records in log order, all past the view's position, by pointer (a
    /// `ViewRecord` is over 200 bytes); records that are not messages are skipped
    /// (`forEachMessage`). A run at a time, so that a view moves its state into locals once
    /// per run: each access to a class's stored property is checked for exclusivity at run
    /// time, and per record and view those checks were about a tenth of applying's time.
    func apply(_ records: UnsafeBufferPointer<ViewRecord>)
    /// The `value` of the state file.
    func writeValue(to json: inout JSONText)
    /// Restores from a parsed state file's `value`; throws when it has the wrong shape.
    func load(value: JSValue) throws(ViewError)
}

extension SSBView {
    var needsLinks: Bool { false }
    func reserve(records: Int) {}
}
