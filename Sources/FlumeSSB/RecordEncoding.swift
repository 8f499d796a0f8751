import FlumeBIPF

/// How a log's records are written: JSON text (flumelog-offset, and raw AAOL as the tests
/// write it) or BIPF (ssb-db2's `log.bipf`).
public enum RecordEncoding: String, Sendable, CaseIterable {
    case json
    case bipf

    /// The encoding a record's first byte shows: JSON records are objects, `{` after optional
    /// whitespace; a BIPF object's tag has type 5 in its low three bits, which no JSON start
    /// byte has. Nil for anything else (an empty or deleted record).
    public static func of(_ payload: UnsafeRawBufferPointer) -> RecordEncoding? {
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
        case .json: try scan(payload, collectingLinks: collectingLinks, into: &links)
        case .bipf: try scanBIPF(payload, collectingLinks: collectingLinks, into: &links)
        }
    }
}
