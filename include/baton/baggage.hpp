// W3C Baggage: an owning container of key/value entries with properties, its parser (one or
// several `baggage` header values, limits applied to all of them together) and its formatter.
// baton/baggage_view.hpp reads a header in place without allocating.
#ifndef BATON_BAGGAGE_HPP
#define BATON_BAGGAGE_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "baton/detail/baggage_common.hpp"
#include "baton/detail/baggage_scan.hpp"
#include "baton/detail/baggage_store.hpp"
#include "baton/detail/baggage_tokenizer.hpp"
#include "baton/detail/config.hpp"
#include "baton/detail/percent.hpp"
#include "baton/detail/utf8.hpp"
#include "baton/error.hpp"

BATON_BEGIN_NAMESPACE

/// A property of a baggage entry: a key, with or without a value ("k=v;p" has a property p
/// without a value; "k=v;p=" one with an empty value). Values are decoded text.
struct baggage_property {
  std::string_view key;
  std::optional<std::string_view> value;

  friend bool operator==(const baggage_property& a, const baggage_property& b) noexcept {
    return a.key == b.key && a.value == b.value;
  }
  friend bool operator!=(const baggage_property& a, const baggage_property& b) noexcept {
    return !(a == b);
  }
};

namespace detail {

/// What duplicate detection needs about each entry staged by the parser.
struct baggage_stage_entry {
  std::uint32_t slot;    // index of the entry's record
  std::uint32_t offset;  // of its key in the input
  std::uint32_t link;    // the entry whose value and properties it takes (itself at first), or
                         // baggage_dead_link when a later entry with the same key replaces it
};

inline constexpr std::uint32_t baggage_dead_link = 0xffffffffu;

/// Hash of a whole key, 8 bytes per step (keys are short; the table below also guards against
/// crafted collisions).
inline std::uint64_t baggage_key_hash(std::string_view key) noexcept {
  constexpr std::uint64_t m = 0x9e3779b97f4a7c15ull;
  const char* p = key.data();
  const std::size_t n = key.size();
  std::uint64_t h = n * m;
  auto mix = [&h](std::uint64_t w) {
    h = (h ^ w) * m;
    h ^= h >> 29;
  };
  if (n >= 8) {
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      mix(w);
    }
    if (i != n) {  // the last 8 bytes, overlapping the previous word
      std::uint64_t w;
      std::memcpy(&w, p + n - 8, 8);
      mix(w);
    }
  } else if (n >= 4) {
    std::uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    mix(std::uint64_t{a} | (std::uint64_t{b} << 32));
  } else if (n != 0) {
    const auto c = [p](std::size_t i) { return std::uint64_t{static_cast<unsigned char>(p[i])}; };
    mix(c(0) | (c(n / 2) << 8) | (c(n - 1) << 16));
  }
  h *= 0xbf58476d1ce4e5b9ull;
  return h ^ (h >> 31);
}

// Duplicate keys. Staged entries start linked to themselves; these link the first entry of each
// key to its last occurrence (whose value and properties it takes) and mark the others
// baggage_dead_link. Each returns the number of dead entries.

inline std::string_view baggage_entry_key(const baggage_slot* slots, const baggage_stage_entry& e,
                                          const char* text) noexcept {
  return std::string_view(text + slots[e.slot].off, slots[e.slot].key_len);
}

BATON_ALWAYS_INLINE void baggage_merge(baggage_stage_entry* entries, std::size_t first,
                                       std::size_t later, std::size_t& dead) noexcept {
  entries[first].link = static_cast<std::uint32_t>(later);
  entries[later].link = baggage_dead_link;
  ++dead;
}

/// At most 8 entries: compare every key with the distinct keys before it.
inline std::size_t baggage_dedup_small(const baggage_slot* slots, baggage_stage_entry* entries,
                                       std::size_t n, const char* text) noexcept {
  constexpr std::size_t max_groups = 8;
  std::size_t firsts[max_groups];
  std::size_t groups = 0, dead = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view key = baggage_entry_key(slots, entries[i], text);
    std::size_t g = 0;
    while (g < groups && baggage_entry_key(slots, entries[firsts[g]], text) != key) ++g;
    if (g < groups) {
      baggage_merge(entries, firsts[g], i, dead);
    } else if (groups < max_groups) {
      firsts[groups++] = i;
    }
  }
  return dead;
}

