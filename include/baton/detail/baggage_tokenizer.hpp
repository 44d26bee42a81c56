// The baggage grammar: splits the `baggage` values of a carrier into valid list-members, in one
// pass, without allocating, with the limits applied to all values together. Both the view and
// the owning parser are built on it, so they always agree on what is kept.
//
//   baggage-string = list-member 0*179( OWS "," OWS list-member )
//   list-member    = key OWS "=" OWS value *( OWS ";" OWS property )
//   property       = key OWS "=" OWS value / key OWS
//   key            = token (RFC 7230)     value = *baggage-octet
#ifndef BATON_DETAIL_BAGGAGE_TOKENIZER_HPP
#define BATON_DETAIL_BAGGAGE_TOKENIZER_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "baton/detail/baggage_common.hpp"
#include "baton/detail/baggage_scan.hpp"
#include "baton/detail/config.hpp"
#include "baton/detail/percent.hpp"
#include "baton/error.hpp"

BATON_BEGIN_NAMESPACE
namespace detail {

/// One valid list-member, as views into the input.
struct baggage_raw_member {
  std::string_view key;
  std::string_view value;       ///< as on the wire (still %-encoded); escapes are well-formed
  std::string_view properties;  ///< from the first property to the end of the last; may hold
                                ///< OWS and empty properties between them
  std::size_t offset = 0;       ///< of the key, in the joined input
  bool escaped = false;         ///< the value holds a %XX escape (needs decoding)
};

enum class member_status : std::uint8_t { ok, invalid, over_budget };

// Filled by scan_member (no initializers: every path writes what its caller reads).
struct member_scan {
  member_status status;
  errc code;       // invalid: why
  const char* at;  // invalid: the offending byte
  const char* key_end;
  const char* value_begin;
  const char* value_end;
  bool escaped;             // the value holds an escape
  const char* props_begin;  // nullptr when the member has no property
  const char* props_end;
  const char* next;  // ok or invalid: where the next list element starts
};

/// The element that reached the budget edge w ends there if w is the end of the value, or if
/// only OWS lies between w and a ',' or the end. Returns where the next element starts, or
/// nullptr when the element goes on past the budget.
inline const char* end_at_budget(const char* w, const char* ce) noexcept {
  if (w == ce) return ce;
  const char* r = skip_ows(w, ce);
  if (r == ce) return ce;
  return *r == ',' ? r + 1 : nullptr;
}

/// Like end_at_budget, after a member's value or properties: empty properties (';' runs, with
/// OWS) past the edge are ignored as they would be within it.
inline const char* end_after_properties_at_budget(const char* w, const char* ce) noexcept {
  while (w != ce && (*w == ';' || is_ows(*w))) ++w;
  if (w == ce) return ce;
  return *w == ',' ? w + 1 : nullptr;
}

inline void set_invalid(member_scan& r, errc code, const char* at, const char* w,
                        const char* ce) noexcept {
  r.status = member_status::invalid;
  r.code = code;
  r.at = at;
  // Skip to the next ','. Past the budget this is a plain search, nothing is tokenized; the
  // caller then finds the next element over budget.
  const void* comma = std::memchr(at, ',', static_cast<std::size_t>(w - at));
  if (comma == nullptr && w != ce) comma = std::memchr(w, ',', static_cast<std::size_t>(ce - w));
  r.next = comma != nullptr ? static_cast<const char*>(comma) + 1 : ce;
}

/// Scans a value (or property value) from q. Returns the end of the value, or nullptr after
/// setting r (a malformed escape, or an escape cut by the budget).
BATON_ALWAYS_INLINE const char* scan_value(const char* q, const char* w, const char* ce,
                                           member_scan& r, bool& escaped) noexcept {
  for (;;) {
    q = skip_plain(q, w);
    if (q == w || *q != '%') return q;
    if (w - q < 3 && w != ce) {
      r.status = member_status::over_budget;  // the escape continues past the budget
      return nullptr;
    }
    if (!escape_ok(q, w)) {
      set_invalid(r, errc::baggage_invalid_percent_encoding, q, w, ce);
      return nullptr;
    }
    escaped = true;
    q += 3;
  }
}

/// Scans the list-member that starts at p (not OWS, not ','). [p, w) lies within the byte
/// budget, w <= ce, and ce is the end of the current header value.
BATON_ALWAYS_INLINE void scan_member(const char* const p, const char* const w, const char* const ce,
                                     member_scan& r) noexcept {
  r.status = member_status::ok;
  r.props_begin = r.props_end = nullptr;
  const char* q = skip_tchar(p, w);
  r.key_end = q;
  if (q == p) return set_invalid(r, errc::baggage_invalid_key, p, w, ce);
  if (q != w && *q != '=') q = skip_ows(q, w);
  if (q == w) {
    if (end_at_budget(w, ce) == nullptr) {
      r.status = member_status::over_budget;
      return;
    }
    return set_invalid(r, errc::baggage_missing_equals, q, w, ce);
  }
  if (*q != '=') {
    // A ',' or ';' ends a key that has no value; anything else is not a token character (or a
    // second word after OWS), so the key is bad.
    return set_invalid(
        r, *q == ',' || *q == ';' ? errc::baggage_missing_equals : errc::baggage_invalid_key, q, w,
        ce);
  }
  q = skip_ows(q + 1, w);
  r.value_begin = q;
  r.escaped = false;
  q = scan_value(q, w, ce, r, r.escaped);
  if (q == nullptr) return;
  r.value_end = q;
  if (q != w && *q == ',') {  // the common case: no OWS, no property
    r.next = q + 1;
    return;
  }
  q = skip_ows(q, w);

  const char* content_end = r.value_end;  // end of the last non-OWS part of the member
  bool first_property = true;
  for (;;) {
    if (q == w) {
      r.next = end_after_properties_at_budget(w, ce);
      if (r.next == nullptr) r.status = member_status::over_budget;
      break;
    }
    if (*q == ',') {
      r.next = q + 1;
      break;
    }
    if (*q != ';') {
      return set_invalid(
          r, first_property ? errc::baggage_invalid_value : errc::baggage_invalid_property, q, w,
          ce);
    }
    q = skip_ows(q + 1, w);
    if (q == w || *q == ',' || *q == ';') continue;  // an empty property: tolerated, dropped
    const char* const key_begin = q;
    q = skip_tchar(q, w);
    if (q == key_begin) return set_invalid(r, errc::baggage_invalid_property, q, w, ce);
    if (first_property) r.props_begin = key_begin;
    first_property = false;
    content_end = q;
    q = skip_ows(q, w);
    if (q != w && *q == '=') {
      bool escaped = false;
      q = scan_value(skip_ows(q + 1, w), w, ce, r, escaped);
      if (q == nullptr) return;
      content_end = q;
      q = skip_ows(q, w);
    }
  }
  if (r.props_begin != nullptr) r.props_end = content_end;
}

/// Skips a validated value (plain bytes and %XX escapes) from p; returns its end.
inline const char* skip_validated_value(const char* p, const char* e) noexcept {
  for (;;) {
    p = skip_plain(p, e);
    if (p == e || *p != '%') return p;
    p = e - p >= 3 ? p + 3 : e;
  }
}

/// One property of validated properties text.
struct baggage_raw_property {
  std::string_view key;
  std::string_view value;  ///< raw (still %-encoded); empty when has_value is false
  bool has_value = false;
};

/// Reads the next property of validated properties text at [p, e), skipping empty ones.
/// Returns false at the end.
inline bool next_raw_property(const char*& p, const char* e, baggage_raw_property& out) noexcept {
  for (;;) {
    p = skip_ows(p, e);
    if (p == e) return false;
    if (*p == ';') {
      ++p;
      continue;
    }
    const char* const key_begin = p;
    p = skip_tchar(p, e);
    out.key = std::string_view(key_begin, static_cast<std::size_t>(p - key_begin));
    p = skip_ows(p, e);
    out.has_value = p != e && *p == '=';
    out.value = std::string_view();
    if (out.has_value) {
      const char* const value_begin = skip_ows(p + 1, e);
      p = skip_validated_value(value_begin, e);
      out.value = std::string_view(value_begin, static_cast<std::size_t>(p - value_begin));
    }
    p = skip_ows(p, e);
    if (p != e) ++p;  // the ';' before the next property
    return true;
  }
}

/// Walks the list-members of one or more header values (joined with ',') and yields the valid
/// ones the filter accepts, until a limit is reached. What it drops goes to the report, if one
/// is given. Never reads a byte more than once in the budget; past the budget it only counts
/// list elements, and only when a report is wanted.
class baggage_tokenizer {
 public:
  explicit baggage_tokenizer(const baggage_options& options) noexcept
      : limits_(options.limits), filter_(options.filter) {}

