// context_snapshot: a span context and its baggage as a versioned, self-describing value that
// a durable step can return and a later step (or another process, or another language) can
// restore. Three encodings, lossless and validated on decode: a compact text token, a compact
// binary form, and the W3C text-map form (traceparent, tracestate, baggage). The formats are
// specified byte by byte in docs/snapshots.md.
#ifndef BATON_SNAPSHOT_HPP
#define BATON_SNAPSHOT_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "baton/baggage.hpp"
#include "baton/carrier.hpp"
#include "baton/detail/baggage_scan.hpp"
#include "baton/detail/config.hpp"
#include "baton/detail/percent.hpp"
#include "baton/detail/wire.hpp"
#include "baton/error.hpp"
#include "baton/ids.hpp"
#include "baton/propagation/baggage.hpp"
#include "baton/propagation/trace_context.hpp"
#include "baton/span_context.hpp"
#include "baton/trace_flags.hpp"
#include "baton/tracestate.hpp"

BATON_BEGIN_NAMESPACE

/// A span context (trace id, span id, raw flags byte with the sampling decision, tracestate,
/// remote) and baggage: everything needed to continue a trace later. A plain value.
struct context_snapshot {
  span_context context;
  baton::baggage baggage;

  bool is_valid() const noexcept { return context.is_valid(); }

  friend bool operator==(const context_snapshot& a, const context_snapshot& b) noexcept {
    return a.context == b.context && a.baggage == b.baggage;
  }
  friend bool operator!=(const context_snapshot& a, const context_snapshot& b) noexcept {
    return !(a == b);
  }
};

/// Which baggage a snapshot keeps. Baggage is caller data that a snapshot stores and replays,
/// so a durable system may want none of it (DBOS persists none) or only known keys.
enum class baggage_policy : std::uint8_t {
  none = 0,       ///< keep no baggage
  allowlist = 1,  ///< keep the keys snapshot_options::allowlist accepts
  all = 2,        ///< keep every entry (within the limits)
};

/// Size limits, enforced by make_snapshot (which cuts to them) and by every decoder (which
/// rejects input over them with errc::snapshot_too_large before allocating for it). The
/// defaults accept every context a propagator writes with its default limits.
struct snapshot_limits {
  /// The longest canonical tracestate: 32 members of 256 + 1 + 256 characters, 31 commas.
  static constexpr std::size_t largest_tracestate = detail::largest_tracestate_text;

  std::size_t max_bytes = 64 * 1024;  ///< the binary form (for a token: its decoded bytes)
  /// tracestate text; make_snapshot cuts by W3C rules (whole members, long ones first) and
  /// never below 512 characters
  std::size_t max_tracestate_size = largest_tracestate;
  baggage_limits baggage{};  ///< members and bytes of the baggage header (64 / 8192)
};

struct snapshot_options {
  baggage_policy baggage = baggage_policy::all;
  /// The accepted keys with baggage_policy::allowlist (non-owning: see baggage_key_filter).
  baggage_key_filter allowlist{};
  snapshot_limits limits{};

  /// Options that keep only the baggage keys in `keys` (a contiguous container of
  /// std::string_view that must outlive the options).
  template <class Container>
  static snapshot_options allow(const Container& keys) noexcept {
    snapshot_options o;
    o.baggage = baggage_policy::allowlist;
    o.allowlist = baggage_key_filter::allow(keys);
    return o;
  }
  template <class Container>
  static snapshot_options allow(const Container&& keys) = delete;  // would dangle
};