/// Any number of entries, O(n log n) whatever the keys: sort by (key, position). Allocates.
inline std::size_t baggage_dedup_sort(const baggage_slot* slots, baggage_stage_entry* entries,
                                      std::size_t n, const char* text) {
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i) {
    entries[i].link = static_cast<std::uint32_t>(i);
    order[i] = static_cast<std::uint32_t>(i);
  }
  auto key = [&](std::uint32_t i) { return baggage_entry_key(slots, entries[i], text); };
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const int c = key(a).compare(key(b));
    return c != 0 ? c < 0 : a < b;
  });
  std::size_t dead = 0;
  for (std::size_t r = 0; r < n;) {
    std::size_t s = r + 1;
    for (; s < n && key(order[s]) == key(order[r]); ++s)
      baggage_merge(entries, order[r], order[s], dead);
    r = s;
  }
  return dead;
}

/// Open addressing on a hash of the whole key. Gives up (returns false) once probing exceeds
/// probe_budget steps, which only crafted keys cause; the caller then sorts instead.
inline bool baggage_dedup_hash(const baggage_slot* slots, baggage_stage_entry* entries,
                               std::size_t n, const char* text, std::size_t probe_budget,
                               std::size_t& dead) {
  std::size_t size = 16;
  while (size < 2 * n) size *= 2;
  constexpr std::size_t stack_cells = 512;
  std::uint64_t small[stack_cells];
  std::vector<std::uint64_t> large;
  std::uint64_t* table = small;
  if (size <= stack_cells) {
    std::fill(small, small + size, std::uint64_t{0});
  } else {
    large.assign(size, 0);
    table = large.data();
  }
  // A cell holds the high 32 bits of the hash and 1 + the entry index (0: empty).
  constexpr std::uint64_t high = 0xffffffff00000000ull;
  const std::size_t mask = size - 1;
  std::size_t probes = 0;
  dead = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view key = baggage_entry_key(slots, entries[i], text);
    const std::uint64_t h = baggage_key_hash(key);
    std::size_t cell = static_cast<std::size_t>(h) & mask;
    for (;;) {
      const std::uint64_t c = table[cell];
      if (c == 0) {
        table[cell] = (h & high) | (i + 1);
        break;
      }
      const std::size_t j = static_cast<std::size_t>(c & ~high) - 1;
      if ((c & high) == (h & high) && baggage_entry_key(slots, entries[j], text) == key) {
        baggage_merge(entries, j, i, dead);
        break;
      }
      cell = (cell + 1) & mask;
      if (++probes > probe_budget) return false;
    }
  }
  return true;
}

inline std::size_t baggage_dedup(const baggage_slot* slots, baggage_stage_entry* entries,
                                 std::size_t n, const char* text) {
  if (n <= 8) return baggage_dedup_small(slots, entries, n, text);
  std::size_t dead = 0;
  if (baggage_dedup_hash(slots, entries, n, text, 8 * n + 64, dead)) return dead;
  return baggage_dedup_sort(slots, entries, n, text);
}

}  // namespace detail

class baggage;
namespace detail {
inline bool baggage_decode_canonical(std::string_view text, std::size_t max_members, baggage& out);
}  // namespace detail

/// An owning W3C baggage: entries with unique keys, in order, each with a value and ordered
/// properties. Keys are RFC 7230 tokens; values and property values are decoded UTF-8 text.
///
/// Storage is one heap block: 16-byte records (one per entry and per property) followed by the
/// text of every key, value and property (decoded). A parse allocates that block once (plus one
/// temporary buffer when the input is over 1 KiB), nothing when nothing is kept. Views returned
/// by accessors stay valid until the container is modified.
class baggage {
 public:
  class parser;

  /// The properties of one entry, in order.
  class property_list {
   public:
    class iterator {
     public:
      using iterator_category = std::forward_iterator_tag;
      using value_type = baggage_property;
      using difference_type = std::ptrdiff_t;
      using pointer = void;
      using reference = baggage_property;

      iterator() = default;
      baggage_property operator*() const noexcept { return make(slot_, text_); }
      iterator& operator++() noexcept {
        ++slot_;
        return *this;
      }
      iterator operator++(int) noexcept {
        iterator old = *this;
        ++slot_;
        return old;
      }
      friend bool operator==(const iterator& a, const iterator& b) noexcept {
        return a.slot_ == b.slot_;
      }
      friend bool operator!=(const iterator& a, const iterator& b) noexcept {
        return a.slot_ != b.slot_;
      }

     private:
      friend class property_list;
      iterator(const detail::baggage_slot* slot, const char* text) noexcept
          : slot_(slot), text_(text) {}
      const detail::baggage_slot* slot_ = nullptr;
      const char* text_ = nullptr;
    };

    property_list() = default;
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    baggage_property operator[](std::size_t i) const noexcept {
      BATON_ASSERT(i < size_);
      return make(first_ + i, text_);
    }
    iterator begin() const noexcept { return {first_, text_}; }
    iterator end() const noexcept { return {first_ + size_, text_}; }

