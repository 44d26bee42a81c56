// span_record: the definition of one span as a plain value (name, ids, kind, times, status,
// bounded attributes, links), made once inside a durable step, stored, restored and closed
// later. Nothing here reads a clock or exports anything: times are passed in, so a replayed
// step makes the same record. Encodings are in baton/span_record_codec.hpp.
#ifndef BATON_SPAN_RECORD_HPP
#define BATON_SPAN_RECORD_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "baton/detail/config.hpp"
#include "baton/error.hpp"
#include "baton/ids.hpp"
#include "baton/span_context.hpp"
#include "baton/trace_flags.hpp"
#include "baton/tracestate.hpp"

BATON_BEGIN_NAMESPACE

/// What a span describes, with the OTLP numbers (SpanKind).
enum class span_kind : std::uint8_t {
  unspecified = 0,
  internal = 1,
  server = 2,
  client = 3,
  producer = 4,
  consumer = 5
};

/// Span status, with the OTLP numbers (Status.StatusCode).
enum class span_status_code : std::uint8_t { unset = 0, ok = 1, error = 2 };

struct span_status {
  span_status_code code = span_status_code::unset;
  std::string message;  ///< set only with span_status_code::error (OTel rule)

  friend bool operator==(const span_status& a, const span_status& b) noexcept {
    return a.code == b.code && a.message == b.message;
  }
  friend bool operator!=(const span_status& a, const span_status& b) noexcept { return !(a == b); }
};

/// The type of an attribute value. The numbers are the wire tags of the record encoding.
enum class attribute_type : std::uint8_t { string = 1, int64 = 2, float64 = 3, boolean = 4 };

/// An attribute value: a string, a signed 64-bit integer, a double or a bool. Built implicitly
/// from any of them: every integral type except bool becomes int64 (unsigned values above
/// INT64_MAX wrap, as a protobuf int64 field would), float and double become float64.
class attribute_value {
 public:
  /// The empty string.
  attribute_value() = default;
  attribute_value(std::string_view s) : type_(attribute_type::string), text_(s) {}
  attribute_value(const char* s)
      : type_(attribute_type::string),
        text_(s != nullptr ? std::string_view(s) : std::string_view()) {}
  attribute_value(std::string s) noexcept : type_(attribute_type::string), text_(std::move(s)) {}
  template <class T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
  attribute_value(T v) noexcept
      : type_(attribute_type::int64),
        bits_(static_cast<std::uint64_t>(static_cast<std::int64_t>(v))) {}
  template <class T, std::enable_if_t<std::is_floating_point_v<T>, int> = 0>
  attribute_value(T v) noexcept : type_(attribute_type::float64) {
    const double d = static_cast<double>(v);
    std::memcpy(&bits_, &d, sizeof d);
  }
  attribute_value(bool v) noexcept : type_(attribute_type::boolean), bits_(v ? 1u : 0u) {}

  /// A float64 from its IEEE 754 bit pattern (decoders use it: every pattern is kept).
  static attribute_value from_double_bits(std::uint64_t bits) noexcept {
    attribute_value v(0.0);
    v.bits_ = bits;
    return v;
  }

  attribute_type type() const noexcept { return type_; }
  bool is_string() const noexcept { return type_ == attribute_type::string; }

  /// The value if it has that type; otherwise "", 0, 0.0 or false.
  std::string_view as_string() const noexcept {
    return type_ == attribute_type::string ? std::string_view(text_) : std::string_view();
  }
  std::int64_t as_int64() const noexcept {
    return type_ == attribute_type::int64 ? static_cast<std::int64_t>(bits_) : 0;
  }
  double as_double() const noexcept {
    double d = 0.0;
    if (type_ == attribute_type::float64) std::memcpy(&d, &bits_, sizeof d);
    return d;
  }
  bool as_bool() const noexcept { return type_ == attribute_type::boolean && bits_ != 0; }
  /// The 64 bits behind an int64, float64 (IEEE 754) or boolean (0 or 1) value; 0 for strings.
  std::uint64_t bits() const noexcept { return type_ == attribute_type::string ? 0 : bits_; }