  /// Starts the next header value.
  void start_value(std::string_view value, baggage_report* report) noexcept {
    if (started_) base_ += static_cast<std::size_t>(end_ - begin_) + 1;  // + the joining ','
    started_ = true;
    begin_ = pos_ = value.data();
    end_ = begin_ + value.size();
    const std::size_t budget = limits_.max_bytes;
    const std::size_t room = base_ < budget ? budget - base_ : 0;
    window_ = begin_ + (value.size() < room ? value.size() : room);
    if (stopped_) drop_rest(begin_, report);
  }

  /// Bytes of the current value that lie within the byte budget.
  std::size_t window_size() const noexcept { return static_cast<std::size_t>(window_ - begin_); }

  /// The next kept member of the current value; false when the value is done.
  bool next(baggage_raw_member& m, baggage_report* report) noexcept {
    while (pos_ != end_) {
      // pos_ may already lie past the budget (after a member whose trailing OWS did).
      const char* const q = pos_ < window_ ? skip_ows(pos_, window_) : pos_;
      if (q == end_) break;
      if (q >= window_) return stop(errc::baggage_too_large, q, report);
      if (*q == ',') {
        pos_ = q + 1;
        continue;
      }
      if (kept_ >= limits_.max_members) return stop(errc::baggage_too_many_members, q, report);
      member_scan r;
      scan_member(q, window_, end_, r);
      if (r.status == member_status::over_budget) return stop(errc::baggage_too_large, q, report);
      pos_ = r.next;
      if (r.status == member_status::invalid) {
        if (report != nullptr) report->add(r.code, offset_of(r.at));
        continue;
      }
      m.key = std::string_view(q, static_cast<std::size_t>(r.key_end - q));
      if (!filter_.accepts(m.key)) {
        if (report != nullptr) report->add(errc::baggage_key_filtered, offset_of(q));
        continue;
      }
      m.value =
          std::string_view(r.value_begin, static_cast<std::size_t>(r.value_end - r.value_begin));
      m.properties = r.props_begin == nullptr
                         ? std::string_view()
                         : std::string_view(r.props_begin,
                                            static_cast<std::size_t>(r.props_end - r.props_begin));
      m.offset = offset_of(q);
      m.escaped = r.escaped;
      ++kept_;
      return true;
    }
    pos_ = end_;
    return false;
  }

