import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The kernel's readahead follows forward reads only: a reverse scan that reads a window at a
/// time waits on the device for each one when the file is cold. This asks, once per half
/// `distance`, for the stretch before the window (`readahead(2)`), so the next windows are
/// being read while this one is decoded. Used by every strategy that reads into a window
/// (`buffered`, `pread`, and `uring`, whose queue of reads in flight serves forward scans only);
/// `mmap` asks through `ask(_:of:)` for the stretches its sampled residency finds missing.
///
/// The stretch is asked for a `chunk` at a time, highest first: the scan needs the highest
/// bytes next, and one request for the whole stretch is read lowest first, so the scan waited
/// for all of it (64 MiB, cold, read back 256 KiB at a time: 2 MiB asked at once 58-60 ms,
/// highest 256 KiB first 45 ms, forward 39 ms).
///
/// The asking runs on a thread of its own (`Asker`), started by the second stretch: on some
/// devices `readahead(2)` returns only once most of its reads are done (a virtual disk,
/// 2026-12: 0.5 ms per MiB, about the device's rate), so asked from the scan's thread it
/// added the reading to the decoding instead of overlapping them.
package final class BackwardReadahead {
    /// What every strategy asks for below a reverse scan at least, and per request. Cold
    /// 64 MiB logs, Zen 3 VM's virtual disk (8 MiB `read_ahead_kb`), `buffered` reverse scans:
    /// 2 MiB asked 256 KiB at a time 30-46 ms, 8 MiB 1 MiB at a time 27-33 ms (bimodal frames
    /// 40-46 -> 28 ms), against 22-25 ms forward. `mmap` asked this already.
    package static let reverseScanDistance = 8 << 20
    package static let reverseScanChunk = 1 << 20
    /// Bytes asked for below each window.
    let distance: Int
    /// Bytes per request.
    let chunk: Int
    /// The lowest offset asked for so far.
    private var low: Int64 = .max
    /// The thread that asks; nil until the first stretch, or when no thread could be started
    /// (then the scan's thread asks).
    private var asker: Asker?
    private var askerUnavailable = false
    private var askedBefore = false

    /// `distance` and `chunk` are a strategy's own (its readahead, its window); at least
    /// `reverseScanDistance` and `reverseScanChunk` are asked for. A `distance` of 0 turns the
    /// asking off (`pread` with no readahead).
    init(distance: Int, chunk: Int) {
        self.distance = distance == 0 ? 0 : max(distance, Self.reverseScanDistance)
        self.chunk = max(chunk, Self.reverseScanChunk)
    }

    deinit { asker?.stop() }

    /// Called before loading a window starting at `start` in a reverse scan.
    func window(startingAt start: Int64, of file: FileDescriptor) {
        guard distance > 0, start > 0 else { return }
        // A scan that starts again above the stretch asked for (a second reverse scan).
        if low != .max, start > low + Int64(distance) { low = .max }
        guard start - Int64(distance) / 2 < low else { return }
        let stretch = max(0, start - Int64(distance))..<min(start, low)
        // A cached stretch is not asked for: asking still costs the kernel a lookup per page,
        // and a thread (warm 4 MiB logs: reverse scans 0.64-0.77x their forward scans when
        // every stretch was asked for, 0.91-0.99x now).
        if askedBefore, file.isCached(stretch) == true {
            low = stretch.lowerBound
            return
        }
        low = ask(stretch, of: file)
    }

    /// Asks for `stretch` (below the last one asked for, or a new start), highest chunk first,
    /// and returns the lowest offset asked for. The first stretch is not asked for (its upper
    /// bound comes back): an open reads one stretch backwards, the end of the log, and no
    /// more. Asked from the open's thread it cost every cold open its reading (8 MiB: a cold
    /// forward scan 26 -> 29 ms, whole process), and a thread for it would cost every short
    /// process its start (`verify` of a 1,359-record log started one each time). A reverse
    /// scan asks from its second stretch on.
    @discardableResult
    func ask(_ stretch: Range<Int64>, of file: FileDescriptor) -> Int64 {
        if !askedBefore {
            askedBefore = true
            return stretch.upperBound
        }
        if asker == nil, !askerUnavailable {
            asker = Asker(file, chunk: chunk)
            askerUnavailable = asker == nil
            if let asker {
                // The scan needs the top chunk now: asked from its thread, in one request,
                // while the new thread asks for the rest (posted to it, the top chunk raced the
                // scan's own reads of its first pages: 64 MiB cold, mmap reverse over forward
                // 0.76-0.78x, against 0.83-0.94x with the whole stretch asked from the scan).
                let top = max(stretch.lowerBound, stretch.upperBound - Int64(chunk))
                asker.ask(stretch.lowerBound..<top)
                Self.ask(top..<stretch.upperBound, chunk: chunk, of: file)
                return stretch.lowerBound
            }
        }
        if let asker {
            asker.ask(stretch)
        } else {
            Self.ask(stretch, chunk: chunk, of: file)
        }
        return stretch.lowerBound
    }

    /// Asks for `stretch`, a `chunk` at a time, highest first.
    private static func ask(_ stretch: Range<Int64>, chunk: Int, of file: FileDescriptor) {
        var top = stretch.upperBound
        while top > stretch.lowerBound {
            let bottom = max(stretch.lowerBound, top - Int64(chunk))
            file.readAhead(offset: bottom, length: Int(top - bottom))
            top = bottom
        }
    }

    /// A thread that asks for the stretches posted to it, a chunk at a time, highest first,
    /// through a duplicate of the scan's descriptor, which it closes as it ends. `thread` is
    /// set once, in `init`, before any other thread can see the asker.
    private final class Asker: @unchecked Sendable {
        /// What is still to be asked for: `bottom ..< top`, `top` moving down as it is asked.
        private struct Pending {
            var top: Int64 = 0
            var bottom: Int64 = 0
            var stopping = false
        }

        private let pending = Mutex(Pending())
        private let wake = DispatchSemaphore(value: 0)
        private var thread: NamedThread.Handle?

        init?(_ file: FileDescriptor, chunk: Int) {
            let descriptor = dup(file.rawValue)
            guard descriptor >= 0 else { return nil }
            let duplicate = FileDescriptor(rawValue: descriptor, path: file.path)
            let started = NamedThread.start(named: "flume-readahead") { [self] in
                while true {
                    wake.wait()
                    while true {
                        let next: Range<Int64>? = pending.withLock { state in
                            guard !state.stopping, state.top > state.bottom else { return nil }
                            let bottom = max(state.bottom, state.top - Int64(chunk))
                            defer { state.top = bottom }
                            return bottom..<state.top
                        }
                        guard let next else { break }
                        BackwardReadahead.ask(next, chunk: chunk, of: duplicate)
                    }
                    if pending.withLock({ $0.stopping }) { break }
                }
                duplicate.close()
            }
            guard case .success(let thread) = started else {
                duplicate.close()
                return nil
            }
            self.thread = thread
        }

        /// Posts `stretch`: below what is still pending it extends it, anywhere else it
        /// replaces it (the scan started again).
        func ask(_ stretch: Range<Int64>) {
            pending.withLock { state in
                if stretch.upperBound == state.bottom, state.top > state.bottom {
                    state.bottom = stretch.lowerBound
                } else {
                    state.top = stretch.upperBound
                    state.bottom = stretch.lowerBound
                }
            }
            wake.signal()
        }

        /// Ends the thread after the request it is making, if any, and joins it: a log closed
        /// leaves no reads of it in flight, so a page cache emptied after the close stays
        /// empty. An idle thread was once left to end on its own; then whether its exit ran
        /// before the process's decided its count under callgrind (which cannot ask
        /// `cachestat`, so a warm reverse scan starts one): `reverse_scan/small/pread` counted
        /// in two modes 6,200 instructions apart from run to run of one binary, where the gate
        /// allows 1 %.
        func stop() {
            pending.withLock { $0.stopping = true }
            wake.signal()
            thread?.join()
        }
    }
}