  /// Same type and value. Doubles compare by bit pattern, so a NaN equals itself and 0.0 is not
  /// -0.0: what was stored is what comes back from a decoder.
  friend bool operator==(const attribute_value& a, const attribute_value& b) noexcept {
    if (a.type_ != b.type_) return false;
    return a.type_ == attribute_type::string ? a.text_ == b.text_ : a.bits_ == b.bits_;
  }
  friend bool operator!=(const attribute_value& a, const attribute_value& b) noexcept {
    return !(a == b);
  }

  /// Cuts a string value to at most max_bytes bytes, at a UTF-8 character boundary.
  void truncate(std::size_t max_bytes);

 private:
  attribute_type type_ = attribute_type::string;
  std::string text_;        // string values
  std::uint64_t bits_ = 0;  // int64 (two's complement), float64 (IEEE 754 bits), bool (0/1)
};

struct attribute {
  std::string key;
  attribute_value value;

  friend bool operator==(const attribute& a, const attribute& b) noexcept {
    return a.key == b.key && a.value == b.value;
  }
  friend bool operator!=(const attribute& a, const attribute& b) noexcept { return !(a == b); }
};

/// Bounds of a span record, applied by its mutators (and by the decoders, which reject records
/// over them). Sizes are bytes. Over-long strings are cut at a UTF-8 character boundary; extra
/// attributes and links are dropped and counted (OTel's attribute limits, with byte sizes).
struct span_limits {
  std::size_t max_name_size = 1024;
  std::size_t max_attributes = 32;
  std::size_t max_links = 32;
  std::size_t max_link_attributes = 16;
  std::size_t max_key_size = 256;
  std::size_t max_string_value_size = 4096;
  std::size_t max_status_message_size = 1024;
};

namespace detail {

/// The largest n <= max such that s[0, n) does not end inside a UTF-8 sequence (backs off over
/// at most 3 continuation bytes, so ill-formed text is cut in bounded time too).
inline std::size_t utf8_cut(std::string_view s, std::size_t max) noexcept {
  if (s.size() <= max) return s.size();
  std::size_t n = max;
  for (int k = 0; k < 3 && n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0u) == 0x80u; ++k) --n;
  if ((static_cast<unsigned char>(s[n]) & 0xC0u) == 0x80u) n = max;  // not UTF-8: cut at max
  return n;
}

inline attribute* find_attribute(std::vector<attribute>& attrs, std::string_view key) noexcept {
  for (attribute& a : attrs) {
    if (a.key == key) return &a;
  }
  return nullptr;
}

/// Sets `key` in `attrs` under the limits: replaces an existing key's value; adds a new key if
/// fewer than max_count are present; otherwise (or for an empty or over-long key) counts it in
/// `dropped`. Returns whether the value was stored.
inline bool put_attribute(std::vector<attribute>& attrs, std::uint32_t& dropped,
                          std::string_view key, attribute_value value, std::size_t max_count,
                          const span_limits& limits) {
  if (key.empty() || key.size() > limits.max_key_size) {
    if (dropped != UINT32_MAX) ++dropped;
    return false;
  }
  if (value.type() == attribute_type::string) value.truncate(limits.max_string_value_size);
  if (attribute* existing = find_attribute(attrs, key)) {
    existing->value = std::move(value);
    return true;
  }
  if (attrs.size() >= max_count) {
    if (dropped != UINT32_MAX) ++dropped;
    return false;
  }
  attrs.push_back(attribute{std::string(key), std::move(value)});
  return true;
}

}  // namespace detail

inline void attribute_value::truncate(std::size_t max_bytes) {
  if (text_.size() > max_bytes) text_.resize(detail::utf8_cut(text_, max_bytes));
}

/// A link to another span: its context and attributes.
struct span_link {
  baton::span_context context;
  std::vector<attribute> attributes;
  std::uint32_t dropped_attributes_count = 0;

