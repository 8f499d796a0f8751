/// Instructions one case executes, counted by callgrind in a process of its own: the
/// operation's (the process running it, less a process that starts and stops).
public struct InstructionCount: Codable, Sendable, Equatable {
    /// `operation/corpus/strategy`.
    public var id: String
    public var instructions: UInt64
    public var processInstructions: UInt64
    public var startupInstructions: UInt64

    public init(id: String, processInstructions: UInt64, startupInstructions: UInt64) {
        self.id = id
        self.processInstructions = processInstructions
        self.startupInstructions = startupInstructions
        instructions = processInstructions > startupInstructions ? processInstructions - startupInstructions : 0
    }
}
