// The W3C traceparent header: parse and format, to the letter of Trace Context Level 1 and 2.
#ifndef BATON_TRACEPARENT_HPP
#define BATON_TRACEPARENT_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "baton/detail/charset.hpp"
#include "baton/detail/config.hpp"
#include "baton/detail/hex.hpp"
#include "baton/error.hpp"
#include "baton/ids.hpp"
#include "baton/trace_flags.hpp"

BATON_BEGIN_NAMESPACE

/// Characters in a version-00 traceparent: "00-" 32 hex "-" 16 hex "-" 2 hex.
inline constexpr std::size_t traceparent_size = 55;

/// The fields of a traceparent header value.
struct traceparent {
  std::uint8_t version = 0;  ///< as received; always written as 00
  baton::trace_id trace_id;  ///< never all zeros in a parsed value
  baton::span_id parent_id;  ///< the caller's span; never all zeros in a parsed value
  baton::trace_flags flags;  ///< raw byte as received

  friend bool operator==(const traceparent& a, const traceparent& b) noexcept {
    return a.version == b.version && a.trace_id == b.trace_id && a.parent_id == b.parent_id &&
           a.flags == b.flags;
  }
  friend bool operator!=(const traceparent& a, const traceparent& b) noexcept { return !(a == b); }
};

namespace detail {

// Field offsets inside the trimmed value.
inline constexpr std::size_t tp_trace_id_at = 3;
inline constexpr std::size_t tp_parent_id_at = 36;
inline constexpr std::size_t tp_flags_at = 53;

inline std::size_t first_non_hex(const char* p, std::size_t n) noexcept {
  std::size_t i = 0;
  while (i < n && is_lower_hex(p[i])) ++i;
  return i;
}

/// Slow path: walks the value in reading order to name the first problem. Only runs on invalid
/// input, so it favours clarity. `base` is where the trimmed value starts in the caller's input.
inline error diagnose_traceparent(const char* p, std::size_t n, std::size_t base) noexcept {
  auto at = [base](errc code, std::size_t offset) {
    return error{code, static_cast<std::uint32_t>(base + offset)};
  };
  // Version: two lowercase hex digits, not ff, then '-'.
  const std::size_t version_digits = first_non_hex(p, n < 2 ? n : 2);
  if (version_digits < (n < 2 ? n : 2))
    return at(errc::traceparent_invalid_version, version_digits);
  if (n < 3) return at(errc::traceparent_invalid_length, n);
  if (p[0] == 'f' && p[1] == 'f') return at(errc::traceparent_forbidden_version, 0);
  if (p[2] != '-') {
    return at(is_lower_hex(p[2]) ? errc::traceparent_invalid_version
                                 : errc::traceparent_invalid_delimiter,
              2);
  }
  const bool v00 = p[0] == '0' && p[1] == '0';
  struct field {
    std::size_t at, size;
    errc bad;
  };
  const field fields[] = {{tp_trace_id_at, 32, errc::traceparent_invalid_trace_id},
                          {tp_parent_id_at, 16, errc::traceparent_invalid_parent_id},
                          {tp_flags_at, 2, errc::traceparent_invalid_flags}};
  for (const field& f : fields) {
    const std::size_t avail = n > f.at ? n - f.at : 0;
    const std::size_t len = avail < f.size ? avail : f.size;
    const std::size_t good = first_non_hex(p + f.at, len);
    if (good < len) return at(f.bad, f.at + good);
    if (len < f.size) return at(errc::traceparent_invalid_length, n);
    const std::size_t end = f.at + f.size;
    if (end == n) break;  // ends right after a field: too short unless it was the flags
    // A hex digit right after a full field means the field is too long.
    if (is_lower_hex(p[end])) return at(f.bad, end);
    if (p[end] != '-') {
      // Version 00 ends after the flags: anything more is a length error, not a delimiter one.
      return at(v00 && end == traceparent_size ? errc::traceparent_invalid_length
                                               : errc::traceparent_invalid_delimiter,
                end);
    }
  }
  if (n < traceparent_size) return at(errc::traceparent_invalid_length, n);
  if (v00 && n != traceparent_size) return at(errc::traceparent_invalid_length, traceparent_size);
  std::uint8_t bytes[16];
  decode_hex_portable(p + tp_trace_id_at, 16, bytes);
  if (!trace_id::from_bytes(bytes).is_valid()) {
    return at(errc::traceparent_zero_trace_id, tp_trace_id_at);
  }
  decode_hex_portable(p + tp_parent_id_at, 8, bytes);
  if (!span_id::from_bytes(bytes).is_valid()) {
    return at(errc::traceparent_zero_parent_id, tp_parent_id_at);
  }
  BATON_ASSERT(false && "diagnose_traceparent called on a valid value");
  return at(errc::traceparent_invalid_length, n);
}

// parse_traceparent, inlined into a caller (the W3C extract) so that the parsed fields go
// straight to their destination instead of through copies of the result in memory.
BATON_ALWAYS_INLINE result<traceparent> parse_traceparent_inline(std::string_view value) noexcept {
  std::size_t b = 0, e = value.size();
  while (b < e && detail::is_ows(value[b])) ++b;
  while (e > b && detail::is_ows(value[e - 1])) --e;
  const char* p = value.data() + b;
  const std::size_t n = e - b;

  if (BATON_LIKELY(n >= traceparent_size)) {
    traceparent tp;
    const auto& hex = detail::hex_digit_value;
    const int v_hi = hex[static_cast<unsigned char>(p[0])];
    const int v_lo = hex[static_cast<unsigned char>(p[1])];
    const int f_hi = hex[static_cast<unsigned char>(p[detail::tp_flags_at])];
    const int f_lo = hex[static_cast<unsigned char>(p[detail::tp_flags_at + 1])];
    std::uint8_t ids[24];
    bool ok = (v_hi | v_lo | f_hi | f_lo) >= 0;
    ok &= p[2] == '-';
    ok &= p[detail::tp_parent_id_at - 1] == '-';
    ok &= p[detail::tp_flags_at - 1] == '-';
    ok &= detail::decode_hex<16>(p + detail::tp_trace_id_at, ids);
    ok &= detail::decode_hex<8>(p + detail::tp_parent_id_at, ids + 16);
    const auto version = static_cast<std::uint8_t>(((v_hi & 0xf) << 4) | (v_lo & 0xf));
    ok &= version != 0xff;
    ok &= n == traceparent_size || (version != 0 && p[traceparent_size] == '-');
    if (BATON_LIKELY(ok)) {
      tp.version = version;
      tp.trace_id = trace_id::from_bytes(ids);
      tp.parent_id = span_id::from_bytes(ids + 16);
      tp.flags = trace_flags(static_cast<std::uint8_t>((f_hi << 4) | f_lo));
      if (BATON_LIKELY(tp.trace_id.is_valid() && tp.parent_id.is_valid())) return tp;
    }
  }
  return diagnose_traceparent(p, n, b);
}

}  // namespace detail

