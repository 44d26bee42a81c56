// Byte scans for the baggage codec: the loops that touch every byte of a header. A value is a
// run of "plain" bytes (baggage-octets other than '%') broken by %XX escapes, so the hot loop is
// "find the first byte that is not plain": 16 bytes per step with SSE2, 8 with SWAR elsewhere on
// little-endian targets, one at a time otherwise. Every variant is compiled where possible so
// tests and fuzzers can compare them.
#ifndef BATON_DETAIL_BAGGAGE_SCAN_HPP
#define BATON_DETAIL_BAGGAGE_SCAN_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "baton/detail/charset.hpp"
#include "baton/detail/config.hpp"

// The same switch as every other SSE2 path (BATON_NO_SIMD and BATON_NO_SWAR turn it off).
#if BATON_USE_SSE2
#include <emmintrin.h>
#define BATON_BAGGAGE_SSE2 1
#else
#define BATON_BAGGAGE_SSE2 0
#endif

BATON_BEGIN_NAMESPACE
namespace detail {

/// 1 for a baggage-octet that is not '%': copied as is by the decoder and the encoder.
inline constexpr std::array<std::uint8_t, 256> baggage_plain = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0x21; c <= 0x7e; ++c) {
    if (c != '"' && c != ',' && c != ';' && c != '\\' && c != '%') {
      t[static_cast<std::size_t>(c)] = 1;
    }
  }
  return t;
}();

BATON_ALWAYS_INLINE bool is_baggage_plain(char c) noexcept {
  return baggage_plain[static_cast<unsigned char>(c)] != 0;
}

/// 1 for an RFC 7230 tchar (a byte table of its own: the key loop is the hottest byte loop).
inline constexpr std::array<std::uint8_t, 256> tchar_table = [] {
  std::array<std::uint8_t, 256> t{};
  for (std::size_t c = 0; c < 256; ++c) t[c] = (char_classes[c] & cc_tchar) != 0 ? 1 : 0;
  return t;
}();

BATON_ALWAYS_INLINE bool is_tchar(char c) noexcept {
  return tchar_table[static_cast<unsigned char>(c)] != 0;
}

/// First byte in [p, e) that is not plain, or e. Portable reference version.
inline const char* skip_plain_portable(const char* p, const char* e) noexcept {
  while (p < e && is_baggage_plain(*p)) ++p;
  return p;
}

/// Index of the lowest set bit (x != 0).
BATON_ALWAYS_INLINE unsigned lowest_bit(std::uint64_t x) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  return static_cast<unsigned>(__builtin_ctzll(x));
#else
  unsigned i = 0;
  while ((x & 1u) == 0) {
    x >>= 1;
    ++i;
  }
  return i;
#endif
}

#if BATON_LITTLE_ENDIAN
/// Bit 7 of each byte of the result is set where the byte of x is zero (exact, no carries).
BATON_ALWAYS_INLINE std::uint64_t swar_zero_bytes(std::uint64_t x) noexcept {
  constexpr std::uint64_t low7 = 0x7f7f7f7f7f7f7f7full;
  return ~(((x & low7) + low7) | x | low7);
}

/// Bit 7 set in each byte of x that is not plain. Exact per byte, so the lowest set bit (bytes
/// are little-endian) is the first non-plain byte.
BATON_ALWAYS_INLINE std::uint64_t swar_not_plain(std::uint64_t x) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ull;
  constexpr std::uint64_t high = 0x8080808080808080ull;
  constexpr std::uint64_t low7 = 0x7f7f7f7f7f7f7f7full;
  // Bytes below 0x80: bit 7 of (b + 0x5f) is set exactly when b >= 0x21 (no carry out: the sum
  // stays below 0x100). Bytes with bit 7 set are never plain.
  const std::uint64_t ge_21 = ((x & low7) + ones * 0x5f) & high;
  std::uint64_t bad = (x | ~ge_21) & high;
  bad |= swar_zero_bytes(x ^ (ones * 0x7f));
  bad |= swar_zero_bytes(x ^ (ones * '"'));
  bad |= swar_zero_bytes(x ^ (ones * '%'));
  bad |= swar_zero_bytes(x ^ (ones * ','));
  bad |= swar_zero_bytes(x ^ (ones * ';'));
  bad |= swar_zero_bytes(x ^ (ones * '\\'));
  return bad;
}

inline const char* skip_plain_swar(const char* p, const char* e) noexcept {
  while (e - p >= 8) {
    std::uint64_t x;
    std::memcpy(&x, p, 8);
    const std::uint64_t bad = swar_not_plain(x);
    if (bad != 0) return p + (lowest_bit(bad) >> 3);
    p += 8;
  }
  return skip_plain_portable(p, e);
}
#endif

#if BATON_BAGGAGE_SSE2
/// Mask bit i set when byte i of x is not plain.
BATON_ALWAYS_INLINE unsigned sse2_not_plain_mask(__m128i x) noexcept {
  // Signed compare: 0x21..0x7F are the bytes greater than 0x20 (0x80..0xFF are negative).
  const __m128i printable = _mm_cmpgt_epi8(x, _mm_set1_epi8(0x20));
  __m128i bad = _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f));
  bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8('"')));
  bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8('%')));
  bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8(',')));
  bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8(';')));
  bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8('\\')));
  bad = _mm_or_si128(bad, _mm_andnot_si128(printable, _mm_set1_epi8(-1)));
  return static_cast<unsigned>(_mm_movemask_epi8(bad));
}

