// What Swift cannot say about memory by itself: a prefetch hint, and what the page cache holds.
#ifndef FLUME_MEMORY_H
#define FLUME_MEMORY_H

#include <stdint.h>
#if defined(__linux__)
#include <unistd.h>
#include <sys/syscall.h>
#endif

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

/// How many pages of the `length` bytes at `offset` of file `fd` the page cache holds, or -1
/// when the kernel will not say: `cachestat(2)` (Linux 6.5; number 451 on every architecture,
/// which older C headers do not name) is missing, or refuses a file the caller may not write.
static inline long long flume_cached_pages(int fd, uint64_t offset, uint64_t length) {
#if defined(__linux__)
    struct { uint64_t off, len; } range = { offset, length };
    struct { uint64_t cache, dirty, writeback, evicted, recently_evicted; } stat;
    if (syscall(451, fd, &range, &stat, 0) != 0) return -1;
    return (long long)stat.cache;
#else
    (void)fd; (void)offset; (void)length;
    return -1;
#endif
}

#endif