    friend bool operator==(const property_list& a, const property_list& b) noexcept {
      if (a.size_ != b.size_) return false;
      for (std::size_t i = 0; i < a.size_; ++i) {
        if (a[i] != b[i]) return false;
      }
      return true;
    }
    friend bool operator!=(const property_list& a, const property_list& b) noexcept {
      return !(a == b);
    }

   private:
    friend class baggage;
    property_list(const detail::baggage_slot* first, std::size_t size, const char* text) noexcept
        : first_(first), size_(size), text_(text) {}
    static baggage_property make(const detail::baggage_slot* s, const char* text) noexcept {
      baggage_property p;
      p.key = std::string_view(text + s->off, s->key_len);
      if (s->info != 0) p.value = std::string_view(text + s->off + s->key_len, s->value_len);
      return p;
    }
    const detail::baggage_slot* first_ = nullptr;
    std::size_t size_ = 0;
    const char* text_ = nullptr;
  };

  /// One entry, as views into the container.
  struct entry {
    std::string_view key;      ///< a token, case-sensitive
    std::string_view value;    ///< decoded (UTF-8)
    property_list properties;  ///< in order; keys may repeat

    friend bool operator==(const entry& a, const entry& b) noexcept {
      return a.key == b.key && a.value == b.value && a.properties == b.properties;
    }
    friend bool operator!=(const entry& a, const entry& b) noexcept { return !(a == b); }
  };

  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = entry;
    using difference_type = std::ptrdiff_t;
    using reference = entry;
    struct pointer {
      entry e;
      const entry* operator->() const noexcept { return &e; }
    };

    const_iterator() = default;
    entry operator*() const noexcept { return make(slot_, text_); }
    pointer operator->() const noexcept { return {make(slot_, text_)}; }
    const_iterator& operator++() noexcept {
      slot_ += 1 + slot_->info;
      return *this;
    }
    const_iterator operator++(int) noexcept {
      const_iterator old = *this;
      ++*this;
      return old;
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) noexcept {
      return a.slot_ == b.slot_;
    }
    friend bool operator!=(const const_iterator& a, const const_iterator& b) noexcept {
      return a.slot_ != b.slot_;
    }

