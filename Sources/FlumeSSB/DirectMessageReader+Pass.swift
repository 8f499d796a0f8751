import FlumeJSON

#if canImport(Glibc)
import Glibc
#endif

extension DirectMessageReader {
    /// The value's member names in the two orders ssb-validate allows.
    static let memberOrders: [[StaticString]] = [
        ["\"previous\"", "\"author\"", "\"sequence\"", "\"timestamp\"", "\"hash\"", "\"content\"", "\"signature\""],
        ["\"previous\"", "\"sequence\"", "\"author\"", "\"timestamp\"", "\"hash\"", "\"content\"", "\"signature\""],
    ]

    /// One read: a cursor over the payload and one over the signed text.
    struct Pass {
        typealias Declined = DirectMessageReader.Declined

        let base: UnsafePointer<UInt8>
        var p: UnsafePointer<UInt8>
        let end: UnsafePointer<UInt8>
        var out: UnsafeMutablePointer<UInt8>
        let outStart: UnsafeMutablePointer<UInt8>
        let outEnd: UnsafeMutablePointer<UInt8>
        let names: UnsafeMutablePointer<Range<Int>>
        let nameCapacity: Int
        var nameCount = 0
        var isASCII = true
        var numberText: [UInt8] = []

        init(base: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>, out: UnsafeMutablePointer<UInt8>,
             outEnd: UnsafeMutablePointer<UInt8>, names: UnsafeMutablePointer<Range<Int>>, nameCapacity: Int) {
            self.base = base
            p = base
            self.end = end
            self.out = out
            outStart = out
            self.outEnd = outEnd
            self.names = names
            self.nameCapacity = nameCapacity
        }

        mutating func message() throws(Declined) -> Fields {
            var fields = Fields()
            try take(UInt8(ascii: "{"))
            try takeName("\"key\"")
            fields.key = try plainString()
            try take(UInt8(ascii: ","))
            try takeName("\"value\"")
            try take(UInt8(ascii: "{"))
            try write(UInt8(ascii: "{"))
            var order = DirectMessageReader.memberOrders[0]
            for index in 0..<7 {
                if index > 0 { try take(UInt8(ascii: ",")) }
                skipSpace()
                if index == 1, matches("\"sequence\"") { order = DirectMessageReader.memberOrders[1] }
                let name = order[index]
                try takeName(name)
                if index == 6 {
                    fields.signature = try plainString()
                    break
                }
                if index > 0 { try write(UInt8(ascii: ",")) }
                try newline(depth: 1)
                try write(name.utf8Start, count: name.utf8CodeUnitCount)
                try write(UInt8(ascii: ":"))
                try write(UInt8(ascii: " "))
                skipSpace()
                switch index {
                case 0:
                    if p < end, p.pointee == UInt8(ascii: "n") {
                        try literal("null")
                    } else {
                        fields.previous = try plainString()
                        try copy(fields.previous!)
                    }
                case 1, 2:
                    if name.utf8CodeUnitCount == "\"author\"".utf8.count {
                        fields.author = try plainString()
                        try copy(fields.author)
                    } else {
                        let digits = try number()
                        fields.sequence = try integer(digits)
                        try copy(digits)
                    }
                case 3:
                    try copy(try number())
                case 4:
                    let hash = try plainString()
                    guard equals(hash, "\"sha256\"") else { throw Declined() }
                    try copy(hash)
                default:
                    if p < end, p.pointee == UInt8(ascii: "\"") {
                        fields.box = try plainString()
                        try copy(fields.box!)
                    } else {
                        guard p < end, p.pointee == UInt8(ascii: "{"),
                              let type = try object(depth: 1, findingType: true),
                              (3 + 2...52 + 2).contains(type.count) else { throw Declined() }
                    }
                }
            }
            try take(UInt8(ascii: "}"))
            try newline(depth: 0)
            try write(UInt8(ascii: "}"))
            // The receive timestamp: any JSON number, not part of the signed text.
            try take(UInt8(ascii: ","))
            try takeName("\"timestamp\"")
            skipSpace()
            _ = try number(canonical: false)
            try take(UInt8(ascii: "}"))
            skipSpace()
            guard p == end else { throw Declined() }
            fields.signedCount = out - outStart
            fields.isASCII = isASCII
            return fields
        }

