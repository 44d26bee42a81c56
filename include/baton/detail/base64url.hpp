// base64url without padding (RFC 4648 section 5): the alphabet A-Z a-z 0-9 - _, so the text is
// safe unescaped in URLs, HTTP header values, JSON strings and environment variables.
//
// Two implementations: portable table code (a 4096-entry pair table to encode, shifted value
// tables to decode), and on x86 an SSSE3 one, 12 bytes to 16 characters per step (pshufb
// gathers and translates, multiplies place the 6-bit fields), about 4 times fewer instructions
// (the two base64url passes of a snapshot token round trip were a fifth of its cost). SSSE3 is
// used when the compiler targets it, or else when the CPU has it (one cached cpuid test; every
// x86-64 CPU since 2006 does); BATON_NO_SIMD forces the portable code, and the tests and fuzzers
// compare the two.
#ifndef BATON_DETAIL_BASE64URL_HPP
#define BATON_DETAIL_BASE64URL_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "baton/detail/config.hpp"

#if !defined(BATON_NO_SIMD) && (defined(__GNUC__) || defined(__clang__)) && \
    (defined(__x86_64__) || defined(__i386__))
#define BATON_BASE64URL_SSSE3 1
#include <tmmintrin.h>
#else
#define BATON_BASE64URL_SSSE3 0
#endif

BATON_BEGIN_NAMESPACE
namespace detail {

inline constexpr char base64url_alphabet[65] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Character -> 6-bit value, or 0x40 for a character outside the alphabet.
inline constexpr std::array<std::uint8_t, 256> base64url_values = [] {
  std::array<std::uint8_t, 256> t{};
  for (auto& v : t) v = 0x40;
  for (std::uint8_t i = 0; i < 64; ++i) {
    t[static_cast<unsigned char>(base64url_alphabet[i])] = i;
  }
  return t;
}();

/// Character -> its 6-bit value shifted to position k of a 4-character group (18, 12, 6, 0),
/// or bit 24 for a character outside the alphabet: a group decodes with 4 loads and 3 ORs,
/// and one test of bits 24+ finds any bad character.
inline constexpr std::array<std::array<std::uint32_t, 256>, 4> base64url_shifted = [] {
  std::array<std::array<std::uint32_t, 256>, 4> t{};
  for (std::size_t k = 0; k < 4; ++k) {
    for (std::size_t c = 0; c < 256; ++c) {
      const std::uint32_t v = base64url_values[c];
      t[k][c] = v == 0x40 ? 0x01000000u : v << (18 - 6 * k);
    }
  }
  return t;
}();

/// 12 bits -> their two characters: a group of 3 bytes encodes with 2 loads.
inline constexpr std::array<std::array<char, 2>, 4096> base64url_pairs = [] {
  std::array<std::array<char, 2>, 4096> t{};
  for (std::size_t i = 0; i < 4096; ++i) {
    t[i][0] = base64url_alphabet[i >> 6];
    t[i][1] = base64url_alphabet[i & 63];
  }
  return t;
}();

BATON_ALWAYS_INLINE void base64url_put_group(std::uint32_t v, char* out) noexcept {
  std::memcpy(out, base64url_pairs[v >> 12].data(), 2);
  std::memcpy(out + 2, base64url_pairs[v & 0xfff].data(), 2);
}

/// Characters that encode n bytes (no padding).
constexpr std::size_t base64url_encoded_size(std::size_t n) noexcept {
  return n / 3 * 4 + (n % 3 == 0 ? 0 : n % 3 + 1);
}

/// Bytes that `chars` characters decode to; false when no byte string encodes to that many
/// characters (chars % 4 == 1).
constexpr bool base64url_decoded_size(std::size_t chars, std::size_t& bytes) noexcept {
  if (chars % 4 == 1) return false;
  bytes = chars / 4 * 3 + (chars % 4 == 0 ? 0 : chars % 4 - 1);
  return true;
}

constexpr std::uint64_t base64url_bswap64(std::uint64_t x) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  return __builtin_bswap64(x);
#else
  std::uint64_t r = 0;
  for (int k = 0; k < 8; ++k, x >>= 8) r = (r << 8) | (x & 0xff);
  return r;
#endif
}

