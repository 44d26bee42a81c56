// The W3C tracestate header: an ordered list of up to 32 vendor key=value members.
#ifndef BATON_TRACESTATE_HPP
#define BATON_TRACESTATE_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include "baton/detail/charset.hpp"
#include "baton/detail/config.hpp"
#include "baton/detail/scan.hpp"
#include "baton/error.hpp"

BATON_BEGIN_NAMESPACE

/// Which key grammar validates tracestate keys.
enum class tracestate_grammar : std::uint8_t {
  /// Trace Context Level 2 (the default, as OpenTelemetry requires): a lowercase letter or digit,
  /// then up to 255 of a-z 0-9 _ - * / @.
  level2,
  /// Strict Level 1 (REC): simple-key `lcalpha 0*255(a-z 0-9 _ - * /)`, or multi-tenant
  /// `tenant@system` with a tenant-id of 1-241 and a system-id of 1-14 characters.
  level1,
};

struct tracestate_options {
  tracestate_grammar grammar = tracestate_grammar::level2;
};

/// Non-fatal findings of a parse that succeeded: members dropped while the rest was kept. Today
/// that is only a repeated key (the first member with a key wins).
struct tracestate_notes {
  error first{};              ///< first finding, errc::ok if none
  std::uint32_t dropped = 0;  ///< members dropped

  void add(errc code, std::size_t offset) noexcept {
    if (dropped++ == 0) first = error{code, static_cast<std::uint32_t>(offset)};
  }
};

namespace detail {

/// The Level 2 rules other than the character set: 1-256 characters, a lowercase letter or
/// digit first. (The parser scans the characters itself, so it calls this part alone.)
inline errc check_tracestate_key_shape_level2(std::string_view key) noexcept {
  if (key.empty() || !has_class(key[0], cc_lcalpha | cc_digit)) return errc::tracestate_invalid_key;
  return key.size() > 256 ? errc::tracestate_key_too_long : errc::ok;
}

inline errc validate_tracestate_key_level2(std::string_view key) noexcept {
  if (const errc e = check_tracestate_key_shape_level2(key); e != errc::ok) return e;
  for (char c : key) {
    if (!has_class(c, cc_tracestate_key)) return errc::tracestate_invalid_key;
  }
  return errc::ok;
}

inline errc validate_tracestate_key_level1(std::string_view key) noexcept {
  const std::size_t at = key.find('@');
  auto chars_ok = [](std::string_view s) {
    for (char c : s) {
      if (c == '@' || !has_class(c, cc_tracestate_key)) return false;
    }
    return true;
  };
  if (at == std::string_view::npos) {
    if (key.empty() || !has_class(key[0], cc_lcalpha) || !chars_ok(key)) {
      return errc::tracestate_invalid_key;
    }
    return key.size() > 256 ? errc::tracestate_key_too_long : errc::ok;
  }
  const std::string_view tenant = key.substr(0, at), system = key.substr(at + 1);
  if (tenant.empty() || system.empty() || !has_class(tenant[0], cc_lcalpha | cc_digit) ||
      !has_class(system[0], cc_lcalpha) || !chars_ok(tenant) || !chars_ok(system)) {
    return errc::tracestate_invalid_key;
  }
  return tenant.size() > 241 || system.size() > 14 ? errc::tracestate_key_too_long : errc::ok;
}

inline errc validate_tracestate_key(std::string_view key, tracestate_grammar grammar) noexcept {
  return grammar == tracestate_grammar::level2 ? validate_tracestate_key_level2(key)
                                               : validate_tracestate_key_level1(key);
}

/// Validates a value that has already lost its trailing OWS: 1-256 characters of 0x20-0x7E
/// except ',' and '=', not ending in a space. Leading spaces are part of the value (Level 2).
inline errc validate_tracestate_value(std::string_view value) noexcept {
  if (value.empty()) return errc::tracestate_empty_value;
  for (char c : value) {
    if (!has_class(c, cc_tracestate_value)) return errc::tracestate_invalid_value;
  }
  if (value.back() == ' ') {
    // Only reachable through put(): on the wire a trailing space is OWS and would be lost.
    return errc::tracestate_invalid_value;
  }
  return value.size() > 256 ? errc::tracestate_value_too_long : errc::ok;
}

}  // namespace detail

