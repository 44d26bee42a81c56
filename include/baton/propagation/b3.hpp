// B3 propagation (openzipkin/b3-propagation): the single `b3` header and the multi `x-b3-*`
// headers. 64- and 128-bit trace ids, sampling-only decisions, debug. Both propagators read both
// encodings (the single header first) and differ only in what they write.
#ifndef BATON_PROPAGATION_B3_HPP
#define BATON_PROPAGATION_B3_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "baton/carrier.hpp"
#include "baton/detail/charset.hpp"
#include "baton/detail/config.hpp"
#include "baton/detail/hex.hpp"
#include "baton/error.hpp"
#include "baton/ids.hpp"
#include "baton/propagation/extracted_context.hpp"
#include "baton/span_context.hpp"
#include "baton/trace_flags.hpp"

BATON_BEGIN_NAMESPACE

/// Longest b3 single value (after OWS trimming): 32-hex trace id, span id, sampling state,
/// parent span id. Longer values are rejected before they are read.
inline constexpr std::size_t b3_single_max_size = 68;

/// The fields of a B3 context, from either encoding.
struct b3_header {
  /// Left-padded with zeros to 128 bits when it arrived as 16 hex; zero in the sampling-only
  /// form.
  baton::trace_id trace_id;
  /// The trace id arrived as 16 hex digits: write it back at that width (when the high half is
  /// zero).
  bool trace_id_64 = false;
  baton::span_id span_id;  ///< zero in the sampling-only form
  sampling_decision sampling = sampling_decision::deferred;
  /// The sender's parent; zero when absent (an all-zero parent id is read as absent).
  baton::span_id parent_span_id;

  /// No ids, only a sampling decision (`b3: 0`, `1`, `d`, or x-b3-sampled / x-b3-flags alone).
  bool sampling_only() const noexcept { return !trace_id.is_valid(); }

  friend bool operator==(const b3_header& a, const b3_header& b) noexcept {
    return a.trace_id == b.trace_id && a.trace_id_64 == b.trace_id_64 && a.span_id == b.span_id &&
           a.sampling == b.sampling && a.parent_span_id == b.parent_span_id;
  }
  friend bool operator!=(const b3_header& a, const b3_header& b) noexcept { return !(a == b); }
};

/// The x-b3-* values of one carrier, as received (untrimmed); nullopt when a field is absent.
struct b3_multi_fields {
  std::optional<std::string_view> trace_id;        ///< x-b3-traceid
  std::optional<std::string_view> span_id;         ///< x-b3-spanid
  std::optional<std::string_view> parent_span_id;  ///< x-b3-parentspanid
  std::optional<std::string_view> sampled;         ///< x-b3-sampled
  std::optional<std::string_view> flags;           ///< x-b3-flags

  bool any() const noexcept { return trace_id || span_id || parent_span_id || sampled || flags; }
};

