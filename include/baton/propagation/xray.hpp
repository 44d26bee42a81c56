// AWS X-Ray: the X-Amzn-Trace-Id header (codec and propagator), X-Ray-compatible trace ids, and
// the Lambda trace header (_X_AMZN_TRACE_ID) with OpenTelemetry's xray-lambda precedence.
//
// The header is a ';'-separated list of Key=Value fields in any order:
//   Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=...
// Root is "1-" + 8 hex (epoch seconds) + "-" + 24 hex; the W3C trace id is the two hex parts
// joined. Parent is the caller's span id. Sampled is 1, 0 or ? (the receiver decides). Every
// other field (Self from load balancers, Lineage from Lambda, unknown ones) is kept verbatim
// and sent on, because dropping Lineage silently disables Lambda's recursive-loop detection.
#ifndef BATON_PROPAGATION_XRAY_HPP
#define BATON_PROPAGATION_XRAY_HPP

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include "baton/carrier.hpp"
#include "baton/detail/charset.hpp"
#include "baton/detail/config.hpp"
#include "baton/detail/hex.hpp"
#include "baton/detail/random.hpp"
#include "baton/detail/scan.hpp"
#include "baton/error.hpp"
#include "baton/ids.hpp"
#include "baton/propagation/extracted_context.hpp"
#include "baton/span_context.hpp"
#include "baton/trace_flags.hpp"

BATON_BEGIN_NAMESPACE

/// Longest header value parse_xray_header() reads; longer values are rejected before any work
/// (errc::xray_too_long). Four times what X-Ray itself accepts, so a peer that overfilled the
/// header still gets its trace continued.
inline constexpr std::size_t xray_max_input_size = 1024;
/// Longest header baton writes by default: X-Ray accepts at most 256 characters. Preserved
/// fields that would not fit are left out whole (Lineage last); Root, Parent and Sampled are
/// always written.
inline constexpr std::size_t xray_max_header_size = 256;
/// Characters of a Root value: "1-" 8 hex "-" 24 hex.
inline constexpr std::size_t xray_root_size = 35;
/// Characters of "Root=...;Parent=...;Sampled=x", the longest header without preserved fields.
inline constexpr std::size_t xray_core_max_size = 74;

/// Choices for reading and writing X-Amzn-Trace-Id. The defaults are strict on input and
/// faithful on output.
struct xray_options {
  /// Read: accept a Root whose epoch part has 1 to 8 hex digits and left-pad it with zeros
  /// (`1-0-0000000016764bd1ca9d3cc8`, which some tracers send). AWS calls it malformed, so
  /// the default rejects it.
  bool lenient_epoch = false;
  /// Write: the longest header to write, clamped to [xray_core_max_size, xray_max_input_size].
  /// Preserved fields are dropped whole to fit, Lineage last.
  std::size_t max_header_size = xray_max_header_size;
  /// Write: send Self fields on, as every other preserved field (the default: what came in goes
  /// out). Turn it off to drop Self: it names a load balancer's own segment, not this hop, the
  /// AWS SDKs drop it, and the next load balancer writes its own.
  bool keep_self = true;
  /// Write: express a deferred decision by leaving Sampled out instead of `Sampled=?`.
  /// OpenTelemetry's Java and Python X-Ray propagators drop a whole header with `Sampled=?`
  /// and read a missing Sampled as "not sampled".
  bool omit_deferred_sampled = false;
};

/// The fields of an X-Amzn-Trace-Id value.
struct xray_header {
  baton::trace_id trace_id;  ///< from Root; never all zeros in a parsed value
  baton::span_id parent_id;  ///< from Parent; all zeros when the header has no Parent
  sampling_decision sampling = sampling_decision::deferred;  ///< Sampled; absent or ? = deferred
  /// Every other field (Self, Lineage, unknown ones) in received order, each verbatim without
  /// the SP/HTAB around it, joined with ';'.
  std::string fields;

  bool has_parent() const noexcept { return parent_id.is_valid(); }

  friend bool operator==(const xray_header& a, const xray_header& b) noexcept {
    return a.trace_id == b.trace_id && a.parent_id == b.parent_id && a.sampling == b.sampling &&
           a.fields == b.fields;
  }
  friend bool operator!=(const xray_header& a, const xray_header& b) noexcept { return !(a == b); }
};