   private:
    friend class baggage;
    const_iterator(const detail::baggage_slot* slot, const char* text) noexcept
        : slot_(slot), text_(text) {}
    static entry make(const detail::baggage_slot* s, const char* text) noexcept {
      return entry{std::string_view(text + s->off, s->key_len),
                   std::string_view(text + s->off + s->key_len, s->value_len),
                   property_list(s + 1, s->info, text)};
    }
    const detail::baggage_slot* slot_ = nullptr;
    const char* text_ = nullptr;
  };
  using iterator = const_iterator;

  baggage() = default;
  baggage(const baggage&) = default;
  baggage& operator=(const baggage&) = default;
  baggage(baggage&& other) noexcept
      : store_(std::move(other.store_)), count_(other.count_), dead_(other.dead_) {
    other.clear();
  }
  baggage& operator=(baggage&& other) noexcept {
    if (this != &other) {
      store_ = std::move(other.store_);
      count_ = other.count_;
      dead_ = other.dead_;
      other.clear();
    }
    return *this;
  }
  ~baggage() = default;

  /// Parses one `baggage` header value. Never fails as a whole: invalid members are dropped
  /// and the rest kept; members past the limits are dropped whole; a repeated key keeps the
  /// last value at the first position. What was dropped, and why, goes to `report`.
  static baggage parse(std::string_view value, const baggage_options& options = {},
                       baggage_report* report = nullptr);
  /// Parses every `baggage` value of a carrier, in order, as one list joined with ','. The
  /// limits apply to all of them together.
  static baggage parse(const std::string_view* values, std::size_t count,
                       const baggage_options& options = {}, baggage_report* report = nullptr);
  static baggage parse(std::initializer_list<std::string_view> values,
                       const baggage_options& options = {}, baggage_report* report = nullptr) {
    return parse(values.begin(), values.size(), options, report);
  }

  std::size_t size() const noexcept { return count_; }
  bool empty() const noexcept { return count_ == 0; }
  const_iterator begin() const noexcept { return {store_.slots(), store_.text()}; }
  const_iterator end() const noexcept {
    return {store_.slots() + store_.slot_count(), store_.text()};
  }

  /// The entry with `key`, or end(). A linear search (baggage holds few entries).
  const_iterator find(std::string_view key) const noexcept {
    return {store_.slots() + find_slot(key), store_.text()};
  }
  bool contains(std::string_view key) const noexcept {
    return find_slot(key) != store_.slot_count();
  }
  /// The decoded value of `key`, if present.
  std::optional<std::string_view> get(std::string_view key) const noexcept {
    const std::size_t i = find_slot(key);
    if (i == store_.slot_count()) return std::nullopt;
    const detail::baggage_slot& s = store_.slots()[i];
    return std::string_view(store_.text() + s.off + s.key_len, s.value_len);
  }

  /// Sets `key` to `value` with `properties`, replacing the value and properties of an
  /// existing entry in place, or appending a new entry. `value` and property values are text:
  /// any bytes (they are %-encoded on the wire); ill-formed UTF-8 is replaced with U+FFFD.
  /// Errors (nothing changes): a key that is not a token (baggage_invalid_key), a property key
  /// that is not a token (baggage_invalid_property, offset = index of the property), text
  /// over 4 GiB (baggage_too_large).
  result<void> set(std::string_view key, std::string_view value,
                   std::initializer_list<baggage_property> properties = {}) {
    return set(key, value, properties.begin(), properties.size());
  }
  result<void> set(std::string_view key, std::string_view value, const baggage_property* properties,
                   std::size_t count);

  /// Removes the entry with `key`; returns whether there was one.
  bool erase(std::string_view key);
  /// Removes every entry whose key `filter` rejects (at a trust boundary, before sending
  /// baggage out); returns how many.
  std::size_t keep_only(const baggage_key_filter& filter);
  /// Removes every entry and frees the memory.
  void clear() noexcept {
    store_.release();
    count_ = 0;
    dead_ = 0;
  }

  /// Size of the header value header() writes when no limit applies (the wire size).
  std::size_t byte_size() const noexcept;

  /// The normalized header value: members joined by ',' without OWS, properties by ';',
  /// values %-encoded (every byte that is not a baggage-octet, and '%', with uppercase hex).
  /// Entries that would go over the limits are skipped whole (a later, smaller one may still
  /// fit) and reported in `report` (overwritten; offsets are entry indexes). Never writes a
  /// control character, space, '"' or '\\'.
  std::string header(const baggage_limits& limits = {}, baggage_report* report = nullptr) const {
    std::string out;
    append_header(out, limits, report);
    return out;
  }
  /// header(), appended to out (reusing its capacity).
  void append_header(std::string& out, const baggage_limits& limits = {},
                     baggage_report* report = nullptr) const;

  friend bool operator==(const baggage& a, const baggage& b) noexcept {
    if (a.count_ != b.count_) return false;
    for (auto i = a.begin(), j = b.begin(); i != a.end(); ++i, ++j) {
      if (*i != *j) return false;
    }
    return true;
  }
  friend bool operator!=(const baggage& a, const baggage& b) noexcept { return !(a == b); }

 private:
  // Index of the entry record with `key`, or store_.slot_count().
  std::size_t find_slot(std::string_view key) const noexcept {
    const detail::baggage_slot* const slots = store_.slots();
    const char* const text = store_.text();
    const std::size_t n = store_.slot_count();
    for (std::size_t i = 0; i < n; i += 1 + slots[i].info) {
      const detail::baggage_slot& s = slots[i];
      if (s.key_len == key.size() && std::memcmp(text + s.off, key.data(), key.size()) == 0) {
        return i;
      }
    }
    return n;
  }
  // Bytes of text an entry and its properties use.
  std::size_t entry_bytes(std::size_t i) const noexcept {
    const detail::baggage_slot* const s = store_.slots() + i;
    std::size_t n = 0;
    for (std::size_t k = 0; k <= s->info; ++k) n += s[k].key_len + s[k].value_len;
    return n;
  }
  static std::size_t encoded_entry_size(const detail::baggage_slot* s, const char* text) noexcept;
  static char* write_entry(char* w, const detail::baggage_slot* s, const char* text) noexcept;
  void compact_if_sparse();
  friend bool detail::baggage_decode_canonical(std::string_view, std::size_t, baggage&);

  detail::baggage_store store_;
  std::uint32_t count_ = 0;  // entries
  std::size_t dead_ = 0;     // text bytes no record refers to any more
};

/// Parses the `baggage` values of a carrier one at a time (as carrier for_each() visits them):
/// append() each value in order, then finish(). Equivalent to baggage::parse() on all of them.
/// About 4 KiB: meant for the stack, where headers under 1 KiB are staged without allocating.
class baggage::parser {
 public:
  /// With keep_report false, no report is kept (report() stays empty but for repeated keys)
  /// and parsing stops at the first limit reached instead of counting the members past it.
  /// baggage::parse does this when no report is asked for, so a huge hostile header costs next
  /// to nothing beyond the budget.
  explicit parser(const baggage_options& options = {}, bool keep_report = true) noexcept
      : tokenizer_(clamp(options)),
        max_bytes_(clamp(options).limits.max_bytes),
        sink_(keep_report ? &report_ : nullptr) {}
  parser(const parser&) = delete;
  parser& operator=(const parser&) = delete;