namespace detail {

/// Number of leading lowercase hex digits of [p, p+n), counting at most `max`.
inline std::size_t b3_hex_prefix(const char* p, std::size_t n, std::size_t max) noexcept {
  const std::size_t limit = n < max ? n : max;
  std::size_t i = 0;
  while (i < limit && is_lower_hex(p[i])) ++i;
  return i;
}

/// The decision of a b3 sampling-state character, or false if it is not one.
inline bool b3_sampling_char(char c, sampling_decision& out) noexcept {
  switch (c) {
    case '0':
      out = sampling_decision::not_sampled;
      return true;
    case '1':
      out = sampling_decision::sampled;
      return true;
    case 'd':
      out = sampling_decision::debug;
      return true;
    default:
      return false;
  }
}

/// Decodes a 16- or 32-digit trace id (checked by the caller) into 16 bytes, left-padded.
inline trace_id b3_decode_trace_id(const char* p, std::size_t digits) noexcept {
  std::uint8_t bytes[16] = {};
  if (digits == 16) {
    decode_hex_portable(p, 8, bytes + 8);
  } else {
    decode_hex_portable(p, 16, bytes);
  }
  return trace_id::from_bytes(bytes);
}

inline span_id b3_decode_span_id(const char* p) noexcept {
  std::uint8_t bytes[8];
  decode_hex_portable(p, 8, bytes);
  return span_id::from_bytes(bytes);
}

/// Slow path of parse_b3_single: walks the value in reading order and names the first problem.
/// Only runs on invalid input. `base` is where the trimmed value starts in the caller's input.
inline error diagnose_b3_single(const char* p, std::size_t n, std::size_t base) noexcept {
  auto at = [base](errc code, std::size_t offset) {
    return error{code, static_cast<std::uint32_t>(base + offset)};
  };
  if (n == 0) return at(errc::b3_empty, 0);
  if (n > b3_single_max_size) return at(errc::b3_too_long, b3_single_max_size);
  sampling_decision decision;
  if (n == 1) return at(errc::b3_invalid_sampling, 0);

  // Trace id: 16 or 32 digits, then '-'. The offset is where the field stopped being one.
  const std::size_t t = b3_hex_prefix(p, n, 32);
  if ((t == 16 || t == 32) && t == n) return at(errc::b3_missing_span_id, n);
  if ((t != 16 && t != 32) || p[t] != '-') return at(errc::b3_invalid_trace_id, t);
  if (!b3_decode_trace_id(p, t).is_valid()) return at(errc::b3_zero_trace_id, 0);

  // Span id: 16 digits, then the end or '-'.
  const std::size_t s = t + 1;
  const std::size_t k = b3_hex_prefix(p + s, n - s, 16);
  if (k != 16 || (s + 16 < n && p[s + 16] != '-')) return at(errc::b3_invalid_span_id, s + k);
  if (!b3_decode_span_id(p + s).is_valid()) return at(errc::b3_zero_span_id, s);
  if (s + 16 == n) {
    BATON_ASSERT(false && "diagnose_b3_single called on a valid value");
    return at(errc::b3_invalid_span_id, n);
  }

  // Sampling state: one character, then the end or '-' (a parent span id needs it).
  const std::size_t f = s + 17;
  if (f == n || !b3_sampling_char(p[f], decision)) return at(errc::b3_invalid_sampling, f);
  if (f + 1 < n && p[f + 1] != '-') return at(errc::b3_invalid_sampling, f);

  // Parent span id: 16 digits, the last field.
  const std::size_t r = f + 2;
  if (r <= n) {
    const std::size_t j = b3_hex_prefix(p + r, n - r, 16);
    if (j != 16) return at(errc::b3_invalid_parent_span_id, r + j);
    if (r + 16 < n) {
      return at(p[r + 16] == '-' ? errc::b3_too_many_fields : errc::b3_invalid_parent_span_id,
                r + 16);
    }
  }
  BATON_ASSERT(false && "diagnose_b3_single called on a valid value");
  return at(errc::b3_invalid_sampling, f);
}

/// The decision to write on inject (see format_extras): the local sampled bit, except that an
/// undecided incoming decision stays undecided while the context is not sampled, and debug is
/// kept while it is.
inline sampling_decision b3_decision_to_send(const span_context& context,
                                             const format_extras& extras) noexcept {
  const bool sampled = context.flags.sampled();
  if (!sampled && extras.sampling == sampling_decision::deferred) {
    return sampling_decision::deferred;
  }
  if (sampled && extras.sampling == sampling_decision::debug) return sampling_decision::debug;
  return sampled ? sampling_decision::sampled : sampling_decision::not_sampled;
}

inline bool b3_trace_id_fits_64(const trace_id& id) noexcept {
  for (std::size_t i = 0; i < 8; ++i) {
    if (id.bytes()[i] != 0) return false;
  }
  return true;
}

/// Writes the trace id: 16 digits when it arrived that way and its high half is zero (nothing is
/// lost), else 32. Returns the end.
inline char* b3_write_trace_id(const trace_id& id, bool trace_id_64, char* out) noexcept {
  if (trace_id_64 && b3_trace_id_fits_64(id)) {
    encode_hex<8>(id.data() + 8, out);
    return out + 16;
  }
  return id.to_hex(out);
}

inline char b3_sampling_text(sampling_decision d) noexcept {
  return d == sampling_decision::debug ? 'd' : d == sampling_decision::sampled ? '1' : '0';
}

}  // namespace detail

