import FlumeLog
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension BenchmarkResults {
    /// The report a person reads: verdicts first, then the comparisons, then the details.
    public func markdown() -> String {
        let most = cases.map(\.seconds.count).max() ?? repetitions
        let roundsText = most > repetitions ? "\(repetitions) to \(most) (more where a verdict was unsettled)" : "\(repetitions)"
        var text = """
            # flumebench: suite `\(suite)`

            \(suiteDescription)

            Run `\(runID)` at commit `\(machine.gitCommit)`, \(roundsText) interleaved repetitions per case, \
            \(String(printf: "%.0f", totalSeconds)) s in all.\(injections.isEmpty ? "" : " **Injected regressions: \(injections.joined(separator: ", ")) (a gate test run).**")

            """
        let conformanceFailures = self.conformanceFailures.count
        let checksumFailures = self.checksumFailures.count
        text += "## Verdict\n\n"
        text += "- Conformance matrix: \(conformance.count - conformanceFailures) of \(conformance.count) cells conform"
        text += conformanceFailures == 0 ? ".\n" : " — **\(conformanceFailures) do not** (see the matrix).\n"
        text += "- Checksums: \(cases.count - checksumFailures) of \(cases.count) cases read exactly the golden data"
        text += checksumFailures == 0 ? ".\n" : " — **\(checksumFailures) did not**: \(self.checksumFailures.prefix(5).map { "`\($0.id)`" }.joined(separator: ", ")).\n"
        text += "- Times are compared as ratios to references measured in the same run (the gate does the same); "
        text += "absolute times on shared machines drift between runs.\n"
        let notCold = cases.filter { $0.notCold == true }
        if !notCold.isEmpty {
            text += "- **\(notCold.count) cold cases started with more than 5 % of the file cached** (not cold; see their residency): "
            text += notCold.prefix(5).map { "`\($0.id)`" }.joined(separator: ", ") + ".\n"
        }
        text += "\n" + verdictTable()
        let strategyCharts = strategyCharts()
        if !strategyCharts.isEmpty {
            text += "<details><summary>The verdicts drawn: per operation, each strategy's time over the fastest's, with 95 % whiskers</summary>\n\n"
            for chart in strategyCharts { text += "![\(chart.name)](charts/\(chart.name))\n\n" }
            text += "</details>\n\n"
        }
        text += """
            ## Machine

            | machine | |
            |---|---|
            | CPU | \(machine.cpuModel), \(machine.cores) cores |
            | memory | \(machine.memoryGiB) GiB; single-core read bandwidth \(String(printf: "%.1f", memoryBandwidthGBps)) GB/s (this run) |
            | kernel, filesystem | \(machine.kernel), \(machine.filesystem ?? "unknown") |
            | Swift, jemalloc | \(machine.swiftVersion ?? "unknown"), \(machine.jemalloc) |
            | io_uring | \(machine.ioUringUnavailable.map { "unavailable (\($0)): the `uring` strategy read with pread(2)" } ?? "available") |


            """

        text += "## Corpora\n\n| corpus | kind | format | size | records |\n|---|---|---|---:|---:|\n"
        for corpus in corpora {
            let format = corpus.format.map { $0 == "offset" ? "offset, \(corpus.trailerBits)-bit" : $0 } ?? "offset, \(corpus.trailerBits)-bit"
            let from = corpus.convertedFrom.map { " (\($0)'s records)" } ?? ""
            text += "| \(corpus.name) | \(corpus.kind) | \(format)\(from) | \(Formatting.bytes(corpus.fileBytes)) | \(corpus.records) |\n"
        }
        text += formatComparison()

        text += "\n## References (measured in this run)\n\n"
        text += "Every case's **ratio** is its time over its reference's time in the same repetition (median of the pairs): "
        text += "`mmap` cases against the C frame walk over mmap, all others against read(2) copy-out of the same file.\n\n"
        let referenceKinds = ReferenceKind.allCases.filter { kind in cases.contains { $0.operation == .reference(kind) } }
        if referenceKinds.contains(.readCopyBackward) {
            text += "The copy-out from the end (cold, where reverse scans are measured) is no case's reference: "
            text += "reverse scans against forward are set beside it.\n\n"
        }
        text += "| corpus | cache | " + referenceKinds.map(\.title).joined(separator: " | ") + " |\n|---|---|"
        text += referenceKinds.map { _ in "---:|" }.joined() + "\n"
        let references = Dictionary(grouping: cases.filter(\.isReference)) { GroupKey(corpus: $0.corpus, cache: $0.cache) }
        for key in references.keys.sorted() {
            let rates = referenceKinds.map { kind in
                references[key]!.first { $0.operation == .reference(kind) }
                    .map { String(printf: "%.2f GB/s (%.4f s)", $0.throughputMBps / 1000, $0.statistics.median) } ?? "—"
            }
            text += "| \(key.corpus) | \(key.cache.rawValue) | " + rates.joined(separator: " | ") + " |\n"
        }

        text += referenceRatioSections()
        text += reverseScanComparison()

        for chart in charts() where !chart.name.hasPrefix("strategies-") { text += "\n![\(chart.name)](charts/\(chart.name))\n" }

        text += "\n## Strategy comparison (median ratio to reference; lower is better)\n\n"
        let comparable = cases.filter { $0.strategy.readerKind != nil }
        let strategies = ReaderStrategy.Kind.allCases.filter { kind in comparable.contains { $0.strategy == .reader(kind) } }
        text += "Each strategy's ratio is to its own reference (mmap's to the C walk, the others' to read(2)): for the gate. "
        text += "Which strategy is fastest is the verdict table's question, answered from times paired by round.\n\n"
        text += "| operation | corpus | cache | " + strategies.map(\.rawValue).joined(separator: " | ") + " | verdict |\n"
        text += "|---|---|---|" + strategies.map { _ in "---:|" }.joined() + "---|\n"
        let grouped = Dictionary(grouping: comparable) { GroupKey(operation: $0.operation, corpus: $0.corpus, cache: $0.cache) }
        for key in grouped.keys.sorted() {
            let rows = grouped[key]!
            let cells = strategies.map { kind in
                rows.first { $0.strategy == .reader(kind) }?.medianRatio.map { String(printf: "%.2f", $0) } ?? "—"
            }
            let verdict = verdicts?.first { $0.operation == key.operation?.description && $0.corpus == key.corpus && $0.cache == key.cache.rawValue }
            let best = verdict.map { $0.significant ? $0.fastest : "~" } ?? "—"
            text += "| \(key.operation!) | \(key.corpus) | \(key.cache.rawValue) | " + cells.joined(separator: " | ") + " | \(best) |\n"
        }

        text += "\n## Every case\n\nPer operation, with a **Relative** column: median time over the fastest case of the same operation, corpus and cache (1.00 = fastest).\n"
        let fastest = fastestMedianByGroup()
        let measured = Operation.allCases.map(CaseOperation.operation) + ReferenceKind.allCases.map(CaseOperation.reference)
        for operation in measured {
            let rows = cases.filter { $0.operation == operation }
            guard !rows.isEmpty else { continue }
            text += "\n### \(operation)\n\n| corpus | strategy | cache | median s | MAD s | min–max s | MB/s | Relative | ratio | allocs/record | checks |\n"
            text += "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n"
            for row in rows {
                let relative = fastest[row.groupKey].map { String(printf: "%.2f", row.statistics.median / $0) } ?? "—"
                text += "| \(row.corpus) | \(row.strategy) | \(row.cache.rawValue) | \(String(printf: "%.4f", row.statistics.median)) | "
                text += "\(String(printf: "%.4f", row.statistics.mad)) | \(String(printf: "%.4f–%.4f", row.statistics.min, row.statistics.max)) | "
                text += "\(row.bytes > 0 ? String(printf: "%.0f", row.throughputMBps) : "—") | \(relative) | \(row.medianRatio.map { String(printf: "%.2f", $0) } ?? "—") | "
                text += "\(row.allocationsPerRecord.map { String(printf: "%.3f", $0) } ?? "—") | \(row.conforms ? "ok" : "**WRONG DATA**") |\n"
            }
        }

        text += "\n## Conformance matrix\n\nRows: logs (the compatibility corpus written by JS, and generated corpora, negative ones included); columns: reader strategies. "
        text += "A negative corpus conforms when every strategy reports the error its manifest expects.\n\n"
        let matrixStrategies = ReaderStrategy.Kind.allCases.map(\.rawValue).filter { name in conformance.contains { $0.strategy == name } }
        text += "| log | source | " + matrixStrategies.joined(separator: " | ") + " | note |\n|---|---|" + matrixStrategies.map { _ in ":---:|" }.joined() + "---|\n"
        let byLog = Dictionary(grouping: conformance, by: \.log)
        for log in byLog.keys.sorted() {
            let cells = byLog[log]!
            let marks = matrixStrategies.map { name in
                cells.first { $0.strategy == name || $0.strategy == ConformanceCell.everyStrategy }.map { $0.conforms ? "✓" : "✗" } ?? "—"
            }
            let note = cells.first { !$0.conforms }?.detail ?? cells.first { $0.detail != "conforms" }?.detail ?? ""
            text += "| \(log) | \(cells[0].source) | " + marks.joined(separator: " | ") + " | \(note.replacing("|", with: "\\|")) |\n"
        }

        text += "\n## Allocations and system calls (one repetition)\n\n"
        text += "| case | allocations | per record | bytes allocated | peak | read syscalls | syscalls/MB | minor faults |\n|---|---:|---:|---:|---:|---:|---:|---:|\n"
        for row in cases where !row.isReference {
            text += "| `\(row.id)` | \(row.allocations.map(String.init) ?? "—") | \(row.allocationsPerRecord.map { String(printf: "%.3f", $0) } ?? "—") | "
            text += "\(row.allocatedBytes.map { Formatting.bytes(Int64($0)) } ?? "—") | \(row.peakBytes.map { Formatting.bytes(Int64($0)) } ?? row.processPeakBytes.map { Formatting.bytes(Int64($0)) + " (process RSS)" } ?? "—") | "
            text += "\(row.readSyscalls) | \(String(printf: "%.1f", row.readSyscallsPerMB)) | \(row.minorFaults) |\n"
        }
        if let instructions, !instructions.isEmpty {
            text += "\n## Instructions (callgrind)\n\nEach case once in a process of its own under callgrind, less a process that starts and stops: "
            text += "the same on any machine, so the gate holds it tightly.\n\n| case | instructions | whole process | start-up |\n|---|---:|---:|---:|\n"
            for count in instructions {
                text += "| `\(count.id)` | \(count.instructions) | \(count.processInstructions) | \(count.startupInstructions) |\n"
            }
        } else if let instructionsNote {
            text += "\n## Instructions (callgrind)\n\n\(instructionsNote)\n"
        }
        text += "\nFiles: `results.json` (everything, lossless), `results.csv` (one row per case, fixed columns), `charts/`.\n"
        return text
    }
}
