import FlumeJSON

/// A message as go-ssb stores it in an offset2 log: a "multimsg", one type byte then one CBOR
/// value. Only the legacy type (0x01) is decoded: a 6-element array (`legacy.StoredMessage`,
/// ugorji codec, `StructToArray`): author, previous, key (each `[32 bytes, algorithm text]`),
/// sequence, receive time (CBOR tag 1, float seconds) and Raw, the signed message exactly as
/// received. Raw is returned unchanged, so its signature still verifies (the Rust seed
/// re-serializes it with sorted keys, and signatures then fail).
public struct GoSSBMessage: Sendable, Equatable {
    public static let legacyType: UInt8 = 0x01

    /// `@…=.ed25519`
    public var author: String
    /// `%…=.sha256`, nil for a feed's first message.
    public var previous: String?
    /// `%…=.sha256`: the sha256 of `raw`.
    public var key: String
    public var sequence: Int64
    /// The receive time as go-ssb stores it: seconds since the epoch, with a fraction.
    public var receivedSeconds: Double
    /// Where `raw` lies in the payload.
    public var rawRange: Range<Int>

    /// The receive time in milliseconds, as JS stores a record's `timestamp`: go-ssb keeps
    /// seconds, so the fraction is cut to whole milliseconds (as Go's `UnixNano() / 1e6`).
    public var receivedMilliseconds: Int64 { Int64((receivedSeconds * 1000).rounded(.down)) }

    /// Decodes `payload`; `seq` and `file` only name the entry in errors.
    public static func decode(_ payload: UnsafeRawBufferPointer, seq: Int64 = 0, file: String = "data") throws(SSBError) -> GoSSBMessage {
        var reader = CBORReader(bytes: payload, seq: seq, file: file)
        guard let type = payload.first else { throw reader.failure(.invalidMessage, "an empty payload holds no go-ssb message") }
        guard type == legacyType else {
            let name = type == 0x02 ? " (GabbyGrove)" : type == 0x03 ? " (metafeed)" : type == 0x7b ? " (this looks like JSON: a raw-bytes log, not go-ssb's codec)" : ""
            throw reader.failure(.unsupportedCodec, "unsupported go-ssb payload codec (type \(type))\(name): only the legacy multimsg (type 1) is decoded")
        }
        reader.position = 1
        guard try reader.head(expecting: 4, "the StoredMessage array") == 6 else {
            throw reader.failure(.invalidMessage, "a legacy StoredMessage is an array of 6 items")
        }
        let author = try reader.reference(sigil: "@", "author")
        let previous = try reader.isNull() ? nil : try reader.reference(sigil: "%", "previous")
        let key = try reader.reference(sigil: "%", "key")
        let sequence = try reader.head(expecting: 0, "sequence")
        guard sequence <= UInt64(Int64.max) else { throw reader.failure(.invalidMessage, "sequence \(sequence) is out of range") }
        let received = try reader.epochTime()
        let raw = try reader.byteString("Raw")
        guard reader.position == payload.count else {
            throw reader.failure(.invalidMessage, "\(payload.count - reader.position) bytes follow the StoredMessage")
        }
        return GoSSBMessage(author: author, previous: previous, key: key, sequence: Int64(sequence),
                            receivedSeconds: received, rawRange: raw)
    }

    /// The record JS's `log.offset` holds for this message, as `JSON.stringify` writes it:
    /// `{"key","value","timestamp"}`, the value parsed from `raw` (so its signature still
    /// verifies), the timestamp the receive time in whole milliseconds.
    public func jsRecord(in payload: UnsafeRawBufferPointer, seq: Int64 = 0, file: String = "data") throws(SSBError) -> [UInt8] {
        let value: JSValue
        do {
            value = try JSValue.parse(UnsafeRawBufferPointer(rebasing: payload[rawRange]))
        } catch {
            var failure = SSBError(.notJSON, file: file, offset: seq, key: key, reason: "the signed message is not JSON: \(error)")
            failure.idName = "seq"
            throw failure
        }
        let record = JSObject(["key": .text(key), "value": value, "timestamp": .number(Double(receivedMilliseconds))])
        return JSValue.object(record).stringify()
    }

    /// The JS record a go-ssb payload converts to (`decode`, then `jsRecord(in:)`).
    public static func jsRecord(of payload: UnsafeRawBufferPointer, seq: Int64 = 0, file: String = "data") throws(SSBError) -> [UInt8] {
        try decode(payload, seq: seq, file: file).jsRecord(in: payload, seq: seq, file: file)
    }

