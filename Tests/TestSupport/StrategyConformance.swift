// The conformance checker lives beside the fuzz oracle, which asks the same questions.
@_exported import FlumeFuzzing