  friend bool operator==(const span_link& a, const span_link& b) noexcept {
    return a.context == b.context && a.attributes == b.attributes &&
           a.dropped_attributes_count == b.dropped_attributes_count;
  }
  friend bool operator!=(const span_link& a, const span_link& b) noexcept { return !(a == b); }
};

/// One span's definition. Open while end_time_unix_nano is 0; closed once close() set it.
///
/// The durable pattern (Depot's "snapshot the parent definition"): a step opens the record and
/// stores it (encode it with span_record_codec.hpp); later steps restore it and make children
/// with child() or child_context() (their parent id is this span's id, valid before this span
/// is exported); a final step closes it with the end time, covering its children's intervals,
/// and hands it to a sink once (emitted). Times are Unix nanoseconds chosen by the caller
/// (durable or wall clock): nothing here reads a clock.
///
/// A plain value: copy it, store it, compare it. Mutators keep it within span_limits.
struct span_record {
  std::string name;
  baton::trace_id trace_id;
  baton::span_id span_id;
  baton::span_id parent_span_id;  ///< all zero for a root span
  baton::trace_flags flags;
  baton::tracestate tracestate;
  span_kind kind = span_kind::internal;
  std::uint64_t start_time_unix_nano = 0;
  std::uint64_t end_time_unix_nano = 0;  ///< 0 while open
  span_status status;
  std::vector<attribute> attributes;
  std::vector<span_link> links;
  std::uint32_t dropped_attributes_count = 0;
  std::uint32_t dropped_links_count = 0;
  bool emitted = false;  ///< set by whoever hands it to a sink (see the durable helpers)

  bool is_open() const noexcept { return end_time_unix_nano == 0; }
  bool is_closed() const noexcept { return end_time_unix_nano != 0; }
  bool is_root() const noexcept { return !parent_span_id.is_valid(); }
  /// end - start for a closed record, 0 while open.
  std::uint64_t duration_unix_nano() const noexcept {
    return is_closed() ? end_time_unix_nano - start_time_unix_nano : 0;
  }

  /// This span as a local parent: trace id, span id, flags and tracestate.
  span_context context() const { return span_context{trace_id, span_id, flags, tracestate, false}; }

  /// Opens a record for a child of `parent` (local or remote) with span id `id`: same trace id,
  /// flags and tracestate, parent_span_id = parent.span_id. The name is cut to
  /// limits.max_name_size. Errors: span_record_invalid_parent (parent not valid: for a root,
  /// use open_root), span_record_zero_id (id all zero).
  static result<span_record> open(std::string_view name, const span_context& parent,
                                  const baton::span_id& id, std::uint64_t start_unix_nano,
                                  span_kind kind = span_kind::internal,
                                  const span_limits& limits = {}) {
    if (!parent.is_valid()) return errc::span_record_invalid_parent;
    if (!id.is_valid()) return errc::span_record_zero_id;
    span_record r = make(name, limits, parent.trace_id, id, parent.flags, start_unix_nano, kind);
    r.parent_span_id = parent.span_id;
    r.tracestate = parent.tracestate;
    return r;
  }

  /// Opens a root record (no parent) in trace `trace` with `flags` (the sampling decision, and
  /// the random bit when the trace id is random). Error: span_record_zero_id (an id all zero).
  static result<span_record> open_root(std::string_view name, const baton::trace_id& trace,
                                       const baton::span_id& id, baton::trace_flags flags,
                                       std::uint64_t start_unix_nano,
                                       span_kind kind = span_kind::internal,
                                       const span_limits& limits = {}) {
    if (!trace.is_valid() || !id.is_valid()) return errc::span_record_zero_id;
    return make(name, limits, trace, id, flags, start_unix_nano, kind);
  }

