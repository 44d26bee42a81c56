// The W3C Baggage propagator: the `baggage` field(s) of a carrier to a baggage container and
// back, with the limits applied to all of a carrier's baggage fields together.
#ifndef BATON_PROPAGATION_BAGGAGE_HPP
#define BATON_PROPAGATION_BAGGAGE_HPP

#include <array>
#include <string>
#include <string_view>

#include "baton/baggage.hpp"
#include "baton/carrier.hpp"
#include "baton/detail/config.hpp"

BATON_BEGIN_NAMESPACE

/// What baggage extraction found: the entries kept and what was dropped, and why.
struct baggage_extraction {
  baton::baggage baggage;        ///< entries kept, in order
  bool found = false;            ///< the carrier has at least one baggage field
  baton::baggage_report report;  ///< members dropped, per reason (offsets: fields joined by ',')
};

/// W3C Baggage over any carrier (see carrier.hpp). Independent of trace context: baggage is
/// extracted and injected whether or not a traceparent is valid.
struct baggage_propagator {
  static constexpr std::string_view field = "baggage";
  /// The fields inject() writes, lowercase.
  static constexpr std::array<std::string_view, 1> fields{field};
  /// Fields read but not written: none.
  static constexpr std::array<std::string_view, 0> cleared_fields{};

  /// Feeds every `baggage` field to `parser` (so a composite can merge several formats'
  /// baggage under one budget); returns whether there was one.
  template <class Carrier>
  static bool extract_baggage(const Carrier& carrier, baggage::parser& parser) {
    bool found = false;
    carrier_for_each(carrier, field, [&](std::string_view value) {
      found = true;
      parser.append(value);
    });
    return found;
  }

  /// inject() under the name composites use for baggage formats.
  template <class Carrier>
  static bool inject_baggage(const baggage& entries, Carrier& carrier,
                             const baggage_limits& limits = {}, baggage_report* report = nullptr) {
    return inject(entries, carrier, limits, report);
  }

  /// Reads every `baggage` field, in order, as one list. Invalid members are dropped and the
  /// rest kept; options.limits (64 members and 8192 bytes by default) apply to all fields
  /// together, and options.filter drops keys not accepted at this trust boundary.
  template <class Carrier>
  static baggage_extraction extract(const Carrier& carrier, const baggage_options& options = {}) {
    baggage_extraction out;
    baggage::parser parser(options);
    carrier_for_each(carrier, field, [&](std::string_view value) {
      out.found = true;
      parser.append(value);
    });
    out.baggage = std::move(parser).finish();
    out.report = parser.report();  // complete only after finish() (repeated keys)
    return out;
  }

  /// Writes the normalized `baggage` field (replacing any existing one). Entries over `limits`
  /// are left out whole and listed in `report`. When no entry is left to send, writes nothing,
  /// removes a `baggage` field already in the carrier (if it can erase: see carrier_erase), so
  /// a filtered or emptied baggage never lets the old one through, and returns false.
  template <class Carrier>
  static bool inject(const baggage& entries, Carrier& carrier, const baggage_limits& limits = {},
                     baggage_report* report = nullptr) {
    if (report != nullptr) report->clear();
    const std::string value = entries.empty() ? std::string() : entries.header(limits, report);
    if (value.empty()) {
      carrier_erase(carrier, field);
      return false;
    }
    carrier_set(carrier, field, value);
    return true;
  }
};

/// Shorthands for baggage_propagator::extract / inject.
template <class Carrier>
baggage_extraction extract_baggage(const Carrier& carrier, const baggage_options& options = {}) {
  return baggage_propagator::extract(carrier, options);
}
template <class Carrier>
bool inject_baggage(const baggage& entries, Carrier& carrier, const baggage_limits& limits = {},
                    baggage_report* report = nullptr) {
  return baggage_propagator::inject(entries, carrier, limits, report);
}

BATON_END_NAMESPACE

#endif  // BATON_PROPAGATION_BAGGAGE_HPP
