#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Horizontal bar charts as standalone SVG: readable in a browser and embedded by the report.
public struct SVGChart {
    public struct Bar {
        public var label: String
        public var value: Double
        /// Bars of one series share a colour (a strategy, say).
        public var series: String
        /// A whisker from `low` to `high` (a confidence interval), when given.
        public var low: Double? = nil
        public var high: Double? = nil
    }

    public var title: String
    public var unit: String
    public var bars: [Bar]
    /// A vertical line drawn at this value (1.0 for ratios), when given.
    public var marker: Double?

    private static let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1"]

    public func svg() -> String {
        let labelWidth = 330.0, barArea = 420.0, rowHeight = 18.0, top = 46.0
        let height = top + Double(bars.count) * rowHeight + 30
        let maximum = max(bars.map { max($0.value, $0.high.map { $0.isFinite ? $0 : 0 } ?? 0) }.max() ?? 1, marker ?? 0, 1e-12)
        let series = bars.reduce(into: [String]()) { if !$0.contains($1.series) { $0.append($1.series) } }
        func colour(_ name: String) -> String { Self.palette[(series.firstIndex(of: name) ?? 0) % Self.palette.count] }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(labelWidth + barArea + 90))" height="\(Int(height))" \
            font-family="Helvetica, Arial, sans-serif" font-size="11">
            <rect width="100%" height="100%" fill="white"/>
            <text x="8" y="18" font-size="14" font-weight="bold">\(escape(title))</text>

            """
        var legendX = 8.0
        for name in series {
            out += "<rect x=\"\(legendX)\" y=\"28\" width=\"10\" height=\"10\" fill=\"\(colour(name))\"/>"
            out += "<text x=\"\(legendX + 14)\" y=\"37\">\(escape(name))</text>\n"
            legendX += 24 + Double(name.count) * 6.5
        }
        for (index, bar) in bars.enumerated() {
            let y = top + Double(index) * rowHeight
            let width = max(0.5, bar.value / maximum * barArea)
            out += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 12)\" text-anchor=\"end\">\(escape(bar.label))</text>"
            out += "<rect x=\"\(labelWidth)\" y=\"\(y + 2)\" width=\"\(String(printf: "%.1f", width))\" height=\"\(rowHeight - 5)\" fill=\"\(colour(bar.series))\"/>"
            var textX = labelWidth + width + 4
            if let low = bar.low, let high = bar.high, high.isFinite {
                let x1 = labelWidth + max(0, low) / maximum * barArea, x2 = labelWidth + high / maximum * barArea, middle = y + rowHeight / 2 - 1
                out += "<line x1=\"\(String(printf: "%.1f", x1))\" y1=\"\(middle)\" x2=\"\(String(printf: "%.1f", x2))\" y2=\"\(middle)\" stroke=\"#222\"/>"
                for x in [x1, x2] {
                    out += "<line x1=\"\(String(printf: "%.1f", x))\" y1=\"\(middle - 4)\" x2=\"\(String(printf: "%.1f", x))\" y2=\"\(middle + 4)\" stroke=\"#222\"/>"
                }
                textX = max(textX, x2 + 4)
            }
            out += "<text x=\"\(String(printf: "%.1f", textX))\" y=\"\(y + 12)\">\(format(bar.value)) \(escape(unit))</text>\n"
        }
        if let marker {
            let x = labelWidth + marker / maximum * barArea
            out += "<line x1=\"\(String(printf: "%.1f", x))\" y1=\"\(top - 4)\" x2=\"\(String(printf: "%.1f", x))\" y2=\"\(height - 24)\" stroke=\"#333\" stroke-dasharray=\"4 3\"/>\n"
        }
        out += "<text x=\"\(labelWidth)\" y=\"\(height - 8)\" fill=\"#555\">\(escape(unit))</text>\n</svg>\n"
        return out
    }

    private func format(_ value: Double) -> String {
        value >= 100 ? String(printf: "%.0f", value) : value >= 10 ? String(printf: "%.1f", value) : String(printf: "%.2f", value)
    }

    private func escape(_ text: String) -> String {
        text.replacing("&", with: "&amp;").replacing("<", with: "&lt;")
            .replacing(">", with: "&gt;")
    }
}