/// Parses a b3 single header value: `{trace}-{span}[-{sampling}[-{parent}]]` or a sampling state
/// alone (`0`, `1`, `d`). Leading and trailing SP/HTAB are ignored. Trace ids have 16 or 32
/// lowercase hex digits (16 are left-padded with zeros; trace_id_64 says so), span and parent
/// ids 16; the sampling state is `0` (deny), `1` (accept) or `d` (debug, implies accept); absent
/// means deferred. Uppercase hex, `true` in the sampling slot and all-zero trace or span ids are
/// invalid; an all-zero parent id is read as absent. Values over b3_single_max_size are
/// rejected before they are read. Linear time, allocates nothing; error offsets index `value`.
inline result<b3_header> parse_b3_single(std::string_view value) noexcept {
  std::size_t b = 0, e = value.size();
  while (b < e && detail::is_ows(value[b])) ++b;
  while (e > b && detail::is_ows(value[e - 1])) --e;
  const char* p = value.data() + b;
  const std::size_t n = e - b;

  b3_header h;
  if (BATON_LIKELY(n > 1 && n <= b3_single_max_size)) {
    // Fast path: guess the layout from the first '-', decode with the wide hex decoder, and let
    // the slow path name the problem if anything is off.
    const std::size_t t = n > 16 && p[16] == '-' ? 16 : 32;
    const std::size_t s = t + 1;
    if (n >= s + 16 && p[t] == '-') {
      std::uint8_t trace[16] = {};
      std::uint8_t span[8], parent[8] = {};
      bool ok = t == 16 ? detail::decode_hex<8>(p, trace + 8) : detail::decode_hex<16>(p, trace);
      ok &= detail::decode_hex<8>(p + s, span);
      const char* rest = p + s + 16;
      switch (n - (s + 16)) {
        case 0:
          break;
        case 2:
          ok &= rest[0] == '-' && detail::b3_sampling_char(rest[1], h.sampling);
          break;
        case 19:
          ok &= rest[0] == '-' && detail::b3_sampling_char(rest[1], h.sampling);
          ok &= rest[2] == '-' && detail::decode_hex<8>(rest + 3, parent);
          break;
        default:
          ok = false;
      }
      if (BATON_LIKELY(ok)) {
        h.trace_id = trace_id::from_bytes(trace);
        h.span_id = span_id::from_bytes(span);
        h.parent_span_id = span_id::from_bytes(parent);
        h.trace_id_64 = t == 16;
        if (BATON_LIKELY(h.trace_id.is_valid() && h.span_id.is_valid())) return h;
      }
    }
  } else if (n == 1 && detail::b3_sampling_char(p[0], h.sampling)) {
    return h;
  }
  return detail::diagnose_b3_single(p, n, b);
}

/// Writes a b3 single value at out (at most b3_single_max_size characters, no terminator) and
/// returns the end. With ids: `{trace}-{span}`, then `-{0|1|d}` unless the decision is
/// deferred, then `-{parent}` when the parent is non-zero and a decision is written (the grammar
/// has no slot for a parent without one). The trace id is written as 16 digits when
/// trace_id_64 is set and its high half is zero, else 32. A sampling-only header writes the
/// state alone (nothing when deferred). Does not check the ids: propagators check first.
inline char* format_b3_single(const b3_header& h, char* out) noexcept {
  if (h.sampling_only()) {
    if (h.sampling != sampling_decision::deferred) *out++ = detail::b3_sampling_text(h.sampling);
    return out;
  }
  out = detail::b3_write_trace_id(h.trace_id, h.trace_id_64, out);
  *out++ = '-';
  out = h.span_id.to_hex(out);
  if (h.sampling == sampling_decision::deferred) return out;
  *out++ = '-';
  *out++ = detail::b3_sampling_text(h.sampling);
  if (h.parent_span_id.is_valid()) {
    *out++ = '-';
    out = h.parent_span_id.to_hex(out);
  }
  return out;
}

