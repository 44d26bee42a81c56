// Several formats at once: a composite extracts the first valid context in a fixed order (other
// valid contexts become link candidates), merges every format's baggage under one budget, and
// injects every format while clearing everything any of them reads. Trust policies decide what
// an incoming context may do at this boundary.
#ifndef BATON_PROPAGATION_COMPOSITE_HPP
#define BATON_PROPAGATION_COMPOSITE_HPP

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "baton/baggage.hpp"
#include "baton/carrier.hpp"
#include "baton/detail/config.hpp"
#include "baton/error.hpp"
#include "baton/propagation/extracted_context.hpp"
#include "baton/span_context.hpp"

BATON_BEGIN_NAMESPACE

/// What an incoming trace context may do at this trust boundary.
enum class trust_policy : std::uint8_t {
  continue_trace = 0,  ///< continue it: the extracted context is the parent (default)
  restart = 1,         ///< start a new trace; the incoming context is returned as a link
  ignore = 2,          ///< behave as if nothing came in (no parent, no link)
};

/// What incoming baggage may do at this trust boundary.
enum class baggage_trust : std::uint8_t {
  accept = 0,  ///< keep the entries within the limits (and the options' filter, if one is set)
  filter = 1,  ///< the same, stating that the options' filter decides (the allowlist case)
  drop = 2,    ///< keep none (the report still says whether baggage was there)
};

/// The extract policy of one call; a propagator_list also keeps one as its default.
struct extract_policy {
  trust_policy context = trust_policy::continue_trace;
  baggage_trust baggage = baggage_trust::accept;
  /// Limits for all baggage formats together, and the key filter used by baggage_trust::filter.
  baton::baggage_options baggage_options{};
};

/// A problem one format had, or a policy decision, reported by a composite extraction.
struct format_issue {
  propagation_format format = propagation_format::none;
  baton::error error{};
  friend bool operator==(const format_issue& a, const format_issue& b) noexcept {
    return a.format == b.format && a.error == b.error;
  }
};

/// What a composite extraction found.
struct propagation_extraction {
  /// The chosen context: the first full context in the configured order; without one, the
  /// first trace-id-only context, else the first sampling-only decision. kind none when nothing
  /// came in, or when the policy restarted or ignored it.
  extracted_context context;
  /// Other valid incoming contexts with a different trace id than the chosen one (several
  /// formats disagreeing), and under trust_policy::restart the incoming context itself first.
  /// Candidates for span links.
  std::vector<span_context> links;
  /// Baggage of every enabled baggage format, merged in order under one budget (for a key
  /// repeated across formats, the last value wins at the first position).
  baton::baggage baggage;
  baton::baggage_report baggage_report;
  bool baggage_found = false;
  /// Formats whose fields were present but rejected (with why), and policy decisions
  /// (propagation_restarted, propagation_ignored).
  std::vector<format_issue> issues;

  /// A valid parent was extracted and may be continued.
  bool valid() const noexcept { return context.valid(); }
};