namespace detail {

enum class xray_key : std::uint8_t { other, root, parent, sampled, self, lineage };

// Known keys are matched ASCII case-insensitively (the AWS Node SDK does; others send them
// capitalized).
inline xray_key classify_xray_key(std::string_view key) noexcept {
  switch (key.size()) {
    case 4:
      if (iequals_ascii(key, "root")) return xray_key::root;
      if (iequals_ascii(key, "self")) return xray_key::self;
      break;
    case 6:
      if (iequals_ascii(key, "parent")) return xray_key::parent;
      break;
    case 7:
      if (iequals_ascii(key, "sampled")) return xray_key::sampled;
      if (iequals_ascii(key, "lineage")) return xray_key::lineage;
      break;
    default:
      break;
  }
  return xray_key::other;
}

struct xray_field {
  std::string_view key;    ///< without SP before '='
  std::string_view value;  ///< without SP after '='
  std::size_t value_at = 0;
  xray_key kind = xray_key::other;
};

/// Index of the first byte in [i, n) that is '=' or not printable ASCII (0x20-0x7E), or n.
inline std::size_t skip_xray_plain(const char* p, std::size_t i, std::size_t n) noexcept {
#if BATON_USE_SSE2
  const __m128i below = _mm_set1_epi8(0x20);  // signed: bytes >= 0x80 are negative, so below too
  const __m128i del = _mm_set1_epi8(0x7f);
  const __m128i equals = _mm_set1_epi8('=');
  for (; i + 16 <= n; i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i stop = _mm_or_si128(
        _mm_cmplt_epi8(x, below), _mm_or_si128(_mm_cmpeq_epi8(x, del), _mm_cmpeq_epi8(x, equals)));
    const int mask = _mm_movemask_epi8(stop);
    if (mask != 0) return i + count_trailing_zeros(static_cast<std::uint64_t>(mask));
  }
#elif BATON_USE_SWAR
  constexpr std::uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t x;
    std::memcpy(&x, p + i, 8);
    // < 0x20 (hasless), >= 0x7f (bit 7 of x or of x + 1), '=' (zero after XOR).
    const std::uint64_t y = x ^ (ones * '=');
    const std::uint64_t stop =
        ((x - ones * 0x20) & ~x & high) | ((x | (x + ones)) & high) | ((y - ones) & ~y & high);
    if (stop != 0) return i + count_trailing_zeros(stop) / 8;
  }
#endif
  while (i < n) {
    const auto c = static_cast<unsigned char>(p[i]);
    if (c < 0x20 || c > 0x7e || c == '=') break;
    ++i;
  }
  return i;
}

// Splits one field (SP/HTAB around it already removed, not empty) into key and value. Every
// byte must be printable ASCII, so whatever is kept can be written again without a control
// character; SP may surround '='. On failure, error_at is the offset in `field`.
inline errc split_xray_field(std::string_view field, xray_field& out,
                             std::size_t& error_at) noexcept {
  const char* p = field.data();
  const std::size_t n = field.size();
  const std::size_t eq = skip_xray_plain(p, 0, n);
  if (eq == n) {
    error_at = 0;
    return errc::xray_malformed_field;
  }
  for (std::size_t i = eq; i < n; i = skip_xray_plain(p, i + 1, n)) {
    if (p[i] != '=') {
      error_at = i;
      return errc::xray_invalid_character;
    }
  }
  std::size_t key_end = eq;
  while (key_end > 0 && field[key_end - 1] == ' ') --key_end;
  if (key_end == 0) {
    error_at = 0;
    return errc::xray_malformed_field;
  }
  for (std::size_t i = 0; i < key_end; ++i) {
    if (!has_class(field[i], cc_tchar)) {
      error_at = i;
      return errc::xray_malformed_field;
    }
  }
  std::size_t value_at = eq + 1;
  while (value_at < field.size() && field[value_at] == ' ') ++value_at;
  out.key = field.substr(0, key_end);
  out.value = field.substr(value_at);
  out.value_at = value_at;
  out.kind = classify_xray_key(out.key);
  return errc::ok;
}

inline bool xray_is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