        /// Any value, re-indented at `depth`.
        mutating func value(depth: Int) throws(Declined) {
            skipSpace()
            guard p < end else { throw Declined() }
            switch p.pointee {
            case UInt8(ascii: "{"): _ = try object(depth: depth, findingType: false)
            case UInt8(ascii: "["): try array(depth: depth)
            case UInt8(ascii: "\""): try copy(try string())
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default: try copy(try number())
            }
        }

        /// An object re-indented at `depth`; with `findingType`, the range of its `type` member
        /// when that is a plain string.
        mutating func object(depth: Int, findingType: Bool) throws(Declined) -> Range<Int>? {
            guard try open(UInt8(ascii: "{"), UInt8(ascii: "}"), depth: depth) else { return nil }
            let firstName = nameCount
            defer { nameCount = firstName }
            var type: Range<Int>?
            while true {
                try newline(depth: depth + 1)
                skipSpace()
                guard p < end, p.pointee == UInt8(ascii: "\"") else { throw Declined() }
                let name = try string()
                try checkName(name, from: firstName)
                try copy(name)
                try take(UInt8(ascii: ":"))
                try write(UInt8(ascii: ":"))
                try write(UInt8(ascii: " "))
                if findingType, equals(name, "\"type\"") {
                    skipSpace()
                    if p < end, p.pointee == UInt8(ascii: "\"") {
                        let mark = p
                        type = try? plainString()
                        p = mark
                    }
                }
                try value(depth: depth + 1)
                if try closes(UInt8(ascii: "}"), depth: depth) { return type }
            }
        }

        /// Past an object's or array's opening bracket (`p` on it): writes it, and false with
        /// the closing one too when the container is empty.
        mutating func open(_ opening: UInt8, _ closing: UInt8, depth: Int) throws(Declined) -> Bool {
            guard depth < DirectMessageReader.maximumDepth else { throw Declined() }
            p += 1
            skipSpace()
            try write(opening)
            guard p < end, p.pointee == closing else { return true }
            p += 1
            try write(closing)
            return false
        }

        /// After a member or element: true past the container's closing bracket (written on a
        /// line of its own), false past a comma (more follow).
        mutating func closes(_ closing: UInt8, depth: Int) throws(Declined) -> Bool {
            skipSpace()
            guard p < end else { throw Declined() }
            if p.pointee == UInt8(ascii: ",") {
                p += 1
                try write(UInt8(ascii: ","))
                return false
            }
            guard p.pointee == closing else { throw Declined() }
            p += 1
            try newline(depth: depth)
            try write(closing)
            return true
        }

        /// Declines names JS would reorder (array indexes) or merge (repeats); records the name.
        mutating func checkName(_ name: Range<Int>, from firstName: Int) throws(Declined) {
            if name.count > 2, isDigit(base[name.lowerBound + 1]) { throw Declined() }
            for index in firstName..<nameCount {
                let other = names[index]
                if other.count == name.count, memcmp(base + other.lowerBound, base + name.lowerBound, name.count) == 0 {
                    throw Declined()
                }
            }
            guard nameCount < nameCapacity else { throw Declined() }
            names[nameCount] = name
            nameCount += 1
        }

        mutating func array(depth: Int) throws(Declined) {
            guard try open(UInt8(ascii: "["), UInt8(ascii: "]"), depth: depth) else { return }
            while true {
                try newline(depth: depth + 1)
                try value(depth: depth + 1)
                if try closes(UInt8(ascii: "]"), depth: depth) { return }
            }
        }

        // MARK: Writing

        @inline(__always)
        mutating func write(_ byte: UInt8) throws(Declined) {
            guard out < outEnd else { throw Declined() }
            out.pointee = byte
            out += 1
        }

        @inline(__always)
        mutating func write(_ bytes: UnsafePointer<UInt8>, count: Int) throws(Declined) {
            guard outEnd - out >= count else { throw Declined() }
            out.update(from: bytes, count: count)
            out += count
        }

        mutating func copy(_ range: Range<Int>) throws(Declined) {
            try write(base + range.lowerBound, count: range.count)
        }

        mutating func newline(depth: Int) throws(Declined) {
            guard outEnd - out > 2 * depth else { throw Declined() }
            out.pointee = 0x0A
            (out + 1).update(repeating: 0x20, count: 2 * depth)
            out += 1 + 2 * depth
        }
    }
}
