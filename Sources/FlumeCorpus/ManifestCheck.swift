import FlumeLog

/// A manifest check of a log under several reader strategies (AAOL and offset2 logs): each
/// strategy's pass and the file's own differences (size, sha256), side by side on the cores.
enum ManifestCheck {
    /// The problems found under each strategy, one line each, prefixed with `location`: the
    /// file's differences, then the pass's (or its error). A failure to read the file itself
    /// is thrown.
    static func run(strategies: [ReaderStrategy], location: String,
                    file: () throws(FlumeLogError) -> [ManifestDifference],
                    pass: (ReaderStrategy) throws -> [ManifestDifference]) throws(FlumeLogError) -> [(strategy: ReaderStrategy, problems: [String])] {
        let jobs: [ReaderStrategy?] = [nil] + strategies.map(Optional.some)
        let outcomes = jobs.mapSideBySide { strategy -> (problems: [String], fileError: FlumeLogError?) in
            guard let strategy else {
                do throws(FlumeLogError) {
                    let differences = try file()
                    return (differences.map { "\(location): \($0)" }, nil)
                } catch {
                    return ([], error)
                }
            }
            do {
                return (try pass(strategy).map { "\(location): \($0)" }, nil)
            } catch {
                return (["\(error)"], nil)
            }
        }
        if let error = outcomes[0].fileError { throw error }
        return zip(strategies, outcomes.dropFirst()).map { ($0, outcomes[0].problems + $1.problems) }
    }
}
