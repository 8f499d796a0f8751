import FlumeJSON
import FlumeSSB

/// What `ssb-validate`'s direct path must do with any bytes: decline, or give the texts and
/// fields JS gives. Wherever `DirectMessageReader` vouches for a record, `JSON.parse` (the
/// `JSValue` path) must read it too, to the same signed text, latin1 text, key, author and
/// sequence, byte for byte; no signature is needed to compare them, so mutated messages are
/// checked as deeply as signed ones.
package enum MessageOracle {
    package static func check(_ bytes: UnsafeRawBufferPointer) throws {
        var reader = DirectMessageReader()
        guard let fields = try? reader.read(bytes) else { return }
        func finding(_ what: String) -> FuzzOracle.Finding { FuzzOracle.Finding(description: "the direct reader vouched for a record \(what)") }
        guard let record = try? JSValue.parse(bytes), case .object(let envelope) = record,
              case .object(let value)? = envelope["value"] else { throw finding("JSON.parse does not read as an envelope") }
        let signedText = Array(UnsafeBufferPointer(start: reader.signedText, count: fields.signedCount))
        guard signedText == SSBMessageText.signedText(of: value) else { throw finding("whose signed text JS writes otherwise") }
        let latin1 = reader.latin1Text(of: fields, in: bytes).map { Array(UnsafeBufferPointer(start: reader.latin1Text, count: $0)) }
        guard latin1 == nil || latin1 == JSValue.object(value).stringify(indent: 2, encoding: .latin1) else {
            throw finding("whose latin1 text JS writes otherwise")
        }
        func text(_ range: Range<Int>) -> String { DirectMessageReader.string(range, in: bytes) }
        guard text(fields.key) == envelope["key"]?.stringValue, text(fields.author) == value["author"]?.stringValue,
              Double(fields.sequence) == value["sequence"]?.numberValue,
              fields.previous.map(text) == value["previous"]?.stringValue,
              fields.box.map(text) == value["content"]?.stringValue else { throw finding("whose fields JS reads otherwise") }
    }
}