namespace detail {

inline constexpr std::uint8_t snapshot_tag_context = 0x01;
inline constexpr std::uint8_t snapshot_tag_tracestate = 0x02;
inline constexpr std::uint8_t snapshot_tag_baggage = 0x03;
inline constexpr std::size_t snapshot_context_size = 16 + 8 + 1 + 1;
inline constexpr std::uint8_t snapshot_bit_remote = 0x01;

inline constexpr baggage_limits unlimited_baggage{std::numeric_limits<std::size_t>::max(),
                                                  std::numeric_limits<std::size_t>::max()};

struct snapshot_sizes {
  std::size_t payload = 0;
  std::size_t baggage = 0;  // bytes of the baggage header
};

inline snapshot_sizes snapshot_payload_size(const context_snapshot& s) noexcept {
  snapshot_sizes z;
  z.payload = field_size(snapshot_context_size);
  const std::size_t ts = s.context.tracestate.header().size();
  if (ts != 0) z.payload += field_size(ts);
  z.baggage = s.baggage.byte_size();
  if (z.baggage != 0) z.payload += field_size(z.baggage);
  return z;
}

/// Writes the 26-byte context value: trace id, span id, raw flags, bits.
inline std::uint8_t* put_context_value(std::uint8_t* p, const trace_id& trace, const span_id& span,
                                       trace_flags flags, std::uint8_t bits) noexcept {
  std::memcpy(p, trace.data(), 16);
  std::memcpy(p + 16, span.data(), 8);
  p[24] = flags.raw();
  p[25] = bits;
  return p + 26;
}
inline std::uint8_t* put_context_value(std::uint8_t* p, const span_context& c,
                                       std::uint8_t bits) noexcept {
  return put_context_value(p, c.trace_id, c.span_id, c.flags, bits);
}

/// Writes the canonical baggage header (what baggage::header() writes) at p.
inline std::uint8_t* put_baggage(std::uint8_t* p, const baggage& b) noexcept {
  char* w = reinterpret_cast<char*>(p);
  const auto copy = [&w](std::string_view s) {
    if (!s.empty()) std::memcpy(w, s.data(), s.size());
    w += s.size();
  };
  bool first = true;
  for (const baggage::entry e : b) {
    if (!first) *w++ = ',';
    first = false;
    copy(e.key);
    *w++ = '=';
    w = percent_encode(e.value.data(), e.value.size(), w);
    for (const baggage_property prop : e.properties) {
      *w++ = ';';
      copy(prop.key);
      if (prop.value) {
        *w++ = '=';
        w = percent_encode(prop.value->data(), prop.value->size(), w);
      }
    }
  }
  return reinterpret_cast<std::uint8_t*>(w);
}

/// Writes the binary form of `s` (envelope_size(z.payload) bytes) at start.
inline void write_snapshot_binary(std::uint8_t* const start, const context_snapshot& s,
                                  const snapshot_sizes& z) noexcept {
  const std::string_view ts = s.context.tracestate.header();
  std::uint8_t* p = put_envelope_header(start, wire_kind::context, z.payload);
  p = put_field_header(p, snapshot_tag_context, snapshot_context_size);
  p = put_context_value(p, s.context, s.context.remote ? snapshot_bit_remote : 0);
  if (!ts.empty()) {
    p = put_field_header(p, snapshot_tag_tracestate, ts.size());
    std::memcpy(p, ts.data(), ts.size());
    p += ts.size();
  }
  if (z.baggage != 0) {
    p = put_baggage(put_field_header(p, snapshot_tag_baggage, z.baggage), s.baggage);
  }
  const auto body = static_cast<std::size_t>(p - start);
  BATON_ASSERT(body + wire_checksum_size == envelope_size(z.payload));
  put_u32le(p, crc32c(start, body));
}

/// Compares `s` with t[i..n), advancing i past what matches; false at the first difference
/// (then i is its offset).
inline bool baggage_literal_matches(std::string_view s, const char* t, std::size_t n,
                                    std::size_t& i) noexcept {
  if (n - i >= s.size() && (s.empty() || std::memcmp(t + i, s.data(), s.size()) == 0)) {
    i += s.size();
    return true;
  }
  for (std::size_t k = 0; i < n && k < s.size() && t[i] == s[k]; ++k) ++i;
  return false;
}

/// Compares the %-encoding of `v` (as baggage::header() writes it) with t[i..n), advancing i
/// past what matches; false at the first difference (then i is its offset).
inline bool baggage_encoded_matches(std::string_view v, const char* t, std::size_t n,
                                    std::size_t& i) noexcept {
  for (const char c : v) {
    const auto u = static_cast<unsigned char>(c);
    if (baggage_plain[u] != 0) {
      if (i == n || t[i] != c) return false;
      ++i;
      continue;
    }
    const char escape[3] = {'%', upper_hex_chars[u >> 4], upper_hex_chars[u & 15]};
    for (const char x : escape) {
      if (i == n || t[i] != x) return false;
      ++i;
    }
  }
  return true;
}

/// The offset of the first byte where `text` differs from the canonical header of `b`, or npos
/// when it is that header. Compares as it encodes: no allocation.
inline std::size_t baggage_mismatch(const baggage& b, std::string_view text) noexcept {
  const char* const t = text.data();
  const std::size_t n = text.size();
  std::size_t i = 0;
  const auto one = [&](char c) {
    if (i == n || t[i] != c) return false;
    ++i;
    return true;
  };
  bool first = true;
  for (const baggage::entry e : b) {
    if (!first && !one(',')) return i;
    first = false;
    if (!baggage_literal_matches(e.key, t, n, i) || !one('=') ||
        !baggage_encoded_matches(e.value, t, n, i)) {
      return i;
    }
    for (const baggage_property prop : e.properties) {
      if (!one(';') || !baggage_literal_matches(prop.key, t, n, i)) return i;
      if (prop.value && (!one('=') || !baggage_encoded_matches(*prop.value, t, n, i))) return i;
    }
  }
  return i == n ? std::string_view::npos : i;
}

/// Reads the 26-byte context value (ids must be non-zero; bits outside `known_bits` are
/// rejected: they would carry meaning this version cannot keep).
inline error get_context_value(const std::uint8_t* p, std::size_t at, std::uint8_t known_bits,
                               span_context& c, std::uint8_t& bits) noexcept {
  c.trace_id = trace_id::from_bytes(p);
  c.span_id = span_id::from_bytes(p + 16);
  c.flags = trace_flags(p[24]);
  bits = p[25];
  if (!c.trace_id.is_valid()) return {errc::snapshot_zero_trace_id, static_cast<std::uint32_t>(at)};
  if (!c.span_id.is_valid()) {
    return {errc::snapshot_zero_span_id, static_cast<std::uint32_t>(at + 16)};
  }
  if ((bits & ~known_bits) != 0)
    return {errc::snapshot_invalid_field, static_cast<std::uint32_t>(at + 25)};
  return {};
}

/// Parses tracestate text that must be canonical (what tracestate::header() writes).
inline error get_tracestate(std::string_view text, std::size_t at, std::size_t max,
                            tracestate& out) {
  if (text.empty()) return {errc::snapshot_invalid_field, static_cast<std::uint32_t>(at)};
  if (text.size() > max) return {errc::snapshot_too_large, static_cast<std::uint32_t>(at)};
  // The common case in one pass; the general parser and the comparison below name the problem
  // of any other text (or accept what the fast path leaves to them: lists over 8 members).
  if (tracestate_decode_canonical(text, out)) return {};
  tracestate_notes notes;
  result<tracestate> ts = tracestate::parse(text, {}, &notes);
  if (!ts)
    return {errc::snapshot_invalid_tracestate, static_cast<std::uint32_t>(at + ts.error().offset)};
  if (notes.dropped != 0) {
    return {errc::snapshot_invalid_tracestate, static_cast<std::uint32_t>(at + notes.first.offset)};
  }
  if (ts->header() != text)
    return {errc::snapshot_invalid_tracestate, static_cast<std::uint32_t>(at)};
  out = std::move(*ts);
  return {};
}

/// Parses baggage text that must be canonical (what baggage::header() writes) and within
/// `limits`.
inline error get_baggage(std::string_view text, std::size_t at, const baggage_limits& limits,
                         baggage& out) {
  if (text.empty()) return {errc::snapshot_invalid_field, static_cast<std::uint32_t>(at)};
  if (text.size() > limits.max_bytes)
    return {errc::snapshot_too_large, static_cast<std::uint32_t>(at)};
  // The common case in one pass; the general parser and the comparison below name the problem
  // of any other text (or accept what the fast path leaves to them: large baggage).
  if (baggage_decode_canonical(text, limits.max_members, out)) return {};
  baggage_options options;
  options.limits = limits;
  baggage_report report;
  baggage b = baggage::parse(text, options, &report);
  if (!report.empty()) {
    const baggage_issue& issue = report[0];
    const bool over =
        issue.code == errc::baggage_too_many_members || issue.code == errc::baggage_too_large;
    return {over ? errc::snapshot_too_large : errc::snapshot_invalid_baggage,
            static_cast<std::uint32_t>(at + issue.offset)};
  }
  // Canonical: the text must be exactly what the parsed entries format to (no OWS, no empty
  // members, uppercase %-escapes only where needed, well-formed UTF-8).
  if (const std::size_t bad = baggage_mismatch(b, text); bad != std::string_view::npos) {
    return {errc::snapshot_invalid_baggage, static_cast<std::uint32_t>(at + bad)};
  }
  out = std::move(b);
  return {};
}

/// Decodes the binary form at p[0, n) into s (left partly filled on error).
inline error decode_snapshot_into(const std::uint8_t* p, std::size_t n,
                                  const snapshot_limits& limits, context_snapshot& s) {
  wire_envelope env;
  if (const error e = open_envelope(p, n, wire_kind::context, limits.max_bytes, env);
      e.code != errc::ok) {
    return e;
  }
  // Version 1 is the only version so far; a decoder for version N keeps a branch per version.
  bool have_context = false;
  const std::size_t end = env.payload + env.payload_size;
  wire_fields fields(p, env.payload, end, snapshot_tag_baggage, 0);
  wire_field f;
  while (fields.next(f)) {
    const std::string_view text(reinterpret_cast<const char*>(p + f.value), f.size);
    error e{};
    switch (f.tag) {
      case snapshot_tag_context: {
        if (f.size != snapshot_context_size) {
          return {errc::snapshot_invalid_field, static_cast<std::uint32_t>(f.offset)};
        }
        std::uint8_t bits = 0;
        e = get_context_value(p + f.value, f.value, snapshot_bit_remote, s.context, bits);
        s.context.remote = (bits & snapshot_bit_remote) != 0;
        have_context = true;
        break;
      }
      case snapshot_tag_tracestate:
        e = get_tracestate(text, f.value, limits.max_tracestate_size, s.context.tracestate);
        break;
      case snapshot_tag_baggage:
        e = get_baggage(text, f.value, limits.baggage, s.baggage);
        break;
      default:
        break;
    }
    if (e.code != errc::ok) return e;
  }
  if (fields.error_value().code != errc::ok) return fields.error_value();
  if (!have_context) return {errc::snapshot_missing_field, static_cast<std::uint32_t>(end)};
  return {};
}

}  // namespace detail

