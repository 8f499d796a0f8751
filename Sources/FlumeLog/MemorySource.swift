/// Bytes in memory, growable: the storage behind `MemoryLog`. Addresses stay fixed between
/// growths, so borrowed bytes are valid until the next append.
final class MemorySource: ByteSource {
    private(set) var storage: UnsafeMutableRawBufferPointer
    private(set) var count: Int = 0

    init(capacity: Int = 4096) {
        storage = .allocate(byteCount: max(capacity, 16), alignment: 16)
    }

    deinit { storage.deallocate() }

    var bytes: [UInt8] { Array(UnsafeRawBufferPointer(rebasing: storage[0..<count])) }

    func bytes(at offset: Int64, count requested: Int, hint: AccessHint) throws(FlumeLogError) -> UnsafeRawBufferPointer {
        let available = try bytes(from: offset, atLeast: requested, hint: hint)
        return UnsafeRawBufferPointer(start: available.baseAddress, count: requested)
    }

    func bytes(from offset: Int64, atLeast minimum: Int, hint: AccessHint) throws(FlumeLogError) -> UnsafeRawBufferPointer {
        let held = count
        guard offset >= 0, minimum >= 0, offset + Int64(minimum) <= Int64(held) else {
            throw FlumeLogError(.truncatedFrame, offset: offset,
                                message: "bytes \(offset)..<\(offset + Int64(minimum)) lie past the end of the data (\(held) bytes)")
        }
        return UnsafeRawBufferPointer(start: storage.baseAddress! + Int(offset), count: held - Int(offset))
    }

    func bytes(endingAt end: Int64, atLeast minimum: Int, hint: AccessHint) throws(FlumeLogError) -> UnsafeRawBufferPointer {
        _ = try bytes(from: end - Int64(minimum), atLeast: minimum, hint: hint)
        return UnsafeRawBufferPointer(start: storage.baseAddress!, count: Int(end))
    }

    func currentSize() -> Int64 { Int64(count) }

    func append(_ bytes: UnsafeRawBufferPointer) {
        reserve(count + bytes.count)
        if let base = bytes.baseAddress { (storage.baseAddress! + count).copyMemory(from: base, byteCount: bytes.count) }
        count += bytes.count
    }

    func overwrite(at offset: Int, with value: UInt8, count length: Int) {
        precondition(offset >= 0 && offset + length <= count)
        (storage.baseAddress! + offset).initializeMemory(as: UInt8.self, repeating: value, count: length)
    }

    func truncate(to size: Int) {
        precondition(size >= 0 && size <= count)
        count = size
    }

    private func reserve(_ needed: Int) {
        guard needed > storage.count else { return }
        let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: max(needed, storage.count * 2), alignment: 16)
        grown.baseAddress!.copyMemory(from: storage.baseAddress!, byteCount: count)
        storage.deallocate()
        storage = grown
    }
}