  /// Optional: the combined size of the values to come, so text is staged in one buffer.
  void reserve(std::size_t total_bytes) {
    if (total_bytes > max_bytes_) total_bytes = max_bytes_;
    text_.reserve(used_ + total_bytes, used_);
  }

  /// Adds the next header value. Offsets in the report count from the start of the first
  /// value, with one byte for each joining ','.
  void append(std::string_view value);

  /// The parsed baggage. Call once; the report is complete afterwards.
  baggage finish() &&;

  const baggage_report& report() const noexcept { return report_; }

 private:
  static baggage_options clamp(baggage_options options) noexcept {
    // Offsets into the text are 32-bit, so the budget is at most 4 GiB - 1.
    if (options.limits.max_bytes > 0xffffffffu) options.limits.max_bytes = 0xffffffffu;
    return options;
  }
  std::uint32_t copy_text(std::string_view s) noexcept {
    detail::copy_short(text_.data() + used_, s.data(), s.size());
    used_ += s.size();
    return static_cast<std::uint32_t>(s.size());
  }
  std::uint32_t decode_text(std::string_view raw) noexcept {
    const std::size_t n = detail::percent_decode(raw.data(), raw.size(), text_.data() + used_);
    used_ += n;
    return static_cast<std::uint32_t>(n);
  }
  void store(const detail::baggage_raw_member& m);

  detail::baggage_tokenizer tokenizer_;
  std::size_t max_bytes_;
  baggage_report report_;
  baggage_report* sink_;  // &report_, or nullptr: no report, stop at the limits
  std::size_t used_ = 0;  // bytes of text_ written
  detail::baggage_stage_buffer<detail::baggage_slot, 128> slots_;
  detail::baggage_stage_buffer<detail::baggage_stage_entry, 64> entries_;
  detail::baggage_text_stage<1024> text_;
};

inline void baggage::parser::append(std::string_view value) {
  tokenizer_.start_value(value, sink_);
  // Whatever is kept from this value lies within its part of the byte budget, and decoding
  // never makes text longer, so this is all the room the value can need.
  text_.reserve(used_ + tokenizer_.window_size(), used_);
  detail::baggage_raw_member m;
  while (tokenizer_.next(m, sink_)) store(m);
}

inline void baggage::parser::store(const detail::baggage_raw_member& m) {
  const std::size_t entry_slot = slots_.size();
  const auto off = static_cast<std::uint32_t>(used_);
  const std::uint32_t key_len = copy_text(m.key);
  const std::uint32_t value_len = m.escaped ? decode_text(m.value) : copy_text(m.value);
  slots_.push_back(detail::baggage_slot{off, key_len, value_len, 0});
  entries_.push_back(detail::baggage_stage_entry{
      static_cast<std::uint32_t>(entry_slot),
      static_cast<std::uint32_t>(m.offset > 0xffffffffu ? 0xffffffffu : m.offset),
      static_cast<std::uint32_t>(entries_.size())});
  if (m.properties.empty()) return;
  std::uint32_t properties = 0;
  const char* p = m.properties.data();
  const char* const e = p + m.properties.size();
  detail::baggage_raw_property prop;
  while (detail::next_raw_property(p, e, prop)) {
    const auto prop_off = static_cast<std::uint32_t>(used_);
    const std::uint32_t prop_key_len = copy_text(prop.key);
    const std::uint32_t len = prop.has_value ? decode_text(prop.value) : 0;
    slots_.push_back(detail::baggage_slot{prop_off, prop_key_len, len, prop.has_value ? 1u : 0u});
    ++properties;
  }
  slots_.data()[entry_slot].info = properties;
}

inline baggage baggage::parser::finish() && {
  baggage b;
  const std::size_t n = entries_.size();
  if (n == 0) return b;
  const detail::baggage_slot* const slots = slots_.data();
  detail::baggage_stage_entry* const entries = entries_.data();
  const std::size_t dead = n > 1 ? detail::baggage_dedup(slots, entries, n, text_.data()) : 0;
  if (dead == 0) {
    b.store_.allocate_exact(slots_.size(), used_);
    std::memcpy(b.store_.slots(), slots, slots_.size() * sizeof(detail::baggage_slot));
  } else {
    std::size_t total = 0, live = 0;
    for (std::size_t k = 0; k < n; ++k) {
      if (entries[k].link == detail::baggage_dead_link) {
        report_.add(errc::baggage_duplicate_key, entries[k].offset);
        continue;
      }
      const detail::baggage_slot* src = slots + entries[entries[k].link].slot;
      total += 1 + src->info;
      for (std::size_t i = 0; i <= src->info; ++i) live += src[i].key_len + src[i].value_len;
    }
    b.store_.allocate_exact(total, used_);
    detail::baggage_slot* out = b.store_.slots();
    for (std::size_t k = 0; k < n; ++k) {
      if (entries[k].link == detail::baggage_dead_link) continue;
      const detail::baggage_slot* src = slots + entries[entries[k].link].slot;
      std::memcpy(out, src, (1 + src->info) * sizeof(detail::baggage_slot));
      out += 1 + src->info;
    }
    // Replaced values stay in the text until a later mutation compacts it.
    b.dead_ = used_ - live;
  }
  std::memcpy(b.store_.text(), text_.data(), used_);
  b.count_ = static_cast<std::uint32_t>(n - dead);
  return b;
}

