import FlumeViews

/// What a benchmark case does with a log.
public enum Operation: String, Codable, Sendable, CaseIterable {
    case forwardScan = "forward_scan"
    case reverseScan = "reverse_scan"
    /// Forward from the middle record to the end.
    case scanFromOffset = "scan_from_offset"
    /// Reads by offset, uniformly over the records.
    case randomUniform = "random_uniform"
    /// Reads by offset, most of them among the newest records (as feeds and threads are read).
    case randomSkewed = "random_skewed"
    /// A read-only open (tail check included) and a read of the last record.
    case open
    /// A read-write open of a torn copy: the tail is found and cut, as JS does.
    case openWithRecovery = "open_with_recovery"
    case appendSingle = "append_single"
    case appendBatch = "append_batch"
    case appendSyncEach = "append_sync_each"
    case appendSyncBatch = "append_sync_batch"
    case viewLast = "view_last"
    case viewKeys = "view_keys"
    case viewClock = "view_clock"
    case viewTypes = "view_types"
    case viewLinks = "view_links"
    /// last + keys + clock + types in one scan.
    case viewAll = "view_all"
    /// A converted corpus made again from its base log (ssb-db2's migration for BIPF corpora),
    /// into a scratch file that must equal the corpus byte for byte; not synced (the disk is
    /// not what is measured).
    case convert
    /// `ssb-validate` of the whole log, as the command runs it (every core); warm only. Its
    /// rate is reported against libsodium verifying the same signatures on one core.
    case ssbValidate = "ssb_validate"
    /// `flumebench views rebuild` of the whole log in a process of its own, as a user runs it:
    /// start-up, all five views, their state files written and synced, exit. Warm only; needs
    /// the flumebench binary (`Options.flumebenchBinary`).
    case viewsRebuildProcess = "views_rebuild_process"
    /// `flumebench verify LOG --strategy S` in a process of its own, as a user runs it:
    /// start-up, one validating pass, the summary, exit. Warm only; needs the flumebench
    /// binary. Its time is given as a multiple of `cat LOG > /dev/null` run the same way in the
    /// same rounds (`ReferenceKind.catProcess`).
    case verifyProcess = "verify_process"
    /// `flumebench verify LOG` as a user runs it by default: every reader strategy, one pass
    /// each, their results compared. Against `cat` as `verify_process` is; no one strategy.
    case verifyAllProcess = "verify_all_process"
    /// `flumebench verify LOG --manifest M` against the corpus's golden manifest, every
    /// strategy, as `verify_all_process` is run: every field of the manifest checked, the
    /// manifest parsed, the child's peak resident memory reported. Generated corpora only.
    case verifyManifestProcess = "verify_manifest_process"

    /// Appends and conversions write, validation reads its own way: no reader strategy plays a part.
    public var usesReaderStrategy: Bool { !isAppend && ![.convert, .ssbValidate, .viewsRebuildProcess, .verifyAllProcess, .verifyManifestProcess].contains(self) }

    /// Measured as a child process's run, not inside the harness: no allocation counts, the
    /// child's CPU time and faults.
    public var runsInOwnProcess: Bool { self == .viewsRebuildProcess || verifiesInOwnProcess }

    /// `flumebench verify` in a process of its own, under one strategy or all of them.
    public var verifiesInOwnProcess: Bool { [.verifyProcess, .verifyAllProcess, .verifyManifestProcess].contains(self) }

    /// Whether the case rebuilds views, so simdjson's field extraction is measured beside it.
    public var rebuildsViews: Bool { views != nil || self == .viewsRebuildProcess }

    public var isAppend: Bool {
        switch self {
        case .appendSingle, .appendBatch, .appendSyncEach, .appendSyncBatch: true
        default: false
        }
    }

    /// The views a rebuild case builds.
    public var views: [ViewKind]? {
        switch self {
        case .viewLast: [.last]
        case .viewKeys: [.keys]
        case .viewClock: [.clock]
        case .viewTypes: [.types]
        case .viewLinks: [.links]
        case .viewAll: [.last, .keys, .clock, .types]
        default: nil
        }
    }

    /// Whether times are gated: fsync-bound cases (sync appends, recovery, which syncs its cut,
    /// a whole rebuild, which syncs its states) depend on the disk, not on this code.
    public var isTimeGated: Bool { ![.appendSyncEach, .appendSyncBatch, .openWithRecovery, .viewsRebuildProcess].contains(self) }
}