/// A snapshot of `context` and `baggage` under `options`: baggage filtered by the policy, then
/// cut to the limits (entries over them dropped whole, as inject does); tracestate cut to
/// max_tracestate_size by the W3C rules. Errors: snapshot_zero_trace_id, snapshot_zero_span_id
/// (an invalid context cannot be continued), snapshot_too_large (the binary form would still be
/// over limits.max_bytes).
inline result<context_snapshot> make_snapshot(const span_context& context,
                                              const baggage& entries = {},
                                              const snapshot_options& options = {}) {
  if (!context.trace_id.is_valid()) return errc::snapshot_zero_trace_id;
  if (!context.span_id.is_valid()) return errc::snapshot_zero_span_id;
  const snapshot_limits& limits = options.limits;
  context_snapshot s;
  s.context = context;
  if (context.tracestate.header().size() > limits.max_tracestate_size) {
    const std::string cut = context.tracestate.header(limits.max_tracestate_size);
    result<tracestate> ts = tracestate::parse(cut);
    if (ts && cut.size() <= limits.max_tracestate_size) {
      s.context.tracestate = std::move(*ts);
    } else {
      s.context.tracestate.clear();  // a budget under 512 characters: nothing fits the rules
    }
  }
  if (options.baggage != baggage_policy::none) {
    s.baggage = entries;
    if (options.baggage == baggage_policy::allowlist) s.baggage.keep_only(options.allowlist);
    if (s.baggage.size() > limits.baggage.max_members ||
        s.baggage.byte_size() > limits.baggage.max_bytes) {
      // Already cut to the caller's limits: parse it whole (not under the default 64 / 8192).
      s.baggage = baggage::parse(s.baggage.header(limits.baggage), {detail::unlimited_baggage, {}});
    }
  }
  if (detail::envelope_size(detail::snapshot_payload_size(s).payload) > limits.max_bytes) {
    return errc::snapshot_too_large;
  }
  return s;
}

