// Fast forward scans over header text: find the first byte that leaves a character class.
// SSE2 (x86-64) or SWAR (other little-endian targets) with a byte-at-a-time tail, and a portable
// loop everywhere else. Never reads outside [p, p + n).
#ifndef BATON_DETAIL_SCAN_HPP
#define BATON_DETAIL_SCAN_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "baton/detail/charset.hpp"
#include "baton/detail/config.hpp"

#if BATON_USE_SSE2
#include <emmintrin.h>
#endif

BATON_BEGIN_NAMESPACE
namespace detail {

inline unsigned count_trailing_zeros(std::uint64_t x) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  return static_cast<unsigned>(__builtin_ctzll(x));
#else
  unsigned n = 0;
  while ((x & 1) == 0) {
    x >>= 1;
    ++n;
  }
  return n;
#endif
}

#if BATON_USE_SWAR && !BATON_USE_SSE2
/// Bit 7 of each byte set where the byte of x is zero; the lowest set bit is exact (borrows
/// only travel upward from a zero byte), which is all a "first match" search needs.
inline std::uint64_t swar_zero_bytes_lowest(std::uint64_t x) noexcept {
  return (x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull;
}
#endif

/// Index of the first byte in [i, n) that is not a tracestate value character (0x20-0x7E
/// except ',' and '='), or n.
inline std::size_t skip_tracestate_value(const char* p, std::size_t i, std::size_t n) noexcept {
#if BATON_USE_SSE2
  const __m128i below = _mm_set1_epi8(0x20);  // signed: bytes >= 0x80 are negative, so below too
  const __m128i del = _mm_set1_epi8(0x7f);
  const __m128i comma = _mm_set1_epi8(',');
  const __m128i equals = _mm_set1_epi8('=');
  for (; i + 16 <= n; i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i bad =
        _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(x, below), _mm_cmpeq_epi8(x, del)),
                     _mm_or_si128(_mm_cmpeq_epi8(x, comma), _mm_cmpeq_epi8(x, equals)));
    const int mask = _mm_movemask_epi8(bad);
    if (mask != 0) return i + count_trailing_zeros(static_cast<std::uint64_t>(mask));
  }
#elif BATON_USE_SWAR
  constexpr std::uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t x;
    std::memcpy(&x, p + i, 8);
    // < 0x20 (hasless), >= 0x7f (bit 7 of x or of x + 1), ',' and '=' (zero after XOR).
    const std::uint64_t bad = ((x - ones * 0x20) & ~x & high) | ((x | (x + ones)) & high) |
                              swar_zero_bytes_lowest(x ^ (ones * ',')) |
                              swar_zero_bytes_lowest(x ^ (ones * '='));
    if (bad != 0) return i + count_trailing_zeros(bad) / 8;
  }
#endif
  while (i < n && has_class(p[i], cc_tracestate_value)) ++i;
  return i;
}

/// Index of the first byte in [i, n) that is not a tracestate key character (a-z 0-9 _ - * /
/// @), or n.
inline std::size_t skip_tracestate_key(const char* p, std::size_t i, std::size_t n) noexcept {
#if BATON_USE_SSE2
  for (; i + 16 <= n; i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i lower = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('a' - 1)),
                                        _mm_cmplt_epi8(x, _mm_set1_epi8('z' + 1)));
    const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
                                        _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)));
    const __m128i marks = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('_')), _mm_cmpeq_epi8(x, _mm_set1_epi8('-'))),
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('*')),
                                  _mm_cmpeq_epi8(x, _mm_set1_epi8('/'))),
                     _mm_cmpeq_epi8(x, _mm_set1_epi8('@'))));
    const int good = _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(lower, digit), marks));
    if (good != 0xffff) {
      return i + count_trailing_zeros(static_cast<std::uint64_t>(~good & 0xffff));
    }
  }
#endif
  while (i < n && has_class(p[i], cc_tracestate_key)) ++i;
  return i;
}

}  // namespace detail
BATON_END_NAMESPACE

#endif  // BATON_DETAIL_SCAN_HPP
