// Carriers: where propagated fields are read from and written to (HTTP headers, message
// attributes, maps, a framework's request object). Propagators reach a carrier only through
// carrier_traits, so any type can be made a carrier without touching baton.
#ifndef BATON_CARRIER_HPP
#define BATON_CARRIER_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "baton/detail/charset.hpp"
#include "baton/detail/config.hpp"

BATON_BEGIN_NAMESPACE

// The carrier protocol, as seen through carrier_traits<C>:
//   read (get all)  for_each(const C&, name, visit)    visit(std::string_view value) for every
//                                                      value of field `name`, in order
//   write           set(C&, name, value)               replaces every value of `name` (never
//                                                      appends: a retried inject must not add a
//                                                      second traceparent)
//   optional        erase(C&, name)                    removes every value of `name`
//   optional        visit_all(const C&, visit)         visit(name, value) for every entry in one
//                                                      pass (prefix formats such as uberctx-, and
//                                                      carriers without random access)
// "Get one value" is for_each stopping at the first value (carrier_get_first).
//
// The default traits accept, without user code:
//   1. members: c.for_each(name, visit) or c.get(name); c.set(name, value); c.erase(name);
//      c.visit_all(visit). get() may return std::optional<text>, a pointer to text (null when
//      absent), std::pair<text, bool>, or text (empty when absent);
//   2. any container of (name, value) pairs that own their text: std::map, std::unordered_map,
//      std::multimap (cpp-httplib's Headers included), std::vector<std::pair<...>>. Names are
//      matched ASCII case-insensitively, as HTTP field names are; associative containers whose
//      comparator already ignores case are searched with equal_range;
//   3. a getter and a setter callable: make_carrier(getter, setter), see below.
// Specialize carrier_traits for anything else. A view passed to visit() need only live for
// that call (a carrier may decode into a temporary); baton copies what it keeps. Names baton
// writes are always lowercase (HTTP/2 and gRPC reject uppercase names).

