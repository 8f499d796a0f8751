/// An object's members that a scan reads, each told apart by its name: `taken` takes a name
/// as the writer lays it out (with one compare, `JSONScanner.take`), `init` tells apart a name
/// read in full. A protocol, not closures, so that `forEachMember(of:)` calls both directly and
/// the compiler inlines them.
package protocol KnownMember {
    /// The member whose name and colon are at the cursor, taken; nil (nothing taken) when the
    /// name is not one of these or not written as expected.
    static func taken(_ scanner: inout JSONScanner) -> Self?
    /// The member `name` names.
    init(_ name: JSONString)
}
