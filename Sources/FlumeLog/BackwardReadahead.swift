/// The kernel's readahead follows forward reads only: a reverse scan that reads a window at a
/// time waits on the device for each one when the file is cold. This asks, once per half
/// `distance`, for the stretch before the window (`readahead(2)`), so the next windows are
/// being read while this one is decoded. Used by every strategy that reads into a window
/// (`buffered`, `pread`, and `uring`, whose queue of reads in flight serves forward scans only).
///
/// The stretch is asked for a `chunk` at a time, highest first: the scan needs the highest
/// bytes next, and one request for the whole stretch is read lowest first, so the scan waited
/// for all of it (64 MiB, cold, read back 256 KiB at a time: 2 MiB asked at once 58-60 ms,
/// highest 256 KiB first 45 ms, forward 39 ms).
struct BackwardReadahead {
    /// Bytes asked for below each window.
    let distance: Int
    /// Bytes per request.
    let chunk: Int
    /// The lowest offset asked for so far.
    private var low: Int64 = .max

    init(distance: Int, chunk: Int) {
        self.distance = distance
        self.chunk = max(chunk, 4096)
    }

    /// Called before loading a window starting at `start` in a reverse scan.
    mutating func window(startingAt start: Int64, of file: FileDescriptor) {
        guard distance > 0, start > 0, start - Int64(distance) / 2 < low else { return }
        let from = max(0, start - Int64(distance))
        var top = min(start, low)
        while top > from {
            let bottom = max(from, top - Int64(chunk))
            file.readAhead(offset: bottom, length: Int(top - bottom))
            top = bottom
        }
        low = from
    }
}