namespace detail {
// Stand-in visitors for detection (lambdas can't appear in unevaluated operands before C++20).
struct value_visitor_probe {
  void operator()(std::string_view) const noexcept {}
};
struct entry_visitor_probe {
  void operator()(std::string_view, std::string_view) const noexcept {}
};

template <class C, class = void>
struct has_member_for_each : std::false_type {};
template <class C>
struct has_member_for_each<C, std::void_t<decltype(std::declval<const C&>().for_each(
                                  std::string_view{}, value_visitor_probe{}))>> : std::true_type {};

template <class C, class = void>
struct has_member_get : std::false_type {};
template <class C>
struct has_member_get<C, std::void_t<decltype(std::declval<const C&>().get(std::string_view{}))>>
    : std::true_type {};

template <class C, class = void>
struct has_member_set : std::false_type {};
template <class C>
struct has_member_set<
    C, std::void_t<decltype(std::declval<C&>().set(std::string_view{}, std::string_view{}))>>
    : std::true_type {};

template <class C, class = void>
struct has_member_erase : std::false_type {};
template <class C>
struct has_member_erase<C, std::void_t<decltype(std::declval<C&>().erase(std::string_view{}))>>
    : std::true_type {};

template <class C, class = void>
struct has_member_visit_all : std::false_type {};
template <class C>
struct has_member_visit_all<
    C, std::void_t<decltype(std::declval<const C&>().visit_all(entry_visitor_probe{}))>>
    : std::true_type {};

template <class C, class = void>
struct is_pair_container : std::false_type {};
template <class C>
struct is_pair_container<
    C, std::void_t<decltype(std::string_view(std::declval<const C&>().begin()->first)),
                   decltype(std::string_view(std::declval<const C&>().begin()->second))>>
    : std::true_type {};

template <class C, class = void>
struct has_key_type : std::false_type {};
template <class C>
struct has_key_type<C, std::void_t<typename C::key_type, typename C::mapped_type>>
    : std::true_type {};

template <class C, class = void>
struct has_equal_range : std::false_type {};
template <class C>
struct has_equal_range<
    C, std::void_t<typename C::key_compare, decltype(std::declval<const C&>().equal_range(
                                                std::declval<const typename C::key_type&>()))>>
    : std::true_type {};

// set() must store copies: a pair container of views would keep pointers into baton's
// temporaries.
template <class Pair>
inline constexpr bool pair_owns_text =
    !std::is_same_v<std::decay_t<typename Pair::first_type>, std::string_view> &&
    !std::is_same_v<std::decay_t<typename Pair::second_type>, std::string_view> &&
    !std::is_pointer_v<std::decay_t<typename Pair::second_type>>;

// Whether an ordered container's comparator ignores ASCII case (cpp-httplib's Headers, a
// std::map with a case-insensitive less): then equal_range finds every spelling of a name.
// Asked of this carrier's own comparator (it may be a function pointer or hold state), with two
// keys that differ only in case.
template <class C>
bool comparator_ignores_case(const C& carrier) {
  const auto less = carrier.key_comp();
  const typename C::key_type upper("A"), lower("a");
  return !less(upper, lower) && !less(lower, upper);
}

// The threshold under which a length-first scan beats equal_range with a case-insensitive
// comparator (whose comparisons fold case per character).
inline constexpr std::size_t scan_threshold = 32;

template <class R, class = void>
struct is_found_pair : std::false_type {};
template <class R>
struct is_found_pair<
    R,
    std::enable_if_t<std::is_same_v<std::decay_t<decltype(std::declval<const R&>().second)>, bool>>>
    : std::true_type {};

// Turns what a get() member or a getter callable returned into "absent" or a view.
template <class R>
bool fetched_value(const R& r, std::string_view& out) {
  if constexpr (std::is_convertible_v<const R&, const char*>) {
    const char* text = r;  // a C string; null is absent
    if (text == nullptr) return false;
    out = std::string_view(text);
    return true;
  } else if constexpr (std::is_pointer_v<R>) {
    static_assert(std::is_convertible_v<decltype(*r), std::string_view>,
                  "baton: a getter returning a pointer must point to text (std::string, "
                  "std::string_view) or be a C string");
    if (r == nullptr) return false;
    out = std::string_view(*r);
    return true;
  } else if constexpr (std::is_convertible_v<const R&, std::string_view>) {
    out = std::string_view(r);
    return !out.empty();
  } else {
    // std::optional<text> or std::pair<text, bool>
    if constexpr (is_found_pair<R>::value) {
      if (!r.second) return false;
      out = std::string_view(r.first);
    } else {
      if (!r.has_value()) return false;
      out = std::string_view(*r);
    }
    return true;
  }
}

enum class read_access : std::uint8_t { none, member_for_each, member_get, pairs };
enum class write_access : std::uint8_t { none, member_set, pairs };

template <class C>
constexpr read_access read_access_of() {
  if constexpr (has_member_for_each<C>::value) {
    return read_access::member_for_each;
  } else if constexpr (has_member_get<C>::value) {
    return read_access::member_get;
  } else if constexpr (is_pair_container<C>::value) {
    return read_access::pairs;
  } else {
    return read_access::none;
  }
}

template <class C>
constexpr write_access write_access_of() {
  if constexpr (has_member_set<C>::value) {
    return write_access::member_set;
  } else if constexpr (is_pair_container<C>::value) {
    if constexpr (pair_owns_text<typename C::value_type>) {
      return write_access::pairs;
    } else {
      return write_access::none;  // a container of views can be read, never written
    }
  } else {
    return write_access::none;
  }
}

template <class C, read_access = read_access_of<C>()>
struct carrier_reader {};  // not readable: carrier_traits<C> has no for_each

template <class C>
struct carrier_reader<C, read_access::member_for_each> {
  template <class F>
  static void for_each(const C& carrier, std::string_view name, F&& visit) {
    carrier.for_each(name, std::forward<F>(visit));
  }
};

template <class C>
struct carrier_reader<C, read_access::member_get> {
  template <class F>
  static void for_each(const C& carrier, std::string_view name, F&& visit) {
    const auto& got = carrier.get(name);
    std::string_view value;
    if (fetched_value(got, value)) visit(value);
  }
};

template <class C>
struct carrier_reader<C, read_access::pairs> {
  template <class F>
  static void for_each(const C& carrier, std::string_view name, F&& visit) {
    if constexpr (has_equal_range<C>::value) {
      // For a few dozen fields, a scan that compares lengths first beats equal_range (whose
      // case-insensitive comparisons call tolower per character); past that, the log wins.
      if (carrier.size() > scan_threshold && comparator_ignores_case(carrier)) {
        const auto range = carrier.equal_range(typename C::key_type(name));
        for (auto it = range.first; it != range.second; ++it) visit(std::string_view(it->second));
        return;
      }
    }
    for (const auto& entry : carrier) {
      const std::string_view key(entry.first);
      // Lowercase names are the common case: an exact compare first is cheaper.
      if (key.size() == name.size() && (key == name || iequals_ascii(key, name))) {
        visit(std::string_view(entry.second));
      }
    }
  }
  template <class F>
  static void visit_all(const C& carrier, F&& visit) {
    for (const auto& entry : carrier) {
      visit(std::string_view(entry.first), std::string_view(entry.second));
    }
  }
};

template <class C, write_access = write_access_of<C>()>
struct carrier_writer {};  // not writable: carrier_traits<C> has no set

template <class C>
struct carrier_writer<C, write_access::member_set> {
  static void set(C& carrier, std::string_view name, std::string_view value) {
    carrier.set(name, value);
  }
};

template <class C>
struct carrier_writer<C, write_access::pairs> {
  static void set(C& carrier, std::string_view name, std::string_view value) {
    // A field already spelled exactly `name` gets its value replaced in place (a reused
    // carrier then costs no node or string allocation); every other spelling is removed.
    bool replaced = false;
    std::size_t others = 0;
    for (auto& entry : carrier) {
      const std::string_view key(entry.first);
      if (key.size() == name.size() && iequals_ascii(key, name)) {
        if (!replaced && key == name) {
          assign_text(entry.second, value);
          replaced = true;
        } else {
          ++others;
        }
      }
    }
    if (others != 0) erase_others(carrier, name, replaced);
    if (replaced) return;
    if constexpr (has_key_type<C>::value) {
      carrier.emplace(typename C::key_type(name), typename C::mapped_type(value));
    } else {
      carrier.emplace_back(name, value);
    }
  }
  // Removes every spelling of `name` except, when `keep_first_exact`, the first entry spelled
  // exactly `name` (the one set() just replaced).
  static void erase_others(C& carrier, std::string_view name, bool keep_first_exact) {
    bool kept = !keep_first_exact;
    auto doomed = [&](const auto& entry) {
      const std::string_view key(entry.first);
      if (key.size() != name.size() || !iequals_ascii(key, name)) return false;
      if (!kept && key == name) {
        kept = true;
        return false;
      }
      return true;
    };
    if constexpr (has_key_type<C>::value) {
      for (auto it = carrier.begin(); it != carrier.end();) {
        if (doomed(*it)) {
          it = carrier.erase(it);
        } else {
          ++it;
        }
      }
    } else {
      carrier.erase(std::remove_if(carrier.begin(), carrier.end(), doomed), carrier.end());
    }
  }
  template <class Text>
  static void assign_text(Text& text, std::string_view value) {
    if constexpr (std::is_same_v<Text, std::string>) {
      text.assign(value.data(), value.size());
    } else {
      text = Text(value);
    }
  }
  static void erase(C& carrier, std::string_view name) {
    auto matches = [name](const auto& entry) {
      const std::string_view key(entry.first);
      return key.size() == name.size() && iequals_ascii(key, name);
    };
    if constexpr (has_key_type<C>::value) {
      for (auto it = carrier.begin(); it != carrier.end();) {
        if (matches(*it)) {
          it = carrier.erase(it);  // node containers: O(1) each
        } else {
          ++it;
        }
      }
    } else {
      // Sequence containers: one pass (erasing one by one would be quadratic).
      carrier.erase(std::remove_if(carrier.begin(), carrier.end(), matches), carrier.end());
    }
  }
};

// Optional operations offered by members of the carrier itself.
// Not for pair containers: their erase(key) (C++23: heterogeneous for std::less<>) matches only
// the exact spelling; carrier_writer's case-insensitive erase is the one to use.
template <class C, bool = has_member_erase<C>::value && !is_pair_container<C>::value>
struct carrier_member_erase {};
template <class C>
struct carrier_member_erase<C, true> {
  static void erase(C& carrier, std::string_view name) { carrier.erase(name); }
};
template <class C, bool = has_member_visit_all<C>::value>
struct carrier_member_visit_all {};
template <class C>
struct carrier_member_visit_all<C, true> {
  template <class F>
  static void visit_all(const C& carrier, F&& visit) {
    carrier.visit_all(std::forward<F>(visit));
  }
};
}  // namespace detail

