// The W3C Trace Context propagator: traceparent + tracestate between a carrier and a
// span_context.
#ifndef BATON_PROPAGATION_TRACE_CONTEXT_HPP
#define BATON_PROPAGATION_TRACE_CONTEXT_HPP

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "baton/carrier.hpp"
#include "baton/detail/charset.hpp"
#include "baton/detail/config.hpp"
#include "baton/detail/deferred.hpp"
#include "baton/error.hpp"
#include "baton/propagation/extracted_context.hpp"
#include "baton/span_context.hpp"
#include "baton/traceparent.hpp"
#include "baton/tracestate.hpp"

BATON_BEGIN_NAMESPACE

/// What extraction found. `context` is valid (is_valid()) exactly when a valid traceparent was
/// found; problems are reported, never thrown, and never stop the caller from starting a new
/// trace.
struct trace_context_extraction {
  span_context context;  ///< remote parent; invalid (all zero) when none was extracted

  baton::traceparent traceparent{};  ///< the header as received (version, raw flags) when valid
  bool traceparent_found = false;    ///< the carrier has at least one traceparent field
  error traceparent_error{};         ///< why it was rejected (errc::ok when valid or absent)

  bool tracestate_found = false;  ///< the carrier has at least one tracestate field
  error tracestate_error{};       ///< why it was dropped whole (errc::ok when kept or absent)
  baton::tracestate_notes tracestate_notes{};  ///< members dropped from a kept tracestate

  bool valid() const noexcept { return context.is_valid(); }
};

struct trace_context_options {
  /// Key grammar for incoming tracestate.
  tracestate_grammar grammar = tracestate_grammar::level2;
  /// Upper bound for the injected tracestate, in characters; 0 means no cut. Budgets under 512
  /// are raised to 512 (tracestate::header(size_t)).
  std::size_t tracestate_max_size = 0;
};

/// W3C Trace Context (Level 1 and 2) over any carrier (see carrier.hpp).
struct trace_context_propagator {
  static constexpr propagation_format format = propagation_format::w3c;
  static constexpr std::string_view traceparent_field = "traceparent";
  static constexpr std::string_view tracestate_field = "tracestate";
  /// The fields inject() writes, lowercase as HTTP/2 and gRPC require.
  static constexpr std::array<std::string_view, 2> fields{traceparent_field, tracestate_field};
  /// Fields read but not written: none.
  static constexpr std::array<std::string_view, 0> cleared_fields{};

  /// Reads traceparent and tracestate. Several traceparent fields are accepted only when they
  /// are all the same value (after OWS trimming); different values make the traceparent invalid.
  /// Several tracestate fields are combined in order. tracestate is parsed only when traceparent
  /// is valid; otherwise it is reported as errc::tracestate_ignored.
  template <class Carrier>
  static trace_context_extraction extract(const Carrier& carrier,
                                          const trace_context_options& options = {}) {
    trace_context_extraction out;
    // Views handed to a visitor live only for the call (a carrier may decode into a
    // temporary), so the first value is parsed at once and kept as a copy for comparison.
    detail::short_text first;
    bool conflict = false;
    result<traceparent> parsed(errc::traceparent_invalid_length);
    carrier_for_each(carrier, traceparent_field, [&](std::string_view value) {
      const std::string_view trimmed = detail::trim_ows(value);
      if (!out.traceparent_found) {
        out.traceparent_found = true;
        first.assign(trimmed);
        parsed = detail::parse_traceparent_inline(value);  // offsets index the (first) value
      } else if (trimmed != first.view()) {
        conflict = true;
      }
    });

    bool traceparent_ok = false;
    baton::traceparent& tp = out.traceparent;
    if (conflict) {
      out.traceparent_error = error{errc::traceparent_conflicting_values, 0};
    } else if (out.traceparent_found) {
      if (parsed) {
        tp = *parsed;
        traceparent_ok = true;
      } else {
        out.traceparent_error = parsed.error();
      }
    }

    // The parser is made only when there is a tracestate to parse (one pass over the carrier).
    detail::deferred<tracestate::parser> state_parser;
    carrier_for_each(carrier, tracestate_field, [&](std::string_view value) {
      out.tracestate_found = true;
      if (traceparent_ok) state_parser.get(tracestate_options{options.grammar}).append(value);
    });
    if (!traceparent_ok) {
      if (out.tracestate_found) out.tracestate_error = error{errc::tracestate_ignored, 0};
      return out;
    }
    out.context.trace_id = tp.trace_id;
    out.context.span_id = tp.parent_id;
    out.context.flags = tp.flags;
    out.context.remote = true;
    if (!state_parser.made()) return out;
    result<tracestate> state = std::move(*state_parser).finish();
    if (!state) {
      out.tracestate_error = state.error();  // dropped whole: no notes about kept members
    } else {
      out.tracestate_notes = (*state_parser).notes();
      out.context.tracestate = std::move(*state);
    }
    return out;
  }