// Slow path of parse_xray_root: names the first problem in reading order.
inline errc diagnose_xray_root(std::string_view v, bool lenient, std::size_t& error_at) noexcept {
  std::size_t d = 0;
  while (d < v.size() && xray_is_digit(v[d])) ++d;
  if (d == 0 || d == v.size() || v[d] != '-') {
    error_at = d;
    return errc::xray_invalid_root;
  }
  if (d != 1 || v[0] != '1') {
    error_at = 0;
    return errc::xray_unsupported_root_version;
  }
  std::size_t e = 2;
  while (e < v.size() && e < 10 && is_lower_hex(v[e])) ++e;
  const std::size_t digits = e - 2;
  if ((digits != 8 && !(lenient && digits != 0)) || e == v.size() || v[e] != '-') {
    error_at = e;
    return errc::xray_invalid_root;
  }
  const std::size_t unique_at = e + 1;
  for (std::size_t i = unique_at; i < unique_at + 24; ++i) {
    if (i == v.size() || !is_lower_hex(v[i])) {
      error_at = i;
      return errc::xray_invalid_root;
    }
  }
  error_at = unique_at + 24;  // only a longer value is left
  return errc::xray_invalid_root;
}

// Parses a Root value into a trace id: the 8 epoch digits then the 24 unique digits. On
// failure, error_at is the offset in `v`.
inline errc parse_xray_root(std::string_view v, bool lenient, trace_id& out,
                            std::size_t& error_at) noexcept {
  std::array<std::uint8_t, 16> bytes{};
  if (BATON_LIKELY(v.size() == xray_root_size && v[0] == '1' && v[1] == '-' && v[10] == '-' &&
                   decode_hex<4>(v.data() + 2, bytes.data()) &&
                   decode_hex<12>(v.data() + 11, bytes.data() + 4))) {
    // both parts decoded
  } else {
    // A short epoch (lenient) has fewer than 8 digits before the second '-'.
    std::size_t second = 2;
    while (second < v.size() && second < 10 && is_lower_hex(v[second])) ++second;
    const std::size_t digits = second - 2;
    const bool short_epoch_ok = lenient && digits != 0 && digits < 8 && second < v.size() &&
                                v[second] == '-' && v.size() == second + 25 && v[0] == '1' &&
                                v[1] == '-';
    if (!short_epoch_ok) return diagnose_xray_root(v, lenient, error_at);
    char epoch[8] = {'0', '0', '0', '0', '0', '0', '0', '0'};
    std::memcpy(epoch + (8 - digits), v.data() + 2, digits);
    if (!decode_hex<4>(epoch, bytes.data()) ||
        !decode_hex<12>(v.data() + second + 1, bytes.data() + 4)) {
      return diagnose_xray_root(v, lenient, error_at);
    }
  }
  out = trace_id(bytes);
  if (!out.is_valid()) {
    error_at = 0;
    return errc::xray_zero_trace_id;
  }
  return errc::ok;
}

inline errc parse_xray_parent(std::string_view v, span_id& out, std::size_t& error_at) noexcept {
  const result<span_id> id = span_id::from_hex(v);
  if (id) {
    out = *id;
    return errc::ok;
  }
  switch (id.code()) {
    case errc::zero_id:
      error_at = 0;
      return errc::xray_zero_parent_id;
    case errc::invalid_hex:
      error_at = id.error().offset;
      return errc::xray_invalid_parent;
    default: {
      // Wrong length: point at the first byte that is not hex, or where the 17th digit is.
      std::size_t i = 0;
      while (i < v.size() && i < span_id::hex_size && is_lower_hex(v[i])) ++i;
      error_at = i;
      return errc::xray_invalid_parent;
    }
  }
}

inline errc parse_xray_sampled(std::string_view v, sampling_decision& out,
                               std::size_t& error_at) noexcept {
  error_at = 0;
  if (v.size() != 1) return errc::xray_invalid_sampled;
  switch (v[0]) {
    case '1':
      out = sampling_decision::sampled;
      return errc::ok;
    case '0':
      out = sampling_decision::not_sampled;
      return errc::ok;
    case '?':
      out = sampling_decision::deferred;
      return errc::ok;
    default:
      return errc::xray_invalid_sampled;
  }
}

// Calls visit(field) for every non-empty field of a ';'-separated list, without the SP/HTAB
// around it, with its offset in `list`; stops when visit returns false.
template <class F>
void for_each_xray_field(std::string_view list, F&& visit) {
  std::size_t pos = 0;
  const std::size_t n = list.size();
  while (true) {
    std::size_t end = list.find(';', pos);
    if (end == std::string_view::npos) end = n;
    std::size_t b = pos, e = end;
    while (b < e && is_ows(list[b])) ++b;
    while (e > b && is_ows(list[e - 1])) --e;
    if (b < e && !visit(list.substr(b, e - b), b)) return;
    if (end == n) return;
    pos = end + 1;
  }
}

