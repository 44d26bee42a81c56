// Jaeger propagation (deprecated by OpenTelemetry, still met): the `uber-trace-id` header
// `{trace}:{span}:{parent}:{flags}` and `uberctx-{key}` baggage headers.
#ifndef BATON_PROPAGATION_JAEGER_HPP
#define BATON_PROPAGATION_JAEGER_HPP

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "baton/baggage.hpp"
#include "baton/carrier.hpp"
#include "baton/detail/charset.hpp"
#include "baton/detail/config.hpp"
#include "baton/detail/hex.hpp"
#include "baton/detail/percent.hpp"
#include "baton/error.hpp"
#include "baton/ids.hpp"
#include "baton/propagation/extracted_context.hpp"
#include "baton/span_context.hpp"
#include "baton/trace_flags.hpp"

BATON_BEGIN_NAMESPACE

/// Longest uber-trace-id value accepted (after OWS trimming): 32 + 16 + 16 + 2 digits and three
/// `%3A` separators. Longer values are rejected before they are read.
inline constexpr std::size_t uber_trace_id_max_size = 75;
/// Longest value format_uber_trace_id() writes (32 + 16 + 16 + 2 digits, three ':').
inline constexpr std::size_t uber_trace_id_format_max_size = 69;

/// The bits of the Jaeger flags byte baton interprets.
inline constexpr std::uint8_t jaeger_flag_sampled = 0x01;
inline constexpr std::uint8_t jaeger_flag_debug = 0x02;  ///< meaningful only with sampled

/// The fields of an uber-trace-id value.
struct jaeger_header {
  baton::trace_id trace_id;  ///< left-padded with zeros to 128 bits; never zero when parsed
  /// The trace id arrived with at most 16 digits: write it back as 16 (when the high half is
  /// zero).
  bool trace_id_64 = false;
  baton::span_id span_id;         ///< left-padded; never zero when parsed
  baton::span_id parent_span_id;  ///< deprecated by Jaeger; zero when `0`
  std::uint8_t flags = 0;         ///< the raw byte as received (0x08 firehose and others kept)

  /// sampled bit -> sampled, sampled and debug bits -> debug, else not_sampled (Jaeger has no
  /// "undecided" state on the wire).
  sampling_decision sampling() const noexcept {
    if ((flags & jaeger_flag_sampled) == 0) return sampling_decision::not_sampled;
    return (flags & jaeger_flag_debug) != 0 ? sampling_decision::debug : sampling_decision::sampled;
  }

  friend bool operator==(const jaeger_header& a, const jaeger_header& b) noexcept {
    return a.trace_id == b.trace_id && a.trace_id_64 == b.trace_id_64 && a.span_id == b.span_id &&
           a.parent_span_id == b.parent_span_id && a.flags == b.flags;
  }
  friend bool operator!=(const jaeger_header& a, const jaeger_header& b) noexcept {
    return !(a == b);
  }
};

namespace detail {

/// Number of leading hex digits (either case) of [p, p+n), counting at most `max`.
inline std::size_t jaeger_hex_prefix(const char* p, std::size_t n, std::size_t max) noexcept {
  const std::size_t limit = n < max ? n : max;
  std::size_t i = 0;
  while (i < limit && is_hexdig(p[i])) ++i;
  return i;
}

/// Decodes `digits` hex digits (checked, either case) right-aligned into out[0, N), which the
/// caller has zeroed: short ids are left-padded.
template <std::size_t N>
inline void jaeger_decode_padded(const char* p, std::size_t digits, std::uint8_t* out) noexcept {
  auto v = [](char c) {
    return static_cast<unsigned>(hexdig_value[static_cast<unsigned char>(c)]);
  };
  std::size_t i = digits, byte = N;
  while (i >= 2) {
    out[--byte] = static_cast<std::uint8_t>((v(p[i - 2]) << 4) | v(p[i - 1]));
    i -= 2;
  }
  if (i == 1) out[--byte] = static_cast<std::uint8_t>(v(p[0]));
}

inline constexpr std::string_view jaeger_trace_field = "uber-trace-id";
inline constexpr std::string_view jaeger_baggage_prefix = "uberctx-";

/// Whether `name` is an uberctx- field (prefix compared ASCII case-insensitively).
inline bool is_uberctx_name(std::string_view name) noexcept {
  return name.size() >= jaeger_baggage_prefix.size() &&
         iequals_ascii(name.substr(0, jaeger_baggage_prefix.size()), jaeger_baggage_prefix);
}

/// RFC 3986 unreserved characters, the only ones an uberctx value carries unescaped: '+' and
/// space are escaped too, so both RFC 3986 readers and the form decoders of Jaeger clients (for
/// which '+' is a space) read the same text.
inline bool is_uberctx_plain(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

inline void append_uberctx_value(std::string& out, std::string_view text) {
  std::size_t size = text.size();
  for (char c : text) size += is_uberctx_plain(c) ? 0u : 2u;
  std::size_t w = out.size();
  out.resize(w + size);
  for (char c : text) {
    if (is_uberctx_plain(c)) {
      out[w++] = c;
    } else {
      const auto b = static_cast<unsigned char>(c);
      out[w++] = '%';
      out[w++] = upper_hex_chars[b >> 4];
      out[w++] = upper_hex_chars[b & 0xf];
    }
  }
}

inline void append_lowercase(std::string& out, std::string_view s) {
  for (char c : s) out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c | 0x20) : c;
}

}  // namespace detail

