/// The one error type of FlumeSSB: a message that is not valid SSB, where it is (file, byte
/// offset, key when it has one) and why, with a code to switch on.
public struct SSBError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        /// The record is not JSON.
        case notJSON
        /// The message fails on its own: envelope, fields, field order, length, key or signature.
        case invalidMessage
        /// The message does not continue its feed: sequence or `previous` link.
        case brokenChain
        /// The feed's sequence skips ahead where no deleted record could hold the missing
        /// messages. ssb-db2 drops deleted messages when it migrates a log.offset to log.bipf or
        /// compacts it, so such a log has gaps; `SSBValidator.allowsGaps` counts them instead.
        case sequenceGap
        /// A go-ssb payload in a codec this tool does not decode (a type byte other than the
        /// legacy multimsg, or 2021+ TFK-encoded references).
        case unsupportedCodec
    }

    public var code: Code
    public var file: String
    public var offset: Int64
    /// The message key, when the record had one.
    public var key: String?
    public var reason: String
    /// What `offset` is: a byte offset, or a seq (offset2 logs).
    public var idName = "offset"

    public init(_ code: Code, file: String, offset: Int64, key: String?, reason: String) {
        self.code = code
        self.file = file
        self.offset = offset
        self.key = key
        self.reason = reason
    }

    public var description: String {
        "\(file): message at \(idName) \(offset)\(key.map { " (\($0))" } ?? ""): \(reason)"
    }
}
