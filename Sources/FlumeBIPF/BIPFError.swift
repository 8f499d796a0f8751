/// The one error type of FlumeBIPF: why bytes are not a BIPF value (or a value cannot be
/// encoded), and the byte offset where that shows.
public struct BIPFError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        /// A varint whose continuation bit runs past the end, or that overflows.
        case varintPastEnd
        /// A value whose stated length runs past the end of the buffer (or its container).
        case valuePastEnd
        /// An INT whose length is not 4 (JS reads 4 bytes whatever the length says).
        case intLength
        /// A DOUBLE whose length is not 8.
        case doubleLength
        /// A BOOLNULL that is not empty, or whose byte is not 0, 1 or 2.
        case invalidBoolNull
        /// Type 7.
        case reservedType
        /// An object key that is not a STRING.
        case keyNotString
        /// A container whose elements do not end exactly at its stated length.
        case containerOverrun
        /// Containers nested deeper than `BIPF.maximumDepth`.
        case tooDeep
        /// A value BIPF cannot hold (NaN, ±Infinity: JS throws `unknown type`).
        case unencodable
    }

    public var code: Code
    /// Where the offending value starts, from the start of the buffer.
    public var offset: Int
    public var message: String

    public init(_ code: Code, offset: Int, message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    public var description: String { "offset \(offset): \(message) [\(code.rawValue)]" }
}