  /// The context of a child span with id `id`, whose parent is this span. Only while this
  /// record is open: span_record_closed after close(); span_record_zero_id for a zero id.
  result<span_context> child_context(const baton::span_id& id) const {
    if (is_closed()) return errc::span_record_closed;
    if (!id.is_valid()) return errc::span_record_zero_id;
    return span_context{trace_id, id, flags, tracestate, false};
  }

  /// An open child record of this span. Only while this record is open (errors as
  /// child_context). The child may start before this span: closing this span over it (see
  /// cover()) moves this span's start back.
  result<span_record> child(std::string_view child_name, const baton::span_id& id,
                            std::uint64_t start_unix_nano,
                            span_kind child_kind = span_kind::internal,
                            const span_limits& limits = {}) const {
    if (is_closed()) return errc::span_record_closed;
    return open(child_name, context(), id, start_unix_nano, child_kind, limits);
  }

  /// Sets attribute `key` (replacing the value of an existing key). A string value is cut to
  /// limits.max_string_value_size. Dropped, and counted in dropped_attributes_count, when
  /// limits.max_attributes keys are already set or the key is empty or over
  /// limits.max_key_size. Returns whether the value was stored.
  bool set_attribute(std::string_view key, attribute_value value, const span_limits& limits = {}) {
    return detail::put_attribute(attributes, dropped_attributes_count, key, std::move(value),
                                 limits.max_attributes, limits);
  }

  /// The attribute with `key`, or nullptr.
  const attribute* find_attribute(std::string_view key) const noexcept {
    for (const attribute& a : attributes) {
      if (a.key == key) return &a;
    }
    return nullptr;
  }

  /// Adds a link to `target` with attributes (limited as link attributes: extra ones counted in
  /// the link's dropped_attributes_count). Dropped, and counted in dropped_links_count, when
  /// limits.max_links links exist or `target` is not valid. Returns whether it was added.
  bool add_link(const span_context& target, std::initializer_list<attribute> attrs = {},
                const span_limits& limits = {}) {
    return add_link_impl(target, attrs.begin(), attrs.size(), limits);
  }
  bool add_link(const span_context& target, const std::vector<attribute>& attrs,
                const span_limits& limits = {}) {
    return add_link_impl(target, attrs.data(), attrs.size(), limits);
  }

  /// Sets the status with OTel's rules: unset is ignored; ok is final (later calls are
  /// ignored); error keeps `message`, cut to limits.max_status_message_size (the message of
  /// ok is dropped).
  void set_status(span_status_code code, std::string_view message = {},
                  const span_limits& limits = {}) {
    if (code == span_status_code::unset || status.code == span_status_code::ok) return;
    status.code = code;
    if (code == span_status_code::error) {
      status.message.assign(message.data(),
                            detail::utf8_cut(message, limits.max_status_message_size));
    } else {
      status.message.clear();
    }
  }

  /// Closes the record at `end_unix_nano`. Errors (nothing changes): span_record_closed when
  /// already closed, span_record_zero_end_time for 0 (0 means open), and
  /// span_record_end_before_start when end < start. Times are never clamped: a clock that runs
  /// backwards is the caller's to see.
  result<void> close(std::uint64_t end_unix_nano) {
    if (is_closed()) return errc::span_record_closed;
    if (end_unix_nano == 0) return errc::span_record_zero_end_time;
    if (end_unix_nano < start_time_unix_nano) return errc::span_record_end_before_start;
    end_time_unix_nano = end_unix_nano;
    return {};
  }

  /// Closes the record so that it covers `children` (records whose parent is this span): the
  /// start moves back to the earliest child start, the end is the latest of `end_unix_nano` and
  /// the children's ends (an open child counts with its start). Errors as close(), checked
  /// against the moved start, plus span_record_not_child (then nothing changes).
  template <class... Records>
  result<void> close(std::uint64_t end_unix_nano, const span_record& first,
                     const Records&... rest) {
    static_assert((std::is_same_v<Records, span_record> && ...), "children are span_records");
    const span_record* children[] = {&first, &rest...};
    return close_covering(end_unix_nano, children, 1 + sizeof...(rest));
  }

