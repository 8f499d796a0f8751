import FlumeSSB

/// One message as a view takes it: the fields read, the content's links (when collected),
/// its offset, and its key already decoded to 32 bytes by the threads that read the batch
/// (when canonical), so that no view decodes it again on the applying thread. Authors come
/// in bursts, so feed tables compare their bytes with the last one and decode only on a change.
struct ViewRecord {
    var message: SSBMessage
    var links: UnsafeBufferPointer<JSONString>
    var offset: Int64
    var keyDigest: Digest32?

    /// The message key; decoded here only when it is not canonical.
    var key: SSBIdentifier? {
        if let keyDigest { return .digest(keyDigest) }
        return message.key.map { SSBIdentifier(message: $0) }
    }

    var author: SSBIdentifier? { message.author.map { SSBIdentifier(feed: $0) } }
}
