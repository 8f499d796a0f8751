import FlumeSSB

/// One message as a view takes it: the fields read, the content's links (when collected),
/// its offset, and its key and author already decoded to 32 bytes by the threads that read
/// the batch (when canonical), so that no view decodes them on the applying thread. Authors
/// come in bursts, so feed tables compare the digest with the last one before looking it up.
struct ViewRecord {
    var message: SSBMessage
    var links: UnsafeBufferPointer<JSONString>
    var offset: Int64
    var keyDigest: Digest32?
    var authorDigest: Digest32?

    /// The message key; decoded here only when it is not canonical.
    var key: SSBIdentifier? {
        if let keyDigest { return .digest(keyDigest) }
        return message.key.map { SSBIdentifier(message: $0) }
    }

    /// The author; decoded here only when it is not canonical.
    var author: SSBIdentifier? {
        if let authorDigest { return .digest(authorDigest) }
        return message.author.map { SSBIdentifier(feed: $0) }
    }
}

extension UnsafeBufferPointer<ViewRecord> {
    /// Calls `body` with each record that is an SSB message, in order, by pointer.
    @inline(__always)
    func forEachMessage(_ body: (UnsafePointer<ViewRecord>) -> Void) {
        guard let base = baseAddress else { return }
        for index in 0..<count where base[index].message.isMessage { body(base + index) }
    }
}
