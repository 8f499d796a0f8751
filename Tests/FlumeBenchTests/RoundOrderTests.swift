@testable import FlumeBench
import FlumeLog
import XCTest

/// The order of each round's cases: every case once, and no strategy always first of its group.
final class RoundOrderTests: XCTestCase {
    private let list: [BenchmarkRunner.Plan] = {
        let strategies: [ReaderStrategy.Kind] = [.buffered, .mmap, .pread, .uring]
        var plans: [BenchmarkRunner.Plan] = []
        for corpus in ["medium", "synthetic-fixed-1k"] {
            for operation in [Operation.forwardScan, .reverseScan] {
                plans += strategies.map { .init(operation: .operation(operation), corpus: corpus, strategy: .reader($0), cache: .cold) }
            }
        }
        plans.append(.reference(.readCopy, corpus: "medium", cache: .cold))
        plans.append(.reference(.cFrameWalk, corpus: "medium", cache: .cold))
        return plans
    }()

    func testEveryRoundRunsEveryCaseOnce() {
        for round in 0..<9 {
            let order = BenchmarkRunner.roundOrder(list, round: round, repetitions: 5)
            XCTAssertEqual(order.map(\.id).sorted(), list.map(\.id).sorted(), "round \(round)")
        }
    }

    /// Over four rounds each of the four strategies of a group is first of it once, and a
    /// group's cases stay together, the runner-up's pairs beside the fastest's.
    func testEachStrategyTakesEachPlaceOfItsGroup() {
        var firsts: [String: Set<String>] = [:]
        for round in 0..<4 {
            let order = BenchmarkRunner.roundOrder(list, round: round, repetitions: 5)
            for (index, plan) in order.enumerated() where index == 0 || !plan.differsOnlyInStrategy(from: order[index - 1]) {
                firsts["\(plan.operation)/\(plan.corpus)", default: []].insert("\(plan.strategy)")
                let group = order[index...].prefix { $0.differsOnlyInStrategy(from: plan) }
                XCTAssertEqual(group.count, plan.operation.operation == nil ? 1 : 4, "round \(round): \(plan.id)")
            }
        }
        XCTAssertEqual(firsts["forward_scan/medium"], ["buffered", "mmap", "pread", "uring"])
        XCTAssertEqual(firsts["reverse_scan/synthetic-fixed-1k"], ["buffered", "mmap", "pread", "uring"])
    }
}
