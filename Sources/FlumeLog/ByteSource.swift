/// The one read function every frame decode goes through (the seam of flumedb-rs): memory, a
/// buffered file and a mapping all answer it, so one decoder serves every reader strategy and
/// every strategy yields the same records and the same errors.
public protocol ByteSource: AnyObject {
    /// Borrows the bytes `offset ..< offset + count`. They stay valid until the next call on this
    /// source. The caller has checked the range against the log's valid end, so a short result
    /// means the file shrank underneath: that is reported as an error, never as fewer bytes.
    func bytes(at offset: Int64, count: Int, hint: AccessHint) throws(FlumeLogError) -> UnsafeRawBufferPointer

    /// Borrows at least `minimum` bytes from `offset` on, and as many more as the source holds
    /// contiguously right now (for a buffer: to its end; for a mapping: to the mapping's end).
    /// Lets the decoder read a whole frame with one call when it is already at hand. Same
    /// validity and error rules as `bytes(at:count:hint:)`.
    func bytes(from offset: Int64, atLeast minimum: Int, hint: AccessHint) throws(FlumeLogError) -> UnsafeRawBufferPointer

    /// Borrows at least `minimum` bytes ending at `end`, and as many before them as the source
    /// holds contiguously right now: a backward scan reads frames from there without a call per
    /// frame. Same validity and error rules as `bytes(at:count:hint:)`.
    func bytes(endingAt end: Int64, atLeast minimum: Int, hint: AccessHint) throws(FlumeLogError) -> UnsafeRawBufferPointer

    /// The file size as the source sees it now.
    func currentSize() throws(FlumeLogError) -> Int64

    /// Forgets anything cached; called after the log's bytes changed in place (a deletion).
    func invalidate()

    /// Throws when bytes already handed out may have been wrong (a mapped file truncated
    /// underneath); called after a consumer has used them. `thorough` may cost a system
    /// call: the decoder asks for it before it reports damage, so that a file that shrank is
    /// reported as such and not as the zeros it left behind.
    func checkIntact(thorough: Bool) throws(FlumeLogError)

    /// Told the offsets of records about to be read by offset, in order, so a source that can
    /// read them side by side (io_uring) starts all of them now. Advisory: reads go on as usual.
    func willRead(at offsets: UnsafeBufferPointer<Int64>)
}

/// How the caller is about to move, so a buffered source fills its window the useful way.
public enum AccessHint: Sendable {
    case forward
    case backward
    case random
}

extension ByteSource {
    public func bytes(endingAt end: Int64, atLeast minimum: Int, hint: AccessHint) throws(FlumeLogError) -> UnsafeRawBufferPointer {
        try bytes(at: end - Int64(minimum), count: minimum, hint: hint)
    }

    public func invalidate() {}

    public func checkIntact(thorough: Bool) throws(FlumeLogError) {}

    public func willRead(at offsets: UnsafeBufferPointer<Int64>) {}
}

extension UnsafeBufferPointer<Int64> {
    /// Whether the offsets never go down: reads by offset announced in file order (a
    /// manifest's), which a source may read ahead of instead of one at a time.
    var climbs: Bool { zip(self, dropFirst()).allSatisfy { $0 <= $1 } }
}