class tracestate;
namespace detail {
inline bool tracestate_decode_canonical(std::string_view text, tracestate& out);
}  // namespace detail

/// An owning, always-valid tracestate: at most 32 members with unique keys, kept in order
/// (index 0 is the left-most, most recently updated member).
///
/// Storage is the canonical header text itself (`key=value` joined by ',') plus a table of
/// member offsets, so header() is free and a parse makes at most one allocation (none when the
/// canonical text fits the std::string small buffer).
class tracestate {
 public:
  static constexpr std::size_t max_members = 32;
  static constexpr std::size_t max_key_size = 256;
  static constexpr std::size_t max_value_size = 256;
  /// W3C: platforms SHOULD propagate at least 512 characters; smaller budgets are raised to it.
  static constexpr std::size_t min_size_budget = 512;
  /// W3C: when truncating, members longer than this go first.
  static constexpr std::size_t large_member_size = 128;

  struct member {
    std::string_view key;
    std::string_view value;
    friend bool operator==(const member& a, const member& b) noexcept {
      return a.key == b.key && a.value == b.value;
    }
    friend bool operator!=(const member& a, const member& b) noexcept { return !(a == b); }
  };

  class parser;

  tracestate() noexcept {}
  // Only the first count_ offsets are meaningful, so only they are copied (and nothing is
  // zeroed on construction: an empty tracestate in every extracted context stays cheap). A
  // moved-from tracestate is empty.
  tracestate(const tracestate& other) : data_(other.data_), count_(other.count_) {
    copy_starts(other);
  }
  tracestate(tracestate&& other) noexcept : data_(std::move(other.data_)), count_(other.count_) {
    copy_starts(other);
    other.data_.clear();
    other.count_ = 0;
  }
  tracestate& operator=(const tracestate& other) {
    if (this != &other) {
      data_ = other.data_;
      count_ = other.count_;
      copy_starts(other);
    }
    return *this;
  }
  tracestate& operator=(tracestate&& other) noexcept {
    if (this != &other) {
      data_ = std::move(other.data_);
      count_ = other.count_;
      copy_starts(other);
      other.data_.clear();
      other.count_ = 0;
    }
    return *this;
  }

  /// Parses one tracestate header value. Empty members and OWS around ',' are accepted (and never
  /// written back); trailing OWS of a value is dropped, leading spaces are kept. Any invalid
  /// member, or more than 32 members, rejects the whole header (the W3C test suite requires it);
  /// a repeated key keeps the first member and is noted in `notes`. Error offsets index `value`.
  static result<tracestate> parse(std::string_view value, tracestate_options options = {},
                                  tracestate_notes* notes = nullptr);

  std::size_t size() const noexcept { return count_; }
  bool empty() const noexcept { return count_ == 0; }

  /// The i-th member from the left (precondition: i < size()).
  member operator[](std::size_t i) const noexcept {
    BATON_ASSERT(i < count_);
    const std::string_view text(data_.data() + start_[i], member_size(i));
    const std::size_t eq = text.find('=');
    return {text.substr(0, eq), text.substr(eq + 1)};
  }

  /// The value of `key`, if present.
  std::optional<std::string_view> get(std::string_view key) const noexcept {
    const std::size_t i = find(key);
    if (i == npos) return std::nullopt;
    return (*this)[i].value;
  }
  bool contains(std::string_view key) const noexcept { return find(key) != npos; }

  /// Adds or updates `key` as the left-most member (W3C mutation rules): an existing member with
  /// that key is removed first; if that makes 33 members, the right-most one is dropped. Key and
  /// value are validated (a value must also not end in a space, which the wire would lose as
  /// OWS); on error nothing changes.
  result<void> put(std::string_view key, std::string_view value,
                   tracestate_grammar grammar = tracestate_grammar::level2);