inline char xray_sampled_char(sampling_decision d) noexcept {
  switch (d) {
    case sampling_decision::sampled:
    case sampling_decision::debug:  // X-Ray has no debug: it is sampled
      return '1';
    case sampling_decision::not_sampled:
      return '0';
    case sampling_decision::deferred:
      break;
  }
  return '?';
}

// Writes Root, Parent (when valid) and Sampled at out; returns the size (<= 74).
inline std::size_t write_xray_core(char* out, const trace_id& trace, const span_id& parent,
                                   sampling_decision sampling, bool omit_deferred) noexcept {
  char* p = out;
  std::memcpy(p, "Root=1-", 7);
  p += 7;
  encode_hex<4>(trace.data(), p);
  p += 8;
  *p++ = '-';
  encode_hex<12>(trace.data() + 4, p);
  p += 24;
  if (parent.is_valid()) {
    std::memcpy(p, ";Parent=", 8);
    p = parent.to_hex(p + 8);
  }
  if (!(omit_deferred && sampling == sampling_decision::deferred)) {
    std::memcpy(p, ";Sampled=", 9);
    p += 9;
    *p++ = xray_sampled_char(sampling);
  }
  return static_cast<std::size_t>(p - out);
}

// Whether a preserved field may be written: it parses as a field, is not one baton writes
// itself (Root, Parent, Sampled), and is not Self unless asked for. Fields from any source
// (format_extras is a plain string) go through this, so nothing malformed is ever sent.
inline bool xray_field_writable(std::string_view field, bool keep_self, bool& lineage) noexcept {
  xray_field f;
  std::size_t at = 0;
  if (split_xray_field(field, f, at) != errc::ok) return false;
  lineage = f.kind == xray_key::lineage;
  switch (f.kind) {
    case xray_key::root:
    case xray_key::parent:
    case xray_key::sampled:
      return false;
    case xray_key::self:
      return keep_self;
    default:
      return true;
  }
}

// Appends the writable preserved fields of `fields` after the core at out[size], within
// `limit` characters in all. Each field is taken or left whole: Lineage fields first (in
// order, while they fit), then the others in order with what is left; written in received
// order. The choice depends only on earlier fields of the same class, so one pass that
// replays both budgets writes exactly the chosen fields. Returns the new size.
inline std::size_t append_xray_fields(char* out, std::size_t size, std::size_t limit,
                                      std::string_view fields, bool keep_self) noexcept {
  if (fields.empty() || size >= limit) return size;
  const std::size_t room = limit - size;
  std::size_t lineage_used = 0, writable_size = 0;
  bool all_writable = true;
  for_each_xray_field(fields, [&](std::string_view f, std::size_t) {
    bool lineage = false;
    if (!xray_field_writable(f, keep_self, lineage)) {
      all_writable = false;
    } else {
      writable_size += 1 + f.size();
      if (lineage && lineage_used + 1 + f.size() <= room) lineage_used += 1 + f.size();
    }
    return true;
  });
  // The usual case (fields as a parse left them, all writable, all fitting): one copy.
  if (all_writable && writable_size == 1 + fields.size() && writable_size <= room) {
    out[size++] = ';';
    std::memcpy(out + size, fields.data(), fields.size());
    return size + fields.size();
  }
  const std::size_t other_room = room - lineage_used;
  std::size_t lineage_taken = 0, other_taken = 0;
  for_each_xray_field(fields, [&](std::string_view f, std::size_t) {
    bool lineage = false;
    if (!xray_field_writable(f, keep_self, lineage)) return true;
    std::size_t& taken = lineage ? lineage_taken : other_taken;
    if (taken + 1 + f.size() > (lineage ? room : other_room)) return true;
    taken += 1 + f.size();
    out[size++] = ';';
    std::memcpy(out + size, f.data(), f.size());
    size += f.size();
    return true;
  });
  return size;
}

inline std::size_t xray_limit(const xray_options& options) noexcept {
  std::size_t limit = options.max_header_size;
  if (limit < xray_core_max_size) limit = xray_core_max_size;
  if (limit > xray_max_input_size) limit = xray_max_input_size;
  return limit;
}

