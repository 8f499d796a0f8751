#include "flume_uring.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#if defined(__linux__) && __has_include(<linux/io_uring.h>)
#include <linux/io_uring.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

struct flume_uring {
    int fd;
    unsigned *sq_head, *sq_tail, *sq_array, sq_mask, sq_entries;
    unsigned *cq_head, *cq_tail, cq_mask;
    struct io_uring_sqe *sqes;
    struct io_uring_cqe *cqes;
    void *sq_ring, *cq_ring;
    size_t sq_ring_size, cq_ring_size, sqes_size;
    unsigned queued;
    int registered;
};

int flume_uring_probe(void) {
    struct io_uring_params params;
    memset(&params, 0, sizeof params);
    int fd = (int)syscall(__NR_io_uring_setup, 1, &params);
    if (fd < 0) return errno;
    close(fd);
    return 0;
}

flume_uring *flume_uring_open(unsigned entries, int *error) {
    struct io_uring_params params;
    memset(&params, 0, sizeof params);
    int fd = (int)syscall(__NR_io_uring_setup, entries, &params);
    if (fd < 0) { *error = errno; return NULL; }
    flume_uring *ring = calloc(1, sizeof *ring);
    if (!ring) { close(fd); *error = ENOMEM; return NULL; }
    ring->fd = fd;
    ring->sq_ring_size = params.sq_off.array + params.sq_entries * sizeof(unsigned);
    ring->cq_ring_size = params.cq_off.cqes + params.cq_entries * sizeof(struct io_uring_cqe);
    int single = (params.features & IORING_FEAT_SINGLE_MMAP) != 0;
    if (single) {
        if (ring->cq_ring_size > ring->sq_ring_size) ring->sq_ring_size = ring->cq_ring_size;
        ring->cq_ring_size = ring->sq_ring_size;
    }
    ring->sq_ring = mmap(NULL, ring->sq_ring_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQ_RING);
    if (ring->sq_ring == MAP_FAILED) goto fail;
    ring->cq_ring = single ? ring->sq_ring
        : mmap(NULL, ring->cq_ring_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_CQ_RING);
    if (ring->cq_ring == MAP_FAILED) { ring->cq_ring = NULL; goto fail; }
    ring->sqes_size = params.sq_entries * sizeof(struct io_uring_sqe);
    ring->sqes = mmap(NULL, ring->sqes_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQES);
    if (ring->sqes == MAP_FAILED) { ring->sqes = NULL; goto fail; }
    char *sq = ring->sq_ring, *cq = ring->cq_ring;
    ring->sq_head = (unsigned *)(sq + params.sq_off.head);
    ring->sq_tail = (unsigned *)(sq + params.sq_off.tail);
    ring->sq_array = (unsigned *)(sq + params.sq_off.array);
    ring->sq_mask = *(unsigned *)(sq + params.sq_off.ring_mask);
    ring->sq_entries = params.sq_entries;
    ring->cq_head = (unsigned *)(cq + params.cq_off.head);
    ring->cq_tail = (unsigned *)(cq + params.cq_off.tail);
    ring->cq_mask = *(unsigned *)(cq + params.cq_off.ring_mask);
    ring->cqes = (struct io_uring_cqe *)(cq + params.cq_off.cqes);
    return ring;
fail:
    *error = errno;
    flume_uring_close(ring);
    return NULL;
}

void flume_uring_close(flume_uring *ring) {
    if (!ring) return;
    if (ring->sqes) munmap(ring->sqes, ring->sqes_size);
    if (ring->cq_ring && ring->cq_ring != ring->sq_ring) munmap(ring->cq_ring, ring->cq_ring_size);
    if (ring->sq_ring && ring->sq_ring != MAP_FAILED) munmap(ring->sq_ring, ring->sq_ring_size);
    close(ring->fd);
    free(ring);
}

int flume_uring_register_buffer(flume_uring *ring, void *base, size_t length) {
    struct iovec vector = { .iov_base = base, .iov_len = length };
    if (syscall(__NR_io_uring_register, ring->fd, IORING_REGISTER_BUFFERS, &vector, 1) < 0) return -errno;
    ring->registered = 1;
    return 0;
}

int flume_uring_queue_read(flume_uring *ring, int fd, void *buffer, unsigned length, uint64_t offset, uint64_t tag, int registered) {
    unsigned tail = *ring->sq_tail;
    unsigned head = __atomic_load_n(ring->sq_head, __ATOMIC_ACQUIRE);
    if (tail - head >= ring->sq_entries) return -EBUSY;
    unsigned index = tail & ring->sq_mask;
    struct io_uring_sqe *sqe = &ring->sqes[index];
    memset(sqe, 0, sizeof *sqe);
    sqe->opcode = registered && ring->registered ? IORING_OP_READ_FIXED : IORING_OP_READ;
    sqe->fd = fd;
    sqe->addr = (uint64_t)(uintptr_t)buffer;
    sqe->len = length;
    sqe->off = offset;
    sqe->buf_index = 0;
    sqe->user_data = tag;
    ring->sq_array[index] = index;
    __atomic_store_n(ring->sq_tail, tail + 1, __ATOMIC_RELEASE);
    ring->queued++;
    return 0;
}

int flume_uring_submit(flume_uring *ring, unsigned wait_for) {
    for (;;) {
        unsigned flags = wait_for ? IORING_ENTER_GETEVENTS : 0;
        long done = syscall(__NR_io_uring_enter, ring->fd, ring->queued, wait_for, flags, NULL, 0);
        if (done >= 0) { ring->queued -= (unsigned)done; return (int)done; }
        if (errno != EINTR) return -errno;
    }
}

int flume_uring_take(flume_uring *ring, uint64_t *tag, int32_t *result) {
    unsigned head = *ring->cq_head;
    unsigned tail = __atomic_load_n(ring->cq_tail, __ATOMIC_ACQUIRE);
    if (head == tail) return 0;
    struct io_uring_cqe *cqe = &ring->cqes[head & ring->cq_mask];
    *tag = cqe->user_data;
    *result = cqe->res;
    __atomic_store_n(ring->cq_head, head + 1, __ATOMIC_RELEASE);
    return 1;
}

#else

int flume_uring_probe(void) { return ENOSYS; }
flume_uring *flume_uring_open(unsigned entries, int *error) { (void)entries; *error = ENOSYS; return NULL; }
void flume_uring_close(flume_uring *ring) { (void)ring; }
int flume_uring_register_buffer(flume_uring *ring, void *base, size_t length) { (void)ring; (void)base; (void)length; return -ENOSYS; }
int flume_uring_queue_read(flume_uring *ring, int fd, void *buffer, unsigned length, uint64_t offset, uint64_t tag, int registered) {
    (void)ring; (void)fd; (void)buffer; (void)length; (void)offset; (void)tag; return -ENOSYS;
}
int flume_uring_submit(flume_uring *ring, unsigned wait_for) { (void)ring; (void)wait_for; return -ENOSYS; }
int flume_uring_take(flume_uring *ring, uint64_t *tag, int32_t *result) { (void)ring; (void)tag; (void)result; return 0; }

#endif
