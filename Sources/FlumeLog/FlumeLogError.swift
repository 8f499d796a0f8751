#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The one error type of FlumeLog: a code to switch on, where it happened (file and byte
/// offset), and a sentence a person can act on.
public struct FlumeLogError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        /// A frame runs past the end of the data (its length points beyond the valid end).
        case truncatedFrame
        /// The leading and trailing `u32` lengths of a frame differ.
        case lengthMismatch
        /// The trailer does not hold `offset + length + 8 + W`.
        case trailerMismatch
        /// A backward walk met other frames than the forward walk of the same bytes: the frames
        /// chain one way but not the other (a check `summarize` makes).
        case walksDisagree
        /// The offset given is not where a frame starts.
        case notAFrameStart
        /// The offset lies outside `0..<end` of the log.
        case offsetOutOfRange
        /// The record was deleted (payload all zero bytes); JS `get()` fails the same way.
        case deleted
        /// A payload length or end offset does not fit the length field or the trailer width.
        case valueTooLarge
        /// Another process holds the writer lock on this log.
        case locked
        /// An argument outside what the format allows (an unknown trailer width, say).
        case invalidArgument
        /// An offset2 log's journal (`jrnl`) disagrees with its offset table (`ofst`): a size
        /// other than 0 or 8 bytes, empty beside entries, or behind the table.
        case journalMismatch
        /// Bytes follow the last complete record that no record accounts for (an offset2
        /// `data` file longer than its last entry's frame).
        case trailingBytes
        /// The file holds no record of the format it was opened as, and its bytes are a log of
        /// another format (ssb-db2's log.bipf opened as a flume offset log, say). A writer
        /// refuses it rather than cut every byte as a torn tail.
        case otherFormat
        /// A system call failed; `errno` holds its code.
        case io
    }

    public var code: Code
    /// The log file, when there is one (a `MemoryLog` has none).
    public var file: String?
    /// The byte offset the error is about: the start of the frame, or the offending position.
    public var offset: Int64?
    public var message: String
    /// The `errno` of a failed system call (`code == .io` or `.locked`).
    public var errno: Int32?

    public init(_ code: Code, file: String? = nil, offset: Int64? = nil, message: String, errno: Int32? = nil) {
        self.code = code
        self.file = file
        self.offset = offset
        self.message = message
        self.errno = errno
    }

    /// `file: offset N: message [code]`, the form the CLI prints.
    public var description: String {
        var text = ""
        if let file { text += "\(file): " }
        if let offset { text += "offset \(offset): " }
        text += message
        if let errno { text += " (\(String(cString: strerror(errno))), errno \(errno))" }
        return text + " [\(code.rawValue)]"
    }

    /// The same error, naming `file` when it did not yet.
    func inFile(_ path: String?) -> FlumeLogError {
        var copy = self
        if copy.file == nil { copy.file = path }
        return copy
    }
}
