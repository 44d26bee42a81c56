// Lowercase hexadecimal encode/decode of fixed-size byte strings. W3C Trace Context allows only
// lowercase hex (HEXDIGLC), so uppercase digits are rejected here, never normalized.
#ifndef BATON_DETAIL_HEX_HPP
#define BATON_DETAIL_HEX_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "baton/detail/config.hpp"

#if BATON_USE_SSE2
#include <emmintrin.h>
#endif

BATON_BEGIN_NAMESPACE
namespace detail {

/// Value of each lowercase hex digit, -1 for every other byte.
inline constexpr std::array<std::int8_t, 256> hex_digit_value = [] {
  std::array<std::int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (int c = '0'; c <= '9'; ++c)
    table[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) {
    table[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - 'a' + 10);
  }
  return table;
}();

inline constexpr char hex_chars[] = "0123456789abcdef";

inline bool is_lower_hex(char c) noexcept {
  return hex_digit_value[static_cast<unsigned char>(c)] >= 0;
}

/// Decodes 2*n lowercase hex characters into n bytes, table-driven. Returns false (out is then
/// unspecified) if any character is not lowercase hex.
inline bool decode_hex_portable(const char* in, std::size_t n, std::uint8_t* out) noexcept {
  int bad = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const int hi = hex_digit_value[static_cast<unsigned char>(in[2 * i])];
    const int lo = hex_digit_value[static_cast<unsigned char>(in[2 * i + 1])];
    bad |= hi | lo;  // any -1 sets the sign bit; one test at the end, no branch per character
    out[i] = static_cast<std::uint8_t>(((hi & 0xf) << 4) | (lo & 0xf));  // masked: no shift of -1
  }
  return bad >= 0;
}

inline void encode_hex_portable(const std::uint8_t* in, std::size_t n, char* out) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = hex_chars[in[i] >> 4];
    out[2 * i + 1] = hex_chars[in[i] & 0xf];
  }
}

#if BATON_USE_SWAR
inline constexpr std::uint64_t swar_ones = 0x0101010101010101ull;
inline constexpr std::uint64_t swar_high = 0x8080808080808080ull;

/// Decodes 8 hex characters (one little-endian word) into 4 bytes at out. The range tests add
/// (0x80 - bound) to every byte so bit 7 says "byte >= bound"; bytes with bit 7 already set are
/// rejected, so a carry between bytes can only happen in a word that fails anyway.
BATON_ALWAYS_INLINE bool decode_hex8_swar(const char* in, std::uint8_t* out) noexcept {
  std::uint64_t x;
  std::memcpy(&x, in, 8);
  const std::uint64_t ge_0 = x + swar_ones * 0x50;  // >= '0'
  const std::uint64_t gt_9 = x + swar_ones * 0x46;  // >= '9' + 1
  const std::uint64_t ge_a = x + swar_ones * 0x1f;  // >= 'a'
  const std::uint64_t gt_f = x + swar_ones * 0x19;  // >= 'f' + 1
  const std::uint64_t ok = ((ge_0 & ~gt_9) | (ge_a & ~gt_f)) & ~x & swar_high;
  // Digits are 0x3N, letters 0x6N: bit 6 marks a letter, whose value is low nibble + 9.
  std::uint64_t v = (x & (swar_ones * 0x0f)) + ((x >> 6) & swar_ones) * 9;
  // Pack nibble pairs: byte 2i (high nibble) and 2i+1 (low nibble) into one byte per 16-bit lane.
  v = ((v & 0x000f000f000f000full) << 4) | ((v >> 8) & 0x000f000f000f000full);
  v = (v | (v >> 8)) & 0x0000ffff0000ffffull;
  v = (v | (v >> 16)) & 0x00000000ffffffffull;
  const auto packed = static_cast<std::uint32_t>(v);
  std::memcpy(out, &packed, 4);
  return ok == swar_high;
}