/// format_b3_single() as a std::string.
inline std::string format_b3_single(const b3_header& h) {
  char buffer[b3_single_max_size];
  return std::string(buffer, static_cast<std::size_t>(format_b3_single(h, buffer) - buffer));
}

/// Parses the x-b3-* values of one carrier. Each value may have surrounding SP/HTAB.
///   x-b3-traceid       16 or 32 lowercase hex (16 are left-padded; trace_id_64 says so)
///   x-b3-spanid        16 lowercase hex; required with a trace id and vice versa
///   x-b3-parentspanid  16 lowercase hex, optional (all zeros is read as absent)
///   x-b3-sampled       `1` / `0`, or the legacy `true` / `false` (any case); absent: deferred
///   x-b3-flags         `1` means debug (x-b3-sampled is then ignored); other values are ignored
/// Without trace and span ids the result is sampling-only (possibly deferred: nothing to use).
/// Error offsets index the value of the field the code names (x-b3-sampled for
/// b3_invalid_sampling); b3_missing_span_id and b3_missing_trace_id have offset 0.
inline result<b3_header> parse_b3_multi(const b3_multi_fields& fields) noexcept {
  struct field_text {
    const char* p;
    std::size_t n, base;
  };
  auto trimmed = [](std::string_view v) {
    std::size_t b = 0, e = v.size();
    while (b < e && detail::is_ows(v[b])) ++b;
    while (e > b && detail::is_ows(v[e - 1])) --e;
    return field_text{v.data() + b, e - b, b};
  };
  auto span_field = [&](std::string_view v, errc bad, span_id& out) -> error {
    const field_text f = trimmed(v);
    std::uint8_t bytes[8];
    if (f.n != 16 || !detail::decode_hex<8>(f.p, bytes)) {
      const std::size_t k = detail::b3_hex_prefix(f.p, f.n, 16);
      return error{bad, static_cast<std::uint32_t>(f.base + k)};
    }
    out = span_id::from_bytes(bytes);
    return error{};
  };

  b3_header h;
  if (fields.sampled) {
    const field_text f = trimmed(*fields.sampled);
    const std::string_view s(f.p, f.n);
    if (s == "1" || detail::iequals_ascii(s, "true")) {
      h.sampling = sampling_decision::sampled;
    } else if (s == "0" || detail::iequals_ascii(s, "false")) {
      h.sampling = sampling_decision::not_sampled;
    } else {
      return error{errc::b3_invalid_sampling, static_cast<std::uint32_t>(f.base)};
    }
  }
  if (fields.flags && detail::trim_ows(*fields.flags) == "1") h.sampling = sampling_decision::debug;

  if (!fields.trace_id) {
    if (fields.span_id || fields.parent_span_id) return errc::b3_missing_trace_id;
    return h;
  }
  const field_text t = trimmed(*fields.trace_id);
  std::uint8_t trace[16] = {};
  const bool trace_ok = t.n == 16   ? detail::decode_hex<8>(t.p, trace + 8)
                        : t.n == 32 ? detail::decode_hex<16>(t.p, trace)
                                    : false;
  if (!trace_ok) {
    const std::size_t digits = detail::b3_hex_prefix(t.p, t.n, 32);
    return error{errc::b3_invalid_trace_id, static_cast<std::uint32_t>(t.base + digits)};
  }
  h.trace_id = trace_id::from_bytes(trace);
  h.trace_id_64 = t.n == 16;
  if (!h.trace_id.is_valid())
    return error{errc::b3_zero_trace_id, static_cast<std::uint32_t>(t.base)};

  if (!fields.span_id) return errc::b3_missing_span_id;
  if (error err = span_field(*fields.span_id, errc::b3_invalid_span_id, h.span_id);
      err.code != errc::ok) {
    return err;
  }
  if (!h.span_id.is_valid()) {
    return error{errc::b3_zero_span_id, static_cast<std::uint32_t>(trimmed(*fields.span_id).base)};
  }
  if (fields.parent_span_id) {
    if (error err =
            span_field(*fields.parent_span_id, errc::b3_invalid_parent_span_id, h.parent_span_id);
        err.code != errc::ok) {
      return err;
    }
  }
  return h;
}

