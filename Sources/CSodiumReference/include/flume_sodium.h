// The references `ssb-validate` is measured against: libsodium's Ed25519 verification of the
// same messages' signatures, on one core and on every core (Debian's libsodium-dev, installed
// by scripts/install-deps). Benchmark-only: nothing the tool ships verifies with it.
#ifndef FLUME_SODIUM_H
#define FLUME_SODIUM_H

#include <stdint.h>

/// Verifies `count` signatures: `keys` holds 32 bytes per message, `signatures` 64, and the
/// signed texts lie back to back in `texts`, message i ending at `text_ends[i]`. Returns how
/// many verify, or -1 when libsodium cannot start.
int64_t flume_sodium_verify_all(const uint8_t *keys, const uint8_t *signatures, const uint8_t *texts,
                                const int64_t *text_ends, int64_t count);

/// Verifies messages `first` ..< `first + count` of the same layout (one thread's share).
int64_t flume_sodium_verify_range(const uint8_t *keys, const uint8_t *signatures, const uint8_t *texts,
                                  const int64_t *text_ends, int64_t first, int64_t count);

#endif
