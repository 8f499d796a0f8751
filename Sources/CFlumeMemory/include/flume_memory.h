// What Swift cannot say about memory by itself: a prefetch hint.
#ifndef FLUME_MEMORY_H
#define FLUME_MEMORY_H

/// Asks the CPU to bring the cache line holding `address` in, without waiting for it and
/// without faulting (an address outside any mapping is ignored).
static inline __attribute__((always_inline)) void flume_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