  /// close() over `count` children given by pointer.
  result<void> close_covering(std::uint64_t end_unix_nano, const span_record* const* children,
                              std::size_t count) {
    if (is_closed()) return errc::span_record_closed;
    if (end_unix_nano == 0) return errc::span_record_zero_end_time;
    std::uint64_t start = start_time_unix_nano, end = end_unix_nano;
    for (std::size_t i = 0; i < count; ++i) {
      const span_record& c = *children[i];
      if (!is_parent_of(c)) return {errc::span_record_not_child, i};
      if (c.start_time_unix_nano < start) start = c.start_time_unix_nano;
      const std::uint64_t c_end = c.is_closed() ? c.end_time_unix_nano : c.start_time_unix_nano;
      if (c_end > end) end = c_end;
    }
    if (end < start) return errc::span_record_end_before_start;
    start_time_unix_nano = start;
    end_time_unix_nano = end;
    return {};
  }

  /// Stretches this record over `child` (a record whose parent is this span): an earlier child
  /// start moves this start back; on a closed record, a later child end (or start, for an open
  /// child) moves this end forward. An open record remembers nothing of the child's end: pass
  /// children to close() instead, or cover() after closing. Error: span_record_not_child.
  result<void> cover(const span_record& child) {
    if (!is_parent_of(child)) return errc::span_record_not_child;
    if (child.start_time_unix_nano < start_time_unix_nano) {
      start_time_unix_nano = child.start_time_unix_nano;
    }
    if (is_closed()) {
      const std::uint64_t c_end =
          child.is_closed() ? child.end_time_unix_nano : child.start_time_unix_nano;
      if (c_end > end_time_unix_nano) end_time_unix_nano = c_end;
    }
    return {};
  }

  /// True if `r` is a span of this trace whose parent is this span.
  bool is_parent_of(const span_record& r) const noexcept {
    return r.trace_id == trace_id && r.parent_span_id == span_id;
  }

  friend bool operator==(const span_record& a, const span_record& b) noexcept {
    return a.name == b.name && a.trace_id == b.trace_id && a.span_id == b.span_id &&
           a.parent_span_id == b.parent_span_id && a.flags == b.flags &&
           a.tracestate == b.tracestate && a.kind == b.kind &&
           a.start_time_unix_nano == b.start_time_unix_nano &&
           a.end_time_unix_nano == b.end_time_unix_nano && a.status == b.status &&
           a.attributes == b.attributes && a.links == b.links &&
           a.dropped_attributes_count == b.dropped_attributes_count &&
           a.dropped_links_count == b.dropped_links_count && a.emitted == b.emitted;
  }
  friend bool operator!=(const span_record& a, const span_record& b) noexcept { return !(a == b); }

 private:
  static span_record make(std::string_view name, const span_limits& limits,
                          const baton::trace_id& trace, const baton::span_id& id,
                          baton::trace_flags flags, std::uint64_t start, span_kind kind) {
    span_record r;
    r.name.assign(name.data(), detail::utf8_cut(name, limits.max_name_size));
    r.trace_id = trace;
    r.span_id = id;
    r.flags = flags;
    r.kind = kind;
    r.start_time_unix_nano = start;
    return r;
  }

  bool add_link_impl(const span_context& target, const attribute* attrs, std::size_t count,
                     const span_limits& limits) {
    if (!target.is_valid() || links.size() >= limits.max_links) {
      if (dropped_links_count != UINT32_MAX) ++dropped_links_count;
      return false;
    }
    span_link link;
    link.context = target;
    for (std::size_t i = 0; i < count; ++i) {
      detail::put_attribute(link.attributes, link.dropped_attributes_count, attrs[i].key,
                            attrs[i].value, limits.max_link_attributes, limits);
    }
    links.push_back(std::move(link));
    return true;
  }
};

BATON_END_NAMESPACE

#endif  // BATON_SPAN_RECORD_HPP
