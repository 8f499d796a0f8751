/// The decoder's handle on its `ByteSource`. The sources FlumeLog ships are final classes
/// known here, so calls to them are direct and inlinable instead of going through a protocol
/// witness on every frame; any other `ByteSource` still works through the protocol. `uring`
/// goes through the protocol too: a case of its own here cost the other strategies 1-4 % more
/// instructions per scan (smoke's callgrind cases), its reads are where it differs.
enum SourceDispatch {
    case windowed(WindowedSource)
    case mapped(MappedSource)
    case memory(MemorySource)
    case other(any ByteSource)

    init(_ source: any ByteSource) {
        switch source {
        case let source as WindowedSource: self = .windowed(source)
        case let source as MappedSource: self = .mapped(source)
        case let source as MemorySource: self = .memory(source)
        default: self = .other(source)
        }
    }

    var source: any ByteSource {
        switch self {
        case .windowed(let source): source
        case .mapped(let source): source
        case .memory(let source): source
        case .other(let source): source
        }
    }

    @inline(__always)
    func bytes(at offset: Int64, count: Int, hint: AccessHint) throws(FlumeLogError) -> UnsafeRawBufferPointer {
        switch self {
        case .windowed(let source): try source.bytes(at: offset, count: count, hint: hint)
        case .mapped(let source): try source.bytes(at: offset, count: count, hint: hint)
        case .memory(let source): try source.bytes(at: offset, count: count, hint: hint)
        case .other(let source): try source.bytes(at: offset, count: count, hint: hint)
        }
    }

    @inline(__always)
    func bytes(from offset: Int64, atLeast minimum: Int, hint: AccessHint) throws(FlumeLogError) -> UnsafeRawBufferPointer {
        switch self {
        case .windowed(let source): try source.bytes(from: offset, atLeast: minimum, hint: hint)
        case .mapped(let source): try source.bytes(from: offset, atLeast: minimum, hint: hint)
        case .memory(let source): try source.bytes(from: offset, atLeast: minimum, hint: hint)
        case .other(let source): try source.bytes(from: offset, atLeast: minimum, hint: hint)
        }
    }

    /// Bytes that end at `end`, at least `minimum` of them (as many more before them as the
    /// source holds at hand).
    @inline(__always)
    func bytes(endingAt end: Int64, atLeast minimum: Int, hint: AccessHint) throws(FlumeLogError) -> UnsafeRawBufferPointer {
        switch self {
        case .windowed(let source): try source.bytes(endingAt: end, atLeast: minimum, hint: hint)
        case .mapped(let source): try source.bytes(endingAt: end, atLeast: minimum, hint: hint)
        case .memory(let source): try source.bytes(endingAt: end, atLeast: minimum, hint: hint)
        case .other(let source): try source.bytes(endingAt: end, atLeast: minimum, hint: hint)
        }
    }

    /// The same kind of source over a descriptor of its own on the same file, for a second
    /// thread reading another part of it (`summarizeInHalves`); the caller closes `file`. Nil
    /// for memory and sources FlumeLog does not ship, or when the file cannot be opened again.
    func twin() -> (source: any ByteSource, file: FileDescriptor)? {
        switch self {
        case .windowed(let source): source.twin()
        case .mapped(let source): source.twin()
        case .other(let source as UringSource): source.twin()
        case .memory, .other: nil
        }
    }

    /// Where `range` lies in memory, for asking for its cache lines ahead of use: the mapped
    /// source's address, nil for sources that copy (their reads bring the lines in).
    func mappedAddress(of range: Range<Int64>) -> UnsafeRawPointer? {
        if case .mapped(let source) = self { return source.mappedAddress(of: range) }
        return nil
    }
}