BATON_ALWAYS_INLINE __m128i sse2_load(const char* p) noexcept {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

inline const char* skip_plain_sse2(const char* p, const char* e) noexcept {
  const char* const start = p;
  while (e - p >= 16) {
    const unsigned bad = sse2_not_plain_mask(sse2_load(p));
    if (bad != 0) return p + lowest_bit(bad);
    p += 16;
  }
  if (p < e && e - start >= 16) {
    // Tail: one overlapping load of the last 16 bytes (all inside [start, e)), ignoring the
    // bytes already checked. Header buffers carry no padding, so never read past e.
    const auto done = static_cast<unsigned>(16 - (e - p));
    const unsigned bad = sse2_not_plain_mask(sse2_load(e - 16)) >> done;
    return bad != 0 ? p + lowest_bit(bad) : e;
  }
  return skip_plain_portable(p, e);
}
#endif

/// Copies the run of plain bytes at the start of [p, e) to w and advances both past it: the
/// scan and the copy in one pass. Writes up to 15 bytes past the run into w, so w must have
/// room for as many bytes as [p, e) holds, and must not overlap it.
BATON_ALWAYS_INLINE void copy_plain_run(const char*& p, const char* e, char*& w) noexcept {
#if BATON_BAGGAGE_SSE2
  while (e - p >= 16) {
    const __m128i x = sse2_load(p);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(w), x);
    const unsigned bad = sse2_not_plain_mask(x);
    if (bad != 0) {
      const unsigned k = lowest_bit(bad);
      p += k;
      w += k;
      return;
    }
    p += 16;
    w += 16;
  }
#endif
  while (p < e && is_baggage_plain(*p)) *w++ = *p++;
}

/// First byte in [p, e) that is not plain (a baggage-octet other than '%'), or e.
BATON_ALWAYS_INLINE const char* skip_plain(const char* p, const char* e) noexcept {
#if BATON_BAGGAGE_SSE2
  return skip_plain_sse2(p, e);
#elif BATON_USE_SWAR
  return skip_plain_swar(p, e);
#else
  return skip_plain_portable(p, e);
#endif
}

/// First byte in [p, e) that is not an RFC 7230 tchar, or e. Keys are short: a byte loop,
/// unrolled so most bytes cost a load, a table load and a branch.
BATON_ALWAYS_INLINE const char* skip_tchar(const char* p, const char* e) noexcept {
  while (e - p >= 4) {
    if (!is_tchar(p[0])) return p;
    if (!is_tchar(p[1])) return p + 1;
    if (!is_tchar(p[2])) return p + 2;
    if (!is_tchar(p[3])) return p + 3;
    p += 4;
  }
  while (p < e && is_tchar(*p)) ++p;
  return p;
}

BATON_ALWAYS_INLINE const char* skip_ows(const char* p, const char* e) noexcept {
  while (p < e && is_ows(*p)) ++p;
  return p;
}

/// memcpy for the short copies of keys and values: fixed-size (inlined) moves instead of a
/// library call. Overlapping moves are fine: source and destination never overlap here.
BATON_ALWAYS_INLINE void copy_short(char* dst, const char* src, std::size_t n) noexcept {
  if (n >= 16) {
    std::memcpy(dst, src, n);
  } else if (n >= 8) {
    std::uint64_t a, b;
    std::memcpy(&a, src, 8);
    std::memcpy(&b, src + n - 8, 8);
    std::memcpy(dst, &a, 8);
    std::memcpy(dst + n - 8, &b, 8);
  } else if (n >= 4) {
    std::uint32_t a, b;
    std::memcpy(&a, src, 4);
    std::memcpy(&b, src + n - 4, 4);
    std::memcpy(dst, &a, 4);
    std::memcpy(dst + n - 4, &b, 4);
  } else {
    for (std::size_t i = 0; i < n; ++i) dst[i] = src[i];
  }
}

/// Number of bytes in [p, e) that are not plain: each costs two more bytes when %-encoded.
inline std::size_t count_not_plain(const char* p, const char* e) noexcept {
  std::size_t n = 0;
  for (;;) {
    p = skip_plain(p, e);
    if (p == e) return n;
    ++n;
    ++p;
  }
}

/// Number of non-empty list elements in [p, e) (elements that hold something besides OWS).
/// Used only to report how many members a limit dropped, never to parse them.
inline std::size_t count_list_elements(const char* p, const char* e) noexcept {
  std::size_t n = 0;
  while (p < e) {
    p = skip_ows(p, e);
    if (p == e) break;
    if (*p != ',') {
      ++n;
      const void* comma = std::memchr(p, ',', static_cast<std::size_t>(e - p));
      if (comma == nullptr) break;
      p = static_cast<const char*>(comma);
    }
    ++p;
  }
  return n;
}

}  // namespace detail
BATON_END_NAMESPACE

#endif  // BATON_DETAIL_BAGGAGE_SCAN_HPP
