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

    /// A fixed number of decimals (ties to even, as printf rounds them). Written out here, not
    /// through `String(printf:)`: its `CVarArg` arguments cost a conformance lookup each at run
    /// time, a scan of the binary's 4,600 conformance records (8 of the 16 scans in a start of
    /// `views update`, which prints its seconds).
    public static func decimal(_ value: Double, _ places: Int = 2) -> String {
        let scale = (0..<places).reduce(1.0) { product, _ in product * 10 }
        let product = abs(value) * scale
        var scaled = product.rounded(.toNearestOrEven)
        if product - product.rounded(.down) == 0.5 {
            // A tie after the multiplication's own rounding: the exact product decides.
            let residual = (-product).addingProduct(abs(value), scale)
            if residual != 0 { scaled = product.rounded(residual > 0 ? .up : .down) }
        }
        guard value.isFinite, places >= 0, places <= 9, scaled < 9e15 else { return String(printf: "%.\(places)f", value) }
        let units = UInt64(scaled), divisor = UInt64(scale)
        let whole = String(units / divisor)
        let sign = value.sign == .minus ? "-" : ""
        guard places > 0 else { return sign + whole }
        let fraction = String(units % divisor)
        return sign + whole + "." + String(repeating: "0", count: places - fraction.count) + fraction
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
