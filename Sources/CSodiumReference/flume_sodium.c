#include "flume_sodium.h"

#include <sodium.h>

int64_t flume_sodium_verify_range(const uint8_t *keys, const uint8_t *signatures, const uint8_t *texts,
                                  const int64_t *text_ends, int64_t first, int64_t count) {
    if (sodium_init() < 0) return -1;
    int64_t valid = 0, start = first > 0 ? text_ends[first - 1] : 0;
    for (int64_t i = first; i < first + count; i++) {
        if (crypto_sign_verify_detached(signatures + 64 * i, texts + start, (unsigned long long)(text_ends[i] - start), keys + 32 * i) == 0) valid++;
        start = text_ends[i];
    }
    return valid;
}

int64_t flume_sodium_verify_all(const uint8_t *keys, const uint8_t *signatures, const uint8_t *texts,
                                const int64_t *text_ends, int64_t count) {
    return flume_sodium_verify_range(keys, signatures, texts, text_ends, 0, count);
}
