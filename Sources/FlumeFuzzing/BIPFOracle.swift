import FlumeBIPF
import FlumeJSON

/// What strict BIPF decoding must do with any bytes: throw a `BIPFError` inside the bytes, or
/// give a value that encodes to bytes decoding to the same value; and in-place access must
/// agree with the decoder.
enum BIPFOracle {
    static func check(_ bytes: UnsafeRawBufferPointer) throws {
        try checkTranscoding(bytes)
        let decoded: (value: BIPFValue, bytesRead: Int)
        do {
            decoded = try BIPF.decode(bytes)
        } catch {
            guard error.offset >= 0, error.offset <= bytes.count else {
                throw FuzzOracle.Finding(description: "a BIPF error outside the bytes: \(error)")
            }
            return
        }
        guard decoded.bytesRead <= bytes.count else {
            throw FuzzOracle.Finding(description: "decode read \(decoded.bytesRead) of \(bytes.count) bytes")
        }
        guard case .json(let value) = decoded.value else { return }
        let encoded: [UInt8]
        do { encoded = try BIPF.encode(value) } catch where error.code == .unencodable {
            return // a DOUBLE NaN or infinity decodes, as in JS, and cannot be encoded again, as in JS
        } catch {
            throw FuzzOracle.Finding(description: "a decoded value does not encode: \(error)")
        }
        let again = try BIPF.decode(encoded)
        guard again.value == .json(value), again.bytesRead == encoded.count else {
            throw FuzzOracle.Finding(description: "decode(encode(v)) != v for \(value)")
        }
        // In place: every top-level key of an object is found, with the decoder's last value.
        if case .object(let object) = value {
            let cursor = BIPFCursor(bytes)
            // Keys holding U+FFFD may stand for invalid UTF-8 in the bytes, which seek compares as is.
            for member in object.members where !member.key.unicodeScalars.contains("\u{FFFD}") {
                let found = try member.key.utf8CString.withUnsafeBytes { key in
                    try cursor.seek(key: UnsafeRawBufferPointer(rebasing: key.dropLast()), inObjectAt: 0)
                }
                guard let found, found.end <= bytes.count else {
                    throw FuzzOracle.Finding(description: "seek did not find key \(member.key)")
                }
            }
        }
    }

    /// The same bytes read as a JSON text: the one-pass JSON → BIPF writer gives exactly the
    /// bytes of `JSON.parse` then `encode`, or refuses exactly when that path does.
    static func checkTranscoding(_ bytes: UnsafeRawBufferPointer) throws {
        var fast: [UInt8] = []
        let transcoded: Bool
        do { try BIPF.write(json: bytes, to: &fast); transcoded = true } catch { transcoded = false }
        let exact: [UInt8]?
        do { exact = try BIPF.encode(try JSValue.parse(bytes)) } catch { exact = nil }
        guard transcoded == (exact != nil), !transcoded || fast == exact! else {
            throw FuzzOracle.Finding(description: "JSON → BIPF in one pass disagrees with JSON.parse + encode (\(transcoded ? "wrote" : "refused"))")
        }
    }
}