// Writes a whole header at out (room for xray_max_input_size characters); returns the size.
inline std::size_t write_xray_header(char* out, const trace_id& trace, const span_id& parent,
                                     sampling_decision sampling, std::string_view fields,
                                     const xray_options& options) noexcept {
  const std::size_t core =
      write_xray_core(out, trace, parent, sampling, options.omit_deferred_sampled);
  return append_xray_fields(out, core, xray_limit(options), fields, options.keep_self);
}

// The fast path for what AWS services and SDKs send: `Root=1-{8}-{24}`, then optionally
// `;Parent={16}`, then optionally `;Sampled={c}`, exactly so spelled. Fills h, seen and have
// for what it read and returns where the rest of the value starts; returns 0 (and leaves them
// untouched) when the value does not start that way or a value there is invalid, so that the
// general path reads everything and reports the problem.
inline std::size_t parse_xray_canonical_prefix(std::string_view v, xray_header& h,
                                               std::string_view* seen, bool* have) noexcept {
  const std::size_t n = v.size();
  constexpr std::size_t root_end = 5 + xray_root_size;
  if (n < root_end || (n > root_end && v[root_end] != ';') ||
      std::memcmp(v.data(), "Root=1-", 7) != 0 || v[15] != '-') {
    return 0;
  }
  std::array<std::uint8_t, 16> bytes{};
  if (!decode_hex<4>(v.data() + 7, bytes.data()) ||
      !decode_hex<12>(v.data() + 16, bytes.data() + 4)) {
    return 0;
  }
  const trace_id trace(bytes);
  if (!trace.is_valid()) return 0;
  std::size_t pos = root_end;
  span_id parent;
  std::string_view parent_text, sampled_text;
  sampling_decision sampling = sampling_decision::deferred;
  // Each later field must end at the end of the value or at a ';'.
  auto field_at = [&](std::string_view key, std::size_t value_size) {
    if (pos == n) return false;
    const std::size_t start = pos + 1, end = start + key.size() + value_size;
    return end <= n && (end == n || v[end] == ';') && v.compare(start, key.size(), key) == 0;
  };
  if (field_at("Parent=", span_id::hex_size)) {
    parent_text = v.substr(pos + 8, span_id::hex_size);
    std::size_t at = 0;
    if (parse_xray_parent(parent_text, parent, at) != errc::ok) return 0;
    pos += 8 + span_id::hex_size;
  }
  if (field_at("Sampled=", 1)) {
    sampled_text = v.substr(pos + 9, 1);
    std::size_t at = 0;
    if (parse_xray_sampled(sampled_text, sampling, at) != errc::ok) return 0;
    pos += 10;
  }
  h.trace_id = trace;
  have[0] = true;
  seen[0] = v.substr(5, xray_root_size);
  if (!parent_text.empty()) {
    h.parent_id = parent;
    have[1] = true;
    seen[1] = parent_text;
  }
  if (!sampled_text.empty()) {
    h.sampling = sampling;
    have[2] = true;
    seen[2] = sampled_text;
  }
  return pos < n ? pos + 1 : pos;
}

}  // namespace detail

/// Parses a Root value (`1-5759e988-bd862e3fe1be46a994272793`) into a trace id (the 8 and 24
/// hex digits joined). Hex must be lowercase; the all-zero id is rejected. Allocates nothing;
/// error offsets index `root`.
inline result<trace_id> parse_xray_trace_id(std::string_view root,
                                            const xray_options& options = {}) noexcept {
  trace_id id;
  std::size_t at = 0;
  const errc code = detail::parse_xray_root(root, options.lenient_epoch, id, at);
  if (code != errc::ok) return {code, at};
  return id;
}

/// Writes the 35-character Root value of `id` at out (no terminator); returns out + 35.
inline char* format_xray_trace_id(const trace_id& id, char* out) noexcept {
  out[0] = '1';
  out[1] = '-';
  detail::encode_hex<4>(id.data(), out + 2);
  out[10] = '-';
  detail::encode_hex<12>(id.data() + 4, out + 11);
  return out + xray_root_size;
}
/// The Root value of `id` as a std::string.
inline std::string format_xray_trace_id(const trace_id& id) {
  std::string s(xray_root_size, '\0');
  format_xray_trace_id(id, s.data());
  return s;
}

