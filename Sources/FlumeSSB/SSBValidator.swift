import CSodium
import FlumeBIPF
import FlumeJSON
import FlumeLog
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Checks that a log holds valid SSB: every record a `{"key","value","timestamp"}` envelope,
/// every message signed by its author, its key the hash of its text (latin1 rule), and every
/// feed a chain of `previous` links and consecutive sequence numbers. Private messages are
/// checked as envelopes (their boxed content cannot be read without the recipient's key).
/// Read-only; messages are checked in parallel, chains in log order.
public struct SSBValidator: Sendable {
    public struct Report: Sendable {
        public var messages = 0
        public var privateMessages = 0
        public var deletedRecords = 0
        public var feeds = 0
        /// Feeds whose first message in this log is not their sequence 1 (a partial replica).
        public var feedsStartingLater = 0
        /// With `allowsGaps`: the places a feed's sequence skipped ahead, and the messages
        /// missing there.
        public var gaps = 0
        public var missingMessages = 0
        /// The end of the last whole record read (bytes past it in an offset log: a torn tail).
        public var end: Int64 = 0
        /// Messages that passed on the direct path (no `JSValue`); the rest took the `JSValue` path.
        public var checkedDirectly = 0
        public var failure: SSBError?
        public var isValid: Bool { failure == nil }
    }

    public let path: String
    public let format: LogFormat
    public var strategy: ReaderStrategy = .standard
    /// Whether messages go the direct way first (`checkDirect`); off, every message is parsed
    /// into a `JSValue` and stringified.
    public var directPath = true
    /// Whether a feed's sequence may skip ahead (`SSBError.Code.sequenceGap`): the gaps are
    /// counted in the report instead. The message after a gap cannot have its `previous`
    /// checked.
    public var allowsGaps = false

    /// A log of any format; an offset2 log's go-ssb payloads (legacy multimsg) are checked as
    /// the JS records they convert to, their signed text unchanged.
    public init(path: String, format: LogFormat) {
        self.path = path
        self.format = format
    }

    public init(path: String, width: TrailerWidth) {
        self.init(path: path, format: .offset(width))
    }

    /// libsodium's one-time start (thread-safe; it picks its fastest implementations).
    static let sodiumStarted = sodium_init() >= 0

    /// ssb-validate's limit on `JSON.stringify(value, null, 2).length`.
    public static let maximumMessageLength = 8192

    /// Validates the whole log, stopping at the first invalid message. `progress` is called
    /// with the bytes read so far.
    public func validate(progress: (Int64) -> Void = { _ in }) throws(FlumeLogError) -> Report {
        guard Self.sodiumStarted else {
            throw FlumeLogError(.io, file: path, message: "libsodium could not start (sodium_init failed)")
        }
        let log = try format.openReadOnly(path, strategy: strategy)
        let idName = format == .offset2 ? "seq" : "offset"
        var report = Report()
        var chains = ChainChecker(allowsGaps: allowsGaps)
        var batch: [ValidationBatch.Entry] = []
        var batchBytes = 0
        var inFlight: ValidationBatch?
        var failure: SSBError?
        /// A record that could not be read as a message (go-ssb or BIPF): reported unless a
        /// message before it fails.
        var unreadable: SSBError?

        /// Chain-checks a batch's outcomes in log order, once its signature checks are done.
        func finish(_ checked: ValidationBatch) {
            let outcomes = checked.outcomes()
            guard failure == nil else { return }
            for (entry, outcome) in zip(checked.entries, outcomes) {
                switch outcome {
                case .deleted:
                    report.deletedRecords += 1
                    chains.noteDeleted()
                case .invalid(let code, let key, let reason):
                    failure = SSBError(code, file: path, offset: entry.offset, key: key, reason: reason)
                    failure?.idName = idName
                case .valid(let message):
                    if let (code, reason) = chains.append(message) {
                        failure = SSBError(code, file: path, offset: entry.offset, key: message.key, reason: reason)
                        failure?.idName = idName
                    } else {
                        report.messages += 1
                        if message.checkedDirectly { report.checkedDirectly += 1 }
                        if message.isPrivate { report.privateMessages += 1 }
                    }
                }
                if failure != nil { break }
            }
        }

        /// Starts checking the batch read so far and finishes the one before it: reading and
        /// chain checks overlap the signature checks.
        func dispatch() {
            guard !batch.isEmpty else { return }
            let next = ValidationBatch(batch, directPath: directPath)
            next.start()
            if let inFlight { finish(inFlight) }
            inFlight = next
            batch = []
            batchBytes = 0
        }

        /// Everything read so far checked, in log order.
        func drain() {
            dispatch()
            if let inFlight { finish(inFlight) }
            inFlight = nil
        }

        var cursor = try log.records(.forward, from: .beginning, deleted: .visible)
        do throws(FlumeLogError) {
            while failure == nil, let record = try cursor.next() {
                if format == .offset2, GoSSBMessage.looksLikeMultimsg(record.payload) {
                    do {
                        batch.append((record.offset, try GoSSBMessage.jsRecord(of: record.payload, seq: record.offset, file: path)))
                    } catch {
                        unreadable = error
                        break
                    }
                } else if case .aaol = format, let first = record.payload.first, first != UInt8(ascii: "{"), !record.isDeleted {
                    // ssb-db2's log.bipf: the record as BIPF, checked as the JSON it decodes to
                    // (nothing for `undefined`).
                    var json: [UInt8] = []
                    guard (try? BIPF.appendJSON(of: record.payload, to: &json)) != nil, !json.isEmpty else {
                        unreadable = SSBError(.notJSON, file: path, offset: record.offset, key: nil, reason: "neither JSON nor BIPF that decodes to JSON")
                        break
                    }
                    batch.append((record.offset, json))
                } else {
                    batch.append((record.offset, Array(record.payload)))
                }
                batchBytes += record.length
                if batchBytes >= 4 << 20 || batch.count >= 8192 {
                    dispatch()
                    progress(record.offset)
                }
            }
        } catch {
            // Damage: a message before it that fails is the first problem.
            drain()
            if failure == nil { throw error }
        }
        drain()
        if failure == nil { failure = unreadable }
        report.failure = failure
        report.feeds = chains.feedCount
        report.feedsStartingLater = chains.feedsStartingLater
        report.gaps = chains.gaps
        report.end = log.end
        report.missingMessages = chains.missingMessages
        return report
    }

