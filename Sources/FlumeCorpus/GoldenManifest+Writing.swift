import FlumeJSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension GoldenManifest {
    /// The manifest as JSON text, fields in the order of the shared corpus's manifests, one
    /// record per line. Written by hand rather than by JSONEncoder: a 1 GiB corpus has 1.5
    /// million records, and the text must be the same bytes on every run.
    public func jsonText(notes: [(String, String)] = []) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + records.count * 128)
        func line(_ text: String) { out += text.utf8; out += ",\n".utf8 }
        let quoted = JSValue.quoted
        func list(_ values: [Int64]?) -> String {
            guard let values else { return "null" }
            return "[" + values.map(String.init).joined(separator: ",") + "]"
        }
        out += "{\n".utf8
        line(#"  "file": \#(quoted(file))"#)
        line(#"  "file_size": \#(fileSize)"#)
        line(#"  "file_sha256": "\#(fileSHA256)""#)
        line(#"  "offset_codec_bits": \#(offsetCodecBits)"#)
        for (key, value) in notes { line("  \(quoted(key)): \(quoted(value))") }
        line(#"  "record_count": \#(recordCount)"#)
        line(#"  "stream_sha256": "\#(streamSHA256)""#)
        line(#"  "js_stream_record_count": \#(jsStreamRecordCount.map(String.init) ?? "null")"#)
        line(#"  "js_stream_sha256": \#(jsStreamSHA256.map(quoted) ?? "null")"#)
        line(#"  "since": \#(since)"#)
        if let torn {
            let start = torn.lastFrameStart.map(String.init) ?? "null"
            let inside = torn.cutInside.map(quoted) ?? "null"
            line(#"  "torn": {"truncated_to": \#(torn.truncatedTo), "last_frame_start": \#(start), "cut_inside": \#(inside)}"#)
        }
        if let after = jsReadback?.fileSizeAfterOpen { line(#"  "js_readback": {"file_size_after_open": \#(after)}"#) }
        if let deletedOffsets { line(#"  "deleted_offsets": \#(list(deletedOffsets))"#) }
        if let expectedError {
            let code = expectedError.code.map(quoted) ?? "null"
            line(#"  "expected_error": {"offset": \#(expectedError.offset.map(String.init) ?? "null"), "code": \#(code), "damage": \#(quoted(expectedError.damage))}"#)
        }
        line(#"  "stream_offsets": \#(list(streamOffsets))"#)
        line(#"  "reverse_offsets": \#(list(reverseOffsets))"#)
        out += #"  "records": ["#.utf8
        for (index, entry) in records.enumerated() {
            out += (index == 0 ? "\n    " : ",\n    ").utf8
            out += #"{"offset": \#(entry.offset), "length": \#(entry.length), "sha256": "\#(entry.sha256)""#.utf8
            if entry.jsTreatsAsDeleted == true { out += #", "js_treats_as_deleted": true"#.utf8 }
            if let error = entry.jsGetError { out += #", "js_get_error": \#(quoted(error))"#.utf8 }
            out += "}".utf8
        }
        out += (records.isEmpty ? "]\n}\n" : "\n  ]\n}\n").utf8
        return out
    }
}