/// Parses an X-Amzn-Trace-Id value. Fields may come in any order, with SP/HTAB around them
/// and SP around '='; empty fields (a trailing ';') are skipped; the known keys Root, Parent,
/// Sampled, Self and Lineage are matched in any case. Root is required and must be
/// `1-{8 hex}-{24 hex}` (lowercase hex, not all zeros; see xray_options::lenient_epoch);
/// Parent, if present, 16 lowercase hex digits, not all zeros; Sampled, if present, 1, 0 or ?.
/// Root, Parent or Sampled repeated with a different value is an error. Other fields are
/// kept verbatim, unvalidated beyond the field shape (Self's value is not checked). Every byte
/// must be printable ASCII (HTAB only around fields). Values over xray_max_input_size are
/// rejected before any work. Linear time; allocates only to hold the preserved fields. Error
/// offsets index `value`.
inline result<xray_header> parse_xray_header(std::string_view value,
                                             const xray_options& options = {}) {
  if (value.size() > xray_max_input_size) return {errc::xray_too_long, xray_max_input_size};
  xray_header h;
  std::string_view seen[3];  // Root, Parent, Sampled values, for repeats
  bool have[3] = {false, false, false};
  const std::size_t rest = detail::parse_xray_canonical_prefix(value, h, seen, have);
  baton::error failure{};
  detail::for_each_xray_field(value.substr(rest), [&](std::string_view field, std::size_t rel) {
    const std::size_t at = rest + rel;
    detail::xray_field f;
    std::size_t bad = 0;
    errc code = detail::split_xray_field(field, f, bad);
    if (code != errc::ok) {
      failure = baton::error{code, static_cast<std::uint32_t>(at + bad)};
      return false;
    }
    int slot = -1;
    switch (f.kind) {
      case detail::xray_key::root:
        slot = 0;
        break;
      case detail::xray_key::parent:
        slot = 1;
        break;
      case detail::xray_key::sampled:
        slot = 2;
        break;
      default:
        // The first preserved field reserves room for all that is left: one allocation.
        if (h.fields.empty()) {
          h.fields.reserve(value.size() - at);
        } else {
          h.fields += ';';
        }
        h.fields.append(field.data(), field.size());
        return true;
    }
    const auto s = static_cast<std::size_t>(slot);
    if (have[s]) {
      if (f.value == seen[s]) return true;
      failure = baton::error{errc::xray_duplicate_field, static_cast<std::uint32_t>(at)};
      return false;
    }
    have[s] = true;
    seen[s] = f.value;
    if (slot == 0) {
      code = detail::parse_xray_root(f.value, options.lenient_epoch, h.trace_id, bad);
    } else if (slot == 1) {
      code = detail::parse_xray_parent(f.value, h.parent_id, bad);
    } else {
      code = detail::parse_xray_sampled(f.value, h.sampling, bad);
    }
    if (code != errc::ok) {
      failure = baton::error{code, static_cast<std::uint32_t>(at + f.value_at + bad)};
      return false;
    }
    return true;
  });
  if (failure.code != errc::ok) return failure;
  if (!have[0]) return {errc::xray_missing_root, value.size()};
  return h;
}

/// Appends the header for (trace, parent, sampling) and the preserved `fields` to `out`:
/// `Root=1-{8}-{24}`, `;Parent={16}` when parent is valid, `;Sampled={1|0|?}` (debug is 1; a
/// deferred decision is `?`, or nothing with omit_deferred_sampled), then each writable field
/// of `fields` (see xray_options: Self unless keep_self is off; Root, Parent, Sampled and malformed
/// fields never) as long as the header stays within max_header_size, Lineage kept longest. The
/// ids are not checked: callers that must never send an invalid value check them first.
inline void append_xray_header(std::string& out, const trace_id& trace, const span_id& parent,
                               sampling_decision sampling, std::string_view fields = {},
                               const xray_options& options = {}) {
  char buffer[xray_max_input_size];
  const std::size_t n = detail::write_xray_header(buffer, trace, parent, sampling, fields, options);
  out.append(buffer, n);
}

/// The header text of `h` (see append_xray_header).
inline std::string format_xray_header(const xray_header& h, const xray_options& options = {}) {
  std::string out;
  append_xray_header(out, h.trace_id, h.parent_id, h.sampling, h.fields, options);
  return out;
}

