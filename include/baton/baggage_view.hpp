// A non-allocating view of W3C baggage: iterates the list-members of one or more `baggage`
// header values in place and decodes a value only when asked. For services that read one or two
// keys of a large header; baton/baggage.hpp has the owning container.
#ifndef BATON_BAGGAGE_VIEW_HPP
#define BATON_BAGGAGE_VIEW_HPP

#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include "baton/detail/baggage_common.hpp"
#include "baton/detail/baggage_tokenizer.hpp"
#include "baton/detail/config.hpp"
#include "baton/detail/percent.hpp"
#include "baton/error.hpp"

BATON_BEGIN_NAMESPACE

/// The valid list-members of `baggage` header values, read in place. It yields exactly the
/// members baggage::parse() keeps with the same options, in order, except that a repeated key
/// is yielded each time (the owning container keeps one entry per key, with the last value);
/// find() returns the last one, as baggage::get() does. Invalid members, members the filter
/// rejects and members past the limits are skipped. Nothing allocates unless you ask for a
/// decoded value as a std::string.
///
/// The view refers to the header text (and, for several values, to the array of views) without
/// owning it: both must outlive the view, its iterators and the members they yield.
class baggage_view {
 public:
  /// A property of a member: a key, with or without a value.
  struct property {
    std::string_view key;        ///< a token, never decoded
    std::string_view raw_value;  ///< as on the wire; empty when has_value is false
    bool has_value = false;      ///< "key=value" (even "key="), as opposed to "key"

    /// Decodes raw_value into out, which needs raw_value.size() bytes (bytes past the returned
    /// size may be overwritten); returns the size.
    std::size_t decode_value(char* out) const noexcept {
      return detail::percent_decode(raw_value.data(), raw_value.size(), out);
    }
    std::string decoded_value() const {
      std::string s(raw_value.size(), '\0');
      s.resize(decode_value(s.data()));
      return s;
    }
  };

  /// The properties of a member, in order (empty properties such as "k=v;;p" are skipped).
  class property_range {
   public:
    class iterator {
     public:
      using iterator_category = std::forward_iterator_tag;
      using value_type = property;
      using difference_type = std::ptrdiff_t;
      using pointer = const property*;
      using reference = const property&;

      iterator() = default;
      reference operator*() const noexcept { return current_; }
      pointer operator->() const noexcept { return &current_; }
      iterator& operator++() noexcept {
        advance();
        return *this;
      }
      iterator operator++(int) noexcept {
        iterator old = *this;
        advance();
        return old;
      }
      friend bool operator==(const iterator& a, const iterator& b) noexcept {
        return a.done_ == b.done_ && (a.done_ || a.at_ == b.at_);
      }
      friend bool operator!=(const iterator& a, const iterator& b) noexcept { return !(a == b); }

     private:
      friend class property_range;
      explicit iterator(std::string_view text) noexcept
          : next_(text.data()), end_(text.data() + text.size()), done_(false) {
        advance();
      }
      void advance() noexcept {
        at_ = next_;
        detail::baggage_raw_property raw;
        if (next_ == nullptr || !detail::next_raw_property(next_, end_, raw)) {
          done_ = true;
          return;
        }
        current_ = property{raw.key, raw.value, raw.has_value};
      }

      property current_{};
      const char* at_ = nullptr;
      const char* next_ = nullptr;
      const char* end_ = nullptr;
      bool done_ = true;
    };

    property_range() = default;
    explicit property_range(std::string_view text) noexcept : text_(text) {}
    iterator begin() const noexcept { return iterator(text_); }
    iterator end() const noexcept { return iterator(); }
    bool empty() const noexcept { return text_.empty(); }
    /// The raw text, from the first property to the end of the last.
    std::string_view raw() const noexcept { return text_; }

   private:
    std::string_view text_;
  };

  /// One valid list-member.
  class member {
   public:
    member() = default;
    explicit member(const detail::baggage_raw_member& raw) noexcept : raw_(raw) {}

    /// The key: an RFC 7230 token, case-sensitive, never decoded.
    std::string_view key() const noexcept { return raw_.key; }
    /// The value as on the wire: baggage-octets, with well-formed %XX escapes.
    std::string_view raw_value() const noexcept { return raw_.value; }
    /// The properties text, from the first property to the end of the last ("" if none).
    std::string_view raw_properties() const noexcept { return raw_.properties; }
    property_range properties() const noexcept { return property_range(raw_.properties); }
    /// Offset of the key in the input (values joined with one ',' each).
    std::size_t offset() const noexcept { return raw_.offset; }

