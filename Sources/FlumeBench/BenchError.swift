/// The one error type of FlumeBench: a code that says what went wrong (and so which exit
/// status the command line gives), the file concerned, and a sentence a person can act on.
/// A log that reads wrong data is not an error here: it is a result (checksums, conformance).
public struct BenchError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        /// A suite that is missing, unreadable or names what does not exist (a usage error).
        case suite
        /// A results file or baseline that is missing, unreadable or cannot be compared.
        case results
        /// The harness could not measure (a corpus could not be made, a file not written).
        case harness
    }

    public var code: Code
    /// The file concerned, when there is one.
    public var file: String?
    public var message: String

    public init(_ code: Code, file: String? = nil, message: String) {
        self.code = code
        self.file = file
        self.message = message
    }

    public var description: String { (file.map { "\($0): " } ?? "") + message }
}
