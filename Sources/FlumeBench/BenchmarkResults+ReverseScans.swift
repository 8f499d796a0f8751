import FlumeLog
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension BenchmarkResults {
    /// Reverse scans against forward scans of the same log, cache state and strategy: the
    /// forward time over the reverse time, paired by round (the cases of a cache state run in
    /// the same rounds), so 1.00 is a reverse scan as fast as a forward one. Empty when the
    /// suite scans in only one direction.
    func reverseScanComparison() -> String {
        let forwards = Dictionary(cases.filter { $0.operation == .operation(.forwardScan) && !$0.isReference }
            .map { (Self.scanKey($0), $0) }, uniquingKeysWith: { first, _ in first })
        let pairs = cases.filter { $0.operation == .operation(.reverseScan) && !$0.isReference }
            .compactMap { reverse in forwards[Self.scanKey(reverse)].map { (forward: $0, reverse: reverse) } }
        guard !pairs.isEmpty else { return "" }
        let strategies = ReaderStrategy.Kind.allCases.filter { kind in pairs.contains { $0.reverse.strategy == .reader(kind) } }
        let ratios = pairs.map { pair in (pair, pair.forward.timeRatio(over: pair.reverse)) }
        let below = ratios.filter { $0.1 < Self.reverseTarget }
        // What the device gives backwards: the C forward copy's time over the C backward copy's
        // (measured cold, where reverse scans are).
        let deviceRatios = Dictionary(uniqueKeysWithValues: Set(pairs.map { Self.logKey($0.reverse) })
            .compactMap { key -> (GroupKey, Double)? in
                let forward = cases.first { $0.operation == .reference(.readCopy) && Self.logKey($0) == key }
                let backward = cases.first { $0.operation == .reference(.readCopyBackward) && Self.logKey($0) == key }
                guard let forward, let backward else { return nil }
                return (key, forward.timeRatio(over: backward))
            })
        // A miss is the device's where C misses too and the scan comes within `deviceTolerance` of C's ratio.
        let deviceBound = below.filter { miss in
            guard let device = deviceRatios[Self.logKey(miss.0.reverse)] else { return false }
            return device < Self.reverseTarget && miss.1 >= device * Self.deviceTolerance
        }.count
        var text = "\n## Reverse scans against forward\n\n"
        text += "Per log, cache state and strategy: the forward scan's time over the reverse scan's, paired by round "
        text += String(printf: "(1.00 = as fast; the target is %.2f). ", Self.reverseTarget)
        text += "\(ratios.count - below.count) of \(ratios.count) reach it"
        text += below.isEmpty ? ".\n\n" : below.count == 1 ? "; the one that does not is in bold.\n\n" : "; the **\(below.count)** that do not are in bold.\n\n"
        if !deviceRatios.isEmpty {
            text += "The C column is the same ratio for C reading the file with `read(2)`, forwards and then from its end "
            text += "(\(ReaderStrategy.defaultBufferSize >> 10) KiB at a time, a second thread asking the kernel for the "
            text += "\(BackwardReadahead.reverseScanDistance >> 20) MiB below, \(BackwardReadahead.reverseScanChunk >> 20) MiB "
            text += "a request, highest first, the plan of the reverse scans themselves): what the device gives "
            text += "backwards, measured cold. "
            text += "\(deviceBound == 0 ? "None" : "\(deviceBound)") of the misses \(deviceBound == 1 ? "is" : "are") "
            text += "in logs that the C read itself reads backwards below the target, "
            text += String(printf: "at %.0f %% of its ratio or better: there the device, not the reader, sets the bound.\n\n",
                           Self.deviceTolerance * 100)
        }
        let device = deviceRatios.isEmpty ? [] : ["C read(2)"]
        text += "| log | cache | " + (strategies.map(\.rawValue) + device).joined(separator: " | ") + " |\n"
        text += "|---|---|" + (strategies.map { _ in "---:|" } + device.map { _ in "---:|" }).joined() + "\n"
        let grouped = Dictionary(grouping: ratios) { Self.logKey($0.0.reverse) }
        // Corpus by corpus, cold before warm.
        for key in grouped.keys.sorted(by: { ($0.corpus, $0.cache.rawValue) < ($1.corpus, $1.cache.rawValue) }) {
            let rows = grouped[key]!
            var cells = strategies.map { kind -> String in
                guard let ratio = rows.first(where: { $0.0.reverse.strategy == .reader(kind) })?.1 else { return "—" }
                let cell = String(printf: "%.2fx", ratio)
                return ratio < Self.reverseTarget ? "**\(cell)**" : cell
            }
            if !device.isEmpty { cells.append(deviceRatios[key].map { String(printf: "%.2fx", $0) } ?? "—") }
            text += "| \(rows[0].0.reverse.corpus) | \(rows[0].0.reverse.cache.rawValue) | " + cells.joined(separator: " | ") + " |\n"
        }
        return text
    }

    /// The bar the project holds reverse scans to: 0.8x their forward scan's speed or better.
    static let reverseTarget = 0.8

    /// How close to the C read's own backward ratio a scan that misses the target must come for
    /// the miss to be counted as the device's.
    static let deviceTolerance = 0.9

    /// A log and cache state: a row of the table.
    private static func logKey(_ row: CaseResult) -> GroupKey {
        GroupKey(corpus: row.corpus, cache: row.cache)
    }

    private static func scanKey(_ row: CaseResult) -> String {
        "\(row.corpus)\u{0}\(row.strategy)\u{0}\(row.cache.rawValue)"
    }
}
