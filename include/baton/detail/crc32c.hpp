// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, initial and final XOR 0xFFFFFFFF), as
// iSCSI, ext4 and protobuf-adjacent formats use: check value crc32c("123456789") = 0xE3069283.
// Two implementations: portable slicing-by-16 (16 table lookups per 16 bytes, one dependent step
// per 16 bytes), and on x86-64 the SSE4.2 crc32 instruction, about 6 times faster (a token
// is checksummed once to encode and once to decode, so this is a third of a snapshot
// round trip). The instruction is used when the compiler targets SSE4.2, or else when the CPU
// has it (one cached cpuid test; every x86-64 CPU since 2008-2011 does): the exception to the
// SSE2-only rule of docs/overview.md, since no table code comes close. BATON_NO_SIMD forces the
// portable code; tests and fuzzers compare the two.
#ifndef BATON_DETAIL_CRC32C_HPP
#define BATON_DETAIL_CRC32C_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "baton/detail/config.hpp"

#if !defined(BATON_NO_SIMD) && (defined(__GNUC__) || defined(__clang__)) && \
    (defined(__x86_64__) || defined(__i386__))
#define BATON_CRC32C_SSE42 1
#include <nmmintrin.h>
#else
#define BATON_CRC32C_SSE42 0
#endif

BATON_BEGIN_NAMESPACE
namespace detail {

inline constexpr std::array<std::array<std::uint32_t, 256>, 16> crc32c_tables = [] {
  std::array<std::array<std::uint32_t, 256>, 16> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1u) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    t[0][i] = c;
  }
  for (std::size_t s = 1; s < 16; ++s) {
    for (std::size_t i = 0; i < 256; ++i) {
      const std::uint32_t prev = t[s - 1][i];
      t[s][i] = (prev >> 8) ^ t[0][prev & 0xffu];
    }
  }
  return t;
}();

/// Four bytes at p as a little-endian number, whatever the host byte order.
BATON_ALWAYS_INLINE std::uint32_t crc32c_load(const std::uint8_t* p) noexcept {
#if BATON_LITTLE_ENDIAN
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
#else
  return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) |
         (std::uint32_t{p[3]} << 24);
#endif
}

/// The portable CRC-32C. Continues a CRC: crc32c(b, crc32c(a)) == crc32c(a + b); start with 0.
inline std::uint32_t crc32c_portable(const std::uint8_t* p, std::size_t n,
                                     std::uint32_t crc = 0) noexcept {
  const auto& t = crc32c_tables;
  std::uint32_t c = ~crc;
  for (; n >= 16; n -= 16, p += 16) {
    // Only the first word depends on the running CRC; the other twelve bytes' lookups overlap.
    const std::uint32_t a = c ^ crc32c_load(p);
    const std::uint32_t b = crc32c_load(p + 4);
    const std::uint32_t d = crc32c_load(p + 8);
    const std::uint32_t e = crc32c_load(p + 12);
    c = t[15][a & 0xffu] ^ t[14][(a >> 8) & 0xffu] ^ t[13][(a >> 16) & 0xffu] ^ t[12][a >> 24] ^
        t[11][b & 0xffu] ^ t[10][(b >> 8) & 0xffu] ^ t[9][(b >> 16) & 0xffu] ^ t[8][b >> 24] ^
        t[7][d & 0xffu] ^ t[6][(d >> 8) & 0xffu] ^ t[5][(d >> 16) & 0xffu] ^ t[4][d >> 24] ^
        t[3][e & 0xffu] ^ t[2][(e >> 8) & 0xffu] ^ t[1][(e >> 16) & 0xffu] ^ t[0][e >> 24];
  }
  for (; n > 0; --n, ++p) c = (c >> 8) ^ t[0][(c ^ *p) & 0xffu];
  return ~c;
}

#if BATON_CRC32C_SSE42
/// The CRC-32C by the SSE4.2 crc32 instruction (call only where the CPU has SSE4.2).
__attribute__((target("sse4.2"))) inline std::uint32_t crc32c_sse42(const std::uint8_t* p,
                                                                    std::size_t n,
                                                                    std::uint32_t crc) noexcept {
  std::uint32_t c = ~crc;
#if defined(__x86_64__)
  std::uint64_t c64 = c;
  for (; n >= 8; n -= 8, p += 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);  // x86 is little-endian, as the CRC's byte order wants
    c64 = _mm_crc32_u64(c64, word);
  }
  c = static_cast<std::uint32_t>(c64);
#endif
  // The tail in at most three steps on x86-64 (each step waits for the previous one).
  for (; n >= 4; n -= 4, p += 4) {
    std::uint32_t word;
    std::memcpy(&word, p, 4);
    c = _mm_crc32_u32(c, word);
  }
  if (n >= 2) {
    std::uint16_t half;
    std::memcpy(&half, p, 2);
    c = _mm_crc32_u16(c, half);
    p += 2;
    n -= 2;
  }
  if (n != 0) c = _mm_crc32_u8(c, *p);
  return ~c;
}

inline bool crc32c_has_sse42() noexcept {
#if defined(__SSE4_2__)
  return true;
#else
  static const bool has = __builtin_cpu_supports("sse4.2") != 0;
  return has;
#endif
}
#endif

/// CRC-32C; continues a CRC: crc32c(b, crc32c(a)) == crc32c(a + b). Start with crc = 0.
inline std::uint32_t crc32c(const std::uint8_t* p, std::size_t n, std::uint32_t crc = 0) noexcept {
#if BATON_CRC32C_SSE42
  if (BATON_LIKELY(crc32c_has_sse42())) return crc32c_sse42(p, n, crc);
#endif
  return crc32c_portable(p, n, crc);
}

}  // namespace detail
BATON_END_NAMESPACE

#endif  // BATON_DETAIL_CRC32C_HPP
