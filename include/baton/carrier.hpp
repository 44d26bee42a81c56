// Carriers: where propagated fields are read from and written to (HTTP headers, message
// attributes, maps). Propagators use only the two operations below, through carrier_traits.
#ifndef BATON_CARRIER_HPP
#define BATON_CARRIER_HPP

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "baton/detail/charset.hpp"
#include "baton/detail/config.hpp"

BATON_BEGIN_NAMESPACE

// A carrier type C supports:
//   reading:  carrier_traits<C>::for_each(const C&, std::string_view name, F&& visit)
//             calls visit(std::string_view value) for every value of field `name`, in order;
//   writing:  carrier_traits<C>::set(C&, std::string_view name, std::string_view value)
//             replaces every value of `name` with `value`.
// The default traits accept, in this order of preference:
//   1. a type with members  c.for_each(name, visit)  and/or  c.set(name, value);
//   2. any container of (name, value) pairs: std::map, std::unordered_map, std::multimap,
//      std::vector<std::pair<std::string, std::string>>, ... Names are matched ASCII
//      case-insensitively (HTTP field names are), values are visited in container order, and
//      set() erases every matching entry before adding one with the name as given.
// Specialize carrier_traits for anything else. A view passed to visit() need only live for
// that call (a carrier may decode into a temporary); baton copies what it keeps.
// Optionally, carrier_traits<C>::erase(C&, name) removes a field (members c.erase(name), or the
// erase loop of pair containers); propagators use it so no stale field is left behind.

namespace detail {
// A stand-in visitor for detecting for_each members (lambdas can't appear in unevaluated
// operands before C++20).
struct value_visitor_probe {
  void operator()(std::string_view) const noexcept {}
};

template <class C, class = void>
struct has_member_for_each : std::false_type {};
template <class C>
struct has_member_for_each<C, std::void_t<decltype(std::declval<const C&>().for_each(
                                  std::string_view{}, value_visitor_probe{}))>> : std::true_type {};

template <class C, class = void>
struct has_member_set : std::false_type {};
template <class C>
struct has_member_set<
    C, std::void_t<decltype(std::declval<C&>().set(std::string_view{}, std::string_view{}))>>
    : std::true_type {};

template <class C, class = void>
struct is_pair_container : std::false_type {};
template <class C>
struct is_pair_container<
    C, std::void_t<decltype(std::string_view(std::declval<const C&>().begin()->first)),
                   decltype(std::string_view(std::declval<const C&>().begin()->second))>>
    : std::true_type {};

template <class C, class = void>
struct has_member_erase : std::false_type {};
template <class C>
struct has_member_erase<C, std::void_t<decltype(std::declval<C&>().erase(std::string_view{}))>>
    : std::true_type {};

template <class C, class = void>
struct has_key_type : std::false_type {};

// set() must store copies: a pair container of views would keep pointers into baton's
// temporaries.
template <class Pair>
inline constexpr bool pair_owns_text =
    !std::is_same_v<std::decay_t<typename Pair::first_type>, std::string_view> &&
    !std::is_same_v<std::decay_t<typename Pair::second_type>, std::string_view> &&
    !std::is_pointer_v<std::decay_t<typename Pair::second_type>>;

/// A copy of a short text without allocating when it fits (a traceparent does).
class short_text {
 public:
  void assign(std::string_view s) {
    size_ = s.size();
    if (size_ <= sizeof inline_) {
      std::memcpy(inline_, s.data(), size_);
    } else {
      heap_.assign(s.data(), s.size());
    }
  }
  std::string_view view() const noexcept {
    return size_ <= sizeof inline_ ? std::string_view(inline_, size_) : std::string_view(heap_);
  }

 private:
  char inline_[96];
  std::size_t size_ = 0;
  std::string heap_;
};
template <class C>
struct has_key_type<C, std::void_t<typename C::key_type>> : std::true_type {};
}  // namespace detail

template <class C, class = void>
struct carrier_traits {
  template <class F>
  static void for_each(const C& carrier, std::string_view name, F&& visit) {
    if constexpr (detail::has_member_for_each<C>::value) {
      carrier.for_each(name, std::forward<F>(visit));
    } else {
      static_assert(detail::is_pair_container<C>::value,
                    "baton: this type is not a carrier; give it for_each(name, visit) and "
                    "set(name, value) members, or specialize baton::carrier_traits");
      for (const auto& entry : carrier) {
        if (detail::iequals_ascii(std::string_view(entry.first), name)) {
          visit(std::string_view(entry.second));
        }
      }
    }
  }

