// Byte classes of the W3C grammars as one 256-entry table: one load and one AND per byte, no
// locale, no <cctype> (whose functions are undefined for negative char values).
#ifndef BATON_DETAIL_CHARSET_HPP
#define BATON_DETAIL_CHARSET_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "baton/detail/config.hpp"

BATON_BEGIN_NAMESPACE
namespace detail {

enum char_class : std::uint16_t {
  cc_ows = 1u << 0,               ///< SP / HTAB (RFC 9110 OWS)
  cc_lcalpha = 1u << 1,           ///< a-z
  cc_digit = 1u << 2,             ///< 0-9
  cc_tracestate_key = 1u << 3,    ///< a-z 0-9 _ - * / @ (tracestate Level 2 keychar)
  cc_tracestate_value = 1u << 4,  ///< 0x20-0x7E except ',' '=' (tracestate chr)
  cc_tchar = 1u << 5,             ///< RFC 7230 token character
  cc_baggage_octet = 1u << 6,     ///< %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
};

inline constexpr std::array<std::uint16_t, 256> char_classes = [] {
  std::array<std::uint16_t, 256> t{};
  auto add = [&t](int c, std::uint16_t bits) {
    t[static_cast<std::size_t>(c)] =
        static_cast<std::uint16_t>(t[static_cast<std::size_t>(c)] | bits);
  };
  add(' ', cc_ows);
  add('\t', cc_ows);
  for (int c = 'a'; c <= 'z'; ++c) add(c, cc_lcalpha | cc_tracestate_key);
  for (int c = '0'; c <= '9'; ++c) add(c, cc_digit | cc_tracestate_key);
  for (char c : std::string_view("_-*/@")) add(c, cc_tracestate_key);
  for (int c = 0x20; c <= 0x7e; ++c) {
    if (c != ',' && c != '=') add(c, cc_tracestate_value);
  }
  for (int c = 'A'; c <= 'Z'; ++c) add(c, cc_tchar);
  for (int c = 'a'; c <= 'z'; ++c) add(c, cc_tchar);
  for (int c = '0'; c <= '9'; ++c) add(c, cc_tchar);
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) add(c, cc_tchar);
  for (int c = 0x21; c <= 0x7e; ++c) {
    if (c != '"' && c != ',' && c != ';' && c != '\\') add(c, cc_baggage_octet);
  }
  return t;
}();

BATON_ALWAYS_INLINE bool has_class(char c, std::uint16_t bits) noexcept {
  return (char_classes[static_cast<unsigned char>(c)] & bits) != 0;
}

BATON_ALWAYS_INLINE bool is_ows(char c) noexcept {
  return c == ' ' || c == '\t';
}

/// Removes leading and trailing SP/HTAB only: nothing else counts as whitespace in HTTP fields.
inline std::string_view trim_ows(std::string_view s) noexcept {
  std::size_t b = 0, e = s.size();
  while (b < e && is_ows(s[b])) ++b;
  while (e > b && is_ows(s[e - 1])) --e;
  return s.substr(b, e - b);
}

/// ASCII-only case-insensitive equality (header names). No locale involved.
inline bool iequals_ascii(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if (static_cast<unsigned>(x - 'A') < 26u) x = static_cast<unsigned char>(x | 0x20);
    if (static_cast<unsigned>(y - 'A') < 26u) y = static_cast<unsigned char>(y | 0x20);
    if (x != y) return false;
  }
  return true;
}

}  // namespace detail
BATON_END_NAMESPACE

#endif  // BATON_DETAIL_CHARSET_HPP
