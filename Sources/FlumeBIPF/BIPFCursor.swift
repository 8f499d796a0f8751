/// In-place access to BIPF bytes: the type, bounds and content of a value at an offset, and
/// the value of a key inside an object, found by walking tags without decoding anything or
/// allocating. Every step is bounds-checked; damage is a `BIPFError` naming the offset.
/// The bytes are borrowed: a cursor is valid only while they are.
public struct BIPFCursor {
    /// One value's place: its type, where its content starts, how long it is, where it ends.
    public struct Header: Sendable, Equatable {
        public var type: BIPF.ValueType
        /// Where the tag starts.
        public var offset: Int
        public var contentStart: Int
        public var contentLength: Int
        public var end: Int { contentStart + contentLength }
    }

    public let bytes: UnsafeRawBufferPointer

    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// The header of the value at `offset`, whose content must end by `limit` (a container's
    /// end; the buffer's end by default).
    @inline(__always)
    public func header(at offset: Int, limit: Int? = nil) throws(BIPFError) -> Header {
        let limit = limit ?? bytes.count
        var position = offset, tag: UInt64 = 0, shift: UInt64 = 0
        while true {
            guard position < bytes.count else {
                throw BIPFError(.varintPastEnd, offset: offset, message: "the tag runs past the end of the bytes")
            }
            guard position < limit else {
                throw BIPFError(.containerOverrun, offset: offset, message: "a tag runs past the end of its container")
            }
            let byte = bytes[position]
            position += 1
            guard shift < 63 else { throw BIPFError(.varintPastEnd, offset: offset, message: "the tag's varint is too long") }
            tag |= UInt64(byte & 0x7F) << shift
            shift += 7
            if byte & 0x80 == 0 { break }
        }
        let length = tag >> 3
        guard length <= UInt64(bytes.count - position) else {
            throw BIPFError(.valuePastEnd, offset: offset,
                            message: "a value of \(length) bytes at \(position) runs past the end of the bytes (\(bytes.count))")
        }
        guard position + Int(length) <= limit else {
            throw BIPFError(.containerOverrun, offset: offset, message: "a value of \(length) bytes runs past the end of its container at \(limit)")
        }
        return Header(type: BIPF.ValueType(rawValue: UInt8(tag & 7))!, offset: offset, contentStart: position,
                      contentLength: Int(length))
    }

    /// The content of a value, borrowed.
    @inline(__always)
    public func content(_ header: Header) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[header.contentStart..<header.end])
    }

    /// The value of member `key` of the object at `objectOffset`, or nil when it has none (the
    /// last one when a key repeats, as JS keeps the last value). Keys are compared as UTF-8.
    public func seek(key: UnsafeRawBufferPointer, inObjectAt objectOffset: Int, limit: Int? = nil) throws(BIPFError) -> Header? {
        let object = try header(at: objectOffset, limit: limit)
        guard object.type == .object else { return nil }
        var position = object.contentStart
        var found: Header?
        while position < object.end {
            let name = try header(at: position, limit: object.end)
            guard name.type == .string else {
                throw BIPFError(.keyNotString, offset: position, message: "an object key is a \(name.type), not a STRING")
            }
            let value = try header(at: name.end, limit: object.end)
            if name.contentLength == key.count, memcmpEqual(content(name), key) { found = value }
            position = value.end
        }
        return found
    }

    /// `seek(key:)` for a literal key (`"author"`).
    @inline(__always)
    public func seek(_ key: StaticString, inObjectAt objectOffset: Int, limit: Int? = nil) throws(BIPFError) -> Header? {
        try seek(key: UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount),
                 inObjectAt: objectOffset, limit: limit)
    }

    /// The value at a path of keys (`["value", "author"]`) from the object at `offset`.
    public func seek(path: [StaticString], from offset: Int = 0) throws(BIPFError) -> Header? {
        var current = try header(at: offset)
        for key in path {
            guard let next = try seek(key, inObjectAt: current.offset, limit: current.offset == offset ? nil : current.end) else {
                return nil
            }
            current = next
        }
        return current
    }

    /// An INT's value; nil for any other type or length.
    public func int(_ header: Header) -> Int32? {
        guard header.type == .int, header.contentLength == 4 else { return nil }
        return Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: header.contentStart, as: Int32.self))
    }

    /// A DOUBLE's value; nil for any other type or length.
    public func double(_ header: Header) -> Double? {
        guard header.type == .double, header.contentLength == 8 else { return nil }
        return Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: header.contentStart, as: UInt64.self)))
    }

    /// A number, INT or DOUBLE.
    public func number(_ header: Header) -> Double? {
        int(header).map(Double.init) ?? double(header)
    }

    private func memcmpEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        for index in 0..<a.count where a[index] != b[index] { return false }
        return true
    }
}
