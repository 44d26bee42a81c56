// base64url without padding (RFC 4648 section 5): the alphabet A-Z a-z 0-9 - _, so the text is
// safe unescaped in URLs, HTTP header values, JSON strings and environment variables.
#ifndef BATON_DETAIL_BASE64URL_HPP
#define BATON_DETAIL_BASE64URL_HPP

#include <array>
#include <cstddef>
#include <cstdint>

#include "baton/detail/config.hpp"

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

/// Writes base64url_encoded_size(n) characters at out and returns their end.
inline char* base64url_encode(const std::uint8_t* in, std::size_t n, char* out) noexcept {
  std::size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    const std::uint32_t v =
        (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8) | in[i + 2];
    out[0] = base64url_alphabet[v >> 18];
    out[1] = base64url_alphabet[(v >> 12) & 63];
    out[2] = base64url_alphabet[(v >> 6) & 63];
    out[3] = base64url_alphabet[v & 63];
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
    buf[out] = base64url_alphabet[v >> 18];
    buf[out + 1] = base64url_alphabet[(v >> 12) & 63];
    buf[out + 2] = base64url_alphabet[(v >> 6) & 63];
    buf[out + 3] = base64url_alphabet[v & 63];
  }
}

/// Decodes n characters (n % 4 != 1) into out, which needs the size base64url_decoded_size
/// gives. Returns n on success, else the index of the first character that is not in the
/// alphabet, or of the last character when its unused low bits are not zero (each byte string
/// has exactly one encoding, so altered text never decodes to the same bytes).
inline std::size_t base64url_decode(const char* in, std::size_t n, std::uint8_t* out) noexcept {
  const auto value = [in](std::size_t i) {
    return std::uint32_t{base64url_values[static_cast<unsigned char>(in[i])]};
  };
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const std::uint32_t a = value(i), b = value(i + 1), c = value(i + 2), d = value(i + 3);
    if (BATON_UNLIKELY(((a | b | c | d) & 0x40) != 0)) {
      return (a & 0x40) ? i : (b & 0x40) ? i + 1 : (c & 0x40) ? i + 2 : i + 3;
    }
    const std::uint32_t v = (a << 18) | (b << 12) | (c << 6) | d;
    out[0] = static_cast<std::uint8_t>(v >> 16);
    out[1] = static_cast<std::uint8_t>(v >> 8);
    out[2] = static_cast<std::uint8_t>(v);
    out += 3;
  }
  const std::size_t rest = n - i;
  if (rest >= 2) {
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < rest; ++k) {
      const std::uint32_t x = value(i + k);
      if (x & 0x40) return i + k;
      v |= x << (18 - 6 * k);
    }
    // 2 characters carry 1 byte (4 spare bits), 3 carry 2 bytes (2 spare bits).
    if ((rest == 2 ? (v & 0xffffu) : (v & 0xffu)) != 0) return n - 1;
    out[0] = static_cast<std::uint8_t>(v >> 16);
    if (rest == 3) out[1] = static_cast<std::uint8_t>(v >> 8);
  }
  return n;
}

}  // namespace detail
BATON_END_NAMESPACE

#endif  // BATON_DETAIL_BASE64URL_HPP