  /// extract() in the shape every format shares (see extracted_context.hpp): full when the
  /// traceparent is valid (with its tracestate), none otherwise. The sampled bit maps to
  /// sampled / not_sampled: W3C has no deferred decision.
  template <class Carrier>
  static extracted_context extract_context(const Carrier& carrier,
                                           const trace_context_options& options = {}) {
    trace_context_extraction in = extract(carrier, options);
    extracted_context out;
    out.format = format;
    out.found = in.traceparent_found;
    out.error = in.traceparent_error;
    if (in.valid()) {
      out.kind = context_kind::full;
      out.extras.sampling =
          in.context.flags.sampled() ? sampling_decision::sampled : sampling_decision::not_sampled;
      out.context = std::move(in.context);
    }
    return out;
  }

  /// inject() with the shared signature; W3C has no format extras to re-emit.
  template <class Carrier>
  static bool inject(const span_context& context, Carrier& carrier, const format_extras&) {
    return inject(context, carrier);
  }

  /// Writes traceparent (version 00) and, when not empty, tracestate; a tracestate field left
  /// in the carrier from elsewhere is removed when this context has none (if the carrier can
  /// erase, see carrier_erase). An invalid context is never written: returns false and leaves
  /// the carrier untouched.
  template <class Carrier>
  static bool inject(const span_context& context, Carrier& carrier,
                     const trace_context_options& options = {}) {
    if (!context.is_valid()) return false;
    char buffer[traceparent_size];
    format_traceparent(context.trace_id, context.span_id, context.flags, buffer);
    carrier_set(carrier, traceparent_field, std::string_view(buffer, traceparent_size));
    if (options.tracestate_max_size == 0 ||
        context.tracestate.header().size() <= options.tracestate_max_size) {
      if (!context.tracestate.empty()) {
        carrier_set(carrier, tracestate_field, context.tracestate.header());
        return true;
      }
    } else {
      const std::string cut = context.tracestate.header(options.tracestate_max_size);
      if (!cut.empty()) {
        carrier_set(carrier, tracestate_field, cut);
        return true;
      }
    }
    // Never leave another trace's vendor state next to this traceparent. A carrier that cannot
    // erase gets an empty value over a stale one (an empty tracestate is no tracestate).
    if (!carrier_erase(carrier, tracestate_field)) {
      if constexpr (is_readable_carrier_v<Carrier>) {
        bool stale = false;
        carrier_for_each(carrier, tracestate_field, [&](std::string_view) { stale = true; });
        if (stale) carrier_set(carrier, tracestate_field, std::string_view());
      }
    }
    return true;
  }
};

/// Shorthands for trace_context_propagator::extract / inject.
template <class Carrier>
trace_context_extraction extract_trace_context(const Carrier& carrier,
                                               const trace_context_options& options = {}) {
  return trace_context_propagator::extract(carrier, options);
}
template <class Carrier>
bool inject_trace_context(const span_context& context, Carrier& carrier,
                          const trace_context_options& options = {}) {
  return trace_context_propagator::inject(context, carrier, options);
}

BATON_END_NAMESPACE

#endif  // BATON_PROPAGATION_TRACE_CONTEXT_HPP