namespace detail {

inline constexpr std::string_view b3_single_field = "b3";
inline constexpr std::string_view b3_trace_id_field = "x-b3-traceid";
inline constexpr std::string_view b3_span_id_field = "x-b3-spanid";
inline constexpr std::string_view b3_parent_span_id_field = "x-b3-parentspanid";
inline constexpr std::string_view b3_sampled_field = "x-b3-sampled";
inline constexpr std::string_view b3_flags_field = "x-b3-flags";

inline void b3_fill(const b3_header& h, extracted_context& out) {
  out.extras.sampling = h.sampling;
  const bool sampled =
      h.sampling == sampling_decision::sampled || h.sampling == sampling_decision::debug;
  out.context.flags = trace_flags().with_sampled(sampled);
  out.context.remote = true;
  if (h.sampling_only()) {
    // A deferred decision without ids carries nothing.
    out.kind = h.sampling == sampling_decision::deferred ? context_kind::none
                                                         : context_kind::sampling_only;
    return;
  }
  out.kind = context_kind::full;
  out.context.trace_id = h.trace_id;
  out.context.span_id = h.span_id;
  out.extras.trace_id_64 = h.trace_id_64;
  out.extras.parent_span_id = h.parent_span_id;
}

/// One B3 field as read from a carrier, under read_singleton_field's policy: the first value
/// is kept (copied: carriers may hand out temporaries), identical repeats (compared without
/// surrounding OWS) are accepted, different ones make the field conflicting.
struct b3_field_read {
  short_text first;
  bool found = false;
  bool conflicting = false;