inline baggage baggage::parse(std::string_view value, const baggage_options& options,
                              baggage_report* report) {
  parser p(options, report != nullptr);
  p.reserve(value.size());
  p.append(value);
  baggage b = std::move(p).finish();
  if (report != nullptr) *report = p.report();
  return b;
}

inline baggage baggage::parse(const std::string_view* values, std::size_t count,
                              const baggage_options& options, baggage_report* report) {
  parser p(options, report != nullptr);
  std::size_t total = 0;
  for (std::size_t i = 0; i < count; ++i) total += values[i].size() + 1;
  p.reserve(total);
  for (std::size_t i = 0; i < count; ++i) p.append(values[i]);
  baggage b = std::move(p).finish();
  if (report != nullptr) *report = p.report();
  return b;
}

namespace detail {

/// Decodes a value as header() writes it (plain bytes, and uppercase %XX escapes of exactly
/// the bytes that are not plain) from p into w, up to the first byte that is neither; false on
/// an escape header() would not write. `high` is set when a decoded byte is not ASCII.
BATON_ALWAYS_INLINE bool baggage_decode_canonical_value(const char*& p, const char* const e,
                                                        char*& w, bool& high) noexcept {
  while (p != e) {
    const auto c = static_cast<unsigned char>(*p);
    if (baggage_plain[c] != 0) {
      *w++ = *p++;
      continue;
    }
    if (c != '%') return true;
    if (!escape_ok(p, e)) return false;
    const std::uint8_t b = escaped_octet(p);
    // header() escapes only what must be escaped, in uppercase hex.
    if (baggage_plain[b] != 0 || p[1] != upper_hex_chars[b >> 4] ||
        p[2] != upper_hex_chars[b & 15]) {
      return false;
    }
    high |= b >= 0x80;
    *w++ = static_cast<char>(b);
    p += 3;
  }
  return true;
}

/// Decodes `text` into `out` when it is exactly what baggage::header() writes: no OWS, no
/// empty members, unique keys, values whose escapes are uppercase, of exactly the bytes that
/// need one, and decode to well-formed UTF-8. One pass, no staging copy of the general parser,
/// no re-encoding to compare. Only small baggage takes this path (at most 16 entries, 32
/// records, 1 KiB of text, and `max_members`); otherwise, or when the text is not canonical,
/// returns false with `out` untouched, and the caller runs the general parser and comparison,
/// which name the problem. Whatever this accepts, those accept as the same baggage
/// (fuzz/baggage_fuzz.cpp checks it).
inline bool baggage_decode_canonical(std::string_view text, std::size_t max_members, baggage& out) {
  constexpr std::size_t max_text = 1024, max_entries = 16, max_slots = 32;
  if (text.empty() || text.size() > max_text) return false;
  char buf[max_text];  // decoded text is never longer than the input
  baggage_slot slots[max_slots];
  std::uint32_t entry_slot[max_entries];
  std::size_t slot_count = 0, entry_count = 0;
  const char* p = text.data();
  const char* const e = p + text.size();
  char* w = buf;
  const auto key = [&](std::uint32_t& len) {
    const char* const k = p;
    p = skip_tchar(p, e);
    len = static_cast<std::uint32_t>(p - k);
    copy_short(w, k, len);
    w += len;
    return len != 0;
  };
  const auto value = [&](std::uint32_t& len) {
    char* const v = w;
    bool high = false;
    if (!baggage_decode_canonical_value(p, e, w, high)) return false;
    len = static_cast<std::uint32_t>(w - v);
    return !high || utf8_valid(v, len);
  };
  for (;;) {
    if (entry_count == max_entries || entry_count >= max_members || slot_count == max_slots) {
      return false;
    }
    baggage_slot entry{static_cast<std::uint32_t>(w - buf), 0, 0, 0};
    if (!key(entry.key_len) || p == e || *p != '=') return false;
    ++p;
    if (!value(entry.value_len)) return false;
    for (std::size_t i = 0; i < entry_count; ++i) {
      const baggage_slot& s = slots[entry_slot[i]];
      if (s.key_len == entry.key_len && std::memcmp(buf + s.off, buf + entry.off, s.key_len) == 0) {
        return false;  // a repeated key: the general parser keeps the last and reports it
      }
    }
    const std::size_t at = slot_count++;
    entry_slot[entry_count++] = static_cast<std::uint32_t>(at);
    while (p != e && *p == ';') {
      ++p;
      if (slot_count == max_slots) return false;
      baggage_slot prop{static_cast<std::uint32_t>(w - buf), 0, 0, 0};
      if (!key(prop.key_len)) return false;
      if (p != e && *p == '=') {
        ++p;
        if (!value(prop.value_len)) return false;
        prop.info = 1;
      }
      slots[slot_count++] = prop;
      ++entry.info;
    }
    slots[at] = entry;
    if (p == e) break;
    if (*p != ',') return false;
    ++p;
  }
  const auto used = static_cast<std::size_t>(w - buf);
  baggage b;
  b.store_.allocate_exact(slot_count, used);
  std::memcpy(b.store_.slots(), slots, slot_count * sizeof(baggage_slot));
  std::memcpy(b.store_.text(), buf, used);
  b.count_ = static_cast<std::uint32_t>(entry_count);
  out = std::move(b);
  return true;
}

}  // namespace detail