    package enum Outcome: Sendable {
        case deleted
        case valid(Message)
        case invalid(SSBError.Code, key: String?, reason: String)
    }

    /// What the chain check needs from a message that passed on its own.
    package struct Message: Sendable {
        package var key: String
        package var author: String
        package var sequence: Int
        package var previous: String?
        package var isPrivate: Bool
        package var checkedDirectly = false
    }

    /// One record on its own, the `JSValue` way: envelope, fields, key and signature.
    package static func check(_ payload: [UInt8], keys: inout PublicKeyCache) -> Outcome {
        precondition(sodiumStarted, "libsodium could not start")
        if !payload.isEmpty, payload.allSatisfy({ $0 == 0 }) { return .deleted }
        let record: JSValue
        do { record = try JSValue.parse(payload) } catch { return .invalid(.notJSON, key: nil, reason: "not JSON: \(error)") }
        guard case .object(let envelope) = record else { return .invalid(.invalidMessage, key: nil, reason: "the record is not a JSON object") }
        let key = envelope["key"]?.stringValue
        func invalid(_ reason: String) -> Outcome { .invalid(.invalidMessage, key: key, reason: reason) }
        guard let key else { return invalid("the record has no \"key\" string") }
        guard case .object(let value)? = envelope["value"] else { return invalid("the record has no \"value\" object") }
        guard envelope["timestamp"]?.numberValue != nil else { return invalid("the record has no receive \"timestamp\" number") }

        // The value's fields, in an order ssb-validate allows.
        let order = value.keys
        let allowed = [["previous", "author", "sequence", "timestamp", "hash", "content", "signature"],
                       ["previous", "sequence", "author", "timestamp", "hash", "content", "signature"]]
        guard allowed.contains(order) else {
            return invalid("the value's fields are \(order.joined(separator: ", ")); expected previous, author, sequence, timestamp, hash, content, signature")
        }
        guard let author = value["author"]?.stringValue else { return invalid("\"author\" is not a string") }
        guard let sequenceNumber = value["sequence"]?.numberValue, sequenceNumber >= 1,
              sequenceNumber == sequenceNumber.rounded(), sequenceNumber < 9_007_199_254_740_992 else {
            return invalid("\"sequence\" is not a positive integer")
        }
        let sequence = Int(sequenceNumber)
        let previous: String?
        switch value["previous"] {
        case .null?: previous = nil
        case .string(let text)?: previous = text.string
        default: return invalid("\"previous\" is neither null nor a message id")
        }
        if sequence == 1, previous != nil { return invalid("sequence 1 has a previous message") }
        if sequence > 1 {
            guard let previous, isMessageLink(previous) else {
                return invalid("sequence \(sequence) has no previous message id")
            }
        }
        guard value["timestamp"]?.numberValue != nil else { return invalid("\"timestamp\" is not a number") }
        guard value["hash"]?.stringValue == "sha256" else { return invalid("\"hash\" is not \"sha256\"") }
        var isPrivate = false
        switch value["content"] {
        case .object(let content)?:
            guard let type = content["type"]?.stringValue, (3...52).contains(type.utf16.count) else {
                return invalid("content has no \"type\" of 3 to 52 characters")
            }
        case .string(let boxed)?:
            guard isBoxed(boxed.string) else {
                return invalid("content is a string but not a private-message envelope (base64 + .box)")
            }
            isPrivate = true
        default: return invalid("content is neither an object nor a private-message envelope")
        }
        guard let signatureText = value["signature"]?.stringValue, let signature = signatureBytes(signatureText) else {
            return invalid("\"signature\" is not a base64 ed25519 signature")
        }

        let signedText = SSBMessageText.signedText(of: value)
        let latin1 = SSBMessageText.latin1Text(signedText: signedText, signature: signatureText)
            ?? JSValue.object(value).stringify(indent: 2, encoding: .latin1)
        guard latin1.count <= maximumMessageLength else {
            return invalid("the message is \(latin1.count) characters long; ssb-validate allows \(maximumMessageLength)")
        }
        let expectedKey = SSBMessageText.key(ofLatin1Text: latin1)
        guard expectedKey == key else {
            return invalid("the key is not the hash of the message (expected \(expectedKey), latin1 rule)")
        }
        guard let publicKey = keys.key(for: author) else { return invalid("\"author\" is not an ed25519 feed id") }
        guard crypto_sign_verify_detached(signature, signedText, UInt64(signedText.count), publicKey) == 0 else {
            return invalid("the signature does not verify with the author's key")
        }
        return .valid(Message(key: key, author: author, sequence: sequence, previous: previous, isPrivate: isPrivate))
    }

