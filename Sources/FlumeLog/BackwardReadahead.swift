/// The kernel's readahead follows forward reads only: a reverse scan that reads a window at a
/// time waits on the device for each one when the file is cold. This asks, once per half
/// `distance`, for the stretch before the window (`readahead(2)`), so the next windows are
/// being read while this one is decoded. Used by `pread`, and by `uring`, whose queue of reads
/// in flight serves forward scans only.
struct BackwardReadahead {
    /// Bytes asked for below each window.
    let distance: Int
    /// The lowest offset asked for so far.
    private var low: Int64 = .max

    init(distance: Int) { self.distance = distance }

    /// Called before loading a window starting at `start` in a reverse scan.
    mutating func window(startingAt start: Int64, of file: FileDescriptor) {
        guard distance > 0, start > 0, start - Int64(distance) / 2 < low else { return }
        let from = max(0, start - Int64(distance))
        file.readAhead(offset: from, length: Int(min(start, low) - from))
        low = from
    }
}
