import FlumeJSON

extension BIPF {
    /// Decodes the value at the start of `bytes`, strictly: every length must fit the bytes,
    /// INT must be 4 bytes and DOUBLE 8, a BOOLNULL empty or one of 0, 1, 2, every container
    /// must end exactly at its stated length, every key be a STRING. Where JS `bipf.decode`
    /// reads past such damage and returns something, this throws a `BIPFError` with the offset.
    /// Otherwise the value is what JS gives: invalid UTF-8 as U+FFFD, object members in JS
    /// property order (integer-like keys first, a repeated key in its first place with its last
    /// value), `__proto__` members dropped (JS assigns them to the prototype). Bytes after the
    /// value are not read; `bytesRead` says where it ended.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(BIPFError) -> (value: BIPFValue, bytesRead: Int) {
        let cursor = BIPFCursor(bytes)
        let top = try cursor.header(at: 0)
        return (try decode(top, cursor, depth: 0), top.end)
    }

    public static func decode(_ bytes: [UInt8]) throws(BIPFError) -> (value: BIPFValue, bytesRead: Int) {
        try bytes.withUnsafeBytes { raw in Result { () throws(BIPFError) in try decode(raw) } }.get()
    }

    private static func decode(_ header: BIPFCursor.Header, _ cursor: BIPFCursor, depth: Int) throws(BIPFError) -> BIPFValue {
        switch header.type {
        case .string:
            return .json(.string(JSString(String(decoding: cursor.content(header), as: UTF8.self))))
        case .buffer:
            return .buffer(Array(cursor.content(header)))
        case .int:
            guard let value = cursor.int(header) else {
                throw BIPFError(.intLength, offset: header.offset, message: "an INT of \(header.contentLength) bytes (INT is always 4)")
            }
            return .json(.number(Double(value)))
        case .double:
            guard let value = cursor.double(header) else {
                throw BIPFError(.doubleLength, offset: header.offset, message: "a DOUBLE of \(header.contentLength) bytes (DOUBLE is always 8)")
            }
            return .json(.number(value))
        case .boolNull:
            if header.contentLength == 0 { return .json(.null) }
            guard header.contentLength == 1 else {
                throw BIPFError(.invalidBoolNull, offset: header.offset, message: "a BOOLNULL of \(header.contentLength) bytes (0 or 1)")
            }
            switch cursor.bytes[header.contentStart] {
            case 0: return .json(.bool(false))
            case 1: return .json(.bool(true))
            case 2: return .undefined
            case let other:
                throw BIPFError(.invalidBoolNull, offset: header.offset, message: "a BOOLNULL of value \(other) (0 false, 1 true, 2 undefined)")
            }
        case .reserved:
            throw BIPFError(.reservedType, offset: header.offset, message: "type 7 is reserved")
        case .array, .object:
            guard depth < maximumDepth else {
                throw BIPFError(.tooDeep, offset: header.offset, message: "containers nested deeper than \(maximumDepth)")
            }
            return header.type == .array
                ? try decodeArray(header, cursor, depth: depth)
                : try decodeObject(header, cursor, depth: depth)
        }
    }

    private static func decodeArray(_ header: BIPFCursor.Header, _ cursor: BIPFCursor, depth: Int) throws(BIPFError) -> BIPFValue {
        var items: [BIPFValue] = []
        var position = header.contentStart
        while position < header.end {
            let element = try cursor.header(at: position, limit: header.end)
            items.append(try decode(element, cursor, depth: depth + 1))
            position = element.end
        }
        let plain = items.compactMap { if case .json(let value) = $0 { value } else { nil } }
        return plain.count == items.count ? .json(.array(plain)) : .array(items)
    }

    private static func decodeObject(_ header: BIPFCursor.Header, _ cursor: BIPFCursor, depth: Int) throws(BIPFError) -> BIPFValue {
        // JS assigns `obj[key] = value` in turn: JSObject keeps that order (and the last value).
        var order = JSObject()
        var values: [String: BIPFValue] = [:]
        var position = header.contentStart
        while position < header.end {
            let name = try cursor.header(at: position, limit: header.end)
            guard name.type == .string else {
                throw BIPFError(.keyNotString, offset: position, message: "an object key is a \(name.type), not a STRING")
            }
            let key = String(decoding: cursor.content(name), as: UTF8.self)
            let valueHeader = try cursor.header(at: name.end, limit: header.end)
            let value = try decode(valueHeader, cursor, depth: depth + 1)
            position = valueHeader.end
            guard key != "__proto__" else { continue }
            order[key] = .null
            values[key] = value
        }
        var plain = JSObject()
        var members: [(key: String, value: BIPFValue)] = []
        var allPlain = true
        for key in order.keys {
            let value = values[key]!
            members.append((key, value))
            if case .json(let json) = value { plain[key] = json } else { allPlain = false }
        }
        return allPlain ? .json(.object(plain)) : .object(members)
    }
}