/// Eight bytes at p as a big-endian number.
BATON_ALWAYS_INLINE std::uint64_t base64url_load_be64(const std::uint8_t* p) noexcept {
#if BATON_LITTLE_ENDIAN && (defined(__GNUC__) || defined(__clang__))
  std::uint64_t x;
  std::memcpy(&x, p, 8);
  return base64url_bswap64(x);
#else
  std::uint64_t x = 0;
  for (int k = 0; k < 8; ++k) x = (x << 8) | p[k];
  return x;
#endif
}

/// Writes base64url_encoded_size(n) characters at out and returns their end. Portable.
inline char* base64url_encode_portable(const std::uint8_t* in, std::size_t n, char* out) noexcept {
  std::size_t i = 0;
  // 6 bytes to 8 characters per step, through an 8-byte load (so while 8 bytes remain).
  for (; i + 8 <= n; i += 6) {
    const std::uint64_t x = base64url_load_be64(in + i);
    base64url_put_group(static_cast<std::uint32_t>(x >> 40), out);
    base64url_put_group(static_cast<std::uint32_t>(x >> 16) & 0xffffffu, out + 4);
    out += 8;
  }
  for (; i + 3 <= n; i += 3) {
    base64url_put_group((std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8) | in[i + 2],
                        out);
    out += 4;
  }
  if (n - i == 1) {
    const std::uint32_t v = std::uint32_t{in[i]} << 16;
    out[0] = base64url_alphabet[v >> 18];
    out[1] = base64url_alphabet[(v >> 12) & 63];
    out += 2;
  } else if (n - i == 2) {
    const std::uint32_t v = (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8);
    out[0] = base64url_alphabet[v >> 18];
    out[1] = base64url_alphabet[(v >> 12) & 63];
    out[2] = base64url_alphabet[(v >> 6) & 63];
    out += 3;
  }
  return out;
}

/// Encodes the n bytes at the start of buf in place: buf must hold base64url_encoded_size(n)
/// bytes. Works back to front: the output of group g, [4g, 4g + 4), lies at or after the input
/// of groups 0..g-1 (which end at 3g) and only overlaps input of groups already read.
inline void base64url_encode_in_place(char* buf, std::size_t n) noexcept {
  const auto* in = reinterpret_cast<const std::uint8_t*>(buf);
  const std::size_t full = n / 3;
  const std::size_t rest = n % 3;
  std::size_t out = full * 4;
  if (rest != 0) {
    std::uint32_t v = std::uint32_t{in[full * 3]} << 16;
    if (rest == 2) v |= std::uint32_t{in[full * 3 + 1]} << 8;
    buf[out] = base64url_alphabet[v >> 18];
    buf[out + 1] = base64url_alphabet[(v >> 12) & 63];
    if (rest == 2) buf[out + 2] = base64url_alphabet[(v >> 6) & 63];
  }
  for (std::size_t g = full; g-- > 0;) {
    const std::uint32_t v =
        (std::uint32_t{in[3 * g]} << 16) | (std::uint32_t{in[3 * g + 1]} << 8) | in[3 * g + 2];
    out -= 4;
    base64url_put_group(v, buf + out);
  }
}

