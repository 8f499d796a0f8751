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
    /// What JS writes before the first member's name (`JSON.stringify(_, null, 2)`): a line
    /// break and the object's indentation.
    static var indentation: StaticString { get }
    /// What JS writes between members: a comma, then `indentation`.
    static var separator: StaticString { get }
}