namespace detail {
template <class P, class = void>
struct is_trace_propagator : std::false_type {};
template <class P>
struct is_trace_propagator<P, std::void_t<decltype(P::format)>> : std::true_type {};

template <class P, class = void>
struct is_baggage_source : std::false_type {};
template <class P>
struct is_baggage_source<P, std::void_t<decltype(&P::template extract_baggage<http_headers>)>>
    : std::true_type {};

// Another format carried the same trace as the chosen one: what only it carries belongs to the
// chosen context too, so the next inject re-emits it (W3C vendors' tracestate; X-Ray Lineage,
// whose loss silently disables Lambda's recursion detection; a 64-bit width; debug).
inline void merge_same_trace(extracted_context& chosen, extracted_context& e) {
  if (chosen.context.tracestate.empty() && !e.context.tracestate.empty()) {
    chosen.context.tracestate = std::move(e.context.tracestate);
  }
  format_extras& to = chosen.extras;
  const format_extras& from = e.extras;
  if (to.xray_fields.empty() && !from.xray_fields.empty()) to.xray_fields = from.xray_fields;
  if (from.trace_id_64) to.trace_id_64 = true;
  if (!to.parent_span_id.is_valid() && from.parent_span_id.is_valid()) {
    to.parent_span_id = from.parent_span_id;
  }
  if (from.sampling == sampling_decision::debug && chosen.context.flags.sampled()) {
    to.sampling = sampling_decision::debug;
  }
}

// Folds one format's extraction into the composite result (first full wins; see
// propagation_extraction::context).
inline void merge_extracted(propagation_extraction& out, extracted_context&& e) {
  if (e.found && e.error.code != errc::ok) out.issues.push_back(format_issue{e.format, e.error});
  if (e.kind == context_kind::none) return;
  extracted_context& chosen = out.context;
  if (e.kind == context_kind::full) {
    if (chosen.kind != context_kind::full) {
      chosen = std::move(e);
    } else if (e.context.trace_id != chosen.context.trace_id) {
      out.links.push_back(std::move(e.context));
    } else {
      merge_same_trace(chosen, e);
    }
  } else if (static_cast<std::uint8_t>(e.kind) > static_cast<std::uint8_t>(chosen.kind)) {
    chosen = std::move(e);
  }
}

// Whether a baggage source's extract_baggage() result says it found its fields: a bool, or a
// report with a count of `fields`.
template <class R>
bool baggage_source_found(const R& r) {
  if constexpr (std::is_convertible_v<const R&, bool>) {
    return static_cast<bool>(r);
  } else {
    return r.fields != 0;
  }
}

// Applies the trust policy to a finished extraction.
inline void apply_trust(propagation_extraction& out, trust_policy policy) {
  if (policy == trust_policy::continue_trace || out.context.kind == context_kind::none) return;
  const propagation_format from = out.context.format;
  if (policy == trust_policy::restart) {
    if (out.context.kind == context_kind::full) {
      out.links.insert(out.links.begin(), out.context.context);
    }
    out.issues.push_back(format_issue{from, baton::error{errc::propagation_restarted, 0}});
  } else {
    out.links.clear();
    out.issues.push_back(format_issue{from, baton::error{errc::propagation_ignored, 0}});
  }
  out.context = extracted_context{};
}

inline baggage_options baggage_options_for(const extract_policy& policy) {
  return policy.baggage_options;  // the filter, when one is set, applies to accept and filter
}

template <std::size_t... N>
constexpr std::size_t sum() {
  return (std::size_t{0} + ... + N);
}
}  // namespace detail

/// A composite fixed at compile time: composite_propagator<trace_context_propagator,
/// b3_propagator, baggage_propagator>. Each member is a trace propagator (static format,
/// extract_context, inject), a baggage source (static extract_baggage, inject_baggage), or
/// both. Calls are resolved at compile time: no virtual calls, no allocation beyond the result.
template <class... Propagators>
struct composite_propagator {
  static_assert(sizeof...(Propagators) > 0, "baton: a composite needs at least one propagator");

  /// Every field any member writes, then every field any member reads without writing.
  static constexpr std::size_t field_count =
      detail::sum<(Propagators::fields.size() + Propagators::cleared_fields.size())...>();

  static constexpr std::array<std::string_view, field_count> fields() {
    std::array<std::string_view, field_count> out{};
    std::size_t i = 0;
    auto add = [&](const auto& names) {
      for (std::string_view n : names) out[i++] = n;
    };
    (add(Propagators::fields), ...);
    (add(Propagators::cleared_fields), ...);
    return out;
  }

  /// Extracts every member's format in order: the first full context wins, other valid
  /// contexts with another trace id become links, baggage of every baggage source is merged
  /// under policy.baggage_options' budget; then the trust policy is applied.
  template <class Carrier>
  static propagation_extraction extract(const Carrier& carrier, const extract_policy& policy = {}) {
    propagation_extraction out;
    (extract_one<Propagators>(carrier, out), ...);
    detail::apply_trust(out, policy.context);
    if constexpr ((detail::is_baggage_source<Propagators>::value || ...)) {
      baggage::parser parser(detail::baggage_options_for(policy));
      bool found = false;
      ((found = extract_baggage_one<Propagators>(carrier, parser) || found), ...);
      out.baggage_found = found;
      if (policy.baggage != baggage_trust::drop) {
        out.baggage = std::move(parser).finish();
        out.baggage_report = parser.report();
      }
    }
    return out;
  }

  /// Writes every member's format for `context` (replacing, never appending) and, when
  /// `entries` is given, the baggage through every baggage source (an empty baggage clears
  /// their fields; nullptr leaves them alone); `extras` re-emits format details received
  /// (64-bit widths, debug, X-Ray Lineage). An invalid context writes no trace format: the
  /// fields of every trace format are removed instead (if the carrier can erase) and false is
  /// returned.
  template <class Carrier>
  static bool inject(const span_context& context, Carrier& carrier,
                     const format_extras& extras = {}, const baggage* entries = nullptr,
                     const baggage_limits& limits = {}) {
    const bool valid = context.is_valid();
    if (valid) {
      (inject_one<Propagators>(context, carrier, extras), ...);
    } else {
      // Nothing to send: no stale context of any format may cross this hop.
      (clear_trace_fields<Propagators>(carrier), ...);
    }
    if (entries != nullptr) (inject_baggage_one<Propagators>(*entries, carrier, limits), ...);
    return valid;
  }

