#include "flume_reference.h"
#include "flume_frame.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static inline uint64_t rotl(uint64_t value, int count) { return (value << count) | (value >> (64 - count)); }

static inline uint64_t finalize(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static inline uint64_t record_checksum(int64_t offset, const uint8_t *payload, int64_t length) {
    uint64_t a = 0x9E3779B97F4A7C15ULL ^ (uint64_t)offset;
    uint64_t b = (uint64_t)length;
    int64_t i = 0;
    for (; i + 16 <= length; i += 16) {
        uint64_t w0, w1;
        memcpy(&w0, payload + i, 8);
        memcpy(&w1, payload + i + 8, 8);
        a = (a ^ w0) * 0x00000100000001B3ULL;
        b = rotl(b + w1, 29);
    }
    for (; i < length; i++) b = (b ^ payload[i]) * 0x00000100000001B3ULL;
    return finalize(a ^ rotl(b, 17));
}

flume_reference_walk_result flume_reference_walk_mmap(const char *path, int width, int64_t end) {
    flume_reference_walk_result result = {0, 0, -1, 0};
    int64_t error;
    const uint8_t *base = flume_map_log(path, end, &error);
    if (base == NULL) { result.error_offset = error == 0 ? -1 : error; return result; }
    int64_t offset = 0;
    while (offset < end) {
        int64_t length;
        int64_t next = flume_frame_next(base, offset, end, width, &length);
        if (next < 0) { result.error_offset = offset; break; }
        // The harness's checksum of every payload byte (PayloadChecksum.record in Swift), so
        // the reference does the same work as the measured cases and is checked the same way.
        result.payload_sum += record_checksum(offset, base + offset + 4, length);
        result.records += 1;
        result.payload_bytes += length;
        offset = next;
    }
    munmap((void *)base, (size_t)end);
    return result;
}

flume_reference_walk_result flume_reference_walk_aaol_mmap(const char *path, int64_t block_size, int64_t end) {
    flume_reference_walk_result result = {0, 0, -1, 0};
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) { result.error_offset = -2; return result; }
    struct stat st;
    if (fstat(fd, &st) != 0 || block_size < 16) {
        close(fd);
        result.error_offset = -2;
        return result;
    }
    const int64_t size = st.st_size - st.st_size % block_size;
    if (end <= 0 || size == 0) { close(fd); return result; }
    const uint8_t *base = mmap(NULL, (size_t)size, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (base == MAP_FAILED) { result.error_offset = -2; return result; }
    madvise((void *)base, (size_t)size, MADV_SEQUENTIAL);
    for (int64_t block = 0; block < size && block < end; block += block_size) {
        int64_t at = 0;
        while (at + 2 <= block_size - 2) {
            int64_t length = base[block + at] | (base[block + at + 1] << 8);
            if (length == 0) break;  // end-of-block marker
            if (at + 2 + length > block_size - 2) { result.error_offset = block + at; goto done; }
            // Deleted records (all-zero payloads) count too, as the measured scans yield them.
            result.payload_sum += record_checksum(block + at, base + block + at + 2, length);
            result.records += 1;
            result.payload_bytes += length;
            at += 2 + length;
        }
    }
done:
    munmap((void *)base, (size_t)size);
    return result;
}

static inline int64_t load_be64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return (int64_t)__builtin_bswap64(v);
}

static const uint8_t *map_whole(const char *path, int64_t *size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0) { close(fd); return NULL; }
    *size = st.st_size;
    if (st.st_size == 0) { close(fd); return (const uint8_t *)""; }
    const uint8_t *base = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (base == MAP_FAILED) return NULL;
    madvise((void *)base, (size_t)st.st_size, MADV_SEQUENTIAL);
    return base;
}

flume_reference_walk_result flume_reference_walk_offset2_mmap(const char *directory, int64_t count) {
    flume_reference_walk_result result = {0, 0, -1, 0};
    char data_path[4096], ofst_path[4096];
    if (snprintf(data_path, sizeof data_path, "%s/data", directory) >= (int)sizeof data_path ||
        snprintf(ofst_path, sizeof ofst_path, "%s/ofst", directory) >= (int)sizeof ofst_path) {
        result.error_offset = -2;
        return result;
    }
    int64_t data_size = 0, ofst_size = 0;
    const uint8_t *data = map_whole(data_path, &data_size);
    const uint8_t *ofst = map_whole(ofst_path, &ofst_size);
    if (data == NULL || ofst == NULL || ofst_size / 8 < count) {
        result.error_offset = -2;
        goto done;
    }
    for (int64_t seq = 0; seq < count; seq++) {
        int64_t offset = load_be64(ofst + seq * 8);
        if (offset < 0 || offset > data_size - 8) { result.error_offset = seq; break; }
        int64_t size = load_be64(data + offset);
        int64_t length = size < 0 ? -size : size;
        if (size == INT64_MIN || length > data_size - offset - 8) { result.error_offset = seq; break; }
        // Nulled entries count too, as the measured scans yield them.
        result.payload_sum += record_checksum(seq, data + offset + 8, length);
        result.records += 1;
        result.payload_bytes += length;
    }
done:
    if (data != NULL && data_size > 0) munmap((void *)data, (size_t)data_size);
    if (ofst != NULL && ofst_size > 0) munmap((void *)ofst, (size_t)ofst_size);
    return result;
}

int64_t flume_reference_read_copy(const char *path, size_t buffer_size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    void *buffer = NULL;
    if (posix_memalign(&buffer, 4096, buffer_size) != 0) { close(fd); return -1; }
    // Sequential, as the buffered and pread readers advise: on a cold file the kernel's
    // readahead then matches theirs, so the reference stays the bound for them.
    posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    int64_t total = 0;
    for (;;) {
        ssize_t got = read(fd, buffer, buffer_size);
        if (got < 0) {
            if (errno == EINTR) continue;
            total = -1;
            break;
        }
        if (got == 0) break;
        total += got;
    }
    free(buffer);
    close(fd);
    return total;
}

uint64_t flume_reference_memory_sum(const void *base, size_t size) {
    const uint64_t *words = base;
    size_t count = size / 8;
    uint64_t a = 0, b = 0, c = 0, d = 0;
    size_t i = 0;
    for (; i + 4 <= count; i += 4) {
        a += words[i]; b += words[i + 1]; c += words[i + 2]; d += words[i + 3];
    }
    for (; i < count; i++) a += words[i];
    return a + b + c + d;
}