    /// Whether the value holds escapes (if not, raw_value() is already the decoded value).
    bool value_is_encoded() const noexcept {
      return raw_.value.find('%') != std::string_view::npos;
    }
    /// Decodes the value (RFC 3986, invalid UTF-8 replaced with U+FFFD) into out, which needs
    /// raw_value().size() bytes: decoding never makes a value longer, and bytes past the
    /// returned size may be overwritten. Returns the size.
    std::size_t decode_value(char* out) const noexcept {
      return detail::percent_decode(raw_.value.data(), raw_.value.size(), out);
    }
    /// Decodes the value into out, reusing its capacity.
    void decode_value(std::string& out) const {
      out.resize(raw_.value.size());
      out.resize(decode_value(out.data()));
    }
    std::string decoded_value() const {
      std::string s;
      decode_value(s);
      return s;
    }

   private:
    detail::baggage_raw_member raw_{};
  };

  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = member;
    using difference_type = std::ptrdiff_t;
    using pointer = const member*;
    using reference = const member&;

    iterator() noexcept : tokenizer_(baggage_options{}) {}
    reference operator*() const noexcept { return current_; }
    pointer operator->() const noexcept { return &current_; }
    iterator& operator++() noexcept {
      advance();
      return *this;
    }
    iterator operator++(int) noexcept {
      iterator old = *this;
      advance();
      return old;
    }
    /// Iterators compare equal when both are at the end, or both at the same member.
    friend bool operator==(const iterator& a, const iterator& b) noexcept {
      return a.done_ == b.done_ && (a.done_ || a.current_.key().data() == b.current_.key().data());
    }
    friend bool operator!=(const iterator& a, const iterator& b) noexcept { return !(a == b); }

   private:
    friend class baggage_view;
    iterator(std::string_view first, const std::string_view* rest, const std::string_view* last,
             const baggage_options& options) noexcept
        : tokenizer_(options), rest_(rest), last_(last), done_(false) {
      tokenizer_.start_value(first, nullptr);
      advance();
    }
    void advance() noexcept {
      detail::baggage_raw_member raw;
      for (;;) {
        if (tokenizer_.next(raw, nullptr)) {
          current_ = member(raw);
          return;
        }
        if (rest_ == last_ || tokenizer_.stopped()) {
          done_ = true;
          return;
        }
        tokenizer_.start_value(*rest_++, nullptr);
      }
    }

    detail::baggage_tokenizer tokenizer_;
    member current_{};
    const std::string_view* rest_ = nullptr;
    const std::string_view* last_ = nullptr;
    bool done_ = true;
  };

  /// A view of one `baggage` header value.
  explicit baggage_view(std::string_view value, const baggage_options& options = {}) noexcept
      : first_(value), options_(options) {}
  /// A view of every `baggage` value of a carrier, in order, as if joined with ','. The limits
  /// apply to all of them together. `values` must outlive the view.
  baggage_view(const std::string_view* values, std::size_t count,
               const baggage_options& options = {}) noexcept
      : first_(count != 0 ? values[0] : std::string_view()),
        rest_(count != 0 ? values + 1 : nullptr),
        last_(count != 0 ? values + count : nullptr),
        options_(options) {}

  iterator begin() const noexcept { return iterator(first_, rest_, last_, options_); }
  iterator end() const noexcept { return iterator(); }

  /// The last member with `key` (the one an owning parse keeps), if any. Reads the whole input.
  std::optional<member> find(std::string_view key) const noexcept {
    detail::baggage_tokenizer tokenizer(options_);
    detail::baggage_raw_member raw, found;
    bool any = false;
    tokenizer.start_value(first_, nullptr);
    for (const std::string_view* v = rest_;;) {
      while (tokenizer.next(raw, nullptr)) {
        if (raw.key == key) {
          found = raw;
          any = true;
        }
      }
      if (v == last_ || tokenizer.stopped()) break;
      tokenizer.start_value(*v++, nullptr);
    }
    if (!any) return std::nullopt;
    return member(found);
  }

  /// What a walk over the input drops, and why. Repeated keys are not reported (the view
  /// yields each of them); otherwise this is the report baggage::parse() gives.
  baggage_report report() const noexcept {
    baggage_report r;
    detail::baggage_tokenizer tokenizer(options_);
    detail::baggage_raw_member raw;
    tokenizer.start_value(first_, &r);
    for (const std::string_view* v = rest_;;) {
      while (tokenizer.next(raw, &r)) {
      }
      if (v == last_) break;
      tokenizer.start_value(*v++, &r);
    }
    return r;
  }

 private:
  std::string_view first_;
  const std::string_view* rest_ = nullptr;
  const std::string_view* last_ = nullptr;
  baggage_options options_;
};

BATON_END_NAMESPACE

#endif  // BATON_BAGGAGE_VIEW_HPP