// ---- Binary form ----------------------------------------------------------------------------

/// Bytes of the binary form of `s`.
inline std::size_t binary_size(const context_snapshot& s) noexcept {
  return detail::envelope_size(detail::snapshot_payload_size(s).payload);
}

/// Appends the binary form of `s` to `out` (one allocation at most: none when `out` has room).
/// Writes what it is given: a snapshot over the limits (not made by make_snapshot) is written
/// whole and rejected by a decoder with the same limits.
inline void append_binary(const context_snapshot& s, std::string& out) {
  const detail::snapshot_sizes z = detail::snapshot_payload_size(s);
  detail::append_binary_form(out, detail::envelope_size(z.payload),
                             [&](std::uint8_t* p) { detail::write_snapshot_binary(p, s, z); });
}

/// The binary form of `s`: bytes in a std::string (for a protobuf `bytes` field, msgpack bin,
/// a database blob).
inline std::string encode_binary(const context_snapshot& s) {
  std::string out;
  append_binary(s, out);
  return out;
}

/// Decodes a binary form; errors carry the byte offset where decoding stopped.
inline result<context_snapshot> decode_binary(const std::uint8_t* data, std::size_t size,
                                              const snapshot_limits& limits = {}) {
  context_snapshot s;
  if (const error e = detail::decode_snapshot_into(data, size, limits, s); e.code != errc::ok) {
    return e;
  }
  return s;
}
inline result<context_snapshot> decode_binary(std::string_view bytes,
                                              const snapshot_limits& limits = {}) {
  return decode_binary(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), limits);
}

