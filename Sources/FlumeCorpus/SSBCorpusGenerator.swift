import Crypto
import FlumeJSON
import FlumeLog
import FlumeSSB
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch
import Synchronization

/// Writes a log of real, signed SSB messages as a user's `log.offset` holds them: feeds
/// interleaved in replication bursts, posts, votes, contacts, abouts and private (boxed)
/// messages, pretty-printed records before the style change and compact after, fractional
/// receive timestamps, `previous` chains, and deletions as JS `del()` leaves them. Messages
/// are planned in order from the seed, then signed in parallel (each feed's chain on one
/// worker), so the bytes do not depend on thread timing.
struct SSBCorpusGenerator {
    let recipe: CorpusRecipe
    let options: CorpusRecipe.SSBOptions

    /// Messages planned, signed and written together.
    private static let batchSize = 4096

    init(recipe: CorpusRecipe) {
        self.recipe = recipe
        self.options = recipe.ssb!
    }

    /// The feeds' key pairs: seeds drawn from the recipe seed, so ids are stable.
    static func feedKeys(seed: UInt64, count: Int) throws -> [SSBKeyPair] {
        var random = SplitMix64(seed: seed ^ 0x55AA_F00D_5EED_0001)
        return try (0..<count).map { _ in try SSBKeyPair(seed: random.bytes(32)) }
    }

    private struct Feed {
        let keys: SSBKeyPair
        var sequence = 0
        var head: String?
        var clock: Double
    }

    private struct Planned {
        var feed: Int
        var sequence: Int
        var timestamp: Double
        var received: Double
        var content: JSValue
        var pretty: Bool
        var legacyOrder: Bool
        var deleted: Bool
    }