/// How baton reads and writes a carrier type; see the protocol above. Specialize it for a type
/// that none of the defaults fit (define the static functions you support).
template <class C, class = void>
struct carrier_traits : detail::carrier_reader<C>,
                        detail::carrier_writer<C>,
                        detail::carrier_member_erase<C>,
                        detail::carrier_member_visit_all<C> {};

namespace detail {
template <class C, class = void>
struct traits_for_each : std::false_type {};
template <class C>
struct traits_for_each<C,
                       std::void_t<decltype(carrier_traits<C>::for_each(
                           std::declval<const C&>(), std::string_view{}, value_visitor_probe{}))>>
    : std::true_type {};
template <class C, class = void>
struct traits_set : std::false_type {};
template <class C>
struct traits_set<C, std::void_t<decltype(carrier_traits<C>::set(
                         std::declval<C&>(), std::string_view{}, std::string_view{}))>>
    : std::true_type {};
template <class C, class = void>
struct traits_erase : std::false_type {};
template <class C>
struct traits_erase<
    C, std::void_t<decltype(carrier_traits<C>::erase(std::declval<C&>(), std::string_view{}))>>
    : std::true_type {};
template <class C, class = void>
struct traits_visit_all : std::false_type {};
template <class C>
struct traits_visit_all<C, std::void_t<decltype(carrier_traits<C>::visit_all(
                               std::declval<const C&>(), entry_visitor_probe{}))>>
    : std::true_type {};
}  // namespace detail

