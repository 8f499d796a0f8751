// SHA-256 with the x86 SHA extensions (SHA-NI), for hashing gigabytes of log data (manifest
// verification hashes every record and the whole stream): swift-crypto's BoringSSL takes its
// AVX path here, these instructions run level with OpenSSL's SHA-NI path (measured side by
// side). `flume_sha256_accelerated()` says whether the CPU has them; the caller hashes
// another way when it does not.
#ifndef FLUME_SHA256_H
#define FLUME_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t state[8];
    uint64_t length;
    uint8_t buffer[64];
    uint32_t buffered;
} flume_sha256;

/// Whether this CPU has the SHA extensions (and SSE4.1), so the functions below may be used.
int flume_sha256_accelerated(void);
void flume_sha256_init(flume_sha256 *hash);
void flume_sha256_update(flume_sha256 *hash, const void *bytes, size_t count);
/// Two updates at once (two hashes, each its own bytes), their blocks compressed side by side:
/// about twice the rate of two updates one after the other. `a` and `b` must differ.
void flume_sha256_update_pair(flume_sha256 *a, const void *bytesA, size_t countA,
                              flume_sha256 *b, const void *bytesB, size_t countB);
void flume_sha256_final(flume_sha256 *hash, uint8_t digest[32]);

#endif
