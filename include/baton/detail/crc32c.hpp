// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, initial and final XOR 0xFFFFFFFF), as
// iSCSI, ext4 and protobuf-adjacent formats use: check value crc32c("123456789") = 0xE3069283.
// Portable slicing-by-8 (8 table lookups per 8 bytes); no CPU dispatch.
#ifndef BATON_DETAIL_CRC32C_HPP
#define BATON_DETAIL_CRC32C_HPP

#include <array>
#include <cstddef>
#include <cstdint>

#include "baton/detail/config.hpp"

BATON_BEGIN_NAMESPACE
namespace detail {

inline constexpr std::array<std::array<std::uint32_t, 256>, 8> crc32c_tables = [] {
  std::array<std::array<std::uint32_t, 256>, 8> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1u) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    t[0][i] = c;
  }
  for (std::size_t s = 1; s < 8; ++s) {
    for (std::size_t i = 0; i < 256; ++i) {
      const std::uint32_t prev = t[s - 1][i];
      t[s][i] = (prev >> 8) ^ t[0][prev & 0xffu];
    }
  }
  return t;
}();

/// Continues a CRC-32C: crc32c(b, crc32c(a)) == crc32c(a + b). Start with crc = 0.
inline std::uint32_t crc32c(const std::uint8_t* p, std::size_t n, std::uint32_t crc = 0) noexcept {
  const auto& t = crc32c_tables;
  std::uint32_t c = ~crc;
  for (; n >= 8; n -= 8, p += 8) {
    // Bytes are combined explicitly, so the result does not depend on the host byte order.
    const std::uint32_t lo = c ^ (std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) |
                                  (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[3]} << 24));
    c = t[7][lo & 0xffu] ^ t[6][(lo >> 8) & 0xffu] ^ t[5][(lo >> 16) & 0xffu] ^ t[4][lo >> 24] ^
        t[3][p[4]] ^ t[2][p[5]] ^ t[1][p[6]] ^ t[0][p[7]];
  }
  for (; n > 0; --n, ++p) c = (c >> 8) ^ t[0][(c ^ *p) & 0xffu];
  return ~c;
}

}  // namespace detail
BATON_END_NAMESPACE

#endif  // BATON_DETAIL_CRC32C_HPP
