#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension BenchmarkResults {
    /// A case's rate as a ratio to a reference doing the essential work on the same log in
    /// the same rounds (paired by repetition, median): 1.00 means as fast as the reference,
    /// above 1 faster. Views are measured against simdjson pulling the fields they read,
    /// `ssb_validate` against libsodium verifying the same signatures.
    public struct ReferenceRatio: Sendable {
        public var measured: CaseResult
        public var reference: CaseResult
        /// Messages per second, the case's and the reference's (the same messages).
        public var rate: Double
        public var referenceRate: Double
        /// The reference's time over the case's, paired by repetition (median).
        public var ratio: Double
    }

    /// Every case of an operation `matching` paired with `reference` on its corpus and cache.
    public func referenceRatios(to reference: ReferenceKind, matching: (Operation) -> Bool) -> [ReferenceRatio] {
        let references = cases.filter { $0.operation == .reference(reference) }
        return cases.compactMap { measured in
            guard case .operation(let operation) = measured.operation, matching(operation),
                  let reference = references.first(where: { $0.corpus == measured.corpus && $0.cache == measured.cache }) else { return nil }
            guard !reference.seconds.isEmpty, !measured.seconds.isEmpty,
                  measured.statistics.median > 0, reference.statistics.median > 0 else { return nil }
            let messages = Double(measured.records)
            return ReferenceRatio(measured: measured, reference: reference, rate: messages / measured.statistics.median,
                                  referenceRate: messages / reference.statistics.median, ratio: reference.timeRatio(over: measured))
        }
    }

    /// The report's sections: views against simdjson, ssb-validate against libsodium, verify's
    /// process against cat's, with the targets.
    func referenceRatioSections() -> String {
        var text = ""
        let views = referenceRatios(to: .simdjsonFields) { $0.rebuildsViews }
        if !views.isEmpty {
            text += "\n## Views against simdjson (field extraction)\n\n"
            text += "simdjson On-Demand reads `key`, `value.author`, `value.sequence`, `value.timestamp` and `value.content.type` "
            text += "out of every message of the same log over mmap, in the same rounds: the JSON field-extraction bound. "
            text += "It runs in a helper process (`flumebench-simdjson`) that times the extraction alone, without its start. "
            text += "A view's ratio is its rate over the reference's (paired by round, median; above 1.00 is faster). "
            text += "Targets: `view_last` ≥ 1.00, `view_all` (last, keys, clock and types) ≥ 0.67. "
            text += "`views_rebuild_process` is `flumebench views rebuild` as a user runs it: a process of its own, all five "
            text += "views (links too), their state files written and synced.\n\n"
            text += table(views, heading: "view", referenceName: "simdjson")
        }
        let validation = referenceRatios(to: .libsodiumVerify) { $0 == .ssbValidate }
        if !validation.isEmpty {
            let everyCore = referenceRatios(to: .libsodiumVerifyEveryCore) { $0 == .ssbValidate }
            text += "\n## ssb-validate against libsodium (Ed25519)\n\n"
            text += "libsodium verifies the Ed25519 signature of every message of the same log, in the same rounds, its inputs "
            text += "(key, signature, signed text) gathered before the clock starts: on one core, and split over every core (the "
            text += "most any validator verifying with libsodium could reach on this machine: its cores may not scale, as two "
            text += "vCPUs sharing a physical core do not). `ssb_validate` does everything `flumebench ssb-validate` does "
            text += "(parsing, key hashes, fields, chains) on every core. Target: ≥ 1.60 the one-core rate on 2 cores.\n\n"
            text += "| operation | corpus | cache | messages/s | libsodium messages/s | ratio | libsodium, all cores | scaling | of all cores |\n"
            text += "|---|---|---|---:|---:|---:|---:|---:|---:|\n"
            for entry in validation {
                let ceiling = everyCore.first { $0.measured.id == entry.measured.id }
                text += "| \(entry.measured.operation) | \(entry.measured.corpus) | \(entry.measured.cache.rawValue) | "
                text += "\(Formatting.count(entry.rate)) | \(Formatting.count(entry.referenceRate)) | \(Formatting.decimal(entry.ratio)) | "
                if let ceiling {
                    text += "\(Formatting.count(ceiling.referenceRate)) | \(Formatting.decimal(ceiling.referenceRate / entry.referenceRate))x | "
                    text += "\(Formatting.decimal(ceiling.ratio)) |\n"
                } else {
                    text += "- | - | - |\n"
                }
            }
        }
        let verifies = referenceRatios(to: .catProcess) { $0.verifiesInOwnProcess }
        if !verifies.isEmpty {
            text += "\n## verify as a process, against cat\n\n"
            text += "`flumebench verify LOG --strategy S` as a user runs it (start-up, one validating pass, the summary, exit) "
            text += "beside `cat LOG > /dev/null` run the same way in the same rounds: what a process that reads the file once "
            text += "costs here; `every strategy` is plain `flumebench verify LOG` (`verify_all_process`: a pass under each "
            text += "strategy, their results compared). The multiple is verify's time over cat's (paired by round, median; "
            text += "1.00x is as fast as cat). `every strategy, --manifest` is `flumebench verify LOG --manifest M` "
            text += "(`verify_manifest_process`: every field of the corpus's golden manifest, every strategy), with the peak "
            text += "resident memory it prints. Targets: on the 1 GiB corpus, `buffered` ≤ 1.15x cat, every strategy ≤ 3.5x, "
            text += "`--manifest` under 3 s and 300 MB; on a log of about a thousand records (start-up is most of it), under 3 ms.\n\n"
            text += "| corpus | strategy | cache | verify | cat | multiple of cat | peak memory |\n|---|---|---|---:|---:|---:|---:|\n"
            for entry in verifies {
                let strategy = switch entry.measured.operation {
                case .operation(.verifyAllProcess): "every strategy"
                case .operation(.verifyManifestProcess): "every strategy, --manifest"
                default: entry.measured.strategy.description
                }
                text += "| \(entry.measured.corpus) | \(strategy) | \(entry.measured.cache.rawValue) | "
                text += "\(Formatting.duration(entry.measured.statistics.median)) | \(Formatting.duration(entry.reference.statistics.median)) | "
                text += "\(Formatting.decimal(1 / entry.ratio))x | \(entry.measured.processPeakBytes.map { Formatting.bytes(Int64($0)) } ?? "—") |\n"
            }
        }
        return text
    }

    private func table(_ ratios: [ReferenceRatio], heading: String, referenceName: String) -> String {
        var text = "| \(heading) | corpus | strategy | cache | messages/s | \(referenceName) messages/s | ratio |\n|---|---|---|---|---:|---:|---:|\n"
        for entry in ratios {
            text += "| \(entry.measured.operation) | \(entry.measured.corpus) | \(entry.measured.strategy) | \(entry.measured.cache.rawValue) | "
            text += "\(Formatting.count(entry.rate)) | \(Formatting.count(entry.referenceRate)) | \(Formatting.decimal(entry.ratio)) |\n"
        }
        return text
    }
}
