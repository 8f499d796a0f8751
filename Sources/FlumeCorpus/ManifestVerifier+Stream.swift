import FlumeLog

extension ManifestVerifier {
    /// The payload stream's SHA-256, and what JS streams (deleted records skipped): its hash is
    /// the stream's until the first tombstone, a copy of it from there on.
    struct StreamHashes {
        private var stream = DataSHA256()
        private var js: DataSHA256?

        mutating func add(_ record: Record) {
            if record.isDeleted, js == nil { js = stream }
            if !record.isDeleted, js != nil {
                DataSHA256.update(&stream, with: record.payload, &js!, with: record.payload)
            } else {
                stream.update(record.payload)
            }
        }

        /// `add`, returning the record's own sha256, hashed side by side with the stream's (the
        /// two cost about what one did).
        mutating func addHashing(_ record: Record) -> ManifestDigest {
            if record.isDeleted, js == nil { js = stream }
            let digest = DataSHA256.hash(record.payload, updatingBeside: &stream)
            if !record.isDeleted { js?.update(record.payload) }
            return digest
        }

        /// Holds both against the manifest (`stream_sha256`, `js_stream_sha256`); true when one differs.
        mutating func check(against manifest: GoldenManifest, into found: inout [ManifestDifference]) -> Bool {
            let digest = stream.finalize().description
            found.expect("stream_sha256", manifest.streamSHA256, digest)
            var differed = digest != manifest.streamSHA256
            if let expected = manifest.jsStreamSHA256 {
                let jsDigest = js.map { var hash = $0; return hash.finalize().description } ?? digest
                found.expect("js_stream_sha256", expected, jsDigest)
                differed = differed || expected != jsDigest
            }
            return differed
        }
    }

    /// Only the stream's hashes, from a forward scan of its own through `strategy`: with one
    /// strategy it runs beside the pass that hashes the records, so the two hashes share the
    /// cores. A read error is thrown, as by `findings`.
    public func streamFindings(using strategy: ReaderStrategy) throws -> Findings {
        let log = try OffsetLog(path: path, width: width, access: .readOnly, strategy: strategy)
        var hashes = StreamHashes()
        try log.forEach { hashes.add($0) }
        var found: [ManifestDifference] = []
        let differed = hashes.check(against: manifest, into: &found)
        return Findings(differences: found, hashDiffered: differed)
    }
}
