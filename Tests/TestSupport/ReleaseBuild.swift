import XCTest

/// Skips a test whose figures (allocation counts) mean something only in a release build: at
/// -Onone Swift allocates where a release build does not.
public func requireReleaseBuild() throws {
    #if DEBUG
    throw XCTSkip("allocation counts mean something only in a release build: run `swift test -c release`")
    #endif
}
