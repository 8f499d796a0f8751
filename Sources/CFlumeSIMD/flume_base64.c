#include "flume_simd.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <tmmintrin.h>

// Wojciech Muła's base64 decoding: nibble tables tell the alphabet's ranges apart, one shuffle
// finds each digit's offset, two multiply-adds pack the 6-bit values.

/// 16 digits to 12 bytes at `out` (writes 16); false when one is not of the alphabet.
__attribute__((target("ssse3"))) static inline int decode16(__m128i digits, uint8_t *out) {
    const __m128i low_table = _mm_setr_epi8(0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x13, 0x1A, 0x1B, 0x1B, 0x1B, 0x1A);
    const __m128i high_table = _mm_setr_epi8(0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10);
    const __m128i offsets = _mm_setr_epi8(0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m128i slash = _mm_set1_epi8(0x2F);
    __m128i high = _mm_and_si128(_mm_srli_epi32(digits, 4), slash);
    __m128i low = _mm_and_si128(digits, slash);
    __m128i invalid = _mm_and_si128(_mm_shuffle_epi8(low_table, low), _mm_shuffle_epi8(high_table, high));
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(invalid, _mm_setzero_si128())) != 0xFFFF) return 0;
    __m128i values = _mm_add_epi8(digits, _mm_shuffle_epi8(offsets, _mm_add_epi8(_mm_cmpeq_epi8(digits, slash), high)));
    __m128i pairs = _mm_maddubs_epi16(values, _mm_set1_epi32(0x01400140));
    __m128i groups = _mm_madd_epi16(pairs, _mm_set1_epi32(0x00011000));
    __m128i bytes = _mm_shuffle_epi8(groups, _mm_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1));
    _mm_storeu_si128((__m128i *)out, bytes);
    return 1;
}

__attribute__((target("ssse3"))) static int decode_ssse3(const uint8_t *text, uint8_t out[32], uint8_t *extra) {
    uint8_t bytes[48];
    // Digits 32-42, then an 'A' (zero) in place of the byte after them: the last group's
    // third byte is then the 2 extra bits, shifted up by 6.
    __m128i last = _mm_loadu_si128((const __m128i *)(text + 32));
    // (The suffix's bytes in the last four lanes become 'A' too, so that they pass the check.)
    const __m128i past_digits = _mm_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, -1, -1, -1);
    last = _mm_or_si128(_mm_andnot_si128(past_digits, last), _mm_and_si128(past_digits, _mm_set1_epi8('A')));
    if (!decode16(_mm_loadu_si128((const __m128i *)text), bytes) || !decode16(_mm_loadu_si128((const __m128i *)(text + 16)), bytes + 12)
        || !decode16(last, bytes + 24)) return 0;
    __builtin_memcpy(out, bytes, 32);
    *extra = bytes[32] >> 6;
    return 1;
}
#endif

int flume_base64_decode_digest_portable(const uint8_t *text, uint8_t out[32], uint8_t *extra) {
    unsigned accumulated = 0, bits = 0, produced = 0, invalid = 0;
    for (int index = 0; index < 43; index++) {
        uint8_t c = text[index];
        int value = c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26
                  : c >= '0' && c <= '9' ? c - '0' + 52 : c == '+' ? 62 : c == '/' ? 63 : -1;
        if (value < 0) { invalid = 1; value = 0; }
        accumulated = (accumulated << 6) | (unsigned)value;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[produced++] = (uint8_t)(accumulated >> bits);
            accumulated &= (1u << bits) - 1;
        }
    }
    *extra = (uint8_t)accumulated;
    return !invalid;
}

int flume_base64_decode_digest(const uint8_t *text, uint8_t out[32], uint8_t *extra) {
#if defined(__x86_64__)
    static int has_ssse3 = -1;  // Any thread may find it out first: the same answer.
    int known = __atomic_load_n(&has_ssse3, __ATOMIC_RELAXED);
    if (__builtin_expect(known < 0, 0)) {
        // CPUID itself, not `__builtin_cpu_supports`: that links libgcc's CPU model, whose
        // constructor runs a dozen CPUIDs at every start (each a VM exit under a hypervisor).
        unsigned a, b, c, d;
        known = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSSE3) ? 1 : 0;
        __atomic_store_n(&has_ssse3, known, __ATOMIC_RELAXED);
    }
    if (known) return decode_ssse3(text, out, extra);
#endif
    return flume_base64_decode_digest_portable(text, out, extra);
}
