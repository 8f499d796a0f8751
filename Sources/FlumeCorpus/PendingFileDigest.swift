import Dispatch
import FlumeLog

/// A file's size and SHA-256, computed on a thread of its own from the moment it is made.
/// `verify --manifest` starts one before it parses the manifest (200 MB for the 1 GiB corpus,
/// most of a second on one core), so the file's gigabyte is hashed on the other core meanwhile.
public final class PendingFileDigest: @unchecked Sendable {
    public let path: String
    private let finished = DispatchSemaphore(value: 0)
    /// Written once, before `finished` is signalled.
    private var outcome: Result<(Int64, String), FlumeLogError>?

    public init(path: String) {
        self.path = path
        DispatchQueue.global().async { [self] in
            outcome = Result { () throws(FlumeLogError) in try ManifestVerifier.sizeAndSHA256(ofFileAt: path) }
            finished.signal()
        }
    }

    /// The size and the digest in hex, once they are ready; a failure names the file and the
    /// system's reason, as `ManifestVerifier.sizeAndSHA256` does.
    public func value() throws(FlumeLogError) -> (Int64, String) {
        finished.wait()
        finished.signal()
        return try outcome!.get()
    }
}
