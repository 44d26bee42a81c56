// UTF-8 validation with U+FFFD replacement. W3C Baggage requires decoded values that are not
// UTF-8 to have the offending octets replaced by U+FFFD; we follow the Unicode "maximal subpart"
// practice (Unicode 15 section 3.9, also what WHATWG and Python's errors="replace" do): each
// maximal prefix of a well-formed sequence that cannot be completed becomes one U+FFFD, and a byte
// that can never start a sequence becomes one U+FFFD.
#ifndef BATON_DETAIL_UTF8_HPP
#define BATON_DETAIL_UTF8_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "baton/detail/config.hpp"

BATON_BEGIN_NAMESPACE
namespace detail {

/// U+FFFD in UTF-8.
inline constexpr char utf8_replacement[3] = {'\xEF', '\xBF', '\xBD'};

/// What a lead byte starts: the sequence length (2-4; 0 if the byte cannot start a multi-byte
/// sequence) and the allowed range of the second byte (Unicode Table 3-7: the narrower ranges
/// after E0, ED, F0 and F4 exclude overlong forms, surrogates and code points above U+10FFFF).
struct utf8_lead {
  std::uint8_t length;
  std::uint8_t lo;
  std::uint8_t hi;
};

constexpr utf8_lead utf8_lead_info(std::uint8_t b) noexcept {
  if (b >= 0xC2 && b <= 0xDF) return {2, 0x80, 0xBF};
  if (b == 0xE0) return {3, 0xA0, 0xBF};
  if (b == 0xED) return {3, 0x80, 0x9F};
  if (b >= 0xE1 && b <= 0xEF) return {3, 0x80, 0xBF};
  if (b == 0xF0) return {4, 0x90, 0xBF};
  if (b >= 0xF1 && b <= 0xF3) return {4, 0x80, 0xBF};
  if (b == 0xF4) return {4, 0x80, 0x8F};
  return {0, 0, 0};
}

BATON_ALWAYS_INLINE char* put_replacement(char* out) noexcept {
  std::memcpy(out, utf8_replacement, 3);
  return out + 3;
}

/// One step over the non-ASCII byte at p (p < e): the length of the well-formed sequence that
/// starts there (valid), or of the maximal subpart that one U+FFFD replaces (not valid).
struct utf8_step {
  std::size_t length;
  bool valid;
};

BATON_ALWAYS_INLINE utf8_step utf8_next(const unsigned char* p, const unsigned char* e) noexcept {
  const utf8_lead lead = utf8_lead_info(*p);
  std::size_t k = 1;
  if (lead.length != 0) {
    std::uint8_t lo = lead.lo, hi = lead.hi;
    while (k < lead.length && p + k < e && p[k] >= lo && p[k] <= hi) {
      ++k;
      lo = 0x80;
      hi = 0xBF;
    }
  }
  return {k, lead.length != 0 && k == lead.length};
}

/// Copies [in, in+n) to out, replacing ill-formed UTF-8 with U+FFFD. out needs room for 3*n
/// bytes (one stray byte becomes three); returns the end of the output. out must not overlap in.
inline char* utf8_sanitize(const char* in, std::size_t n, char* out) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(in);
  const auto* const e = p + n;
  while (p < e) {
    if (*p < 0x80) {
      *out++ = static_cast<char>(*p++);
      continue;
    }
    const utf8_step step = utf8_next(p, e);
    if (step.valid) {
      std::memcpy(out, p, step.length);
      out += step.length;
    } else {
      out = put_replacement(out);  // the maximal subpart [p, p + step.length)
    }
    p += step.length;
  }
  return out;
}

/// True if [in, in+n) is well-formed UTF-8.
inline bool utf8_valid(const char* in, std::size_t n) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(in);
  const auto* const e = p + n;
  while (p < e) {
    if (*p < 0x80) {
      ++p;
      continue;
    }
    const utf8_lead lead = utf8_lead_info(*p);
    if (lead.length == 0 || static_cast<std::size_t>(e - p) < lead.length) return false;
    if (p[1] < lead.lo || p[1] > lead.hi) return false;
    for (std::size_t k = 2; k < lead.length; ++k) {
      if (p[k] < 0x80 || p[k] > 0xBF) return false;
    }
    p += lead.length;
  }
  return true;
}

}  // namespace detail
BATON_END_NAMESPACE

#endif  // BATON_DETAIL_UTF8_HPP
