#if canImport(Glibc)
import Glibc
#endif

/// The simdjson field-extraction reference, run in a process of its own: `flumebench-simdjson`
/// (Sources/FlumebenchSimdJSON). libsimdjson is a shared library only, and flumebench is one
/// static executable (loading libstdc++ and libsimdjson cost a third of every short start). The
/// helper times the extraction itself, so its own start is not in the figure.
public struct SimdJSONReference: Sendable {
    public static let executableName = "flumebench-simdjson"

    /// The helper's path.
    public var executable: String

    /// What one extraction found, and how long the helper's clock says it took.
    struct Extraction {
        var records: Int64
        var messages: Int64
        var fieldSum: UInt64
        /// -1; -2 when the file could not be mapped; else the offset of a frame that failed.
        var errorOffset: Int64
        var seconds: Double
    }

    public init(executable: String) {
        self.executable = executable
    }

    /// The helper beside `binary` (where `make build` and `make install` put it), else on the
    /// PATH; nil when there is none.
    public static func locate(beside binary: String?) -> SimdJSONReference? {
        if let binary, let slash = binary.lastIndex(of: "/") {
            let sibling = binary[..<slash] + "/" + executableName
            if access(sibling, X_OK) == 0 { return SimdJSONReference(executable: sibling) }
        }
        return Subprocess.executable(named: executableName).map(SimdJSONReference.init)
    }

    /// Extracts the fields of every record of the offset log at `path` up to `end`.
    func extract(path: String, trailerBytes: Int, end: Int64) throws -> Extraction {
        let run = try Subprocess.run(executable, ["extract-offset", path, String(trailerBytes), String(end)])
        let fields = run.stdout.split(separator: " ").map { $0.trimmingWhitespace }
        guard run.status == 0, fields.count == 5, let records = Int64(fields[0]), let messages = Int64(fields[1]),
              let sum = UInt64(fields[2]), let error = Int64(fields[3]), let nanoseconds = UInt64(fields[4]) else {
            throw BenchError(.harness, file: path, message: "\(executable) exited with \(run.status), printing "
                             + "\"\(run.stdout.trimmingWhitespace)\" \(run.stderr.trimmingWhitespace)")
        }
        return Extraction(records: records, messages: messages, fieldSum: sum, errorOffset: error,
                          seconds: Double(nanoseconds) / 1e9)
    }
}