  static void set(C& carrier, std::string_view name, std::string_view value) {
    if constexpr (detail::has_member_set<C>::value) {
      carrier.set(name, value);
    } else {
      static_assert(detail::is_pair_container<C>::value,
                    "baton: this type is not a carrier; give it for_each(name, visit) and "
                    "set(name, value) members, or specialize baton::carrier_traits");
      static_assert(detail::pair_owns_text<typename C::value_type>,
                    "baton: a carrier must own its names and values (std::string), not views");
      erase(carrier, name);
      if constexpr (detail::has_key_type<C>::value) {
        carrier.emplace(typename C::key_type(name), typename C::mapped_type(value));
      } else {
        carrier.emplace_back(name, value);
      }
    }
  }

  /// Removes every value of `name`; returns false if the carrier cannot erase.
  static bool erase(C& carrier, std::string_view name) {
    if constexpr (detail::has_member_erase<C>::value) {
      carrier.erase(name);
      return true;
    } else if constexpr (detail::is_pair_container<C>::value) {
      for (auto it = carrier.begin(); it != carrier.end();) {
        if (detail::iequals_ascii(std::string_view(it->first), name)) {
          it = carrier.erase(it);
        } else {
          ++it;
        }
      }
      return true;
    } else {
      return false;
    }
  }
};

/// Calls visit(value) for every value of field `name` in `carrier`, in order.
template <class Carrier, class F>
void carrier_for_each(const Carrier& carrier, std::string_view name, F&& visit) {
  carrier_traits<Carrier>::for_each(carrier, name, std::forward<F>(visit));
}

/// Replaces the values of field `name` in `carrier` with `value`.
template <class Carrier>
void carrier_set(Carrier& carrier, std::string_view name, std::string_view value) {
  carrier_traits<Carrier>::set(carrier, name, value);
}

/// Removes field `name` from `carrier` if the carrier supports erasing; returns whether it does.
template <class Carrier>
bool carrier_erase(Carrier& carrier, std::string_view name) {
  return carrier_traits<Carrier>::erase(carrier, name);
}

/// An ordered list of HTTP header fields, as received: names keep their case, lookups ignore
/// it, a name may repeat. A ready carrier for tools, tests and simple services.
class http_headers {
 public:
  struct field {
    std::string name;
    std::string value;
  };

  http_headers() = default;

  /// Appends a field (another value for a repeated name).
  void add(std::string_view name, std::string_view value) {
    fields_.push_back(field{std::string(name), std::string(value)});
  }

  /// Removes every field called `name` (any case) and appends `name: value`.
  void set(std::string_view name, std::string_view value) {
    erase(name);
    add(name, value);
  }

  /// Removes every field called `name` (any case); returns how many.
  std::size_t erase(std::string_view name) {
    std::size_t removed = 0;
    for (auto it = fields_.begin(); it != fields_.end();) {
      if (detail::iequals_ascii(it->name, name)) {
        it = fields_.erase(it);
        ++removed;
      } else {
        ++it;
      }
    }
    return removed;
  }

  /// Calls visit(value) for each field called `name` (any case), in order.
  template <class F>
  void for_each(std::string_view name, F&& visit) const {
    for (const field& f : fields_) {
      if (detail::iequals_ascii(f.name, name)) visit(std::string_view(f.value));
    }
  }

  /// The first value of `name`, or an empty view with found=false.
  std::pair<std::string_view, bool> get(std::string_view name) const noexcept {
    for (const field& f : fields_) {
      if (detail::iequals_ascii(f.name, name)) return {f.value, true};
    }
    return {std::string_view(), false};
  }

  std::size_t size() const noexcept { return fields_.size(); }
  bool empty() const noexcept { return fields_.empty(); }
  std::vector<field>::const_iterator begin() const noexcept { return fields_.begin(); }
  std::vector<field>::const_iterator end() const noexcept { return fields_.end(); }

 private:
  std::vector<field> fields_;
};

BATON_END_NAMESPACE

#endif  // BATON_CARRIER_HPP