/// Whether baton can read fields from a C (extract).
template <class C>
inline constexpr bool is_readable_carrier_v = detail::traits_for_each<std::remove_cv_t<C>>::value;
/// Whether baton can write fields into a C (inject).
template <class C>
inline constexpr bool is_writable_carrier_v = detail::traits_set<std::remove_cv_t<C>>::value;
/// Whether fields can be removed from a C (so inject can clear a stale field).
template <class C>
inline constexpr bool is_erasable_carrier_v = detail::traits_erase<std::remove_cv_t<C>>::value;
/// Whether every entry of a C can be visited in one pass (needed by prefix formats).
template <class C>
inline constexpr bool is_enumerable_carrier_v =
    detail::traits_visit_all<std::remove_cv_t<C>>::value;

#if defined(__cpp_concepts) && __cpp_concepts >= 201907L
/// C++20 spellings of the checks above, for constraining your own functions.
template <class C>
concept readable_carrier = is_readable_carrier_v<C>;
template <class C>
concept writable_carrier = is_writable_carrier_v<C>;
#endif

#define BATON_DETAIL_NOT_READABLE                                                          \
  "baton: this type is not a readable carrier. Give it a member for_each(name, visit) or " \
  "get(name), use a container of (std::string, std::string) pairs, wrap callables with "   \
  "baton::make_carrier(getter, setter), or specialize baton::carrier_traits"
#define BATON_DETAIL_NOT_WRITABLE                                                              \
  "baton: this type is not a writable carrier. Give it a member set(name, value) that "        \
  "replaces the field, use a container of (std::string, std::string) pairs (not views), wrap " \
  "callables with baton::make_carrier(getter, setter), or specialize baton::carrier_traits"

/// Calls visit(value) for every value of field `name` in `carrier`, in order.
template <class Carrier, class F>
void carrier_for_each(const Carrier& carrier, std::string_view name, F&& visit) {
  using C = std::remove_cv_t<Carrier>;
  static_assert(is_readable_carrier_v<C>, BATON_DETAIL_NOT_READABLE);
  carrier_traits<C>::for_each(carrier, name, std::forward<F>(visit));
}

/// Calls visit(value) with the first value of field `name`; returns whether there was one.
template <class Carrier, class F>
bool carrier_get_first(const Carrier& carrier, std::string_view name, F&& visit) {
  bool found = false;
  carrier_for_each(carrier, name, [&](std::string_view value) {
    if (!found) {
      found = true;
      visit(value);
    }
  });
  return found;
}

