import FlumeBIPF

/// How a log's records are written: JSON text (flumelog-offset, and raw AAOL as the tests
/// write it), BIPF (ssb-db2's `log.bipf`) or go-ssb's legacy multimsg (an offset2 log go-ssb
/// wrote), read as the JS record it converts to.
public enum RecordEncoding: String, Sendable, CaseIterable {
    case json
    case bipf
    case goSSB = "gossb"

    /// The encoding a record's first byte shows: JSON records are objects, `{` after optional
    /// whitespace; a BIPF object's tag has type 5 in its low three bits, which no JSON start
    /// byte has. Nil for anything else (an empty or deleted record).
    public static func of(_ payload: UnsafeRawBufferPointer) -> RecordEncoding? {
        if payload.first == GoSSBMessage.legacyType, payload.count > 1 { return .goSSB }
        for byte in payload {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D: continue
            case UInt8(ascii: "{"): return .json
            case _ where byte & 7 == BIPF.ValueType.object.rawValue: return .bipf
            default: return nil
            }
        }
        return nil
    }
}

extension SSBMessage {
    /// Reads the view fields of a record in either encoding; throws when it is not one.
    @inline(__always)
    package static func scan(_ payload: UnsafeRawBufferPointer, encoding: RecordEncoding, collectingLinks: Bool,
                             into links: inout [JSONString]) throws -> SSBMessage {
        switch encoding {
        case .json: return try scan(payload, collectingLinks: collectingLinks, into: &links)
        case .bipf: return try scanBIPF(payload, collectingLinks: collectingLinks, into: &links)
        case .goSSB:
            // One allocation per record: go-ssb logs are small next to a JS client's.
            let record = try GoSSBMessage.jsRecord(of: payload)
            return try record.withUnsafeBytes { try scan($0, collectingLinks: collectingLinks, into: &links) }
        }
    }
}