    /// Authors' public keys (32 bytes each), decoded once per worker.
    package struct PublicKeyCache {
        private var keys: [String: [UInt8]] = [:]

        package init() {}

        mutating func key(for author: String) -> [UInt8]? {
            if let known = keys[author] { return known }
            guard let raw = SSBValidator.publicKey(of: author) else { return nil }
            keys[author] = raw
            return raw
        }
    }

    /// Per-feed `previous` and `sequence` links, in log order.
    struct ChainChecker {
        private var heads: [String: (sequence: Int, key: String, deletedBefore: Int)] = [:]
        private var deletedSoFar = 0
        private(set) var feedsStartingLater = 0
        let allowsGaps: Bool
        private(set) var gaps = 0
        private(set) var missingMessages = 0
        var feedCount: Int { heads.count }

        init(allowsGaps: Bool) {
            self.allowsGaps = allowsGaps
        }

        mutating func noteDeleted() { deletedSoFar += 1 }

        /// Nil when the message continues its feed, else why not.
        mutating func append(_ message: Message) -> (SSBError.Code, String)? {
            defer { heads[message.author] = (message.sequence, message.key, deletedSoFar) }
            guard let head = heads[message.author] else {
                if message.sequence > 1 { feedsStartingLater += 1 }
                return nil
            }
            if message.sequence <= head.sequence {
                return (.brokenChain, "sequence \(message.sequence) of \(message.author) comes after sequence \(head.sequence) (a fork or a duplicate)")
            }
            let missing = message.sequence - head.sequence - 1
            if missing == 0 {
                guard message.previous == head.key else {
                    return (.brokenChain, "\"previous\" is \(message.previous ?? "null"), but the feed's sequence \(head.sequence) is \(head.key)")
                }
                return nil
            }
            // A gap is allowed only where deleted records could hold the missing messages.
            guard missing <= deletedSoFar - head.deletedBefore else {
                if allowsGaps {
                    gaps += 1
                    missingMessages += missing
                    return nil
                }
                return (.sequenceGap, "sequence \(message.sequence) of \(message.author) follows sequence \(head.sequence): \(missing) missing")
            }
            return nil
        }
    }
}
