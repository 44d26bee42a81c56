// Public types shared by baton/baggage.hpp and baton/baggage_view.hpp: limits, the key filter,
// parse options and the drop report. Include one of those two headers, not this one.
#ifndef BATON_DETAIL_BAGGAGE_COMMON_HPP
#define BATON_DETAIL_BAGGAGE_COMMON_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "baton/detail/config.hpp"
#include "baton/error.hpp"

BATON_BEGIN_NAMESPACE

/// How much baggage is kept when parsing and written when formatting. The defaults are the
/// W3C minimums (a platform MUST propagate at least 64 list-members and 8192 bytes); higher
/// values are allowed, lower ones make baton drop baggage the spec says to propagate.
///
/// Parsing counts the raw bytes of all `baggage` values of a carrier joined with ',' (OWS and
/// invalid members included): a member is kept only if it ends within the first max_bytes bytes,
/// and nothing past them is tokenized. Formatting counts the bytes written.
struct baggage_limits {
  std::size_t max_members = 64;
  std::size_t max_bytes = 8192;
};

/// Decides which keys are accepted, for trust boundaries: a service can drop every baggage key
/// it does not expect from outside. Non-owning and allocation-free: the allow-list or predicate
/// it refers to must outlive it. Default-constructed, it accepts every key.
class baggage_key_filter {
 public:
  using function_type = bool (*)(const void* context, std::size_t size,
                                 std::string_view key) noexcept;

  constexpr baggage_key_filter() noexcept = default;
  /// A raw filter: fn(context, size, key) returns whether key is accepted.
  constexpr baggage_key_filter(function_type fn, const void* context, std::size_t size = 0) noexcept
      : fn_(fn), context_(context), size_(size) {}

  /// Accepts exactly the `count` keys at `keys` (case-sensitive, as baggage keys are). A linear
  /// search: for hundreds of keys, use predicate() over a hash set.
  static baggage_key_filter allow(const std::string_view* keys, std::size_t count) noexcept {
    return {&allow_list_impl, keys, count};
  }
  /// Accepts the keys of a contiguous container of std::string_view (std::array, std::vector).
  template <class Container>
  static baggage_key_filter allow(const Container& keys) noexcept {
    return allow(keys.data(), keys.size());
  }
  /// Accepts the keys for which pred(std::string_view) returns true. pred must not throw.
  template <class Predicate>
  static baggage_key_filter predicate(const Predicate& pred) noexcept {
    return {&predicate_impl<Predicate>, &pred, 0};
  }
  // The filter keeps the address of its list or predicate: a temporary would dangle.
  template <class Container>
  static baggage_key_filter allow(const Container&& keys) = delete;
  template <class Predicate>
  static baggage_key_filter predicate(const Predicate&& pred) = delete;

  bool accepts(std::string_view key) const noexcept {
    return fn_ == nullptr || fn_(context_, size_, key);
  }
  /// True for the default filter.
  bool accepts_all() const noexcept { return fn_ == nullptr; }

 private:
  static bool allow_list_impl(const void* context, std::size_t size,
                              std::string_view key) noexcept {
    const auto* keys = static_cast<const std::string_view*>(context);
    for (std::size_t i = 0; i < size; ++i) {
      if (keys[i] == key) return true;
    }
    return false;
  }
  template <class Predicate>
  static bool predicate_impl(const void* context, std::size_t, std::string_view key) noexcept {
    return static_cast<bool>((*static_cast<const Predicate*>(context))(key));
  }

  function_type fn_ = nullptr;
  const void* context_ = nullptr;
  std::size_t size_ = 0;
};

/// Options of a baggage parse (owning or view).
struct baggage_options {
  baggage_limits limits{};
  baggage_key_filter filter{};
};

/// One reason members were dropped: the code, where it first happened and how many members
/// it dropped. Parsing: offsets index the carrier's baggage values joined with ',' (one byte for
/// each join). Formatting: the offset is the index of the first entry dropped.
struct baggage_issue {
  errc code = errc::ok;
  std::uint32_t offset = 0;
  std::uint32_t count = 0;

  baton::error error() const noexcept { return {code, offset}; }
  friend bool operator==(const baggage_issue& a, const baggage_issue& b) noexcept {
    return a.code == b.code && a.offset == b.offset && a.count == b.count;
  }
  friend bool operator!=(const baggage_issue& a, const baggage_issue& b) noexcept {
    return !(a == b);
  }
};

/// What a parse or format dropped, one issue per reason, ordered by offset. Fixed size, no
/// allocation. Walk it with a range-for; empty() means everything was kept.
class baggage_report {
 public:
  /// Codes a report can hold: errc::baggage_invalid_key .. errc::baggage_duplicate_key.
  static constexpr std::size_t capacity = 9;

  bool empty() const noexcept { return size_ == 0; }
  std::size_t size() const noexcept { return size_; }
  const baggage_issue* begin() const noexcept { return issues_.data(); }
  const baggage_issue* end() const noexcept { return issues_.data() + size_; }
  const baggage_issue& operator[](std::size_t i) const noexcept {
    BATON_ASSERT(i < size_);
    return issues_[i];
  }

  /// The earliest problem, {errc::ok, 0} if none.
  baton::error first_error() const noexcept {
    return size_ == 0 ? baton::error{} : issues_[0].error();
  }
  /// Members dropped for `code`.
  std::uint32_t count(errc code) const noexcept {
    for (std::size_t i = 0; i < size_; ++i) {
      if (issues_[i].code == code) return issues_[i].count;
    }
    return 0;
  }
  /// Members dropped for any reason.
  std::uint32_t dropped() const noexcept {
    std::uint32_t n = 0;
    for (std::size_t i = 0; i < size_; ++i) n += issues_[i].count;
    return n;
  }

  /// Records `count` members dropped for `code`, first seen at `offset`.
  void add(errc code, std::size_t offset, std::size_t count = 1) noexcept {
    if (count == 0) return;
    const std::uint32_t at = clamp(offset);
    for (std::size_t i = 0; i < size_; ++i) {
      baggage_issue& issue = issues_[i];
      if (issue.code != code) continue;
      issue.count = clamp(std::size_t{issue.count} + count);
      if (at < issue.offset) {
        issue.offset = at;
        sort_from(i);
      }
      return;
    }
    if (size_ == capacity) return;  // unreachable with baggage codes; never overflow
    issues_[size_] = baggage_issue{code, at, clamp(count)};
    sort_from(size_++);
  }
  void clear() noexcept { size_ = 0; }

  friend bool operator==(const baggage_report& a, const baggage_report& b) noexcept {
    if (a.size_ != b.size_) return false;
    for (std::size_t i = 0; i < a.size_; ++i) {
      if (a.issues_[i] != b.issues_[i]) return false;
    }
    return true;
  }
  friend bool operator!=(const baggage_report& a, const baggage_report& b) noexcept {
    return !(a == b);
  }

 private:
  static std::uint32_t clamp(std::size_t v) noexcept {
    return v > UINT32_MAX ? UINT32_MAX : static_cast<std::uint32_t>(v);
  }
  // Moves issues_[i] left until the array is ordered by offset (stable: ties keep their order).
  void sort_from(std::size_t i) noexcept {
    while (i > 0 && issues_[i].offset < issues_[i - 1].offset) {
      const baggage_issue t = issues_[i];
      issues_[i] = issues_[i - 1];
      issues_[i - 1] = t;
      --i;
    }
  }

  std::array<baggage_issue, capacity> issues_{};
  std::uint8_t size_ = 0;
};

BATON_END_NAMESPACE

#endif  // BATON_DETAIL_BAGGAGE_COMMON_HPP