  void add(std::string_view value) {
    if (!found) {
      found = true;
      first.assign(value);
    } else if (trim_ows(value) != trim_ows(first.view())) {
      conflicting = true;
    }
  }
  std::optional<std::string_view> value() const {
    return found ? std::optional<std::string_view>(first.view()) : std::nullopt;
  }
};

enum b3_field_index : std::size_t {
  b3_single_at,
  b3_trace_id_at,
  b3_span_id_at,
  b3_parent_span_id_at,
  b3_sampled_at,
  b3_flags_at,
  b3_field_count
};

inline constexpr std::string_view b3_field_names[b3_field_count] = {
    b3_single_field,         b3_trace_id_field, b3_span_id_field,
    b3_parent_span_id_field, b3_sampled_field,  b3_flags_field};

/// Which B3 field `name` is (ASCII case-insensitively), or b3_field_count.
inline std::size_t b3_field_of(std::string_view name) noexcept {
  std::size_t i = b3_field_count;
  switch (name.size()) {
    case 2:
      i = b3_single_at;
      break;
    case 10:
      i = b3_flags_at;
      break;
    case 11:
      i = b3_span_id_at;
      break;
    case 12:
      i = (name[5] | 0x20) == 't' ? b3_trace_id_at : b3_sampled_at;
      break;
    case 17:
      i = b3_parent_span_id_at;
      break;
    default:
      return b3_field_count;
  }
  return iequals_ascii(name, b3_field_names[i]) ? i : b3_field_count;
}

/// Whether the carrier's own lookup of a name is a case-insensitive scan of every entry (the
/// default traits of a pair container without a case-insensitive comparator, http_headers):
/// then one pass over the entries finds exactly what six lookups would, six times faster.
template <class C>
bool b3_lookup_is_scan(const C& carrier) {
  if constexpr (std::is_same_v<C, http_headers>) {
    return true;
  } else if constexpr (read_access_of<C>() == read_access::pairs &&
                       std::is_base_of_v<carrier_reader<C>, carrier_traits<C>>) {
    if constexpr (has_equal_range<C>::value) {
      return carrier.size() <= scan_threshold || !comparator_ignores_case(carrier);
    } else {
      return true;
    }
  } else {
    return false;
  }
}

/// Reads B3 from a carrier: the single header if present and valid, else the x-b3-* headers.
/// Every field is a singleton (identical repeats accepted, different ones make it invalid).
template <class Carrier>
extracted_context extract_b3(const Carrier& carrier) {
  extracted_context out;
  out.format = propagation_format::b3;
  b3_field_read fields[b3_field_count];
  const bool one_pass = b3_lookup_is_scan(carrier);
  if (one_pass) {
    carrier_visit_all(carrier, [&](std::string_view name, std::string_view value) {
      const std::size_t i = b3_field_of(name);
      if (i != b3_field_count) fields[i].add(value);
    });
  } else {
    carrier_for_each(carrier, b3_single_field,
                     [&](std::string_view value) { fields[b3_single_at].add(value); });
  }

  error single_error{};
  const b3_field_read& single = fields[b3_single_at];
  if (single.found) {
    out.found = true;
    if (single.conflicting) {
      single_error = error{errc::propagation_conflicting_values, 0};
    } else {
      const result<b3_header> h = parse_b3_single(single.first.view());
      if (h) {
        b3_fill(*h, out);
        return out;
      }
      single_error = h.error();
    }
  }

  if (!one_pass) {
    for (std::size_t i = b3_trace_id_at; i < b3_field_count; ++i) {
      carrier_for_each(carrier, b3_field_names[i],
                       [&](std::string_view value) { fields[i].add(value); });
    }
  }
  const b3_multi_fields multi{fields[b3_trace_id_at].value(), fields[b3_span_id_at].value(),
                              fields[b3_parent_span_id_at].value(), fields[b3_sampled_at].value(),
                              fields[b3_flags_at].value()};
  if (!multi.any()) {
    out.error = single_error;
    return out;
  }
  // A rejected single header stays the one reported if the multi headers fail too.
  const bool keep_single_error = out.found;
  out.found = true;
  error multi_error{};
  bool conflicting = false;
  for (std::size_t i = b3_trace_id_at; i < b3_field_count; ++i) {
    conflicting |= fields[i].conflicting;
  }
  if (conflicting) {
    multi_error = error{errc::propagation_conflicting_values, 0};
  } else {
    const result<b3_header> h = parse_b3_multi(multi);
    if (h) {
      out.format = propagation_format::b3multi;
      b3_fill(*h, out);
      // The context came from x-b3-*; a rejected b3 header is still reported (the field was
      // present and invalid), without replacing the valid context.
      if (keep_single_error) out.error = single_error;
      return out;
    }
    multi_error = h.error();
  }
  if (keep_single_error) {
    out.error = single_error;
  } else {
    out.format = propagation_format::b3multi;
    out.error = multi_error;
  }
  return out;
}

}  // namespace detail

/// B3 with the single `b3` header on inject. Extract reads both encodings (see extract_context).
struct b3_propagator {
  static constexpr propagation_format format = propagation_format::b3;
  /// The field inject() writes.
  static constexpr std::array<std::string_view, 1> fields{detail::b3_single_field};
  /// Fields extract() reads that inject() removes so no stale value crosses the next hop.
  static constexpr std::array<std::string_view, 5> cleared_fields{
      detail::b3_trace_id_field, detail::b3_span_id_field, detail::b3_parent_span_id_field,
      detail::b3_sampled_field, detail::b3_flags_field};

  /// Reads `b3` first: when present and valid it wins. When it is absent, or present but
  /// invalid (malformed, or repeated with different values), the x-b3-* headers are read
  /// instead, as OpenTelemetry does. `format` says which encoding the result came from (b3 or
  /// b3multi). A rejected single header's error is reported even when x-b3-* then gives the
  /// context; when both fail, the single header's error is reported. Never throws on any
  /// input; allocates only for field values over 256 bytes.
  template <class Carrier>
  static extracted_context extract_context(const Carrier& carrier) {
    return detail::extract_b3(carrier);
  }

