import CFlumeSHA256
import Crypto

/// SHA-256 for the gigabytes manifest verification hashes (every record, the stream, the
/// file): the CPU's SHA extensions where it has them (`CFlumeSHA256`), swift-crypto elsewhere.
/// The same digests either way (`DataSHA256Tests`).
public struct DataSHA256 {
    public static let accelerated = flume_sha256_accelerated() != 0
    private var fast = flume_sha256()
    private var portable: SHA256?

    public init() {
        if Self.accelerated { flume_sha256_init(&fast) } else { portable = SHA256() }
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        if portable != nil {
            portable!.update(bufferPointer: bytes)
        } else if let base = bytes.baseAddress {
            flume_sha256_update(&fast, base, bytes.count)
        }
    }

    /// Updates two hashes, each with its own bytes, side by side (`flume_sha256_update_pair`):
    /// with the SHA extensions, about the time of one update.
    public static func update(_ first: inout DataSHA256, with firstBytes: UnsafeRawBufferPointer,
                              _ second: inout DataSHA256, with secondBytes: UnsafeRawBufferPointer) {
        guard first.portable == nil, second.portable == nil,
              let firstBase = firstBytes.baseAddress, let secondBase = secondBytes.baseAddress else {
            first.update(firstBytes)
            second.update(secondBytes)
            return
        }
        flume_sha256_update_pair(&first.fast, firstBase, firstBytes.count, &second.fast, secondBase, secondBytes.count)
    }

    /// The digest of `bytes`, computed side by side with `stream`'s update by the same bytes (a
    /// record's own hash and the hash of the stream it belongs to).
    public static func hash(_ bytes: UnsafeRawBufferPointer, updatingBeside stream: inout DataSHA256) -> ManifestDigest {
        var hash = DataSHA256()
        update(&hash, with: bytes, &stream, with: bytes)
        return hash.finalize()
    }

    /// The digest, as a manifest holds it.
    public mutating func finalize() -> ManifestDigest {
        if let portable {
            return portable.finalize().withUnsafeBytes { ManifestDigest(bytes: $0) }
        }
        return withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { digest in
            flume_sha256_final(&fast, digest.baseAddress!.assumingMemoryBound(to: UInt8.self))
            return ManifestDigest(bytes: UnsafeRawBufferPointer(digest))
        }
    }

    public static func hash(_ bytes: UnsafeRawBufferPointer) -> ManifestDigest {
        var hash = DataSHA256()
        hash.update(bytes)
        return hash.finalize()
    }
}
