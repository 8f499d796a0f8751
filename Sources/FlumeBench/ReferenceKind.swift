/// The in-run references: what the machine does with the same file, without this code.
/// Every timed case is also given as a ratio to one of them, measured in the same round.
import FlumeLog
public enum ReferenceKind: String, Codable, Sendable, CaseIterable {
    /// read(2) of the whole file into one buffer: the bound for buffered and pread reads.
    case readCopy = "reference_read_copy"
    /// read(2) of the whole file from its end, a window at a time, with a second thread asking
    /// the kernel for the stretch below (the plan of FlumeLog's `BackwardReadahead`, in C):
    /// measured cold where reverse scans are, so that a reverse scan's shortfall against its
    /// forward scan can be told apart from what the device gives backwards. Not any case's
    /// reference: the reverse-scan table reports it beside them.
    case readCopyBackward = "reference_read_copy_backward"
    /// A validating walk in C over mmap (offset frames, or AAOL blocks for AAOL corpora): the
    /// bound for mmap reads.
    case cFrameWalk = "reference_c_frame_walk"
    /// simdjson On-Demand pulling `key`, `value.author`, `value.sequence`, `value.timestamp`
    /// and `value.content.type` out of every message of an offset log of JSON records, over
    /// mmap: the bound for view rebuilds, whose rates are reported as ratios to it (measured
    /// only where views are).
    case simdjsonFields = "reference_simdjson_fields"
    /// libsodium verifying the Ed25519 signature of every message of the log on one core, the
    /// inputs gathered before the clock starts: the bound `ssb_validate` is reported against
    /// (measured only where it is).
    case libsodiumVerify = "reference_libsodium_verify"
    /// The same verification split over every core: what the machine's cores can verify,
    /// the ceiling for `ssb_validate`, which shows whether they scale (2 vCPUs that share a
    /// physical core do not).
    case libsodiumVerifyEveryCore = "reference_libsodium_verify_every_core"
    /// `cat` copying every file of the log to `/dev/null`, in a process of its own: what a
    /// process that reads the file once costs on this machine (start, reads, exit), the bound
    /// `verify_process` and `verify_all_process` are reported against (measured only where they are).
    case catProcess = "reference_cat_process"

    /// The name a reference row carries in the strategy column.
    public var label: String {
        switch self {
        case .readCopy: "read(2)"
        case .readCopyBackward: "read(2) backward"
        case .cFrameWalk: "C mmap"
        case .simdjsonFields: "simdjson"
        case .libsodiumVerify: "libsodium"
        case .libsodiumVerifyEveryCore: "libsodium (all cores)"
        case .catProcess: "cat"
        }
    }

    /// The column heading in reports.
    public var title: String {
        switch self {
        case .readCopy: "read(2) copy-out"
        case .readCopyBackward: "read(2) copy-out, from the end"
        case .cFrameWalk: "C frame walk (mmap)"
        case .simdjsonFields: "simdjson fields (mmap)"
        case .libsodiumVerify: "libsodium Ed25519 verify (1 core)"
        case .libsodiumVerifyEveryCore: "libsodium Ed25519 verify (every core)"
        case .catProcess: "`cat FILE > /dev/null` (a process)"
        }
    }

    /// The reference a case read through `strategy` is compared with.
    public static func forStrategy(_ strategy: CaseStrategy) -> ReferenceKind {
        strategy == .reader(.mmap) ? .cFrameWalk : .readCopy
    }

    /// The reference `operation` through `strategy` is compared with: a whole-process verify
    /// with a whole-process read, anything else as its strategy reads.
    public static func forCase(_ operation: Operation, _ strategy: CaseStrategy) -> ReferenceKind {
        operation.verifiesInOwnProcess ? .catProcess : forStrategy(strategy)
    }
}
