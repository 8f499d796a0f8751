#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Error {
    /// Why a file operation failed, as a person reads it: the system's words for a Foundation
    /// file error with a POSIX cause ("No such file or directory"), else the error itself.
    package var reason: String {
        let posix = (self as? POSIXError) ?? ((self as? CocoaError)?.underlying as? POSIXError)
        if let posix { return String(cString: strerror(posix.code.rawValue)) }
        return "\(self)"
    }
}
