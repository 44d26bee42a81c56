// Minimal JSON text output: string escaping. Output is always valid JSON text: control
// characters are escaped and ill-formed UTF-8 becomes U+FFFD (one per maximal subpart).
#ifndef BATON_DETAIL_JSON_HPP
#define BATON_DETAIL_JSON_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "baton/detail/config.hpp"
#include "baton/detail/utf8.hpp"

BATON_BEGIN_NAMESPACE
namespace detail {

/// Appends `s` as a quoted JSON string.
inline void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) {
      const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + i;
      const utf8_step step = utf8_next(p, p + (s.size() - i));
      if (step.valid) {
        out.append(s.data() + i, step.length);
      } else {
        out.append(utf8_replacement, 3);  // same replacement rule as baggage decoding
      }
      i += step.length;
      continue;
    }
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      default:
        if (u < 0x20 || u == 0x7F) {
          static constexpr char hex[] = "0123456789abcdef";
          out.append("\\u00");
          out.push_back(hex[u >> 4]);
          out.push_back(hex[u & 0xF]);
        } else {
          out.push_back(c);
        }
    }
    ++i;
  }
  out.push_back('"');
}

}  // namespace detail
BATON_END_NAMESPACE

#endif  // BATON_DETAIL_JSON_HPP