    /// Whether a payload starts like a go-ssb multimsg (a type byte below `{`, the JSON start).
    public static func looksLikeMultimsg(_ payload: UnsafeRawBufferPointer) -> Bool {
        guard let first = payload.first else { return false }
        return first >= 0x01 && first <= 0x03 && payload.count > 1
    }
}

/// The few CBOR items a legacy StoredMessage uses, every length checked against the bytes.
private struct CBORReader {
    let bytes: UnsafeRawBufferPointer
    let seq: Int64
    let file: String
    var position = 0

    init(bytes: UnsafeRawBufferPointer, seq: Int64, file: String) {
        self.bytes = bytes
        self.seq = seq
        self.file = file
    }

    func failure(_ code: SSBError.Code, _ reason: String) -> SSBError {
        var error = SSBError(code, file: file, offset: seq, key: nil, reason: reason)
        error.idName = "seq"
        return error
    }

    mutating func byte(_ what: String) throws(SSBError) -> UInt8 {
        guard position < bytes.count else { throw failure(.invalidMessage, "the payload ends inside \(what) (at byte \(position))") }
        defer { position += 1 }
        return bytes[position]
    }

    /// An item's head of `major` type: its argument (a count, length or value).
    mutating func head(expecting major: UInt8, _ what: String) throws(SSBError) -> UInt64 {
        let at = position
        let initial = try byte(what)
        guard initial >> 5 == major else {
            throw failure(.invalidMessage, "\(what) at payload byte \(at): CBOR major type \(initial >> 5), not \(major)")
        }
        return try argument(initial & 0x1f, what)
    }

    mutating func argument(_ info: UInt8, _ what: String) throws(SSBError) -> UInt64 {
        let width: Int
        switch info {
        case 0..<24: return UInt64(info)
        case 24: width = 1
        case 25: width = 2
        case 26: width = 4
        case 27: width = 8
        default: throw failure(.invalidMessage, "\(what): indefinite or reserved CBOR length (\(info))")
        }
        var value: UInt64 = 0
        for _ in 0..<width { value = value << 8 | UInt64(try byte(what)) }
        return value
    }

    mutating func isNull() throws(SSBError) -> Bool {
        guard position < bytes.count, bytes[position] == 0xf6 else { return false }
        position += 1
        return true
    }

    mutating func byteString(_ what: String) throws(SSBError) -> Range<Int> {
        let length = try head(expecting: 2, what)
        guard length <= UInt64(bytes.count - position) else {
            throw failure(.invalidMessage, "\(what) claims \(length) bytes, but \(bytes.count - position) remain")
        }
        defer { position += Int(length) }
        return position..<position + Int(length)
    }

    /// `[32-byte key or hash, algorithm]` as `sigil` + base64 + `.` + algorithm.
    mutating func reference(sigil: String, _ what: String) throws(SSBError) -> String {
        guard position < bytes.count else { throw failure(.invalidMessage, "the payload ends before \(what)") }
        if bytes[position] >> 5 == 2 {
            throw failure(.unsupportedCodec, "unsupported go-ssb payload codec (type 1 with TFK-encoded references, 2021+): \(what) is a byte string")
        }
        guard try head(expecting: 4, what) == 2 else { throw failure(.invalidMessage, "\(what) is not a [bytes, algorithm] pair") }
        let hash = try byteString(what)
        guard hash.count == 32 else { throw failure(.invalidMessage, "\(what) holds \(hash.count) bytes, not 32") }
        let nameLength = try head(expecting: 3, "\(what)'s algorithm")
        guard nameLength <= 32, nameLength <= UInt64(bytes.count - position) else {
            throw failure(.invalidMessage, "\(what)'s algorithm name claims \(nameLength) bytes")
        }
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<position + Int(nameLength)]), as: UTF8.self)
        position += Int(nameLength)
        return sigil + Base64.encode(UnsafeRawBufferPointer(rebasing: bytes[hash])) + "." + name
    }

    /// CBOR tag 1 (epoch time) with a float or integer: seconds.
    mutating func epochTime() throws(SSBError) -> Double {
        guard try head(expecting: 6, "the receive time") == 1 else { throw failure(.invalidMessage, "the receive time is not CBOR tag 1 (epoch)") }
        let at = position
        let initial = try byte("the receive time")
        switch initial {
        case 0xfb:
            let bits = try argument(27, "the receive time")
            return Double(bitPattern: bits)
        case 0xfa:
            let bits = try argument(26, "the receive time")
            return Double(Float(bitPattern: UInt32(bits)))
        case 0x00...0x1b:
            return Double(try argument(initial & 0x1f, "the receive time"))
        default:
            throw failure(.invalidMessage, "the receive time at payload byte \(at) is neither a float nor an unsigned integer")
        }
    }
}