inline result<void> baggage::set(std::string_view key, std::string_view value,
                                 const baggage_property* properties, std::size_t count) {
  auto is_token = [](std::string_view s) {
    return !s.empty() && detail::skip_tchar(s.data(), s.data() + s.size()) == s.data() + s.size();
  };
  if (!is_token(key)) return errc::baggage_invalid_key;
  std::size_t room = key.size() + 3 * value.size();  // ill-formed UTF-8 may grow 3 times
  for (std::size_t i = 0; i < count; ++i) {
    if (!is_token(properties[i].key)) {
      return error{errc::baggage_invalid_property, static_cast<std::uint32_t>(i)};
    }
    room += properties[i].key.size() + (properties[i].value ? 3 * properties[i].value->size() : 0);
  }
  if (room > 0xffffffffu - store_.text_size() || count >= 0xffffffffu - store_.slot_count()) {
    return errc::baggage_too_large;
  }

  // The arguments may be views into this container: then work on a copy, since the block may
  // move when it grows.
  const std::less<const char*> before;
  const char* const text_begin = store_.text();
  auto inside = [&](std::string_view s) {
    return text_begin != nullptr && !s.empty() && !before(s.data(), text_begin) &&
           before(s.data(), text_begin + store_.text_capacity());
  };
  bool aliased = inside(key) || inside(value);
  for (std::size_t i = 0; i < count && !aliased; ++i) {
    aliased = inside(properties[i].key) || (properties[i].value && inside(*properties[i].value));
  }
  if (aliased) {
    baggage copy = *this;
    const result<void> r = copy.set(key, value, properties, count);
    if (r) *this = std::move(copy);
    return r;
  }

  const std::size_t at = find_slot(key);
  const bool exists = at != store_.slot_count();
  const std::size_t old_span = exists ? 1 + store_.slots()[at].info : 0;
  // Reserve first: if it throws, nothing has changed (dead_ included).
  store_.reserve(store_.slot_count() - old_span + 1 + count, store_.text_size() + room);
  if (exists) dead_ += entry_bytes(at);

  char* const text = store_.text();
  std::size_t used = store_.text_size();
  detail::baggage_slot* const records =
      store_.splice(exists ? at : store_.slot_count(), old_span, 1 + count);
  auto put = [&](detail::baggage_slot& r, std::string_view k, const std::string_view* v) {
    r.off = static_cast<std::uint32_t>(used);
    r.key_len = static_cast<std::uint32_t>(k.size());
    std::memcpy(text + used, k.data(), k.size());
    used += k.size();
    const std::size_t value_at = used;
    if (v != nullptr)
      used =
          static_cast<std::size_t>(detail::utf8_sanitize(v->data(), v->size(), text + used) - text);
    r.value_len = static_cast<std::uint32_t>(used - value_at);
    r.info = v != nullptr ? 1u : 0u;
  };
  put(records[0], key, &value);
  records[0].info = static_cast<std::uint32_t>(count);
  for (std::size_t i = 0; i < count; ++i) {
    put(records[1 + i], properties[i].key, properties[i].value ? &*properties[i].value : nullptr);
  }
  store_.set_text_size(used);
  if (!exists) ++count_;
  compact_if_sparse();
  return {};
}

inline bool baggage::erase(std::string_view key) {
  const std::size_t at = find_slot(key);
  if (at == store_.slot_count()) return false;
  dead_ += entry_bytes(at);
  store_.splice(at, 1 + store_.slots()[at].info, 0);
  if (--count_ == 0) {
    clear();
  } else {
    compact_if_sparse();
  }
  return true;
}