  /// Removes the member with `key`; returns whether there was one.
  bool erase(std::string_view key);

  void clear() noexcept {
    data_.clear();
    count_ = 0;
  }

  /// The canonical header value (no OWS, no empty members). Allocates nothing.
  std::string_view header() const noexcept { return data_; }

  /// The header value cut to at most max(max_size, 512) characters by dropping whole members:
  /// members over 128 characters first (right to left), then from the right.
  std::string header(std::size_t max_size) const;

  friend bool operator==(const tracestate& a, const tracestate& b) noexcept {
    return a.data_ == b.data_;
  }
  friend bool operator!=(const tracestate& a, const tracestate& b) noexcept { return !(a == b); }

  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = member;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = member;

    const_iterator() = default;
    member operator*() const noexcept { return (*owner_)[index_]; }
    const_iterator& operator++() noexcept {
      ++index_;
      return *this;
    }
    const_iterator operator++(int) noexcept {
      const_iterator old = *this;
      ++index_;
      return old;
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) noexcept {
      return a.index_ == b.index_;
    }
    friend bool operator!=(const const_iterator& a, const const_iterator& b) noexcept {
      return a.index_ != b.index_;
    }

   private:
    friend class tracestate;
    const_iterator(const tracestate* owner, std::size_t index) : owner_(owner), index_(index) {}
    const tracestate* owner_ = nullptr;
    std::size_t index_ = 0;
  };

  const_iterator begin() const noexcept { return {this, 0}; }
  const_iterator end() const noexcept { return {this, count_}; }

 private:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  std::size_t member_size(std::size_t i) const noexcept {
    const std::size_t end = i + 1 < count_ ? start_[i + 1] - 1u : data_.size();
    return end - start_[i];
  }
  std::size_t find(std::string_view key) const noexcept {
    for (std::size_t i = 0; i < count_; ++i) {
      const std::size_t n = key.size();
      if (member_size(i) > n && data_[start_[i] + n] == '=' &&
          std::memcmp(data_.data() + start_[i], key.data(), n) == 0) {
        return i;
      }
    }
    return npos;
  }
  // Appends "key=value" (with a ',' when not first) and records its start.
  void append_member(std::string_view key, std::string_view value) {
    if (count_ != 0) data_.push_back(',');
    start_[count_++] = static_cast<std::uint16_t>(data_.size());
    data_.append(key.data(), key.size());
    data_.push_back('=');
    data_.append(value.data(), value.size());
  }

  // Canonical text; member i starts at start_[i] and ends before the next ',' (or the end).
  // 32 members of 256+1+256 characters plus commas fit in 16 bits.
  std::string data_;
  std::uint8_t count_ = 0;
  std::array<std::uint16_t, max_members> start_;  // entries [0, count_) are set

  void copy_starts(const tracestate& other) noexcept {
    for (std::size_t i = 0; i < count_; ++i) start_[i] = other.start_[i];
  }

  friend bool detail::tracestate_decode_canonical(std::string_view, tracestate&);
};

/// Parses tracestate from several header values in order, as if joined with ',' (RFC 9110
/// section 5.3): feed each value to append(), then call finish(). The limits apply to the
/// combination: once a value makes the list invalid, later values are skipped without being
/// scanned.
class tracestate::parser {
 public:
  explicit parser(tracestate_options options = {}) noexcept : options_(options) {}

  /// Adds one header value. Offsets in errors count from the start of the first value, with one
  /// character for each joining ','.
  void append(std::string_view value);

  /// The parsed tracestate, or the first error. Notes (dropped duplicates) are in notes().
  result<tracestate> finish() &&;
  const tracestate_notes& notes() const noexcept { return notes_; }

 private:
  // Canonical text is written into text_: first the inline buffer (typical headers fit, and
  // finish() then copies it into the result with one exactly sized allocation, or none), then
  // state_.data_, sized ahead and cut to size_ by finish(). Keys are remembered by offset,
  // length and a fingerprint, so finding a repeated key rarely needs a string compare.
  bool seen_key(std::string_view key, std::uint64_t fingerprint) const noexcept;
  static std::uint64_t fingerprint(std::string_view key) noexcept;
  char* make_room(std::size_t room);