/// Replaces the values of field `name` in `carrier` with `value`.
template <class Carrier>
void carrier_set(Carrier& carrier, std::string_view name, std::string_view value) {
  static_assert(is_writable_carrier_v<Carrier>, BATON_DETAIL_NOT_WRITABLE);
  carrier_traits<Carrier>::set(carrier, name, value);
}

/// Removes field `name` from `carrier` if the carrier supports erasing; returns whether it does.
template <class Carrier>
bool carrier_erase(Carrier& carrier, std::string_view name) {
  if constexpr (is_erasable_carrier_v<Carrier>) {
    carrier_traits<Carrier>::erase(carrier, name);
    return true;
  } else {
    return false;
  }
}

/// Calls visit(name, value) for every entry of `carrier`, if it can be enumerated; returns
/// whether it could.
template <class Carrier, class F>
bool carrier_visit_all(const Carrier& carrier, F&& visit) {
  using C = std::remove_cv_t<Carrier>;
  if constexpr (is_enumerable_carrier_v<C>) {
    carrier_traits<C>::visit_all(carrier, std::forward<F>(visit));
    return true;
  } else {
    return false;
  }
}

#undef BATON_DETAIL_NOT_READABLE
#undef BATON_DETAIL_NOT_WRITABLE

namespace detail {
/// A copy of a short text without allocating when it fits (a traceparent, a b3 or an X-Ray
/// header does).
class short_text {
 public:
  short_text() = default;
  short_text(const short_text& other) { assign(other.view()); }
  short_text& operator=(const short_text& other) {
    if (this != &other) assign(other.view());
    return *this;
  }
  void assign(std::string_view s) {
    size_ = s.size();
    if (size_ <= sizeof inline_) {
      if (size_ != 0) std::memcpy(inline_, s.data(), size_);
    } else {
      heap_.assign(s.data(), s.size());
    }
  }
  std::string_view view() const noexcept {
    return size_ <= sizeof inline_ ? std::string_view(inline_, size_) : std::string_view(heap_);
  }

 private:
  char inline_[256];  // X-Ray headers with Lineage or Self run to 170 characters
  std::size_t size_ = 0;
  std::string heap_;
};
}  // namespace detail

/// How a singleton field (traceparent, b3, uber-trace-id, x-amzn-trace-id) was found.
enum class field_presence : std::uint8_t {
  absent,       ///< no value
  present,      ///< one value, or several identical ones (compared without surrounding OWS)
  conflicting,  ///< several different values: the field is invalid
};

/// A singleton field read from a carrier. Keeps a copy of the first value, so it stays valid
/// after the carrier changes.
class singleton_field {
 public:
  field_presence presence() const noexcept { return presence_; }
  bool present() const noexcept { return presence_ == field_presence::present; }
  bool found() const noexcept { return presence_ != field_presence::absent; }
  bool conflicting() const noexcept { return presence_ == field_presence::conflicting; }
  /// The first value, untrimmed (error offsets index it).
  std::string_view value() const noexcept { return first_.view(); }
  /// How many values the carrier held.
  std::size_t count() const noexcept { return count_; }

  template <class Carrier>
  friend singleton_field read_singleton_field(const Carrier& carrier, std::string_view name);

 private:
  detail::short_text first_;
  std::size_t count_ = 0;
  field_presence presence_ = field_presence::absent;
};

/// Reads a singleton field: identical repeats are accepted, different ones make it
/// conflicting (the policy of W3C traceparent, applied to every singleton format field).
template <class Carrier>
singleton_field read_singleton_field(const Carrier& carrier, std::string_view name) {
  singleton_field out;
  carrier_for_each(carrier, name, [&](std::string_view value) {
    if (out.count_++ == 0) {
      out.first_.assign(value);
      out.presence_ = field_presence::present;
    } else if (detail::trim_ows(value) != detail::trim_ows(out.first_.view())) {
      out.presence_ = field_presence::conflicting;
    }
  });
  return out;
}

