// A minimal io_uring for file reads: raw system calls against the kernel's own header, so
// FlumeLog links no extra library (liburing is not needed to build or run it). Elsewhere
// than Linux every call fails with ENOSYS and the `uring` strategy reads with pread(2).
#ifndef FLUME_URING_H
#define FLUME_URING_H

#include <stddef.h>
#include <stdint.h>

typedef struct flume_uring flume_uring;

/// A ring of `entries` submission slots, or NULL with the reason in `*error` (an errno).
flume_uring *flume_uring_open(unsigned entries, int *error);
/// Whether the kernel sets up a ring for this process: 0, or the error it gave. Nothing is
/// mapped: cheaper than opening a ring to ask.
int flume_uring_probe(void);
void flume_uring_close(flume_uring *ring);

/// Registers one buffer, so reads into it skip pinning its pages on every call; 0 or -errno.
int flume_uring_register_buffer(flume_uring *ring, void *base, size_t length);

/// Queues a read of `length` bytes at `offset` into `buffer` (`registered`: inside the
/// registered buffer, when one is); 0, or -EBUSY when every submission slot is taken.
int flume_uring_queue_read(flume_uring *ring, int fd, void *buffer, unsigned length, uint64_t offset, uint64_t tag, int registered);

/// Hands every queued read to the kernel and waits until at least `wait_for` completions are
/// ready; the count submitted or -errno.
int flume_uring_submit(flume_uring *ring, unsigned wait_for);

/// Takes one completion when one is ready: 1 with its tag and result (bytes read or -errno), else 0.
int flume_uring_take(flume_uring *ring, uint64_t *tag, int32_t *result);

#endif
