/// The one error type of FlumeViews: a code, the view concerned, and a sentence a person can
/// act on. A state that cannot be trusted is not thrown to the caller: the view is rebuilt and
/// the reason reported (`ViewDriver.Outcome`); these errors say why.
public struct ViewError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        /// A state's `value` of the wrong shape for its view.
        case stateShape
    }

    public var code: Code
    /// The view whose state it is.
    public var view: ViewKind
    public var message: String

    public init(_ code: Code, view: ViewKind, message: String) {
        self.code = code
        self.view = view
        self.message = message
    }

    /// `view: message`, as a rebuild reason reads (`keys: value is not an object`).
    public var description: String { "\(view.rawValue): \(message)" }
}