/// A carrier made of callables, for any framework: getter(name) returns the value (as
/// std::optional<text>, a pointer to text, std::pair<text, bool> or text, empty meaning
/// absent), or getter(name, visit) calls visit(value) for every value; setter(name, value)
/// replaces the field. An optional eraser(name) removes it. Made by make_carrier().
template <class Getter, class Setter, class Eraser = std::nullptr_t>
class callable_carrier {
 public:
  callable_carrier(Getter getter, Setter setter, Eraser eraser = Eraser{})
      : getter_(std::move(getter)), setter_(std::move(setter)), eraser_(std::move(eraser)) {}

  template <class F>
  void for_each(std::string_view name, F&& visit) const {
    static_assert(!std::is_same_v<Getter, std::nullptr_t>, "baton: this carrier has no getter");
    if constexpr (std::is_invocable_v<const Getter&, std::string_view,
                                      detail::value_visitor_probe>) {
      getter_(name, std::forward<F>(visit));
    } else {
      static_assert(std::is_invocable_v<const Getter&, std::string_view>,
                    "baton: a getter is called as getter(name) or getter(name, visit)");
      const auto& got = getter_(name);
      std::string_view value;
      if (detail::fetched_value(got, value)) visit(value);
    }
  }

  template <class S = Setter, class = std::enable_if_t<!std::is_same_v<S, std::nullptr_t>>>
  void set(std::string_view name, std::string_view value) {
    setter_(name, value);
  }

  template <class E = Eraser, class = std::enable_if_t<!std::is_same_v<E, std::nullptr_t>>>
  void erase(std::string_view name) {
    eraser_(name);
  }

 private:
  Getter getter_;
  Setter setter_;
  Eraser eraser_;
};

/// A carrier from a getter and a setter (either may be nullptr for a read-only or write-only
/// carrier), and optionally an eraser. The callables are stored by value: pass lambdas that
/// capture your request or response by reference.
template <class Getter, class Setter, class Eraser = std::nullptr_t>
callable_carrier<Getter, Setter, Eraser> make_carrier(Getter getter, Setter setter,
                                                      Eraser eraser = nullptr) {
  return callable_carrier<Getter, Setter, Eraser>(std::move(getter), std::move(setter),
                                                  std::move(eraser));
}

/// A read-only view of a map whose keys are already lowercase (HTTP/2 and gRPC metadata, a
/// normalized message-attribute map): one keyed find() per field instead of a case-insensitive
/// scan. Names are looked up exactly as propagators spell them (lowercase).
template <class Map>
class exact_key_carrier {
 public:
  explicit exact_key_carrier(const Map& map) noexcept : map_(&map) {}
  template <class F>
  void for_each(std::string_view name, F&& visit) const {
    const auto range = map_->equal_range(typename Map::key_type(name));
    for (auto it = range.first; it != range.second; ++it) visit(std::string_view(it->second));
  }
  template <class F>
  void visit_all(F&& visit) const {
    for (const auto& entry : *map_) {
      visit(std::string_view(entry.first), std::string_view(entry.second));
    }
  }

 private:
  const Map* map_;
};

/// exact_key_carrier for `map`.
template <class Map>
exact_key_carrier<Map> exact_keys(const Map& map) noexcept {
  return exact_key_carrier<Map>(map);
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
    const std::size_t before = fields_.size();
    fields_.erase(
        std::remove_if(fields_.begin(), fields_.end(),
                       [name](const field& f) { return detail::iequals_ascii(f.name, name); }),
        fields_.end());
    return before - fields_.size();
  }

  /// Removes every field whose name satisfies pred(std::string_view name), in one pass;
  /// returns how many (prefix formats clear their uberctx- fields this way).
  template <class Pred>
  std::size_t erase_if(Pred pred) {
    const std::size_t before = fields_.size();
    fields_.erase(std::remove_if(fields_.begin(), fields_.end(),
                                 [&](const field& f) { return pred(std::string_view(f.name)); }),
                  fields_.end());
    return before - fields_.size();
  }

  /// Calls visit(value) for each field called `name` (any case), in order.
  template <class F>
  void for_each(std::string_view name, F&& visit) const {
    for (const field& f : fields_) {
      if (detail::iequals_ascii(f.name, name)) visit(std::string_view(f.value));
    }
  }

  /// Calls visit(name, value) for every field, in order.
  template <class F>
  void visit_all(F&& visit) const {
    for (const field& f : fields_) visit(std::string_view(f.name), std::string_view(f.value));
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