  bool stopped() const noexcept { return stopped_; }

 private:
  std::size_t offset_of(const char* p) const noexcept {
    return base_ + static_cast<std::size_t>(p - begin_);
  }

  bool stop(errc why, const char* from, baggage_report* report) noexcept {
    stopped_ = true;
    stop_code_ = why;
    drop_rest(from, report);
    return false;
  }

  // Everything from `from` to the end of the value is dropped for stop_code_: count it.
  void drop_rest(const char* from, baggage_report* report) noexcept {
    pos_ = end_;
    if (report == nullptr) return;
    const char* first = skip_ows(from, end_);
    while (first != end_ && *first == ',') first = skip_ows(first + 1, end_);
    const std::size_t n = count_list_elements(first, end_);
    if (n != 0) report->add(stop_code_, offset_of(first), n);
  }

  baggage_limits limits_;
  baggage_key_filter filter_;
  const char* begin_ = nullptr;
  const char* end_ = nullptr;
  const char* pos_ = nullptr;
  const char* window_ = nullptr;  // end of the part of the value within the byte budget
  std::size_t base_ = 0;          // offset of begin_ in the joined input
  std::size_t kept_ = 0;
  errc stop_code_ = errc::ok;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace detail
BATON_END_NAMESPACE

#endif  // BATON_DETAIL_BAGGAGE_TOKENIZER_HPP