// ---- Token ----------------------------------------------------------------------------------

/// Characters of the token of `s`.
inline std::size_t token_size(const context_snapshot& s) noexcept {
  return detail::wire_token_prefix_size + detail::base64url_encoded_size(binary_size(s));
}

/// Appends the token of `s`: "bc1." and the binary form in base64url without padding. Only
/// A-Z a-z 0-9 - _ . are used, so the token is safe unescaped in JSON strings, HTTP header
/// values, environment variables and URLs. One allocation at most.
inline void append_token(const context_snapshot& s, std::string& out) {
  const detail::snapshot_sizes z = detail::snapshot_payload_size(s);
  detail::append_token(out, detail::wire_kind::context, detail::envelope_size(z.payload),
                       [&](std::uint8_t* p) { detail::write_snapshot_binary(p, s, z); });
}

inline std::string encode_token(const context_snapshot& s) {
  std::string out;
  append_token(s, out);
  return out;
}

/// Decodes a token. Error offsets count characters of the token; for an error inside the
/// binary form, the character where the encoding of the offending byte starts.
inline result<context_snapshot> decode_token(std::string_view token,
                                             const snapshot_limits& limits = {}) {
  context_snapshot s;
  const error e = detail::decode_token_into(token, detail::wire_kind::context, limits.max_bytes,
                                            [&](const std::uint8_t* p, std::size_t n) {
                                              return detail::decode_snapshot_into(p, n, limits, s);
                                            });
  if (e.code != errc::ok) return e;
  return s;
}

// ---- Text map -------------------------------------------------------------------------------

/// Writes `s` to a carrier as the W3C propagators do: traceparent, tracestate (when not
/// empty) and baggage (when not empty), through inject_trace_context and inject_baggage, for
/// payloads that carry a `carrier` object. No limits are applied (make_snapshot did). W3C
/// cannot carry everything: flag bits other than sampled and random are sent as zero, and the
/// remote mark is not written (decode_text_map sets it). Returns false, writing nothing, when
/// the context is not valid.
template <class Carrier>
bool encode_text_map(const context_snapshot& s, Carrier& carrier) {
  if (!s.context.is_valid()) return false;
  inject_trace_context(s.context, carrier);
  inject_baggage(s.baggage, carrier, detail::unlimited_baggage);
  return true;
}

/// Reads a snapshot from a carrier, strictly: a traceparent must be present
/// (snapshot_missing_traceparent) and valid (its traceparent_* error); tracestate and baggage,
/// when present, must be kept whole (their own errors: a dropped or repeated member fails the
/// decode instead of being lost), within `limits` (snapshot_too_large). Error offsets are those
/// of the failing field's value (baggage: of all baggage fields joined by ','). The context is
/// marked remote.
template <class Carrier>
result<context_snapshot> decode_text_map(const Carrier& carrier,
                                         const snapshot_limits& limits = {}) {
  trace_context_extraction tc = extract_trace_context(carrier);
  if (!tc.traceparent_found) return errc::snapshot_missing_traceparent;
  if (!tc.valid()) return tc.traceparent_error;
  if (tc.tracestate_error.code != errc::ok) return tc.tracestate_error;
  if (tc.tracestate_notes.dropped != 0) return tc.tracestate_notes.first;
  if (tc.context.tracestate.header().size() > limits.max_tracestate_size) {
    return errc::snapshot_too_large;
  }
  baggage_options options;
  options.limits = limits.baggage;
  baggage_extraction bg = extract_baggage(carrier, options);
  if (!bg.report.empty()) {
    const baggage_issue& issue = bg.report[0];
    const bool over =
        issue.code == errc::baggage_too_many_members || issue.code == errc::baggage_too_large;
    return error{over ? errc::snapshot_too_large : issue.code, issue.offset};
  }
  context_snapshot s;
  s.context = std::move(tc.context);
  s.baggage = std::move(bg.baggage);
  if (binary_size(s) > limits.max_bytes) return errc::snapshot_too_large;
  return s;
}

BATON_END_NAMESPACE

#endif  // BATON_SNAPSHOT_HPP
