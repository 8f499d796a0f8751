import CFlumeUring
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads by offset announced together (`willRead(at:)`): submitted side by side, each a
/// `batchSpan` read in a buffer of their own, and taken as windows by the reads that follow.
extension UringSource {
    /// Submits a read around each of the first 64 offsets (from 16 bytes before, for the
    /// trailer a checked read looks at) without waiting: the device serves them side by side.
    /// An offset within the first half of the read queued before it shares that read.
    func willRead(at offsets: UnsafeBufferPointer<Int64>) {
        guard offsets.count > 1 else { return }
        drain()
        // The window may lie in the batch buffer, which the new reads overwrite.
        window.pointee.count = 0
        let span = Self.batchSpan
        let memory = batchMemory ?? .allocate(byteCount: Self.batchCapacity * span, alignment: 4096)
        batchMemory = memory
        batchCount = 0
        batchNext = 0
        for offset in offsets.prefix(Self.batchCapacity) {
            let start = max(0, offset - 16)
            // Held by the read before, with half its span to spare: offsets in file order
            // (a manifest's) share reads instead of copying 8 KiB per record.
            if batchCount > 0, start >= batchStarts[batchCount - 1], start < batchStarts[batchCount - 1] + Int64(span / 2) {
                continue
            }
            var queued = flume_uring_queue_read(ring, file.rawValue, memory + batchCount * span, UInt32(span), UInt64(start),
                                                Self.batchTag + UInt64(batchCount), 0)
            if queued == -EBUSY, flume_uring_submit(ring, 0) >= 0 {
                queued = flume_uring_queue_read(ring, file.rawValue, memory + batchCount * span, UInt32(span), UInt64(start),
                                                Self.batchTag + UInt64(batchCount), 0)
            }
            guard queued == 0 else { break }
            batchStarts[batchCount] = start
            batchFilled[batchCount] = -1
            batchCount += 1
            batchReadsQueued += 1
            inFlight += 1
        }
        if flume_uring_submit(ring, 0) < 0 {
            // Nothing was submitted: forget the batch (its reads happen one at a time).
            drain()
            batchCount = 0
        }
    }

    /// Makes the window the batch read holding `offset ..< offset + count`, waiting for it;
    /// false when no read of the batch holds it.
    func takeFromBatch(offset: Int64, count: Int) throws(FlumeLogError) -> Bool {
        guard batchCount > 0, let memory = batchMemory else { return false }
        for step in 0..<batchCount {
            let index = (batchNext + step) % batchCount
            let start = batchStarts[index]
            guard offset >= start, offset + Int64(count) <= start + Int64(Self.batchSpan) else { continue }
            while batchFilled[index] == -1 {
                _ = takeCompletions()
                if batchFilled[index] == -1 { try submit(waitingFor: 1) }
            }
            guard offset + Int64(count) <= start + Int64(max(batchFilled[index], 0)) else { return false }
            batchNext = index
            window.pointee = SourceWindow(base: memory + index * Self.batchSpan, start: start, count: batchFilled[index])
            return true
        }
        return false
    }
}
