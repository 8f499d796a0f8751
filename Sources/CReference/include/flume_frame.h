// One offset-log frame, validated as FlumeLog validates it, for the C and C++ references:
// header-only, so each reference's walk compiles to the same tight loop.
#ifndef FLUME_FRAME_H
#define FLUME_FRAME_H

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

// The first `end` bytes of the file at `path` mapped read-only and advised sequential.
// Returns the mapping; NULL with *error 0 when `end` is 0 (nothing to walk), NULL with
// *error -2 when the file cannot be opened or mapped or is shorter than `end`.
static inline const uint8_t *flume_map_log(const char *path, int64_t end, int64_t *error) {
    *error = end == 0 ? 0 : -2;
    if (end <= 0) return NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size < end) { close(fd); return NULL; }
    void *base = mmap(NULL, (size_t)end, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (base == MAP_FAILED) return NULL;
    madvise(base, (size_t)end, MADV_SEQUENTIAL);
    return (const uint8_t *)base;
}

static inline uint32_t flume_load_be32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return __builtin_bswap32(v);
}

static inline int64_t flume_load_trailer(const uint8_t *p, int width) {
    switch (width) {
    case 4: return flume_load_be32(p);
    case 6: return ((int64_t)((p[0] << 8) | p[1]) << 32) | flume_load_be32(p + 2);
    default: return ((int64_t)flume_load_be32(p) << 32) | flume_load_be32(p + 4);
    }
}

// Where the frame at `offset` ends, or -1 when it is not a whole valid frame before `end`
// (leading length == trailing length, trailer == offset + length + 8 + width). Its payload
// is `length` bytes at base + offset + 4.
static inline int64_t flume_frame_next(const uint8_t *base, int64_t offset, int64_t end, int width, int64_t *length) {
    if (end - offset < 8 + width) return -1;
    int64_t size = flume_load_be32(base + offset);
    int64_t next = offset + size + 8 + width;
    if (next > end || flume_load_be32(base + offset + 4 + size) != size ||
        flume_load_trailer(base + offset + 8 + size, width) != next) return -1;
    *length = size;
    return next;
}

#endif