    func write(to sink: inout CorpusSink, progress: (Int64) -> Void) throws {
        var random = SplitMix64(seed: recipe.seed)
        var feeds = try Self.feedKeys(seed: recipe.seed, count: options.feeds).enumerated().map { index, keys in
            Feed(keys: keys, clock: 1_420_070_400_000 + Double(index) * 3_600_000)
        }
        let mix = CorpusRecipe.SSBOptions.contentTypes.map { options.contentMix[$0] ?? 0 }
        let mixTotal = mix.reduce(0, +)
        var recentKeys: [String] = []
        var received: Double = 1_451_606_400_000
        let prettyShare = options.jsonStyle == "pretty" ? 1 : options.jsonStyle == "compact" ? 0 : (options.prettyShare ?? 0.4)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        var written = 0

        func done(_ extra: Int) -> Bool {
            if let count = recipe.recordCount, written + extra >= count { return true }
            if let target = recipe.targetBytes, sink.end >= target { return true }
            return false
        }

        while !done(0) {
            // 1. Plan a batch in order: which feed speaks, when, and what it says.
            var plan: [Planned] = []
            plan.reserveCapacity(Self.batchSize)
            // Near a byte target, plan only about what is still missing (at the mean size so far).
            var batchLimit = Self.batchSize
            if let target = recipe.targetBytes {
                let meanSize = written > 0 ? max(64, Int(sink.end) / written) : 700
                batchLimit = min(batchLimit, max(1, Int(target - sink.end) / meanSize / 2 + 1))
            }
            while plan.count < batchLimit, !done(plan.count) {
                let feed = random.below(feeds.count)
                let burst = 1 + random.below(options.maxBurst)
                for _ in 0..<burst where plan.count < batchLimit && !done(plan.count) {
                    feeds[feed].sequence += 1
                    feeds[feed].clock += Double(1_000 + random.below(3_600_000))
                    received += Double(1 + random.below(2_000))
                    let fraction = random.unit() < options.fractionalTimestamps ? Double(1 + random.below(999)) / 1000 : 0
                    let progressShare = recipe.targetBytes.map { Double(sink.end) / Double(max(1, $0)) }
                        ?? Double(written + plan.count) / Double(max(1, recipe.recordCount ?? 1))
                    let pretty = progressShare < prettyShare
                    plan.append(Planned(
                        feed: feed, sequence: feeds[feed].sequence, timestamp: feeds[feed].clock,
                        received: received + fraction,
                        content: content(kind: pick(mix, total: mixTotal, &random), author: feeds[feed].keys.id,
                                         feeds: feeds, recentKeys: recentKeys, random: &random),
                        pretty: pretty, legacyOrder: pretty && random.below(4) == 0,
                        deleted: options.deletions > 0 && random.unit() < options.deletions))
                }
            }

            // 2. Sign: each worker owns the feeds with index % workers == its number.
            let payloads = UnsafeMutableBufferPointer<(bytes: [UInt8], key: String)>.allocate(capacity: plan.count)
            payloads.initialize(repeating: ([], ""))
            defer { payloads.deinitialize(); payloads.deallocate() }
            let failure = ErrorBox()
            try feeds.withUnsafeMutableBufferPointer { feedStates in
                let shared = UnsafeSendable((feedStates, payloads))
                let plannedBatch = plan
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    let (feedStates, payloads) = shared.value
                    for (index, message) in plannedBatch.enumerated() where message.feed % workers == worker {
                        do {
                            payloads[index] = try Self.sign(message, feed: &feedStates[message.feed])
                        } catch {
                            failure.set(error)
                            return
                        }
                    }
                }
                if let error = failure.error { throw error }
            }

            // 3. Write in plan order.
            var batch: [[UInt8]] = []
            batch.reserveCapacity(plan.count)
            for (index, message) in plan.enumerated() {
                let bytes = payloads[index].bytes
                batch.append(message.deleted ? [UInt8](repeating: 0, count: bytes.count) : bytes)
            }
            try sink.append(batch, deleted: plan.map(\.deleted))
            written += plan.count
            for index in max(0, plan.count - 256)..<plan.count { recentKeys.append(payloads[index].key) }
            if recentKeys.count > 2048 { recentKeys.removeFirst(recentKeys.count - 2048) }
            progress(sink.end)
        }
    }

    private func pick(_ weights: [Double], total: Double, _ random: inout SplitMix64) -> Int {
        var point = random.unit() * total
        for (index, weight) in weights.enumerated() {
            if point < weight { return index }
            point -= weight
        }
        return weights.count - 1
    }

    /// One message's content; links point at messages and feeds that exist in the corpus.
    private func content(kind: Int, author: String, feeds: [Feed], recentKeys: [String],
                         random: inout SplitMix64) -> JSValue {
        func recentKey() -> JSValue {
            recentKeys.isEmpty ? .text("%" + random.base64(count: 43) + "=.sha256") : .text(recentKeys[random.below(recentKeys.count)])
        }
        switch CorpusRecipe.SSBOptions.contentTypes[kind] {
        case "post":
            // Mostly short, with a long tail (kept under ssb-validate's 8192 characters).
            let words = Int(min(1_100, 3 + random.unit() * random.unit() * random.unit() * 400))
            var post = JSObject(["type": .text("post"), "text": .text(random.words(words))])
            if random.below(2) == 0 {
                let root = recentKey()
                post["root"] = root
                post["branch"] = random.below(2) == 0 ? root : recentKey()
            }
            if random.below(5) == 0 {
                post["mentions"] = .array([.object(JSObject(["link": .text(feeds[random.below(feeds.count)].keys.id),
                                                             "name": .text(random.words(1))]))])
            }
            if random.below(6) == 0 { post["channel"] = .text(random.words(1)) }
            return .object(post)
        case "vote":
            return .object(JSObject(["type": .text("vote"),
                                     "vote": .object(JSObject(["link": recentKey(), "value": .number(1),
                                                               "expression": .text(random.below(3) == 0 ? "Dig" : "Like")]))]))
        case "contact":
            return .object(JSObject(["type": .text("contact"), "contact": .text(feeds[random.below(feeds.count)].keys.id),
                                     "following": .bool(random.below(10) != 0)]))
        case "about":
            var about = JSObject(["type": .text("about"), "about": .text(author), "name": .text(random.words(2))])
            if random.below(2) == 0 { about["description"] = .text(random.words(random.below(40))) }
            return .object(about)
        default:
            // A boxed private message: base64 ciphertext, as ssb stores it.
            return .text(random.base64(count: 4 * (40 + random.below(200))) + ".box")
        }
    }

    /// Signs one planned message on its feed's chain and returns the record's bytes.
    private static func sign(_ message: Planned, feed: inout Feed) throws -> (bytes: [UInt8], key: String) {
        var value = JSObject()
        value["previous"] = feed.head.map(JSValue.text) ?? .null
        if message.legacyOrder {
            value["sequence"] = .number(Double(message.sequence))
            value["author"] = .text(feed.keys.id)
        } else {
            value["author"] = .text(feed.keys.id)
            value["sequence"] = .number(Double(message.sequence))
        }
        value["timestamp"] = .number(message.timestamp)
        value["hash"] = .text("sha256")
        value["content"] = message.content
        value["signature"] = .text(try feed.keys.signature(for: SSBMessageText.signedText(of: value)))
        let key = SSBMessageText.key(of: value)
        feed.head = key
        let record = JSValue.object(JSObject(["key": .text(key), "value": .object(value), "timestamp": .number(message.received)]))
        return (record.stringify(indent: message.pretty ? 2 : 0), key)
    }
}

/// The first error a group of workers hit.
final class ErrorBox: Sendable {
    private let stored = Mutex<(any Error)?>(nil)

    var error: (any Error)? { stored.withLock { $0 } }

    func set(_ error: any Error) { stored.withLock { if $0 == nil { $0 = error } } }
}
