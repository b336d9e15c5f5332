#pragma once
// Finds tabs and newlines 64 bytes at a time (a bit per byte), the way simdjson/simdcsv do, so the
// flat file parser touches each byte once instead of calling memchr per field. SSE2 is part of
// x86-64; other targets use the portable loop.

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace mb::settlement {

// Bit i is set when p[i] is '\t' or '\n', for the 64 bytes at p (all readable).
inline uint64_t DelimiterMask64(const char* p) {
#if defined(__SSE2__)
  const __m128i tab = _mm_set1_epi8('\t');
  const __m128i nl = _mm_set1_epi8('\n');
  uint64_t mask = 0;
  for (int i = 0; i < 4; ++i) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, nl));
    mask |= uint64_t(uint32_t(_mm_movemask_epi8(hit)) & 0xFFFFu) << (16 * i);
  }
  return mask;
#else
  uint64_t mask = 0;
  for (int i = 0; i < 64; ++i) {
    if (p[i] == '\t' || p[i] == '\n') mask |= uint64_t(1) << i;
  }
  return mask;
#endif
}

// Same for the last n < 64 bytes: copied into a zeroed block so nothing past the end is read.
inline uint64_t DelimiterMaskTail(const char* p, size_t n) {
  char block[64] = {};
  std::memcpy(block, p, n);
  return DelimiterMask64(block);
}

}  // namespace mb::settlement
