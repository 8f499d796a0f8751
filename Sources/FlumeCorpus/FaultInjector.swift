import FlumeLog
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Damages a copy of a generated log as the recipe's fault says, and writes the manifest of
/// what a correct reader must then report: the records that survive, the torn tail, or the
/// error (its offset and code) every reader must fail with.
struct FaultInjector {
    let fault: CorpusRecipe.FaultOptions
    /// The width readers are told (a wrong-width fault differs from the base's).
    let width: TrailerWidth
    let seed: UInt64

    /// Copies `basePath` to `path`, damages it, and returns the manifest (file size and
    /// sha256 still to be filled in by the caller).
    func write(basePath: String, base: GoldenManifest, to path: String) throws -> GoldenManifest {
        try removeFile(path)
        try FileManager.default.copyItem(atPath: basePath, toPath: path)
        let baseWidth = try base.width
        guard !base.records.isEmpty else {
            throw CorpusError(.recipe, file: fault.base, message: "the base corpus has no records to damage")
        }
        var manifest = base
        manifest.offsetCodecBits = width.bits
        let file = try FileDescriptor.open(path, .readWrite)
        defer { file.close() }

        func record(_ index: Int?) -> GoldenManifest.Entry {
            let count = base.records.count
            let wanted = index ?? count / 2
            return base.records[min(count - 1, max(0, wanted < 0 ? count + wanted : wanted))]
        }
        func write(_ bytes: [UInt8], at offset: Int64) throws {
            try file.pwriteFully(bytes, at: offset)
        }
        func read(_ count: Int, at offset: Int64) throws -> [UInt8] {
            try file.bytes(count: count, at: offset)
        }

        switch fault.damage {
        case .tornTail:
            let last = base.records[base.records.count - 1]
            let frameEnd = last.offset + Int64(last.length + baseWidth.frameOverhead)
            let cut: Int64
            switch fault.cutInside {
            case "header": cut = last.offset + 2
            case "payload": cut = last.offset + 4 + Int64(max(1, last.length / 2))
            default: cut = frameEnd - 2
            }
            try file.truncate(to: cut)
            manifest = try Self.prefix(of: base, count: base.records.count - 1, basePath: basePath)
            manifest.torn = GoldenManifest.Torn(truncatedTo: cut, lastFrameStart: last.offset, cutInside: fault.cutInside)
            manifest.jsReadback = GoldenManifest.Readback(fileSizeAfterOpen: last.offset)

        case .flippedTrailer:
            let target = record(fault.record)
            let position = target.offset + Int64(8 + target.length + baseWidth.byteCount - 1)
            try write([try read(1, at: position)[0] ^ 0x01], at: position)
            manifest.expectedError = .init(offset: target.offset, code: FlumeLogError.Code.trailerMismatch.rawValue,
                                           damage: "the last trailer byte of the frame at \(target.offset) flipped")

        case .lengthMismatch:
            let target = record(fault.record)
            let position = target.offset + Int64(4 + target.length)
            let length = UInt32(target.length + 1)
            try write(withUnsafeBytes(of: length.bigEndian, Array.init), at: position)
            manifest.expectedError = .init(offset: target.offset, code: FlumeLogError.Code.lengthMismatch.rawValue,
                                           damage: "the trailing length of the frame at \(target.offset) set to \(length)")

        case .garbageTail:
            let end = base.fileSize
            let garbage = Self.garbage(count: max(1, fault.bytes ?? 100), after: end, width: baseWidth, seed: seed)
            try write(garbage, at: end)
            manifest.torn = GoldenManifest.Torn(truncatedTo: end + Int64(garbage.count), lastFrameStart: end, cutInside: "garbage")
            manifest.jsReadback = GoldenManifest.Readback(fileSizeAfterOpen: end)

        case .wrongWidth:
            guard baseWidth != width else {
                throw CorpusError(.recipe, file: fault.base, message: "wrong_width needs a base written with another width than offset_codec_bits")
            }
            manifest.expectedError = .init(offset: nil, code: nil,
                                           damage: "written with \(baseWidth.bits)-bit trailers, read as \(width.bits)-bit")
        }
        return manifest
    }

    /// Random bytes that look like the start of a frame too long to fit, and in which JS's
    /// scan back from the end finds no false frame end, so the tail reads as torn.
    static func garbage(count: Int, after end: Int64, width: TrailerWidth, seed: UInt64) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        while true {
            var bytes = random.bytes(count)
            let declared = UInt32(count + 1 + random.below(1 << 20))
            for (index, byte) in withUnsafeBytes(of: declared.bigEndian, Array.init).enumerated() where index < count {
                bytes[index] = byte
            }
            let whole = bytes
            let falseEnd = (1...count).contains { position in
                guard position >= width.byteCount else { return false }
                let value = whole.withUnsafeBytes { width.decode(from: $0.baseAddress! + position - width.byteCount) }
                return value == end + Int64(position)
            }
            if !falseEnd { return bytes }
        }
    }

    /// The manifest of the first `count` records of `base`, their payloads read back from the
    /// base file at the offsets the base manifest gives.
    static func prefix(of base: GoldenManifest, count: Int, basePath: String) throws -> GoldenManifest {
        let width = try base.width
        var builder = ManifestBuilder(width: width)
        let file = try FileDescriptor.open(basePath, .readOnly)
        defer { file.close() }
        for entry in base.records.prefix(count) {
            let payload = try file.bytes(count: entry.length, at: entry.offset + 4)
            builder.add(payload, deleted: base.deletedOffsets?.contains(entry.offset) ?? false)
        }
        return builder.manifest(file: base.file, fileSize: 0, fileSHA256: "")
    }
}
