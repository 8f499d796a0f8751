#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How sizes and figures read in reports and on the terminal.
public enum Formatting {
    /// `812 B`, `1.4 MiB`, `1.00 GiB`.
    public static func bytes(_ count: Int64) -> String {
        let value = Double(count)
        switch count {
        case ..<1024: return "\(count) B"
        case ..<(1 << 20): return String(printf: "%.1f KiB", value / 1024)
        case ..<(1 << 30): return String(printf: "%.1f MiB", value / Double(1 << 20))
        default: return String(printf: "%.2f GiB", value / Double(1 << 30))
        }
    }

    /// A fixed number of decimals.
    public static func decimal(_ value: Double, _ places: Int = 2) -> String {
        String(printf: "%.\(places)f", value)
    }

    /// `950`, `12.3 k`, `1.79 M`: a rate or a count, three significant figures.
    public static func count(_ value: Double) -> String {
        switch value {
        case ..<1000: String(printf: "%.0f", value)
        case ..<1e6: String(printf: "%.1f k", value / 1e3)
        default: String(printf: "%.2f M", value / 1e6)
        }
    }

    /// `850 µs`, `12.3 ms`, `1.42 s`.
    public static func duration(_ seconds: Double) -> String {
        switch seconds {
        case ..<1e-3: String(printf: "%.0f µs", seconds * 1e6)
        case ..<1: String(printf: "%.1f ms", seconds * 1e3)
        default: String(printf: "%.2f s", seconds)
        }
    }
}