/// Parses an uber-trace-id value: `{trace}:{span}:{parent}:{flags}`. Leading and trailing SP/HTAB
/// are ignored.
///   trace   1-32 hex digits, left-padded to 128 bits (trace_id_64 when at most 16); not zero
///   span    1-16 hex digits, left-padded; not zero
///   parent  1-16 hex digits (deprecated; `0` is usual and allowed)
///   flags   1-2 hex digits, read as hex: `b` and `0b` are 0x0b (no `0x` prefix)
/// Hex digits may be upper or lowercase (Jaeger clients write lowercase but parse either). When
/// the value has no ':' at all, the separators are read as `%3A` / `%3a` (older clients
/// URL-encoded the whole value; nothing else in it needs escaping, so no other escape is
/// accepted). Values over uber_trace_id_max_size are rejected before they are read. Linear time,
/// allocates nothing; error offsets index `value`.
inline result<jaeger_header> parse_uber_trace_id(std::string_view value) noexcept {
  std::size_t b = 0, e = value.size();
  while (b < e && detail::is_ows(value[b])) ++b;
  while (e > b && detail::is_ows(value[e - 1])) --e;
  const char* p = value.data() + b;
  const std::size_t n = e - b;
  auto at = [b](errc code, std::size_t offset) {
    return error{code, static_cast<std::uint32_t>(b + offset)};
  };
  if (n == 0) return at(errc::jaeger_empty, 0);
  if (n > uber_trace_id_max_size) return at(errc::jaeger_too_long, uber_trace_id_max_size);

  const bool encoded = std::memchr(p, ':', n) == nullptr;
  const std::size_t separator_size = encoded ? 3 : 1;
  auto separator_at = [&](std::size_t q) {
    if (!encoded) return p[q] == ':';
    return n - q >= 3 && p[q] == '%' && p[q + 1] == '3' && (p[q + 2] | 0x20) == 'a';
  };

  struct field_rule {
    std::size_t max_digits;
    errc bad;
  };
  static constexpr field_rule rules[4] = {{32, errc::jaeger_invalid_trace_id},
                                          {16, errc::jaeger_invalid_span_id},
                                          {16, errc::jaeger_invalid_parent_span_id},
                                          {2, errc::jaeger_invalid_flags}};
  std::size_t start[4] = {}, digits[4] = {};
  std::size_t pos = 0, first_field = 0;
  std::uint8_t trace[16] = {}, span[8] = {}, parent[8] = {}, flags[1] = {};
  // Fast path for what Jaeger clients send: lowercase 16- or 32-digit trace id and 16-digit
  // span id, decoded 16 digits at a time; the loop below reads the rest, or everything when
  // this does not match.
  if (!encoded) {
    const std::size_t t = n > 16 && p[16] == ':' ? 16 : 32;
    if (n > t + 17 && p[t] == ':' && p[t + 17] == ':' &&
        (t == 16 ? detail::decode_hex<8>(p, trace + 8) : detail::decode_hex<16>(p, trace)) &&
        detail::decode_hex<8>(p + t + 1, span)) {
      digits[0] = t;
      start[1] = t + 1;
      digits[1] = 16;
      pos = t + 18;
      first_field = 2;
    } else {
      // A failed decode leaves the buffers unspecified; the loop decodes right-aligned.
      std::memset(trace, 0, sizeof trace);
      std::memset(span, 0, sizeof span);
    }
  }
  for (std::size_t i = first_field; i < 4; ++i) {
    const std::size_t len = detail::jaeger_hex_prefix(p + pos, n - pos, rules[i].max_digits);
    const std::size_t q = pos + len;
    // At q the field must end: with the value (the flags) or a separator (the others). Anything
    // else is a character that is not a digit, or one digit too many.
    if (len == 0) return at(rules[i].bad, q);
    start[i] = pos;
    digits[i] = len;
    if (q == n) {
      if (i < 3) return at(errc::jaeger_missing_fields, q);
      break;
    }
    if (!separator_at(q)) return at(rules[i].bad, q);
    if (i == 3) return at(errc::jaeger_too_many_fields, q);
    pos = q + separator_size;
  }

  jaeger_header h;
  if (first_field == 0) {
    detail::jaeger_decode_padded<16>(p + start[0], digits[0], trace);
    detail::jaeger_decode_padded<8>(p + start[1], digits[1], span);
  }
  detail::jaeger_decode_padded<8>(p + start[2], digits[2], parent);
  detail::jaeger_decode_padded<1>(p + start[3], digits[3], flags);
  h.trace_id = trace_id::from_bytes(trace);
  h.trace_id_64 = digits[0] <= 16;
  h.span_id = span_id::from_bytes(span);
  h.parent_span_id = span_id::from_bytes(parent);
  h.flags = flags[0];
  if (!h.trace_id.is_valid()) return at(errc::jaeger_zero_trace_id, start[0]);
  if (!h.span_id.is_valid()) return at(errc::jaeger_zero_span_id, start[1]);
  return h;
}

