/// A pointer handed to concurrent workers that each write their own elements (the validator's
/// batches, verify's passes): the workers' disjoint writes are what make it safe, which the
/// compiler cannot see.
package struct UnsafeSendable<Value>: @unchecked Sendable {
    package let value: Value
    package init(_ value: Value) { self.value = value }
}
