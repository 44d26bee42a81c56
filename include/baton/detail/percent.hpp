// Percent-encoding of baggage values (RFC 3986 section 2.1, as W3C Baggage uses it). '+' is an
// ordinary character both ways (this is not HTML form encoding); a space is written "%20".
#ifndef BATON_DETAIL_PERCENT_HPP
#define BATON_DETAIL_PERCENT_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "baton/detail/baggage_scan.hpp"
#include "baton/detail/config.hpp"
#include "baton/detail/utf8.hpp"

BATON_BEGIN_NAMESPACE
namespace detail {

/// Value of each RFC 3986 HEXDIG (either case), -1 for every other byte.
inline constexpr std::array<std::int8_t, 256> hexdig_value = [] {
  std::array<std::int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int c = '0'; c <= '9'; ++c)
    t[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) {
    t[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - 'a' + 10);
    t[static_cast<std::size_t>(c - 'a' + 'A')] = static_cast<std::int8_t>(c - 'a' + 10);
  }
  return t;
}();

/// Uppercase, as RFC 3986 section 2.1 recommends for producers.
inline constexpr char upper_hex_chars[] = "0123456789ABCDEF";

BATON_ALWAYS_INLINE bool is_hexdig(char c) noexcept {
  return hexdig_value[static_cast<unsigned char>(c)] >= 0;
}

/// The octet of the escape at p ('%' then two HEXDIG, which the caller has checked).
BATON_ALWAYS_INLINE std::uint8_t escaped_octet(const char* p) noexcept {
  return static_cast<std::uint8_t>((hexdig_value[static_cast<unsigned char>(p[1])] << 4) |
                                   hexdig_value[static_cast<unsigned char>(p[2])]);
}

/// Whether the escape at p (p < e, *p == '%') is complete and well-formed.
BATON_ALWAYS_INLINE bool escape_ok(const char* p, const char* e) noexcept {
  return e - p >= 3 && is_hexdig(p[1]) && is_hexdig(p[2]);
}

/// Position of the first malformed escape in [p, e) ('%' not followed by two HEXDIG), or e.
inline const char* find_bad_escape(const char* p, const char* e) noexcept {
  for (;;) {
    const void* pct = std::memchr(p, '%', static_cast<std::size_t>(e - p));
    if (pct == nullptr) return e;
    p = static_cast<const char*>(pct);
    if (!escape_ok(p, e)) return p;
    p += 3;
  }
}

/// Percent-decodes [in, in+n) into out and replaces decoded octets that are not UTF-8 with
/// U+FFFD (maximal subparts, see utf8.hpp). The output is never longer than the input (a
/// replaced octet came from a 3-byte escape and becomes 3 bytes), so out needs n bytes; it must
/// not overlap the input. Escapes should have been validated: a malformed one is copied
/// literally rather than read out of bounds. Returns the decoded size.
inline std::size_t percent_decode(const char* in, std::size_t n, char* out) noexcept {
  const char* p = in;
  const char* const e = in + n;
  char* w = out;
  for (;;) {
    // w never gets ahead of p - in, so out has room for whatever [p, e) holds.
    copy_plain_run(p, e, w);
    if (p == e) break;
    if (BATON_UNLIKELY(*p != '%' || !escape_ok(p, e))) {
      *w++ = *p++;  // not a (valid) escape: copied as is
      continue;
    }
    const std::uint8_t b = escaped_octet(p);
    p += 3;
    if (b < 0x80) {
      *w++ = static_cast<char>(b);
      continue;
    }
    // A multi-byte sequence: its continuation octets must be escapes too (a literal byte is
    // ASCII and ends the sequence).
    const utf8_lead lead = utf8_lead_info(b);
    std::uint8_t seq[4] = {b, 0, 0, 0};
    std::size_t k = 1;
    if (lead.length != 0) {
      std::uint8_t lo = lead.lo, hi = lead.hi;
      while (k < lead.length && p < e && *p == '%' && escape_ok(p, e)) {
        const std::uint8_t c = escaped_octet(p);
        if (c < lo || c > hi) break;
        seq[k++] = c;
        p += 3;
        lo = 0x80;
        hi = 0xBF;
      }
    }
    if (lead.length != 0 && k == lead.length) {
      std::memcpy(w, seq, k);
      w += k;
    } else {
      w = put_replacement(w);
    }
  }
  return static_cast<std::size_t>(w - out);
}

/// Size of [in, in+n) once every byte that is not a plain baggage-octet is %-encoded.
inline std::size_t percent_encoded_size(const char* in, std::size_t n) noexcept {
  return n + 2 * count_not_plain(in, in + n);
}

/// %-encodes every byte of [in, in+n) that is not a baggage-octet, and '%' itself, with
/// uppercase hex. out needs percent_encoded_size(in, n) bytes; returns the end of the output.
inline char* percent_encode(const char* in, std::size_t n, char* out) noexcept {
  const char* p = in;
  const char* const e = in + n;
  for (;;) {
    // The output left is never shorter than the input left, which covers copy_plain_run's
    // over-write.
    copy_plain_run(p, e, out);
    if (p == e) return out;
    const auto b = static_cast<unsigned char>(*p++);
    out[0] = '%';
    out[1] = upper_hex_chars[b >> 4];
    out[2] = upper_hex_chars[b & 0xf];
    out += 3;
  }
}

}  // namespace detail
BATON_END_NAMESPACE

#endif  // BATON_DETAIL_PERCENT_HPP