  static constexpr std::size_t inline_size = 512;
  tracestate state_;
  char* text_ = inline_;  // inline_ or state_.data_.data()
  std::size_t capacity_ = inline_size;
  std::size_t size_ = 0;  // bytes of canonical text written to text_
  char inline_[inline_size];
  // Entries [0, state_.count_) are written before they are read: no need to zero them.
  std::uint64_t fingerprints_[max_members];
  std::uint64_t bloom_[2] = {0, 0};
  std::uint16_t key_size_[max_members];
  tracestate_notes notes_;
  tracestate_options options_;
  error error_{};
  std::size_t base_ = 0;     // offset of the current value in the joined input
  std::size_t members_ = 0;  // list-members seen so far, repeated keys included
  bool any_value_ = false;   // a value was appended (for the joining ',' in offsets)
};

inline std::uint64_t tracestate::parser::fingerprint(std::string_view key) noexcept {
  // First and last (up to) 8 bytes and the length, mixed: distinct keys collide rarely.
  std::uint64_t head = 0, tail = 0;
  if (key.size() >= 8) {  // two fixed-size loads
    std::memcpy(&head, key.data(), 8);
    std::memcpy(&tail, key.data() + key.size() - 8, 8);
  } else {
    for (char c : key) head = (head << 8) | static_cast<unsigned char>(c);
  }
  std::uint64_t h = (head ^ (tail * 0x9e3779b97f4a7c15ull) ^ key.size()) * 0xbf58476d1ce4e5b9ull;
  return h ^ (h >> 31);
}

inline bool tracestate::parser::seen_key(std::string_view key, std::uint64_t fp) const noexcept {
  const std::uint64_t bit = std::uint64_t{1} << (fp >> 58);
  if ((bloom_[fp & 1] & bit) == 0) return false;
  for (std::size_t i = 0; i < state_.count_; ++i) {
    if (fingerprints_[i] == fp && key_size_[i] == key.size() &&
        std::memcmp(text_ + state_.start_[i], key.data(), key.size()) == 0) {
      return true;
    }
  }
  return false;
}

inline void tracestate::parser::append(std::string_view value) {
  if (any_value_) ++base_;  // the ',' that joins this value to the previous one
  any_value_ = true;
  const std::size_t base = base_;
  base_ += value.size();
  if (error_.code != errc::ok) return;

  tracestate& ts = state_;
  // Canonical text is never longer than its input (plus one joining ',').
  char* const out = make_room(value.size() + (ts.count_ != 0 ? 1 : 0));
  const char* const p = value.data();
  const std::size_t n = value.size();
  auto fail = [&](errc code, std::size_t at) {
    error_ = error{code, static_cast<std::uint32_t>(base + at)};
  };

  std::size_t i = 0;
  while (true) {
    while (i < n && detail::is_ows(p[i])) ++i;
    if (i == n) return;
    if (p[i] == ',') {  // empty (or OWS-only) member: allowed, never counted or written
      ++i;
      continue;
    }
    const std::size_t key_begin = i;
    i = detail::skip_tracestate_key(p, i, n);
    const std::string_view key(p + key_begin, i - key_begin);
    if (i == n || p[i] != '=') {
      // "key" or "key  " before ',' or the end lacks '='; anything else breaks the key.
      std::size_t j = i;
      while (j < n && detail::is_ows(p[j])) ++j;
      const bool no_equals = !key.empty() && (j == n || p[j] == ',');
      return fail(no_equals ? errc::tracestate_missing_equals : errc::tracestate_invalid_key, i);
    }
    const errc key_error = options_.grammar == tracestate_grammar::level2
                               ? detail::check_tracestate_key_shape_level2(key)
                               : detail::validate_tracestate_key_level1(key);
    if (key_error != errc::ok) return fail(key_error, key_begin);

    const std::size_t value_begin = ++i;  // past '='
    i = detail::skip_tracestate_value(p, i, n);
    std::size_t value_end = i;
    while (i < n && detail::is_ows(p[i])) ++i;  // trailing OWS, then ',' or the end
    if (i < n && p[i] != ',') return fail(errc::tracestate_invalid_value, value_end);
    while (value_end > value_begin && p[value_end - 1] == ' ') --value_end;
    const std::size_t value_size = value_end - value_begin;
    if (value_size == 0) return fail(errc::tracestate_empty_value, value_begin);
    if (value_size > max_value_size) return fail(errc::tracestate_value_too_long, value_begin);

    if (++members_ > max_members) return fail(errc::tracestate_too_many_members, key_begin);
    const std::uint64_t fp = fingerprint(key);
    if (seen_key(key, fp)) {
      notes_.add(errc::tracestate_duplicate_key, base + key_begin);
    } else {
      // Write "key=value" (after a ',' unless first); key and '=' and value are contiguous in
      // the input, so one copy does it.
      if (ts.count_ != 0) out[size_++] = ',';
      const std::size_t index = ts.count_++;
      ts.start_[index] = static_cast<std::uint16_t>(size_);
      fingerprints_[index] = fp;
      key_size_[index] = static_cast<std::uint16_t>(key.size());
      bloom_[fp & 1] |= std::uint64_t{1} << (fp >> 58);
      std::memcpy(out + size_, p + key_begin, value_end - key_begin);
      size_ += value_end - key_begin;
    }
    if (i == n) return;
    ++i;  // ','
  }
}

