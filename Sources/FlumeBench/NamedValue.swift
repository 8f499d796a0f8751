/// A value written in results by its name (`forward_scan`, `mmap`, `read(2)`): decoding
/// refuses a name it does not know, naming it.
public protocol NamedValue: Codable, CustomStringConvertible {
    init?(name: String)
}

extension NamedValue {
    public init(from decoder: Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(name: name) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown name \(name)"))
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