  /// Writes `b3: {trace}-{span}[-{0|1|d}]` (no parent span id: the propagated parent is the
  /// span id) and erases every x-b3-* field. The decision: `d` when extras ask for debug and the
  /// context is sampled; nothing (deferred) when extras are deferred and the context is not
  /// sampled; else `1` / `0` from the sampled bit. The trace id is written as 16 hex when
  /// extras.trace_id_64 is set and its high half is zero. An invalid context is never written:
  /// returns false and leaves the carrier untouched.
  template <class Carrier>
  static bool inject(const span_context& context, Carrier& carrier,
                     const format_extras& extras = {}) {
    if (!write_single_header(context, carrier, extras)) return false;
    for (std::string_view name : cleared_fields) carrier_erase(carrier, name);
    return true;
  }

  /// Writes only the `b3` field, as inject() does, leaving the x-b3-* fields alone (for a
  /// composite that sends both encodings).
  template <class Carrier>
  static bool write_single_header(const span_context& context, Carrier& carrier,
                                  const format_extras& extras = {}) {
    if (!context.is_valid()) return false;
    b3_header h;
    h.trace_id = context.trace_id;
    h.trace_id_64 = extras.trace_id_64;
    h.span_id = context.span_id;
    h.sampling = detail::b3_decision_to_send(context, extras);
    char buffer[b3_single_max_size];
    const char* end = format_b3_single(h, buffer);
    carrier_set(carrier, detail::b3_single_field,
                std::string_view(buffer, static_cast<std::size_t>(end - buffer)));
    return true;
  }
};

/// B3 with the x-b3-* headers on inject. Extract is the same as b3_propagator's.
struct b3multi_propagator {
  static constexpr propagation_format format = propagation_format::b3multi;
  /// The fields inject() may write (x-b3-sampled and x-b3-flags only for some decisions).
  static constexpr std::array<std::string_view, 4> fields{
      detail::b3_trace_id_field, detail::b3_span_id_field, detail::b3_sampled_field,
      detail::b3_flags_field};
  /// Fields extract() reads that inject() never writes: x-b3-parentspanid (the propagated
  /// parent is x-b3-spanid) and the single header.
  static constexpr std::array<std::string_view, 2> cleared_fields{detail::b3_parent_span_id_field,
                                                                  detail::b3_single_field};

  template <class Carrier>
  static extracted_context extract_context(const Carrier& carrier) {
    return detail::extract_b3(carrier);
  }

  /// Writes x-b3-traceid and x-b3-spanid, then the decision as b3_propagator chooses it:
  /// `x-b3-flags: 1` for debug (x-b3-sampled omitted), `x-b3-sampled: 1` or `0`, or neither when
  /// deferred. Fields not written this time (x-b3-sampled, x-b3-flags) and cleared_fields are
  /// erased. An invalid context is never written: returns false and leaves the carrier
  /// untouched.
  template <class Carrier>
  static bool inject(const span_context& context, Carrier& carrier,
                     const format_extras& extras = {}) {
    if (!context.is_valid()) return false;
    char trace[32];
    const char* trace_end = detail::b3_write_trace_id(context.trace_id, extras.trace_id_64, trace);
    char span[16];
    context.span_id.to_hex(span);
    carrier_set(carrier, detail::b3_trace_id_field,
                std::string_view(trace, static_cast<std::size_t>(trace_end - trace)));
    carrier_set(carrier, detail::b3_span_id_field, std::string_view(span, sizeof span));
    const sampling_decision d = detail::b3_decision_to_send(context, extras);
    if (d == sampling_decision::debug) {
      carrier_set(carrier, detail::b3_flags_field, "1");
      carrier_erase(carrier, detail::b3_sampled_field);
    } else {
      if (d == sampling_decision::deferred) {
        carrier_erase(carrier, detail::b3_sampled_field);
      } else {
        carrier_set(carrier, detail::b3_sampled_field, d == sampling_decision::sampled ? "1" : "0");
      }
      carrier_erase(carrier, detail::b3_flags_field);
    }
    for (std::string_view name : cleared_fields) carrier_erase(carrier, name);
    return true;
  }
};

BATON_END_NAMESPACE

#endif  // BATON_PROPAGATION_B3_HPP