/// Decodes n characters (n % 4 != 1) into out, which needs the size base64url_decoded_size
/// gives. Returns n on success, else the index of the first character
/// that is not in the alphabet, or of the last character when its unused low bits are not zero
/// (each byte string has exactly one encoding, so altered text never decodes to the same
/// bytes). Portable.
inline std::size_t base64url_decode_portable(const char* in, std::size_t n,
                                             std::uint8_t* out) noexcept {
  const auto& t = base64url_shifted;
  const auto at = [in](std::size_t i) { return static_cast<unsigned char>(in[i]); };
  std::size_t i = 0;
  const auto bad_at = [&](std::size_t from) {
    while (base64url_values[at(from)] != 0x40) ++from;
    return from;
  };
#if BATON_LITTLE_ENDIAN && (defined(__GNUC__) || defined(__clang__))
  // Two groups per step, one test for both, and the 6 bytes in one 8-byte store: only while
  // 3 more characters follow, so the 2 extra bytes land where later output goes.
  for (; i + 11 <= n; i += 8) {
    const std::uint32_t v = t[0][at(i)] | t[1][at(i + 1)] | t[2][at(i + 2)] | t[3][at(i + 3)];
    const std::uint32_t w = t[0][at(i + 4)] | t[1][at(i + 5)] | t[2][at(i + 6)] | t[3][at(i + 7)];
    if (BATON_UNLIKELY(((v | w) >> 24) != 0)) return bad_at(i);
    const std::uint64_t six =
        base64url_bswap64((std::uint64_t{v} << 40) | (std::uint64_t{w} << 16));
    std::memcpy(out, &six, 8);
    out += 6;
  }
#endif
  // Two groups per step: 8 characters to 6 bytes, one test for both.
  for (; i + 8 <= n; i += 8) {
    const std::uint32_t v = t[0][at(i)] | t[1][at(i + 1)] | t[2][at(i + 2)] | t[3][at(i + 3)];
    const std::uint32_t w = t[0][at(i + 4)] | t[1][at(i + 5)] | t[2][at(i + 6)] | t[3][at(i + 7)];
    if (BATON_UNLIKELY(((v | w) >> 24) != 0)) return bad_at(i);
    out[0] = static_cast<std::uint8_t>(v >> 16);
    out[1] = static_cast<std::uint8_t>(v >> 8);
    out[2] = static_cast<std::uint8_t>(v);
    out[3] = static_cast<std::uint8_t>(w >> 16);
    out[4] = static_cast<std::uint8_t>(w >> 8);
    out[5] = static_cast<std::uint8_t>(w);
    out += 6;
  }
  for (; i + 4 <= n; i += 4) {
    const std::uint32_t v = t[0][at(i)] | t[1][at(i + 1)] | t[2][at(i + 2)] | t[3][at(i + 3)];
    if (BATON_UNLIKELY(v >> 24 != 0)) return bad_at(i);
    out[0] = static_cast<std::uint8_t>(v >> 16);
    out[1] = static_cast<std::uint8_t>(v >> 8);
    out[2] = static_cast<std::uint8_t>(v);
    out += 3;
  }
  const std::size_t rest = n - i;
  if (rest >= 2) {
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < rest; ++k) {
      const std::uint32_t x = t[k][at(i + k)];
      if (x >> 24 != 0) return i + k;
      v |= x;
    }
    // 2 characters carry 1 byte (4 spare bits), 3 carry 2 bytes (2 spare bits).
    if ((rest == 2 ? (v & 0xffffu) : (v & 0xffu)) != 0) return n - 1;
    out[0] = static_cast<std::uint8_t>(v >> 16);
    if (rest == 3) out[1] = static_cast<std::uint8_t>(v >> 8);
  }
  return n;
}

#if BATON_BASE64URL_SSSE3
/// base64url_encode_portable by SSSE3 (call only where the CPU has SSSE3): 12 bytes per step,
/// through a 16-byte load (so while 16 bytes remain); the portable code does the rest.
__attribute__((target("ssse3"))) inline char* base64url_encode_ssse3(const std::uint8_t* in,
                                                                     std::size_t n,
                                                                     char* out) noexcept {
  // Each 3-byte group b0 b1 b2 to a 32-bit lane holding b1 b0 b2 b1 (low byte first): its four
  // 6-bit fields then lie at fixed bits of the lane's two 16-bit halves.
  const __m128i spread = _mm_setr_epi8(1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10);
  // Field -> character is field + offset, the offset chosen by range: 0-25 'A', 26-51 'a',
  // 52-61 '0', 62 '-', 63 '_'. Index: 13 for 0-25, 0 for 26-51, field - 51 from 52 up.
  const __m128i offsets =
      _mm_setr_epi8(71, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -17, 32, 65, 0, 0);
  std::size_t i = 0;
  for (; i + 16 <= n; i += 12) {
    const __m128i x =
        _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i)), spread);
    // Fields 1 and 3 of the group (bits 10-15 and 6-11 of the halves) moved down by a high
    // multiply, fields 2 and 4 (bits 4-9 and 0-5) up by a low multiply, each to its own byte.
    const __m128i high =
        _mm_mulhi_epu16(_mm_and_si128(x, _mm_set1_epi32(0x0fc0fc00)), _mm_set1_epi32(0x04000040));
    const __m128i low =
        _mm_mullo_epi16(_mm_and_si128(x, _mm_set1_epi32(0x003f03f0)), _mm_set1_epi32(0x01000010));
    const __m128i fields = _mm_or_si128(high, low);
    __m128i range = _mm_subs_epu8(fields, _mm_set1_epi8(51));
    range = _mm_or_si128(
        range, _mm_and_si128(_mm_cmpgt_epi8(_mm_set1_epi8(26), fields), _mm_set1_epi8(13)));
    const __m128i chars = _mm_add_epi8(fields, _mm_shuffle_epi8(offsets, range));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), chars);
    out += 16;
  }
  return base64url_encode_portable(in + i, n - i, out);
}