/// An X-Ray-compatible trace id: `epoch_seconds` big-endian in the first 4 bytes (the 8 hex
/// digits X-Ray reads as the trace's start time), 12 random bytes from the thread's
/// generator. Never all zeros.
inline trace_id new_xray_trace_id(std::uint32_t epoch_seconds) noexcept {
  std::array<std::uint8_t, 16> bytes{};
  bytes[0] = static_cast<std::uint8_t>(epoch_seconds >> 24);
  bytes[1] = static_cast<std::uint8_t>(epoch_seconds >> 16);
  bytes[2] = static_cast<std::uint8_t>(epoch_seconds >> 8);
  bytes[3] = static_cast<std::uint8_t>(epoch_seconds);
  std::uint64_t high = 0, low = 0;
  do {
    high = detail::random_u64();
    low = detail::random_u64() & 0xffffffffu;
  } while ((high | low) == 0);
  std::memcpy(bytes.data() + 4, &high, 8);
  const auto low32 = static_cast<std::uint32_t>(low);
  std::memcpy(bytes.data() + 12, &low32, 4);
  return trace_id(bytes);
}

/// The current time as X-Ray's 32-bit epoch seconds (wraps in 2106, as X-Ray's field does).
inline std::uint32_t xray_epoch_now() noexcept {
  const auto since = std::chrono::system_clock::now().time_since_epoch();
  return static_cast<std::uint32_t>(
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(since).count()));
}

/// new_xray_trace_id() stamped with the current time (reads the system clock).
inline trace_id new_xray_trace_id() noexcept {
  return new_xray_trace_id(xray_epoch_now());
}

/// A new trace whose id X-Ray accepts: new_xray_trace_id(epoch_seconds), a random span id,
/// sampled as asked, and the W3C random flag (the right-most 12 bytes are random).
inline span_context new_xray_root(bool sampled, std::uint32_t epoch_seconds) {
  return span_context{new_xray_trace_id(epoch_seconds),
                      span_id::random(),
                      trace_flags().with_sampled(sampled).with_random(true),
                      {},
                      false};
}
/// new_xray_root stamped with the current time.
inline span_context new_xray_root(bool sampled) {
  return new_xray_root(sampled, xray_epoch_now());
}

namespace detail {
// A parsed header (or the error that rejected it) as an extraction result.
inline extracted_context xray_extracted(std::string_view value, propagation_format format,
                                        const xray_options& options) {
  extracted_context out;
  out.format = format;
  out.found = true;
  result<xray_header> parsed = parse_xray_header(value, options);
  if (!parsed) {
    out.error = parsed.error();
    return out;
  }
  xray_header& h = *parsed;
  out.kind = h.has_parent() ? context_kind::full : context_kind::trace_id_only;
  out.context.trace_id = h.trace_id;
  out.context.span_id = h.parent_id;
  out.context.flags = trace_flags().with_sampled(h.sampling == sampling_decision::sampled);
  out.context.remote = true;
  out.extras.sampling = h.sampling;
  out.extras.xray_fields = std::move(h.fields);
  return out;
}
}  // namespace detail

/// AWS X-Ray over any carrier (see carrier.hpp), in the shape every format shares.
struct xray_propagator {
  static constexpr propagation_format format = propagation_format::xray;
  static constexpr std::string_view field = "x-amzn-trace-id";
  /// The field inject() writes, lowercase as HTTP/2 and gRPC require.
  static constexpr std::array<std::string_view, 1> fields{field};
  /// extract() reads nothing that inject() does not write.
  static constexpr std::array<std::string_view, 0> cleared_fields{};

  /// Reads X-Amzn-Trace-Id (several fields only if all the same value; different ones are
  /// errc::propagation_conflicting_values). Root and Parent give a full context; Root alone
  /// (what a load balancer sends first) a trace-id-only context with the decision of Sampled;
  /// no valid Root gives kind none with the reason. Sampled `?` or absent is a deferred
  /// decision. Lineage, Self and unknown fields go to extras.xray_fields for the next inject.
  template <class Carrier>
  static extracted_context extract_context(const Carrier& carrier,
                                           const xray_options& options = {}) {
    const singleton_field value = read_singleton_field(carrier, field);
    if (!value.found()) {
      extracted_context none;
      none.format = format;
      return none;
    }
    if (value.conflicting()) {
      extracted_context out;
      out.format = format;
      out.found = true;
      out.error = baton::error{errc::propagation_conflicting_values, 0};
      return out;
    }
    return detail::xray_extracted(value.value(), format, options);
  }