/// Writes an uber-trace-id value at out (at most uber_trace_id_format_max_size characters, no
/// terminator) and returns the end: the trace id as 16 lowercase hex when trace_id_64 is set and
/// its high half is zero, else 32; the span id as 16; the parent as 16 when non-zero, else `0`;
/// the flags byte in hex without leading zero (`0`, `1`, `3`, `1f`). Does not check the ids:
/// propagators check first.
inline char* format_uber_trace_id(const jaeger_header& h, char* out) noexcept {
  bool high_zero = true;
  for (std::size_t i = 0; i < 8; ++i) high_zero &= h.trace_id.bytes()[i] == 0;
  if (h.trace_id_64 && high_zero) {
    detail::encode_hex<8>(h.trace_id.data() + 8, out);
    out += 16;
  } else {
    out = h.trace_id.to_hex(out);
  }
  *out++ = ':';
  out = h.span_id.to_hex(out);
  *out++ = ':';
  if (h.parent_span_id.is_valid()) {
    out = h.parent_span_id.to_hex(out);
  } else {
    *out++ = '0';
  }
  *out++ = ':';
  if (h.flags >= 0x10) *out++ = detail::hex_chars[h.flags >> 4];
  *out++ = detail::hex_chars[h.flags & 0xf];
  return out;
}

/// format_uber_trace_id() as a std::string.
inline std::string format_uber_trace_id(const jaeger_header& h) {
  char buffer[uber_trace_id_format_max_size];
  return std::string(buffer, static_cast<std::size_t>(format_uber_trace_id(h, buffer) - buffer));
}

/// What extract_baggage() found among a carrier's uberctx- fields.
struct jaeger_baggage_report {
  /// The carrier can be enumerated (see is_enumerable_carrier_v); when it cannot, uberctx-
  /// baggage is not available from it and the counts are zero.
  bool enumerable = false;
  std::size_t fields = 0;        ///< uberctx- fields seen
  std::size_t invalid_keys = 0;  ///< of those, dropped because the key is not an RFC 7230 token
};