inline char* tracestate::parser::make_room(std::size_t room) {
  // Nor is it ever longer than 32 maximal members, so growth stops there.
  constexpr std::size_t max_text = max_members * (max_key_size + 1 + max_value_size + 1);
  if (capacity_ - size_ >= room || capacity_ >= max_text) return text_;
  std::size_t want = size_ + room;
  if (want < 2 * capacity_) want = 2 * capacity_;
  if (want > max_text) want = max_text;
  const bool was_inline = text_ == inline_;
  state_.data_.resize(want);
  if (was_inline) std::memcpy(state_.data_.data(), inline_, size_);
  text_ = state_.data_.data();
  capacity_ = want;
  return text_;
}

inline result<tracestate> tracestate::parser::finish() && {
  if (error_.code != errc::ok) {
    notes_ = tracestate_notes{};  // nothing was kept, so nothing was dropped from it
    return error_;
  }
  if (text_ == inline_) {
    state_.data_.assign(inline_, size_);
    return std::move(state_);
  }
  state_.data_.resize(size_);
  // OWS, empty members and repeated keys can leave the buffer far larger than the text; a
  // context may live long, so give the excess back.
  if (state_.data_.capacity() > 2 * size_ + 64) state_.data_.shrink_to_fit();
  return std::move(state_);
}

inline result<tracestate> tracestate::parse(std::string_view value, tracestate_options options,
                                            tracestate_notes* notes) {
  parser p(options);
  p.append(value);
  result<tracestate> parsed = std::move(p).finish();
  if (notes != nullptr) *notes = p.notes();  // complete (and cleared on error) after finish()
  return parsed;
}