/// Encodes 4 bytes as 8 lowercase hex characters.
BATON_ALWAYS_INLINE void encode_hex4_swar(const std::uint8_t* in, char* out) noexcept {
  std::uint32_t w;
  std::memcpy(&w, in, 4);
  std::uint64_t y = w;
  y = (y | (y << 16)) & 0x0000ffff0000ffffull;
  y = (y | (y << 8)) & 0x00ff00ff00ff00ffull;  // byte i now alone in 16-bit lane i
  // The first character of each pair is the high nibble: put it in the lane's low byte.
  const std::uint64_t n = ((y >> 4) & 0x000f000f000f000full) | ((y & 0x000f000f000f000full) << 8);
  const std::uint64_t letter = ((n + swar_ones * 0x76) & swar_high) >> 7;  // 1 where nibble >= 10
  const std::uint64_t chars = n + swar_ones * '0' + letter * ('a' - '0' - 10);
  std::memcpy(out, &chars, 8);
}
#endif

#if BATON_USE_SSE2
/// Decodes 16 hex characters into 8 bytes. Signed compares make every byte >= 0x80 fail.
BATON_ALWAYS_INLINE bool decode_hex16_sse2(const char* in, std::uint8_t* out) noexcept {
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in));
  const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
                                      _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)));
  const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('a' - 1)),
                                       _mm_cmplt_epi8(x, _mm_set1_epi8('f' + 1)));
  const bool ok = _mm_movemask_epi8(_mm_or_si128(digit, letter)) == 0xffff;
  const __m128i nibble =
      _mm_add_epi8(_mm_and_si128(x, _mm_set1_epi8(0x0f)), _mm_and_si128(letter, _mm_set1_epi8(9)));
  // 16-bit lane = first nibble | second nibble << 8; make it one byte (first << 4 | second).
  const __m128i packed = _mm_and_si128(
      _mm_or_si128(_mm_slli_epi16(nibble, 4), _mm_srli_epi16(nibble, 8)), _mm_set1_epi16(0x00ff));
  _mm_storel_epi64(reinterpret_cast<__m128i*>(out), _mm_packus_epi16(packed, packed));
  return ok;
}

/// Encodes 8 bytes as 16 lowercase hex characters.
BATON_ALWAYS_INLINE void encode_hex8_sse2(const std::uint8_t* in, char* out) noexcept {
  const __m128i bytes = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(in));
  const __m128i low_mask = _mm_set1_epi8(0x0f);
  const __m128i high = _mm_and_si128(_mm_srli_epi16(bytes, 4), low_mask);
  const __m128i low = _mm_and_si128(bytes, low_mask);
  const __m128i nibbles = _mm_unpacklo_epi8(high, low);  // in text order
  const __m128i letter = _mm_cmpgt_epi8(nibbles, _mm_set1_epi8(9));
  const __m128i chars = _mm_add_epi8(_mm_add_epi8(nibbles, _mm_set1_epi8('0')),
                                     _mm_and_si128(letter, _mm_set1_epi8('a' - '0' - 10)));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), chars);
}
#endif

/// Decodes 2*N lowercase hex characters into N bytes (N a multiple of 4 on the fast path).
template <std::size_t N>
BATON_ALWAYS_INLINE bool decode_hex(const char* in, std::uint8_t* out) noexcept {
#if BATON_USE_SSE2
  if constexpr (N % 8 == 0) {
    bool ok = true;
    for (std::size_t i = 0; i < N / 8; ++i) ok &= decode_hex16_sse2(in + 16 * i, out + 8 * i);
    return ok;
  }
#endif
#if BATON_USE_SWAR
  if constexpr (N % 4 == 0) {
    bool ok = true;
    for (std::size_t i = 0; i < N / 4; ++i) ok &= decode_hex8_swar(in + 8 * i, out + 4 * i);
    return ok;
  }
#endif
  return decode_hex_portable(in, N, out);
}

/// Encodes N bytes as 2*N lowercase hex characters.
template <std::size_t N>
BATON_ALWAYS_INLINE void encode_hex(const std::uint8_t* in, char* out) noexcept {
#if BATON_USE_SSE2
  if constexpr (N % 8 == 0) {
    for (std::size_t i = 0; i < N / 8; ++i) encode_hex8_sse2(in + 8 * i, out + 16 * i);
    return;
  }
#endif
#if BATON_USE_SWAR
  if constexpr (N % 4 == 0) {
    for (std::size_t i = 0; i < N / 4; ++i) encode_hex4_swar(in + 4 * i, out + 8 * i);
    return;
  }
#endif
  encode_hex_portable(in, N, out);
}

}  // namespace detail
BATON_END_NAMESPACE

#endif  // BATON_DETAIL_HEX_HPP
