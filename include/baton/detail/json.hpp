// Minimal JSON text output: string escaping and numbers. Output is always valid JSON text:
// control characters are escaped and ill-formed UTF-8 becomes U+FFFD (one per maximal subpart).
#ifndef BATON_DETAIL_JSON_HPP
#define BATON_DETAIL_JSON_HPP

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>

#include "baton/detail/config.hpp"
#include "baton/detail/utf8.hpp"

BATON_BEGIN_NAMESPACE
namespace detail {

/// Bytes copied to JSON string text as they are: printable ASCII except '"' and '\\'.
inline constexpr std::array<bool, 256> json_plain_byte = [] {
  std::array<bool, 256> table{};
  for (int c = 0x20; c < 0x7F; ++c) table[static_cast<std::size_t>(c)] = true;
  table[static_cast<std::size_t>('"')] = false;
  table[static_cast<std::size_t>('\\')] = false;
  return table;
}();

/// Appends the escaped text of `s` without the quotes: plain runs in one append each, control
/// characters escaped (short forms where JSON has them, else \u00XX; DEL too), ill-formed UTF-8
/// replaced by U+FFFD (one per maximal subpart, as the baggage decoder does).
inline void append_json_string_body(std::string& out, std::string_view s) {
  const char* const d = s.data();
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    std::size_t run = i;
    while (run < n && json_plain_byte[static_cast<unsigned char>(d[run])]) ++run;
    if (run != i) out.append(d + i, run - i);
    i = run;
    if (i == n) break;
    const char c = d[i];
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) {
      const auto* p = reinterpret_cast<const unsigned char*>(d) + i;
      const utf8_step step = utf8_next(p, p + (n - i));
      if (step.valid) {
        out.append(d + i, step.length);
      } else {
        out.append(utf8_replacement, 3);
      }
      i += step.length;
      continue;
    }
    switch (c) {
      case '"':
        out.append("\\\"", 2);
        break;
      case '\\':
        out.append("\\\\", 2);
        break;
      case '\n':
        out.append("\\n", 2);
        break;
      case '\r':
        out.append("\\r", 2);
        break;
      case '\t':
        out.append("\\t", 2);
        break;
      case '\b':
        out.append("\\b", 2);
        break;
      case '\f':
        out.append("\\f", 2);
        break;
      default: {
        static constexpr char hex[] = "0123456789abcdef";
        const char esc[6] = {'\\', 'u', '0', '0', hex[u >> 4], hex[u & 0xF]};
        out.append(esc, 6);
      }
    }
    ++i;
  }
}

/// Appends `s` as a quoted JSON string. Output is always valid JSON text (see above).
inline void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  append_json_string_body(out, s);
  out.push_back('"');
}

/// Appends the decimal digits of v (no quotes).
inline void append_json_uint(std::string& out, std::uint64_t v) {
  char buf[20];
  char* p = buf + sizeof buf;
  do {
    *--p = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  out.append(p, static_cast<std::size_t>(buf + sizeof buf - p));
}

/// Appends v in decimal, with '-' when negative (INT64_MIN included).
inline void append_json_int(std::string& out, std::int64_t v) {
  if (v < 0) {
    out.push_back('-');
    // Two's complement negation in unsigned arithmetic: no overflow for INT64_MIN.
    append_json_uint(out, ~static_cast<std::uint64_t>(v) + 1);
  } else {
    append_json_uint(out, static_cast<std::uint64_t>(v));
  }
}

/// Appends a double as the protobuf JSON mapping writes it: a JSON number with the shortest
/// digits that read back as the same double, or the strings "NaN", "Infinity", "-Infinity"
/// (JSON has no literal for them).
inline void append_json_double(std::string& out, double v) {
  if (v != v) {
    out.append("\"NaN\"");
    return;
  }
  if (v == std::numeric_limits<double>::infinity()) {
    out.append("\"Infinity\"");
    return;
  }
  if (v == -std::numeric_limits<double>::infinity()) {
    out.append("\"-Infinity\"");
    return;
  }
  char buf[32];
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
  // Shortest round-trip form, locale independent: "1.5", "-0", "1e+100", "5e-324".
  const std::to_chars_result r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<std::size_t>(r.ptr - buf));
#else
  // 17 significant digits always read back exactly; the decimal point may be a locale's comma.
  const int len = std::snprintf(buf, sizeof buf, "%.17g", v);
  for (int k = 0; k < len; ++k) {
    if (buf[k] == ',') buf[k] = '.';
  }
  out.append(buf, static_cast<std::size_t>(len));
#endif
}

}  // namespace detail
BATON_END_NAMESPACE

#endif  // BATON_DETAIL_JSON_HPP
