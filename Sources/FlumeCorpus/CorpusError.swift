/// The one error type of FlumeCorpus: a code to switch on, the file (or recipe) concerned, and
/// a sentence a person can act on. Errors of the log itself stay `FlumeLogError`.
public struct CorpusError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        /// A recipe that is missing, unreadable or invalid.
        case recipe
        /// A golden manifest that is missing, unreadable or not of the schema.
        case manifest
        /// A record that cannot be converted to the format asked for (the message names its offset).
        case conversion
    }

    public var code: Code
    /// The recipe (name or path) or the manifest file.
    public var file: String
    public var message: String

    public init(_ code: Code, file: String, message: String) {
        self.code = code
        self.file = file
        self.message = message
    }

    /// `recipe NAME: reason`, or `MANIFEST: reason`.
    public var description: String {
        switch code {
        case .recipe: "recipe \(file): \(message)"
        case .manifest, .conversion: "\(file): \(message)"
        }
    }
}