/// Parses a traceparent header value. Leading and trailing SP/HTAB are ignored (nothing else is
/// whitespace). Version 00 must be exactly 55 characters; a higher version (not ff) is read by
/// the version-00 rules on its first 55 characters, and if longer the next character must be '-'.
/// Hex must be lowercase; all-zero ids are invalid. Allocates nothing; error offsets index
/// `value`.
inline result<traceparent> parse_traceparent(std::string_view value) noexcept {
  return detail::parse_traceparent_inline(value);
}

/// Writes a version-00 traceparent (exactly traceparent_size characters, no terminator) at out
/// and returns out + traceparent_size. Unknown flag bits are written as zero. Allocates nothing.
/// Formatting does not check the ids: callers that must never send an invalid value (as the
/// propagators do) check is_valid() first.
inline char* format_traceparent(const trace_id& trace, const span_id& parent, trace_flags flags,
                                char* out) noexcept {
  out[0] = '0';
  out[1] = '0';
  out[2] = '-';
  trace.to_hex(out + detail::tp_trace_id_at);
  out[detail::tp_parent_id_at - 1] = '-';
  parent.to_hex(out + detail::tp_parent_id_at);
  out[detail::tp_flags_at - 1] = '-';
  const std::uint8_t f = flags.wire_value();
  out[detail::tp_flags_at] = detail::hex_chars[f >> 4];
  out[detail::tp_flags_at + 1] = detail::hex_chars[f & 0xf];
  return out + traceparent_size;
}

inline char* format_traceparent(const traceparent& tp, char* out) noexcept {
  return format_traceparent(tp.trace_id, tp.parent_id, tp.flags, out);
}

/// The version-00 text of `tp` as a std::string (one allocation).
inline std::string format_traceparent(const traceparent& tp) {
  std::string s(traceparent_size, '\0');
  format_traceparent(tp, s.data());
  return s;
}

BATON_END_NAMESPACE

#endif  // BATON_TRACEPARENT_HPP