/// base64url_decode_portable by SSSE3 (call only where the CPU has SSSE3): 16 characters per
/// step, with a 16-byte store of 12 bytes (so while 6 more characters follow, whose bytes go
/// where the 4 extra bytes land). A step with a character outside the alphabet, and the last
/// characters, go to the portable code, which names the position.
__attribute__((target("ssse3"))) inline std::size_t base64url_decode_ssse3(
    const char* in, std::size_t n, std::uint8_t* out) noexcept {
  // Validity by nibbles: a character is in the alphabet when the class bit of its high nibble
  // is not among the bits its low nibble rules out. Classes: 0x2_ bit 0 ('-' only), 0x3_ bit 1
  // (digits), 0x4_ and 0x6_ bit 2 (letters but for '@' and '`'), 0x5_ bit 3 (letters and '_'),
  // 0x7_ bit 4 (letters), any other high nibble bit 5 (nothing valid).
  const __m128i class_of_high = _mm_setr_epi8(0x20, 0x20, 0x01, 0x02, 0x04, 0x08, 0x04, 0x10, 0x20,
                                              0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20);
  const __m128i invalid_for_low = _mm_setr_epi8(0x25, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21, 0x21,
                                                0x21, 0x21, 0x23, 0x3b, 0x3b, 0x3a, 0x3b, 0x33);
  // Character -> 6-bit value is character + delta, by high nibble ('_' adjusted apart, since
  // it shares 0x5_ with 'P'-'Z').
  const __m128i delta_of_high =
      _mm_setr_epi8(0, 0, 17, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0);
  // Output byte order: lane k holds its 3 bytes low byte first; they go to 3k..3k+2 reversed.
  const __m128i pack = _mm_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
  const __m128i nibble = _mm_set1_epi8(0x0f);
  std::size_t i = 0;
  for (; i + 22 <= n; i += 16) {
    const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i));
    const __m128i high = _mm_and_si128(_mm_srli_epi32(c, 4), nibble);
    const __m128i low = _mm_and_si128(c, nibble);
    const __m128i bad = _mm_and_si128(_mm_shuffle_epi8(invalid_for_low, low),
                                      _mm_shuffle_epi8(class_of_high, high));
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(bad, _mm_setzero_si128())) != 0xffff) break;
    __m128i v = _mm_add_epi8(c, _mm_shuffle_epi8(delta_of_high, high));
    v = _mm_add_epi8(v,
                     _mm_and_si128(_mm_cmpeq_epi8(c, _mm_set1_epi8('_')), _mm_set1_epi8(65 - 32)));
    // Pairs of 6-bit values to 12 bits, pairs of those to 24 bits per 32-bit lane.
    const __m128i twelve = _mm_maddubs_epi16(v, _mm_set1_epi32(0x01400140));
    const __m128i lanes = _mm_madd_epi16(twelve, _mm_set1_epi32(0x00011000));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm_shuffle_epi8(lanes, pack));
    out += 12;
  }
  return i + base64url_decode_portable(in + i, n - i, out);
}

inline bool base64url_has_ssse3() noexcept {
#if defined(__SSSE3__)
  return true;
#else
  static const bool has = __builtin_cpu_supports("ssse3") != 0;
  return has;
#endif
}
#endif

/// Writes base64url_encoded_size(n) characters at out and returns their end.
inline char* base64url_encode(const std::uint8_t* in, std::size_t n, char* out) noexcept {
#if BATON_BASE64URL_SSSE3
  if (n >= 16 && BATON_LIKELY(base64url_has_ssse3())) return base64url_encode_ssse3(in, n, out);
#endif
  return base64url_encode_portable(in, n, out);
}

/// Decodes n characters (n % 4 != 1) into out, which needs the size base64url_decoded_size
/// gives. Returns n on success, else the index of the first character that is not in the
/// alphabet, or of the last character when its unused low bits are not zero (each byte string
/// has exactly one encoding, so altered text never decodes to the same bytes).
inline std::size_t base64url_decode(const char* in, std::size_t n, std::uint8_t* out) noexcept {
#if BATON_BASE64URL_SSSE3
  if (n >= 22 && BATON_LIKELY(base64url_has_ssse3())) return base64url_decode_ssse3(in, n, out);
#endif
  return base64url_decode_portable(in, n, out);
}

}  // namespace detail
BATON_END_NAMESPACE

#endif  // BATON_DETAIL_BASE64URL_HPP
