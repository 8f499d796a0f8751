import FlumeSSB
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension GoldenManifest {
    /// The manifest read in one validating pass over its bytes: the long arrays (`records`,
    /// `stream_offsets`, `reverse_offsets`, `deleted_offsets`) parsed in place into their
    /// final arrays, every other field through `JSONDecoder` on a document of those few bytes
    /// (so the schema's rules and messages stay the Codable ones). `JSONDecoder` on the whole
    /// file built a tree of every value first: 9.5 s and 505 MB for the 120 MB manifest of
    /// 883 k records. Nil when the bytes hold what this pass does not expect (an escaped or
    /// fractional value in those arrays, a field missing, anything malformed): `load` then
    /// decodes the whole file, which names the problem.
    ///
    /// `mapped`: the bytes are a read-only private mapping of the file, whose pages may be
    /// dropped once parsed (touched again, they are read back from the file), so the memory a
    /// load holds is the parsed records, not the file too.
    static func parsed(_ bytes: UnsafeRawBufferPointer, mapped: Bool = false) -> GoldenManifest? {
        var scanner = JSONScanner(bytes)
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        var released = 0
        func release(upTo position: Int) {
            guard mapped, let base = bytes.baseAddress, Int(bitPattern: base) % pageSize == 0 else { return }
            let end = position / pageSize * pageSize
            guard end - released >= 16 << 20 else { return }
            madvise(UnsafeMutableRawPointer(mutating: base + released), end - released, MADV_DONTNEED)
            released = end
        }
        var rest: [UInt8] = Array("{".utf8)
        var records: [Entry]?
        var arrays: [String: [Int64]] = [:]
        var understood = true
        var recordCount: Int?
        do throws(JSONScanner.Malformed) {
            try scanner.forEachMember { scanner, name throws(JSONScanner.Malformed) in
                guard understood else { return try scanner.skipValue() }
                if name.equals("records") {
                    // Room for the count the manifest gave, up to what its bytes can hold.
                    let room = min(max(recordCount ?? 0, 0), bytes.count / 48)
                    records = try entries(&scanner, understood: &understood, expected: room, release: release)
                    return
                }
                for key in ["stream_offsets", "reverse_offsets", "deleted_offsets"] where name.raw.elementsEqual(key.utf8) {
                    if try scanner.peek() == UInt8(ascii: "n") { return try scanner.skipValue() }  // null: absent
                    arrays[key] = try integers(&scanner, understood: &understood)
                    return
                }
                // Any other member, copied as it stands for the Codable pass.
                _ = try scanner.peek()
                let from = scanner.position
                try scanner.skipValue()
                if name.equals("record_count") {
                    recordCount = JSONScanner.integer(UnsafeRawBufferPointer(rebasing: bytes[from..<scanner.position])).flatMap { Int(exactly: $0) }
                }
                if rest.count > 1 { rest.append(UInt8(ascii: ",")) }
                rest += [UInt8(ascii: "\"")] + Array(name.raw) + Array("\":".utf8)
                rest += UnsafeRawBufferPointer(rebasing: bytes[from..<scanner.position])
            }
            try scanner.finish()
        } catch {
            return nil
        }
        guard understood, let records else { return nil }
        rest += Array(#","records":[]}"#.utf8)
        guard var manifest = try? JSONDecoder().decode(GoldenManifest.self, from: Data(rest)) else { return nil }
        manifest.records = records
        manifest.streamOffsets = arrays["stream_offsets"]
        manifest.reverseOffsets = arrays["reverse_offsets"]
        manifest.deletedOffsets = arrays["deleted_offsets"]
        return manifest
    }

    /// `[{"offset": …, "length": …, "sha256": "…"}, …]`, other members skipped.
    /// `expected`: how many to make room for (the manifest's `record_count`, when it came first).
    private static func entries(_ scanner: inout JSONScanner, understood: inout Bool, expected: Int,
                                release: (Int) -> Void) throws(JSONScanner.Malformed) -> [Entry] {
        var entries: [Entry] = []
        entries.reserveCapacity(expected)
        try elements(&scanner) { scanner throws(JSONScanner.Malformed) in
            var laidOut = scanner
            if let entry = laidOutEntry(&laidOut) {
                scanner = laidOut
                entries.append(entry)
                return release(scanner.position)
            }
            var offset: Int64?, length: Int64?, digest: ManifestDigest?, deleted: Bool?, getError: String?
            try scanner.forEachMember { scanner, name throws(JSONScanner.Malformed) in
                if name.equals("offset") {
                    offset = try integer(&scanner)
                } else if name.equals("length") {
                    length = try integer(&scanner)
                } else if name.equals("sha256") {
                    guard try scanner.peek() == UInt8(ascii: "\"") else { return try scanner.skipValue() }
                    let string = try scanner.string()
                    digest = string.escaped ? nil : ManifestDigest(hexDigits: string.raw)
                } else if name.equals("js_treats_as_deleted") {
                    let byte = try scanner.peek()
                    try scanner.skipValue()
                    deleted = byte == UInt8(ascii: "t") ? true : byte == UInt8(ascii: "f") ? false : nil
                    if byte != UInt8(ascii: "n"), deleted == nil { understood = false }
                } else if name.equals("js_get_error") {
                    if try scanner.peek() == UInt8(ascii: "n") { return try scanner.skipValue() }
                    getError = try plainString(&scanner)
                    if getError == nil { understood = false }
                } else {
                    try scanner.skipValue()
                }
            }
            guard let offset, let length, let digest, let size = Int(exactly: length) else {
                understood = false
                return
            }
            entries.append(Entry(offset: offset, length: size, digest: digest, jsTreatsAsDeleted: deleted, jsGetError: getError))
            release(scanner.position)
        }
        return entries
    }

    /// An entry as flumebench and the corpus's generators lay it out, `{"offset": 0, "length":
    /// 1584, "sha256": "a54d…"}`, each name taken whole with one compare; nil for any other
    /// layout (read member by member then). Reading the names one by one was most of the time
    /// the 1 GiB corpus's manifest took to parse (1.4 M entries).
    private static func laidOutEntry(_ scanner: inout JSONScanner) -> Entry? {
        guard (try? scanner.peek()) == UInt8(ascii: "{"), scanner.take(#"{"offset": "#),
              let offset = (try? scanner.number()).flatMap(JSONScanner.integer),
              scanner.take(#", "length": "#),
              let length = (try? scanner.number()).flatMap(JSONScanner.integer).flatMap({ Int(exactly: $0) }),
              scanner.take(#", "sha256": "#), let digits = scanner.plainString(length: 64),
              scanner.take("}") else { return nil }
        return Entry(offset: offset, length: length, digest: ManifestDigest(hexDigits: digits.raw), jsTreatsAsDeleted: nil, jsGetError: nil)
    }

    private static func integers(_ scanner: inout JSONScanner, understood: inout Bool) throws(JSONScanner.Malformed) -> [Int64] {
        var values: [Int64] = []
        try elements(&scanner) { scanner throws(JSONScanner.Malformed) in
            guard let value = try integer(&scanner) else { return understood = false }
            values.append(value)
        }
        return values
    }

    /// Calls `body` at each element of an array.
    private static func elements(_ scanner: inout JSONScanner,
                                 _ body: (inout JSONScanner) throws(JSONScanner.Malformed) -> Void) throws(JSONScanner.Malformed) {
        try scanner.expect(UInt8(ascii: "["))
        if try scanner.peek() == UInt8(ascii: "]") { return try scanner.expect(UInt8(ascii: "]")) }
        while true {
            try body(&scanner)
            let separator = try scanner.peek()
            try scanner.expect(separator)
            if separator == UInt8(ascii: "]") { return }
            guard separator == UInt8(ascii: ",") else { throw scanner.malformed("expected ',' or ']'") }
        }
    }

    /// A number written as a plain integer that fits Int64; nil for a fraction, an exponent or
    /// a value too large (left to JSONDecoder).
    private static func integer(_ scanner: inout JSONScanner) throws(JSONScanner.Malformed) -> Int64? {
        guard try scanner.peek() != UInt8(ascii: "\"") else { try scanner.skipValue(); return nil }
        return JSONScanner.integer(try scanner.number())
    }

    /// A string without escapes (error names); nil otherwise.
    private static func plainString(_ scanner: inout JSONScanner) throws(JSONScanner.Malformed) -> String? {
        guard try scanner.peek() == UInt8(ascii: "\"") else { try scanner.skipValue(); return nil }
        let string = try scanner.string()
        return string.escaped ? nil : String(decoding: string.raw, as: UTF8.self)
    }
}