/// Jaeger's uber-trace-id over any carrier, and its uberctx- baggage.
struct jaeger_propagator {
  static constexpr propagation_format format = propagation_format::jaeger;
  /// The field inject() writes.
  static constexpr std::array<std::string_view, 1> fields{detail::jaeger_trace_field};
  /// Nothing is read that inject() does not write (uberctx- baggage has its own functions).
  static constexpr std::array<std::string_view, 0> cleared_fields{};
  /// The prefix of baggage fields, `uberctx-{key}`.
  static constexpr std::string_view baggage_prefix = detail::jaeger_baggage_prefix;

  /// Reads uber-trace-id (a singleton: identical repeats accepted, different ones make it
  /// invalid). A valid value gives a full context whose sampled bit follows the sampled flag;
  /// extras carry the decision (debug when the sampled and debug flags are both set), the width
  /// of a short trace id and the parent span id.
  template <class Carrier>
  static extracted_context extract_context(const Carrier& carrier) {
    extracted_context out;
    out.format = format;
    const singleton_field field = read_singleton_field(carrier, detail::jaeger_trace_field);
    if (!field.found()) return out;
    out.found = true;
    if (field.conflicting()) {
      out.error = error{errc::propagation_conflicting_values, 0};
      return out;
    }
    const result<jaeger_header> h = parse_uber_trace_id(field.value());
    if (!h) {
      out.error = h.error();
      return out;
    }
    out.kind = context_kind::full;
    out.context.trace_id = h->trace_id;
    out.context.span_id = h->span_id;
    out.context.flags = trace_flags().with_sampled((h->flags & jaeger_flag_sampled) != 0);
    out.context.remote = true;
    out.extras.sampling = h->sampling();
    out.extras.trace_id_64 = h->trace_id_64;
    out.extras.parent_span_id = h->parent_span_id;
    return out;
  }

  /// Writes `uber-trace-id: {trace}:{span}:0:{flags}` (the parent field is deprecated). Flags:
  /// `3` (sampled and debug) when extras ask for debug and the context is sampled, else `1` or
  /// `0` from the sampled bit; Jaeger cannot say "undecided", so a deferred decision is written
  /// as `0`. The trace id is 16 hex when extras.trace_id_64 is set and its high half is zero,
  /// else 32. An invalid context is never written: returns false and leaves the carrier
  /// untouched.
  template <class Carrier>
  static bool inject(const span_context& context, Carrier& carrier,
                     const format_extras& extras = {}) {
    if (!context.is_valid()) return false;
    jaeger_header h;
    h.trace_id = context.trace_id;
    h.trace_id_64 = extras.trace_id_64;
    h.span_id = context.span_id;
    if (context.flags.sampled()) {
      h.flags = jaeger_flag_sampled;
      if (extras.sampling == sampling_decision::debug) h.flags |= jaeger_flag_debug;
    }
    char buffer[uber_trace_id_format_max_size];
    const char* end = format_uber_trace_id(h, buffer);
    carrier_set(carrier, detail::jaeger_trace_field,
                std::string_view(buffer, static_cast<std::size_t>(end - buffer)));
    return true;
  }

  /// Feeds every `uberctx-{key}: {value}` field to a W3C baggage parser as the list-member
  /// `{key}={value}`, so uberctx- and `baggage` entries share one parser, one set of limits and
  /// one key filter (append the `baggage` values to the same parser). The prefix is compared
  /// case-insensitively and the key is lowercased (HTTP stacks change the case of field names;
  /// Jaeger clients lowercase keys too); a key that is not an RFC 7230 token is dropped and
  /// counted. The value is trimmed of SP/HTAB and percent-decoded by RFC 3986 (`+` stays a
  /// literal `+`, unlike Jaeger clients' form decoding; a malformed escape stays literal text;
  /// decoded bytes that are not UTF-8 become U+FFFD), then re-encoded for the parser. Needs a
  /// carrier that can be enumerated (visit_all); for any other carrier this reads nothing and
  /// report.enumerable is false.
  template <class Carrier>
  static jaeger_baggage_report extract_baggage(const Carrier& carrier, baggage::parser& parser) {
    jaeger_baggage_report report;
    std::string member, decoded;
    report.enumerable =
        carrier_visit_all(carrier, [&](std::string_view name, std::string_view value) {
          if (!detail::is_uberctx_name(name)) return;
          ++report.fields;
          const std::string_view key = name.substr(baggage_prefix.size());
          if (key.empty() ||
              detail::skip_tchar(key.data(), key.data() + key.size()) != key.data() + key.size()) {
            ++report.invalid_keys;
            return;
          }
          const std::string_view text = detail::trim_ows(value);
          decoded.resize(text.size());
          decoded.resize(detail::percent_decode(text.data(), text.size(), decoded.data()));
          member.clear();
          detail::append_lowercase(member, key);
          member += '=';
          const std::size_t at = member.size();
          member.resize(at + detail::percent_encoded_size(decoded.data(), decoded.size()));
          detail::percent_encode(decoded.data(), decoded.size(), member.data() + at);
          parser.append(member);
        });
    return report;
  }