inline std::size_t baggage::keep_only(const baggage_key_filter& filter) {
  detail::baggage_slot* const slots = store_.slots();
  const char* const text = store_.text();
  const std::size_t n = store_.slot_count();
  std::size_t removed = 0, out = 0;
  for (std::size_t i = 0; i < n;) {
    const std::size_t span = 1 + slots[i].info;
    if (filter.accepts(std::string_view(text + slots[i].off, slots[i].key_len))) {
      if (out != i) std::memmove(slots + out, slots + i, span * sizeof(detail::baggage_slot));
      out += span;
    } else {
      dead_ += entry_bytes(i);
      ++removed;
    }
    i += span;
  }
  store_.set_slot_count(out);
  count_ -= static_cast<std::uint32_t>(removed);
  if (count_ == 0) {
    clear();
  } else {
    compact_if_sparse();
  }
  return removed;
}

inline void baggage::compact_if_sparse() {
  // Rewrites the text once dead bytes outweigh live ones, so repeated set() on the same keys
  // stays in bounded memory (amortized O(1) per byte written).
  if (dead_ < 256 || dead_ < store_.text_size() / 2) return;
  detail::baggage_store compact;
  compact.allocate_exact(store_.slot_count(), store_.text_size() - dead_);
  const char* const from = store_.text();
  char* const to = compact.text();
  std::size_t used = 0;
  for (std::size_t i = 0; i < store_.slot_count(); ++i) {
    detail::baggage_slot s = store_.slots()[i];
    std::memcpy(to + used, from + s.off, s.key_len + s.value_len);
    s.off = static_cast<std::uint32_t>(used);
    used += s.key_len + s.value_len;
    compact.slots()[i] = s;
  }
  store_ = std::move(compact);
  dead_ = 0;
}

inline std::size_t baggage::encoded_entry_size(const detail::baggage_slot* s,
                                               const char* text) noexcept {
  const char* v = text + s->off + s->key_len;
  std::size_t n = s->key_len + 1 + detail::percent_encoded_size(v, s->value_len);
  for (std::uint32_t k = 1; k <= s->info; ++k) {
    const detail::baggage_slot& p = s[k];
    n += 1 + p.key_len;
    if (p.info != 0) n += 1 + detail::percent_encoded_size(text + p.off + p.key_len, p.value_len);
  }
  return n;
}

inline char* baggage::write_entry(char* w, const detail::baggage_slot* s,
                                  const char* text) noexcept {
  std::memcpy(w, text + s->off, s->key_len);
  w += s->key_len;
  *w++ = '=';
  w = detail::percent_encode(text + s->off + s->key_len, s->value_len, w);
  for (std::uint32_t k = 1; k <= s->info; ++k) {
    const detail::baggage_slot& p = s[k];
    *w++ = ';';
    std::memcpy(w, text + p.off, p.key_len);
    w += p.key_len;
    if (p.info != 0) {
      *w++ = '=';
      w = detail::percent_encode(text + p.off + p.key_len, p.value_len, w);
    }
  }
  return w;
}

inline std::size_t baggage::byte_size() const noexcept {
  if (count_ == 0) return 0;
  const detail::baggage_slot* const slots = store_.slots();
  std::size_t n = count_ - 1;  // the commas
  for (std::size_t i = 0; i < store_.slot_count(); i += 1 + slots[i].info) {
    n += encoded_entry_size(slots + i, store_.text());
  }
  return n;
}

inline void baggage::append_header(std::string& out, const baggage_limits& limits,
                                   baggage_report* report) const {
  if (report != nullptr) report->clear();
  if (count_ == 0) return;
  const std::size_t start = out.size();
  out.resize(start + byte_size());  // exact for every entry, so the writes below always fit
  char* const base = out.data() + start;
  char* w = base;
  const detail::baggage_slot* const slots = store_.slots();
  std::size_t written = 0, index = 0;
  for (std::size_t i = 0; i < store_.slot_count(); i += 1 + slots[i].info, ++index) {
    if (written == limits.max_members) {
      if (report != nullptr) report->add(errc::baggage_too_many_members, index, count_ - index);
      break;
    }
    char* const mark = w;
    if (written != 0) *w++ = ',';
    w = write_entry(w, slots + i, store_.text());
    if (static_cast<std::size_t>(w - base) > limits.max_bytes) {
      w = mark;
      if (report != nullptr) report->add(errc::baggage_too_large, index);
      continue;
    }
    ++written;
  }
  const auto written_bytes = static_cast<std::size_t>(w - base);
  if (start + written_bytes != out.size()) out.resize(start + written_bytes);
}

BATON_END_NAMESPACE

#endif  // BATON_BAGGAGE_HPP
