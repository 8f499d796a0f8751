import FlumeCorpus
import FlumeLog
import FlumeSSB

extension BenchmarkRunner {
    /// Each instruction case under callgrind in a process of its own, less a process that
    /// starts and stops (`exec-case --operation none`).
    func countInstructions(_ cases: [BenchmarkSuite.InstructionCase], _ counter: InstructionCounter,
                                   prepared: [String: PreparedCorpus]) throws -> [InstructionCount] {
        progress("instructions: process start-up, under callgrind")
        let startup = try counter.count(["exec-case", "--operation", "none"])
        let injected = options.injections.filter { if case .extraInstructions = $0 { true } else { false } }.flatMap { ["--inject", $0.description] }
        return try cases.map { instructionCase in
            progress("instructions: \(instructionCase.id), under callgrind")
            let path: String, format: LogFormat, encoding: RecordEncoding
            if let ready = prepared[instructionCase.corpus] {
                (path, format, encoding) = (ready.path, ready.format, ready.recordEncoding)
            } else {
                let recipe = try options.store.recipe(named: instructionCase.corpus)
                let corpus = try options.store.corpus(for: recipe)
                (path, format) = (corpus.logPath, try recipe.format)
                encoding = recipe.convert?.records == .bipf ? .bipf : .json
            }
            let total = try counter.count(["exec-case", "--operation", instructionCase.operation.rawValue, path] + format.commandLineArguments
                                          + ["--strategy", instructionCase.strategy.rawValue, "--records", encoding.rawValue] + injected)
            return InstructionCount(id: instructionCase.id, processInstructions: total, startupInstructions: startup)
        }
    }
}
