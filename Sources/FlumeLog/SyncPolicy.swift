/// When appends are made durable with `fsync`. Without it a crash can lose acknowledged
/// appends (recovery then drops them as a torn tail); with it each sync costs a disk flush.
public enum SyncPolicy: String, Sendable, CaseIterable {
    /// Never sync on append; call `sync()` yourself. JS flumelog-offset behaves this way.
    case none
    /// Every append, single or batch, is durable when it returns.
    case eachAppend
    /// Batches are durable when they return; single appends wait for the next batch or `sync()`.
    case eachBatch
}