  /// Writes `Root=1-{8}-{24};Parent={span id};Sampled={1|0|?}` and then extras.xray_fields
  /// (Lineage, Self and unknown fields; Self not when options.keep_self is off), replacing any
  /// X-Amzn-Trace-Id in the carrier, within options.max_header_size (256 by default:
  /// preserved fields are dropped whole to fit, Lineage last). Sampled is 1 when the context
  /// is sampled; otherwise `?` when extras.sampling is deferred, else 0. An invalid context is
  /// never written: returns false and leaves the carrier untouched. Allocates nothing itself.
  template <class Carrier>
  static bool inject(const span_context& context, Carrier& carrier,
                     const format_extras& extras = {}, const xray_options& options = {}) {
    if (!context.is_valid()) return false;
    sampling_decision sampling = sampling_decision::sampled;
    if (!context.flags.sampled()) {
      sampling = extras.sampling == sampling_decision::deferred ? sampling_decision::deferred
                                                                : sampling_decision::not_sampled;
    }
    char buffer[xray_max_input_size];
    const std::size_t n = detail::write_xray_header(buffer, context.trace_id, context.span_id,
                                                    sampling, extras.xray_fields, options);
    carrier_set(carrier, field, std::string_view(buffer, n));
    return true;
  }
};

/// Shorthands for xray_propagator::extract_context / inject.
template <class Carrier>
extracted_context extract_xray(const Carrier& carrier, const xray_options& options = {}) {
  return xray_propagator::extract_context(carrier, options);
}
template <class Carrier>
bool inject_xray(const span_context& context, Carrier& carrier, const format_extras& extras = {},
                 const xray_options& options = {}) {
  return xray_propagator::inject(context, carrier, extras, options);
}

/// The Lambda trace header (the `_X_AMZN_TRACE_ID` value, or a custom runtime's
/// `Lambda-Runtime-Trace-Id` response header) as an extraction (format xray_lambda). Same
/// rules as X-Amzn-Trace-Id; an empty value (or only SP/HTAB) is "not found".
inline extracted_context extract_lambda_trace_header(std::string_view header_value,
                                                     const xray_options& options = {}) {
  if (detail::trim_ows(header_value).empty()) {
    extracted_context none;
    none.format = propagation_format::xray_lambda;
    return none;
  }
  return detail::xray_extracted(header_value, propagation_format::xray_lambda, options);
}

/// OpenTelemetry's xray-lambda semantics: the carrier's X-Amzn-Trace-Id when it gives a full
/// context; otherwise the Lambda trace header when it gives a full or trace-id-only context;
/// otherwise what the carrier gave (a trace-id-only context, or kind none with its error), or
/// the Lambda header's error when the carrier had no X-Amzn-Trace-Id at all. A valid context
/// is never replaced by an invalid one. Use it instead of xray_propagator, not with it.
template <class Carrier>
extracted_context extract_xray_lambda(const Carrier& carrier, std::string_view lambda_trace_header,
                                      const xray_options& options = {}) {
  extracted_context from_carrier = xray_propagator::extract_context(carrier, options);
  if (from_carrier.kind == context_kind::full) return from_carrier;
  extracted_context from_lambda = extract_lambda_trace_header(lambda_trace_header, options);
  if (from_lambda.kind == context_kind::full || from_lambda.kind == context_kind::trace_id_only) {
    return from_lambda;
  }
  if (!from_carrier.found) return from_lambda;
  return from_carrier;
}

/// The `_X_AMZN_TRACE_ID` environment variable, read with std::getenv on the first call only
/// and kept (empty when unset). getenv is not safe against a concurrent setenv, which Lambda
/// runtimes and agents call, so the environment is read once, not per request.
/// The value is the one at the first call. Managed Lambda runtimes change the variable for
/// every invocation and custom runtimes may not set it at all: in a process that serves many
/// invocations, pass each invocation's `Lambda-Runtime-Trace-Id` (aws-lambda-cpp:
/// invocation_request::xray_trace_id) to extract_lambda_trace_header instead. This reader
/// fits a process started for one invocation (a child process, a one-shot job).
inline std::string read_lambda_trace_header_once() {
  static const std::string value = [] {
    const char* v = std::getenv("_X_AMZN_TRACE_ID");
    return v != nullptr ? std::string(v) : std::string();
  }();
  return value;
}

BATON_END_NAMESPACE

#endif  // BATON_PROPAGATION_XRAY_HPP