  /// Writes one `uberctx-{key}` field per entry: the key lowercased (HTTP/2 and gRPC need
  /// lowercase names; two keys that differ only in case end up in one field, the later value
  /// winning), the value percent-encoded (everything but RFC 3986 unreserved characters, so no
  /// control character, space or '+' is written). Properties are not carried (uberctx- has no
  /// place for them). `limits` apply as to a W3C header: at most max_members fields, and
  /// entries whose `key=value` text (as written) would take the total over max_bytes are left
  /// out whole (a later, smaller one may still fit); what was left out goes to `report`
  /// (overwritten; offsets are entry indexes). uberctx- fields already in the carrier are
  /// removed first when the carrier can be enumerated and can erase, so baggage from elsewhere
  /// does not leak through. Returns the number of fields written.
  template <class Carrier>
  static std::size_t inject_baggage(const baggage& entries, Carrier& carrier,
                                    const baggage_limits& limits = {},
                                    baggage_report* report = nullptr) {
    if (report != nullptr) report->clear();
    if constexpr (detail::is_pair_container<Carrier>::value &&
                  !detail::has_key_type<Carrier>::value) {
      // A sequence of pairs: one pass (one erase per stale name would be quadratic).
      carrier.erase(std::remove_if(carrier.begin(), carrier.end(),
                                   [](const auto& entry) {
                                     return detail::is_uberctx_name(std::string_view(entry.first));
                                   }),
                    carrier.end());
    } else if constexpr (detail::is_pair_container<Carrier>::value) {
      for (auto it = carrier.begin(); it != carrier.end();) {
        if (detail::is_uberctx_name(std::string_view(it->first))) {
          it = carrier.erase(it);
        } else {
          ++it;
        }
      }
    } else if constexpr (std::is_same_v<Carrier, http_headers>) {
      carrier.erase_if([](std::string_view name) { return detail::is_uberctx_name(name); });
    } else if constexpr (is_enumerable_carrier_v<Carrier> && is_erasable_carrier_v<Carrier>) {
      // Other carriers: each distinct stale name erased once.
      std::vector<std::string> stale;
      carrier_visit_all(carrier, [&](std::string_view name, std::string_view) {
        if (!detail::is_uberctx_name(name)) return;
        for (const std::string& seen : stale) {
          if (detail::iequals_ascii(seen, name)) return;
        }
        stale.emplace_back(name);
      });
      for (const std::string& name : stale) carrier_erase(carrier, name);
    }
    std::string name, value;
    std::size_t written = 0, bytes = 0, index = 0;
    for (auto it = entries.begin(); it != entries.end(); ++it, ++index) {
      if (written == limits.max_members) {
        if (report != nullptr) {
          report->add(errc::baggage_too_many_members, index, entries.size() - index);
        }
        break;
      }
      const baggage::entry e = *it;
      value.clear();
      detail::append_uberctx_value(value, e.value);
      const std::size_t size = e.key.size() + 1 + value.size();
      if (size > limits.max_bytes || bytes + size > limits.max_bytes) {
        if (report != nullptr) report->add(errc::baggage_too_large, index);
        continue;
      }
      bytes += size;
      name.assign(baggage_prefix);
      detail::append_lowercase(name, e.key);
      carrier_set(carrier, name, value);
      ++written;
    }
    return written;
  }
};

BATON_END_NAMESPACE

#endif  // BATON_PROPAGATION_JAEGER_HPP
