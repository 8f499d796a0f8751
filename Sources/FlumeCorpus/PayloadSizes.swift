import FlumeLog

#if canImport(Glibc)
import Glibc
#endif

/// The distribution payload sizes of a synthetic corpus are drawn from.
public struct PayloadSizes: Codable, Equatable, Sendable {
    public enum Distribution: String, Codable, Sendable {
        /// Every payload `size` bytes.
        case fixed
        /// Uniform in `min ... max`.
        case uniform
        /// Log-normal with median `median` and shape `sigma`, clamped to `min ... max`.
        case lognormal
        /// `small` bytes, or `large` bytes with probability `large_share`.
        case bimodal
        /// Drawn from the payload sizes of the log at `log` (read with `log_bits`).
        case measured
    }

    public var distribution: Distribution
    public var size: Int?
    public var min: Int?
    public var max: Int?
    public var median: Double?
    public var sigma: Double?
    public var small: Int?
    public var large: Int?
    public var largeShare: Double?
    public var log: String?
    public var logBits: Int?

    enum CodingKeys: String, CodingKey {
        case distribution, size, min, max, median, sigma, small, large, log
        case largeShare = "large_share"
        case logBits = "log_bits"
    }

    /// The largest payload a synthetic corpus writes: big enough for the oversized-record paths.
    public static let limit = 64 << 20

    func validate(recipe: String) throws {
        func fail(_ reason: String) -> CorpusError { CorpusError(.recipe, file: recipe, message: "payload: \(reason)") }
        func inRange(_ value: Int?, _ field: String) throws -> Int {
            guard let value else { throw fail("\(distribution.rawValue) needs \"\(field)\"") }
            guard value >= 1, value <= Self.limit else { throw fail("\(field) must be 1 ... \(Self.limit)") }
            return value
        }
        switch distribution {
        case .fixed: _ = try inRange(size, "size")
        case .uniform, .lognormal:
            guard try inRange(min, "min") <= inRange(max, "max") else { throw fail("min must not exceed max") }
            if distribution == .lognormal {
                guard let median, median >= 1, let sigma, sigma >= 0, sigma <= 5 else {
                    throw fail("lognormal needs median >= 1 and sigma in 0 ... 5")
                }
            }
        case .bimodal:
            _ = try inRange(small, "small")
            _ = try inRange(large, "large")
            guard let largeShare, (0...1).contains(largeShare) else { throw fail("large_share must be in 0 ... 1") }
        case .measured:
            guard log != nil else { throw fail("measured needs \"log\"") }
        }
    }

    /// Draws sizes; `measured` reads its log's sizes once, when the sampler is made.
    struct Sampler {
        let sizes: PayloadSizes
        let measured: [Int]

        init(_ sizes: PayloadSizes) throws {
            self.sizes = sizes
            guard sizes.distribution == .measured, let path = sizes.log else {
                measured = []
                return
            }
            let width = TrailerWidth(rawValue: sizes.logBits ?? 32) ?? .bits32
            let log = try OffsetLog(path: path, width: width, access: .readOnly)
            var lengths: [Int] = []
            try log.forEach { record in lengths.append(Swift.max(1, record.length)) }
            guard !lengths.isEmpty else {
                throw CorpusError(.recipe, file: path, message: "payload: the measured log holds no records")
            }
            measured = lengths
        }

        func next(_ random: inout SplitMix64) -> Int {
            switch sizes.distribution {
            case .fixed: return sizes.size!
            case .uniform: return sizes.min! + random.below(sizes.max! - sizes.min! + 1)
            case .lognormal:
                let value = sizes.median! * exp(sizes.sigma! * random.gaussian())
                return Swift.min(sizes.max!, Swift.max(sizes.min!, Int(value.rounded())))
            case .bimodal: return random.unit() < sizes.largeShare! ? sizes.large! : sizes.small!
            case .measured: return measured[random.below(measured.count)]
            }
        }
    }
}