  /// Removes every field any member reads or writes (a reused carrier, or a hop that must not
  /// forward context). Returns false if the carrier cannot erase.
  template <class Carrier>
  static bool clear(Carrier& carrier) {
    if constexpr (!is_erasable_carrier_v<Carrier>) {
      return false;
    } else {
      for (std::string_view name : fields()) carrier_erase(carrier, name);
      return true;
    }
  }

 private:
  template <class P, class Carrier>
  static void extract_one(const Carrier& carrier, propagation_extraction& out) {
    if constexpr (detail::is_trace_propagator<P>::value) {
      detail::merge_extracted(out, P::extract_context(carrier));
    }
  }
  template <class P, class Carrier>
  static bool extract_baggage_one(const Carrier& carrier, baggage::parser& parser) {
    if constexpr (detail::is_baggage_source<P>::value) {
      if constexpr (std::is_void_v<decltype(P::extract_baggage(carrier, parser))>) {
        P::extract_baggage(carrier, parser);
        return false;
      } else {
        return detail::baggage_source_found(P::extract_baggage(carrier, parser));
      }
    } else {
      return false;
    }
  }
  template <class P, class Carrier>
  static void inject_one(const span_context& context, Carrier& carrier,
                         const format_extras& extras) {
    if constexpr (detail::is_trace_propagator<P>::value) {
      P::inject(context, carrier, extras);
    }
  }
  template <class P, class Carrier>
  static void clear_trace_fields(Carrier& carrier) {
    if constexpr (detail::is_trace_propagator<P>::value) {
      for (std::string_view name : P::fields) carrier_erase(carrier, name);
      for (std::string_view name : P::cleared_fields) carrier_erase(carrier, name);
    }
  }
  template <class P, class Carrier>
  static void inject_baggage_one(const baggage& entries, Carrier& carrier,
                                 const baggage_limits& limits) {
    if constexpr (detail::is_baggage_source<P>::value) {
      if constexpr (std::is_invocable_v<decltype(&P::template inject_baggage<Carrier>),
                                        const baggage&, Carrier&, const baggage_limits&,
                                        baggage_report*>) {
        P::inject_baggage(entries, carrier, limits, nullptr);
      } else {
        P::inject_baggage(entries, carrier);
      }
    }
  }
};

/// Extracts each carrier of a batch (N queue messages give N results, in order; a message
/// without a usable context gives kind none). Messaging conventions start a new trace for the
/// batch and link every valid result: see links_of().
template <class Propagator, class Range>
std::vector<propagation_extraction> extract_all(const Range& carriers,
                                                const extract_policy& policy = {}) {
  std::vector<propagation_extraction> out;
  for (const auto& carrier : carriers) out.push_back(Propagator::extract(carrier, policy));
  return out;
}

/// extract_all with a propagator object (a propagator_list, or any type with a member
/// extract(carrier, policy)).
template <class Propagator, class Range>
std::vector<propagation_extraction> extract_all(const Propagator& propagator, const Range& carriers,
                                                const extract_policy& policy) {
  std::vector<propagation_extraction> out;
  for (const auto& carrier : carriers) out.push_back(propagator.extract(carrier, policy));
  return out;
}

/// The valid contexts of a batch extraction, in order, without repeats of the same (trace id,
/// span id): the links of a batch span.
inline std::vector<span_context> links_of(const std::vector<propagation_extraction>& batch) {
  std::vector<const span_context*> all;
  for (const propagation_extraction& e : batch) {
    if (e.context.valid()) all.push_back(&e.context.context);
    for (const span_context& l : e.links) all.push_back(&l);
  }
  // Sort positions by id to find repeats in O(n log n) (batches can be large), then keep the
  // first of each in batch order.
  std::vector<std::size_t> order(all.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto key_less = [&](std::size_t a, std::size_t b) {
    const span_context& x = *all[a];
    const span_context& y = *all[b];
    if (x.trace_id != y.trace_id) return x.trace_id < y.trace_id;
    if (x.span_id != y.span_id) return x.span_id < y.span_id;
    return a < b;
  };
  std::sort(order.begin(), order.end(), key_less);
  std::vector<bool> repeat(all.size(), false);
  for (std::size_t i = 1; i < order.size(); ++i) {
    const span_context& prev = *all[order[i - 1]];
    const span_context& cur = *all[order[i]];
    if (prev.trace_id == cur.trace_id && prev.span_id == cur.span_id) repeat[order[i]] = true;
  }
  std::vector<span_context> links;
  links.reserve(all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (!repeat[i]) links.push_back(*all[i]);
  }
  return links;
}

BATON_END_NAMESPACE

#endif  // BATON_PROPAGATION_COMPOSITE_HPP
