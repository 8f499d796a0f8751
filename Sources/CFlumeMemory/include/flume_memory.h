// What Swift cannot say about memory by itself: a prefetch hint.
#ifndef FLUME_MEMORY_H
#define FLUME_MEMORY_H

/// Asks the CPU to bring the cache line holding `address` in, without waiting for it and
/// without faulting (an address outside any mapping is ignored).
static inline __attribute__((always_inline)) void flume_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// Reads one byte at `address`, which the compiler may not drop: a page not yet mapped is
/// faulted in (and the pages around it, the kernel's fault-around), so prefetches for it land
/// (a prefetch to an unmapped page is dropped).
static inline __attribute__((always_inline)) void flume_touch(const void *address) {
    (void)*(const volatile char *)address;
}

#endif
