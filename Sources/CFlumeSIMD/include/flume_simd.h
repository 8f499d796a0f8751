// Byte searches and base64 decoding Swift cannot vectorize by itself. The byte search takes 16
// bytes per step with SSE2 (every x86-64) or NEON (every arm64), a byte at a time elsewhere, and
// is in this header so that Swift inlines it.
#ifndef FLUME_SIMD_H
#define FLUME_SIMD_H

#include <stddef.h>
#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#elif defined(__ARM_NEON)
#include <arm_neon.h>
#endif

/// How many of `bytes[0 ..< count]` come before the first quote, backslash or byte below 0x20:
/// the plain run of a JSON string's content (`count` when the run fills it).
static inline __attribute__((always_inline)) size_t flume_json_plain_run(const uint8_t *bytes, size_t count) {
    size_t index = 0;
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), control = _mm_set1_epi8(0x1F);
    for (; index + 16 <= count; index += 16) {
        __m128i chunk = _mm_loadu_si128((const __m128i *)(bytes + index));
        // max(b, 0x1F) == 0x1F exactly when b <= 0x1F (unsigned).
        __m128i stops = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, quote), _mm_cmpeq_epi8(chunk, backslash)),
                                     _mm_cmpeq_epi8(_mm_max_epu8(chunk, control), control));
        unsigned mask = (unsigned)_mm_movemask_epi8(stops);
        if (mask != 0) return index + (size_t)__builtin_ctz(mask);
    }
#elif defined(__ARM_NEON)
    const uint8x16_t quote = vdupq_n_u8('"'), backslash = vdupq_n_u8('\\'), space = vdupq_n_u8(0x20);
    for (; index + 16 <= count; index += 16) {
        uint8x16_t chunk = vld1q_u8(bytes + index);
        uint8x16_t stops = vorrq_u8(vorrq_u8(vceqq_u8(chunk, quote), vceqq_u8(chunk, backslash)), vcltq_u8(chunk, space));
        if (vmaxvq_u8(stops) != 0) break;
    }
#endif
    for (; index < count; index++) {
        uint8_t byte = bytes[index];
        if (byte == '"' || byte == '\\' || byte < 0x20) return index;
    }
    return count;
}

/// Whether `bytes[0 ..< count]` hold no quote, backslash or byte below 0x20: the content of a
/// JSON string whose length is known in advance (an SSB id). From 16 bytes on, every 16-byte
/// step (the last one overlapping the one before) is checked and one branch decides: nothing
/// waits on where a stop is, as it does in `flume_json_plain_run`.
static inline __attribute__((always_inline)) int flume_json_is_plain(const uint8_t *bytes, size_t count) {
#if defined(__SSE2__)
    if (count >= 16) {
        const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), control = _mm_set1_epi8(0x1F);
        __m128i stops = _mm_setzero_si128();
        for (size_t index = 0;; index += 16) {
            if (index + 16 > count) index = count - 16;
            __m128i chunk = _mm_loadu_si128((const __m128i *)(bytes + index));
            stops = _mm_or_si128(stops, _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, quote), _mm_cmpeq_epi8(chunk, backslash)),
                                                     _mm_cmpeq_epi8(_mm_max_epu8(chunk, control), control)));
            if (index + 16 == count) break;
        }
        return _mm_movemask_epi8(stops) == 0;
    }
#endif
    return flume_json_plain_run(bytes, count) == count;
}

/// Decodes the 43 base64 digits of a 32-byte SSB identifier (`text[0 ..< 43]`, with 5 more
/// bytes readable after them) into `out`, and the 2 bits the last digit carries past the 32
/// bytes into `*extra`. Returns 0 when a digit is not of the standard alphabet. 16 digits a
/// step where the CPU has SSSE3 (a table lookup per digit was 12 % of reading a view's
/// messages); a digit at a time elsewhere. Not inlined: SSSE3 is not in x86-64's baseline.
int flume_base64_decode_digest(const uint8_t *text, uint8_t out[32], uint8_t *extra);

/// The same, a digit at a time: what CPUs without SSSE3 run (and the tests compare with).
int flume_base64_decode_digest_portable(const uint8_t *text, uint8_t out[32], uint8_t *extra);

#endif
