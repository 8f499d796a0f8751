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
    /// Takes one message (by pointer: a `ViewRecord` is 186 bytes, and passing it by value
    /// copied it once per record and view, 7-10 % of the applying thread's time).
    func apply(_ record: UnsafePointer<ViewRecord>)
    /// Whether `prefetch` does anything: then it is called a few records ahead of `apply`.
    var prefetches: Bool { get }
    /// Starts bringing in what applying `record` will touch.
    func prefetch(_ record: UnsafePointer<ViewRecord>)
    /// The `value` of the state file.
    func writeValue(to json: inout JSONText)
    /// Restores from a parsed state file's `value`; throws when it has the wrong shape.
    func load(value: JSValue) throws(ViewError)
}

extension SSBView {
    var needsLinks: Bool { false }
    var prefetches: Bool { false }
    func prefetch(_ record: UnsafePointer<ViewRecord>) {}
    func reserve(records: Int) {}
}
