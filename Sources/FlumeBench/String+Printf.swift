#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension String {
    /// C's `printf` formatting (`%.2f`, `%llu`, `%+.1f`) in the C locale: the report's figures
    /// without Foundation's `String(format:)`, which would link all of Foundation and ICU into
    /// the binary (about 250 more pages of relocations at every start).
    package init(printf format: String, _ arguments: any CVarArg...) {
        let length = Int(withVaList(arguments) { vsnprintf(nil, 0, format, $0) })
        guard length > 0 else { self = ""; return }
        self = String(unsafeUninitializedCapacity: length + 1) { buffer in
            buffer.withMemoryRebound(to: CChar.self) { characters in
                _ = withVaList(arguments) { vsnprintf(characters.baseAddress, length + 1, format, $0) }
            }
            return length
        }
    }
}