namespace detail {

/// Reads `text` into `out` when it is exactly what tracestate::header() writes for a Level 2
/// list of at most 8 members: no OWS around members, no empty members, valid keys and values
/// (no trailing space), unique keys. Checks each member once and copies the text whole, without
/// the general parser's staging. Returns false, `out` untouched, for any other text; the caller
/// then runs the general parser and comparison, which name the problem (or accept longer lists).
/// Whatever this accepts, those accept as the same list (fuzz/tracestate_fuzz.cpp checks it).
inline bool tracestate_decode_canonical(std::string_view text, tracestate& out) {
  constexpr std::size_t max_fast = 8;
  const char* const p = text.data();
  const std::size_t n = text.size();
  if (n == 0) return false;
  std::uint16_t starts[max_fast];
  std::uint16_t key_sizes[max_fast];
  std::size_t count = 0;
  std::size_t i = 0;
  for (;;) {
    if (count == max_fast) return false;
    const std::size_t key_begin = i;
    i = skip_tracestate_key(p, i, n);
    const std::size_t key_size = i - key_begin;
    if (i == n || p[i] != '=' ||
        check_tracestate_key_shape_level2(std::string_view(p + key_begin, key_size)) != errc::ok) {
      return false;
    }
    const std::size_t value_begin = ++i;
    i = skip_tracestate_value(p, i, n);
    const std::size_t value_size = i - value_begin;
    if (value_size == 0 || value_size > tracestate::max_value_size || p[i - 1] == ' ' ||
        (i != n && p[i] != ',')) {
      return false;
    }
    for (std::size_t k = 0; k < count; ++k) {
      if (key_sizes[k] == key_size && std::memcmp(p + starts[k], p + key_begin, key_size) == 0) {
        return false;  // a repeated key: the general parser keeps the first and notes it
      }
    }
    starts[count] = static_cast<std::uint16_t>(key_begin);  // under 8 * (513 + 1)
    key_sizes[count++] = static_cast<std::uint16_t>(key_size);
    if (i == n) break;
    ++i;  // ','
  }
  out.data_.assign(p, n);
  out.count_ = static_cast<std::uint8_t>(count);
  for (std::size_t k = 0; k < count; ++k) out.start_[k] = starts[k];
  return true;
}

}  // namespace detail

inline result<void> tracestate::put(std::string_view key, std::string_view value,
                                    tracestate_grammar grammar) {
  if (const errc e = detail::validate_tracestate_key(key, grammar); e != errc::ok) return e;
  if (const errc e = detail::validate_tracestate_value(value); e != errc::ok) return e;
  tracestate updated;
  updated.data_.reserve(key.size() + 1 + value.size() + 1 + data_.size());
  updated.append_member(key, value);
  for (std::size_t i = 0; i < count_ && updated.count_ < max_members; ++i) {
    const member m = (*this)[i];
    if (m.key != key) updated.append_member(m.key, m.value);
  }
  *this = std::move(updated);
  return {};
}

inline bool tracestate::erase(std::string_view key) {
  const std::size_t at = find(key);
  if (at == npos) return false;
  // Remove the member's text and one adjoining ','; shift the offsets after it.
  const std::size_t begin = start_[at];
  const std::size_t size = member_size(at);
  std::size_t erase_from = begin, erase_len = size;
  if (at + 1 < count_) {
    erase_len += 1;  // the ',' after it
  } else if (at > 0) {
    erase_from -= 1;  // the ',' before it
    erase_len += 1;
  }
  data_.erase(erase_from, erase_len);
  for (std::size_t i = at; i + 1 < count_; ++i) {
    start_[i] = static_cast<std::uint16_t>(start_[i + 1] - erase_len);
  }
  --count_;
  return true;
}

inline std::string tracestate::header(std::size_t max_size) const {
  const std::size_t budget = max_size < min_size_budget ? min_size_budget : max_size;
  if (data_.size() <= budget) return data_;
  bool keep[max_members];
  std::size_t total = data_.size();  // members plus the commas between them
  std::size_t kept = count_;
  for (std::size_t i = 0; i < count_; ++i) keep[i] = true;
  auto drop = [&](std::size_t i) {
    keep[i] = false;
    total -= member_size(i) + (--kept != 0 ? 1 : 0);
  };
  for (std::size_t i = count_; i-- > 0 && total > budget;) {
    if (member_size(i) > large_member_size) drop(i);
  }
  for (std::size_t i = count_; i-- > 0 && total > budget;) {
    if (keep[i]) drop(i);
  }
  std::string out;
  out.reserve(total);
  for (std::size_t i = 0; i < count_; ++i) {
    if (!keep[i]) continue;
    if (!out.empty()) out.push_back(',');
    out.append(data_, start_[i], member_size(i));
  }
  return out;
}

BATON_END_NAMESPACE

#endif  // BATON_TRACESTATE_HPP
