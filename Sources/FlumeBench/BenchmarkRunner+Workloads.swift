#if canImport(Glibc)
import Glibc
#endif
import CReference
import FlumeCorpus
import FlumeLog
import FlumeSSB
import FlumeViews
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension BenchmarkRunner {
    /// One repetition of one case: untimed setup, then the timed region bracketed by clock,
    /// kernel counters and jemalloc counts, then the check of what it read.
    func measure(_ plan: Plan, _ corpus: PreparedCorpus) throws -> Sample {
        let operation = plan.operation.operation
        let scratch = "\(options.scratchDirectory)/\(plan.corpus)-\(operation?.rawValue ?? "reference").log"
        if operation == .openWithRecovery || operation?.isAppend == true || operation == .convert { try removeScratch(scratch) }
        if operation == .openWithRecovery { try writeTornCopy(of: corpus, to: scratch) }
        var resident: Double?
        if plan.cache == .cold {
            resident = try evictProvingCold(operation == .openWithRecovery ? scratch : corpus.path)
        }
        let strategy = try readerStrategy(plan.strategy)
        if plan.operation == .reference(.libsodiumVerify) || plan.operation == .reference(.libsodiumVerifyEveryCore),
           signatureInputs[plan.corpus] == nil {
            signatureInputs[plan.corpus] = try SignatureInputs(corpus.format.openReadOnly(corpus.path))
        }

        let usageBefore = ResourceUsage.now()
        let start = MonotonicClock.now()
        var sample: Sample
        var allocation: AllocationTracker.Delta?
        switch plan.operation {
        case .reference(let reference):
            sample = try runReference(reference, corpus)
        case .operation(let operation) where operation.runsInOwnProcess:
            sample = try runInOwnProcess(operation, corpus, strategy, scratch)
        case .operation(let operation):
            let (result, delta) = try tracker.measure { try runOperation(operation, corpus, strategy, scratch) }
            sample = result
            allocation = delta
        }
        var seconds = Double(MonotonicClock.now() - start) / 1e9
        if let percent = options.injections.slowdownPercent, let operation,
           [.forwardScan, .reverseScan, .scanFromOffset].contains(operation) {
            // The deliberate regression: spin until the scan took `percent` longer.
            let until = start + UInt64(seconds * (1 + Double(percent) / 100) * 1e9)
            while MonotonicClock.now() < until {}
            seconds = Double(MonotonicClock.now() - start) / 1e9
        }
        // The simdjson helper's figure is its own clock's, without its process's start.
        if plan.operation != .reference(.simdjsonFields) { sample.seconds = seconds }
        sample.resident = resident
        // A child's run carries the child's usage.
        if operation?.runsInOwnProcess != true && ![.reference(.catProcess), .reference(.simdjsonFields)].contains(plan.operation) {
            sample.usage = ResourceUsage.delta(from: usageBefore, to: .now())
        }
        sample.allocation = allocation

        // Writes are checked after the clock stops: the file must be the corpus's first bytes
        // (appends), or the corpus itself (conversions).
        if operation?.isAppend == true || operation == .convert {
            // An offset2 conversion is a directory; its manifest's digest is its data file's.
            sample.checksum = try ManifestVerifier.sizeAndSHA256(ofFileAt: corpus.format == .offset2 && operation == .convert ? scratch + "/data" : scratch).1
            try removeScratch(scratch)
        }
        if operation == .openWithRecovery { try removeScratch(scratch) }
        return sample
    }

    /// Drops the file from the page cache and returns the share still resident (`mincore`),
    /// evicting a second time when more than `coldResidency` stayed; nil when the kernel does
    /// not tell (a file this user neither owns nor could write).
    private func evictProvingCold(_ path: String) throws -> Double? {
        try PageCache.evict(path)
        var resident = try PageCache.residentFraction(path)
        if let share = resident, share > Self.coldResidency {
            try PageCache.evict(path)
            resident = try PageCache.residentFraction(path)
        }
        return resident
    }

    /// The strategy a case reads with, its kind's defaults (writes and references: the default).
    private func readerStrategy(_ strategy: CaseStrategy) throws -> ReaderStrategy {
        strategy.readerKind.map(ReaderStrategy.init) ?? .standard
    }

    private func runReference(_ reference: ReferenceKind, _ corpus: PreparedCorpus) throws -> Sample {
        switch reference {
        case .readCopy, .readCopyBackward:
            // Every file of the log (an offset2 directory's data, ofst and jrnl), read whole.
            let bytes = corpus.files.reduce(Int64(0)) { total, file in
                total + (reference == .readCopy ? flume_reference_read_copy(file, ReaderStrategy.defaultBufferSize)
                    : flume_reference_read_copy_backward(file, ReaderStrategy.defaultBufferSize, BackwardReadahead.reverseScanDistance,
                                                         BackwardReadahead.reverseScanChunk))
            }
            return Sample(seconds: 0, usage: .init(), records: 0, bytes: bytes, checksum: "\(bytes) bytes",
                          expected: "\(corpus.fileSize) bytes")
        case .cFrameWalk:
            let walk = switch corpus.format {
            case .offset(let width): flume_reference_walk_mmap(corpus.path, Int32(width.byteCount), corpus.end)
            case .aaol(let blockSize): flume_reference_walk_aaol_mmap(corpus.path, Int64(blockSize), corpus.end)
            case .offset2: flume_reference_walk_offset2_mmap(corpus.path, corpus.end)
            }
            return Sample(seconds: 0, usage: .init(), records: walk.records, bytes: walk.payload_bytes,
                          checksum: String(walk.payload_sum, radix: 16),
                          expected: String(corpus.checksum(0..<corpus.offsets.count), radix: 16),
                          note: walk.error_offset == -1 ? nil : "the C walk failed at \(walk.error_offset)")
        case .simdjsonFields:
            guard let helper = options.simdjsonReference else {
                throw BenchError(.harness, message: "the simdjson reference needs \(SimdJSONReference.executableName)")
            }
            let before = ResourceUsage.children()
            let extracted = try helper.extract(path: corpus.path, trailerBytes: try corpus.width.byteCount, end: corpus.end)
            return Sample(seconds: extracted.seconds, usage: ResourceUsage.delta(from: before, to: .children()),
                          records: extracted.records, bytes: corpus.end,
                          checksum: "\(extracted.messages) messages", expected: "\(corpus.streamRecordCount) messages",
                          note: extracted.errorOffset == -1 ? nil : "the simdjson walk failed at \(extracted.errorOffset)")
        case .catProcess:
            guard let cat = Subprocess.executable(named: "cat") else {
                throw BenchError(.harness, message: "no cat on the PATH for the whole-process reference")
            }
            let before = ResourceUsage.children()
            let run = try Subprocess.run(cat, corpus.files, output: .discarded)
            return Sample(seconds: 0, usage: ResourceUsage.delta(from: before, to: .children()), records: 0, bytes: corpus.fileSize,
                          checksum: "cat exited \(run.status)", expected: "cat exited 0")
        case .libsodiumVerify, .libsodiumVerifyEveryCore:
            let inputs = signatureInputs[corpus.name]!
            let valid = reference == .libsodiumVerify ? inputs.verifyAll() : inputs.verifyAllOnEveryCore()
            return Sample(seconds: 0, usage: .init(), records: Int64(inputs.count), bytes: corpus.end,
                          checksum: "\(valid) signatures verify", expected: "\(corpus.streamRecordCount) signatures verify",
                          note: valid < 0 ? "libsodium would not start" : nil)
        }
    }

    private func runOperation(_ operation: Operation, _ corpus: PreparedCorpus, _ strategy: ReaderStrategy,
                              _ scratch: String) throws -> Sample {
        let count = corpus.offsets.count
        func checksumText(_ value: UInt64) -> String { String(value, radix: 16) }
        func result(records: Int, bytes: Int64, checksum: UInt64, expected: UInt64) -> Sample {
            Sample(seconds: 0, usage: .init(), records: Int64(records), bytes: bytes,
                   checksum: checksumText(checksum), expected: checksumText(expected))
        }
        switch operation {
        case .forwardScan, .reverseScan, .scanFromOffset:
            let middle = count / 2
            let log = try corpus.format.openReadOnly(corpus.path, strategy: strategy)
            let start: ScanStart = operation == .scanFromOffset && count > 0 ? .including(corpus.offsets[middle]) : .beginning
            var cursor = try log.records(operation == .reverseScan ? .reverse : .forward, from: start, deleted: .visible)
            var records = 0, bytes: Int64 = 0, sum: UInt64 = 0
            let allocate = options.injections.contains(.allocationPerRecord)
            // The deliberate read regression: one more 1-byte read(2) of the log per record.
            let extraReads: Int32 = options.injections.contains(.readPerRecord)
                ? open(corpus.files[0], O_RDONLY | O_CLOEXEC) : -1
            defer { if extraReads >= 0 { close(extraReads) } }
            var byte: UInt8 = 0
            while let record = try cursor.next() {
                records += 1
                bytes &+= Int64(record.length)
                sum &+= PayloadChecksum.record(offset: record.offset, payload: record.payload)
                if allocate { sum &+= UInt64(blackHole([UInt8](repeating: 1, count: 24))) }
                if extraReads >= 0 { _ = pread(extraReads, &byte, 1, 0) }
            }
            if allocate { sum &-= UInt64(records * 24) }
            let expectedRange = operation == .scanFromOffset ? middle..<count : 0..<count
            return result(records: records, bytes: bytes, checksum: sum, expected: corpus.checksum(expectedRange))

        case .randomUniform, .randomSkewed:
            let indices = Self.randomIndices(count: count, reads: options.suite.randomReads, skewed: operation == .randomSkewed)
            let log = try corpus.format.openReadOnly(corpus.path, strategy: strategy)
            var bytes: Int64 = 0, sum: UInt64 = 0
            // In bulk, as a user holding offsets (an index) reads them: io_uring submits each
            // 64 together; the other strategies read one by one as before.
            let offsets = indices.map { corpus.offsets[$0] }
            try log.forEachRecord(at: offsets, deleted: .visible) { record in
                bytes &+= Int64(record.length)
                sum &+= PayloadChecksum.record(offset: record.offset, payload: record.payload)
            }
            return result(records: indices.count, bytes: bytes, checksum: sum, expected: corpus.checksum(indices))

        case .open:
            let log = try corpus.format.openReadOnly(corpus.path, strategy: strategy)
            guard let since = log.since else { return result(records: 0, bytes: 0, checksum: 0, expected: count == 0 ? 0 : 1) }
            let sum = try log.withRecord(at: since, deleted: .visible) { PayloadChecksum.record(offset: $0.offset, payload: $0.payload) }
            return result(records: 1, bytes: Int64(corpus.lengths.last ?? 0), checksum: sum, expected: corpus.checksums.last ?? 0)

        case .openWithRecovery:
            let log = try OffsetLog(path: scratch, width: try corpus.width, access: .readWrite, strategy: strategy)
            let expected = corpus.offsets.last ?? 0
            return Sample(seconds: 0, usage: .init(), records: Int64(max(0, count - 1)), bytes: 0,
                          checksum: "end \(log.end)", expected: "end \(expected)")

        case .appendSingle, .appendBatch, .appendSyncEach, .appendSyncBatch:
            let policy: SyncPolicy = operation == .appendSyncEach ? .eachAppend : operation == .appendSyncBatch ? .eachBatch : .none
            let log = try OffsetLog(path: scratch, width: try corpus.width, access: .readWrite, syncPolicy: policy)
            let payloads = corpus.appendPayloads
            if operation == .appendSingle || operation == .appendSyncEach {
                for payload in payloads { _ = try log.append(payload) }
            } else {
                var start = 0
                while start < payloads.count {
                    _ = try log.append(batch: payloads[start..<min(payloads.count, start + 100)])
                    start += 100
                }
            }
            return Sample(seconds: 0, usage: .init(), records: Int64(payloads.count), bytes: log.end,
                          checksum: "", expected: corpus.appendPrefixSHA256)

        case .viewLast, .viewKeys, .viewClock, .viewTypes, .viewLinks, .viewAll:
            let log = try corpus.format.openReadOnly(corpus.path, strategy: strategy)
            let driver = ViewDriver(log: log, encoding: corpus.recordEncoding, directory: scratch + ".views", views: operation.views!)
            let applied = try driver.rebuildWithoutWriting()
            let expected = corpus.streamRecordCount
            return Sample(seconds: 0, usage: .init(), records: Int64(applied), bytes: log.end,
                          checksum: "\(applied) records applied", expected: "\(expected) records applied")

        case .ssbValidate:
            let report = try SSBValidator(path: corpus.path, format: corpus.format).validate()
            return Sample(seconds: 0, usage: .init(), records: Int64(report.messages), bytes: corpus.end,
                          checksum: report.failure.map { "invalid: \($0)" } ?? "\(report.messages) messages valid",
                          expected: "\(corpus.streamRecordCount) messages valid")

        case .viewsRebuildProcess, .verifyProcess, .verifyAllProcess, .verifyManifestProcess:
            return try runInOwnProcess(operation, corpus, strategy, scratch)

        case .convert:
            let conversion = corpus.conversion!
            guard corpus.format == .offset2 || FileManager.default.createFile(atPath: scratch, contents: nil) else {
                throw BenchError(.harness, file: scratch, message: "cannot create the conversion's scratch file")
            }
            let written = try LogConverter(to: corpus.format, records: conversion.records)
                .write(try conversion.sourceFormat.openReadOnly(conversion.source), into: scratch, sync: false)
            return Sample(seconds: 0, usage: .init(), records: Int64(written), bytes: corpus.fileSize,
                          checksum: "", expected: corpus.fileSHA256 ?? "")
        }
    }

    /// Deterministic read positions: uniform, or three quarters among the newest tenth.
    static func randomIndices(count: Int, reads: Int, skewed: Bool) -> [Int] {
        guard count > 0 else { return [] }
        var random = SplitMix64(seed: 0x5EED_0F_BE_AC_4E_5D)
        return (0..<reads).map { _ in
            guard skewed, random.next() % 4 != 0 else { return Int(random.next() % UInt64(count)) }
            let recent = max(1, count / 10)
            return count - 1 - Int(random.next() % UInt64(recent))
        }
    }

    /// A copy of the corpus cut inside its last frame, as a crash mid-append leaves it.
    private func writeTornCopy(of corpus: PreparedCorpus, to path: String) throws {
        guard let last = corpus.offsets.last else {
            guard FileManager.default.createFile(atPath: path, contents: Data()) else {
                throw BenchError(.harness, file: path, message: "cannot create the recovery's scratch file")
            }
            return
        }
        let cut = last + 4 + Int64(max(1, corpus.lengths.last! / 2))
        try FileManager.default.copyItem(atPath: corpus.path, toPath: path)
        chmod(path, 0o600)  // the copy keeps the log's mode, and a user's log may be read-only
        guard truncate(path, off_t(cut)) == 0 else {
            throw FlumeLogError(.io, file: path, message: "cannot cut the copy", errno: errno)
        }
        // Written back now, so the timed recovery syncs its cut, not the copy.
        let descriptor = open(path, O_RDWR)
        defer { close(descriptor) }
        guard descriptor >= 0, fsync(descriptor) == 0 else {
            throw FlumeLogError(.io, file: path, message: "cannot sync the copy", errno: errno)
        }
    }

    private func removeScratch(_ path: String) throws {
        for file in [path, path + ".views"] where FileManager.default.fileExists(atPath: file) {
            try FileManager.default.removeItem(atPath: file)
        }
    }
}

/// Keeps a value alive so the optimizer cannot drop the work that made it.
@inline(never)
func blackHole(_ bytes: [UInt8]) -> Int { bytes.count }
