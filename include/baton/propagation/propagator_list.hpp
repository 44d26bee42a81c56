// A composite chosen at run time, from OpenTelemetry's OTEL_PROPAGATORS names
// ("tracecontext,baggage,b3"): the same rules as composite_propagator, dispatched with a switch
// over a fixed-size list (no virtual calls, no allocation per request).
#ifndef BATON_PROPAGATION_PROPAGATOR_LIST_HPP
#define BATON_PROPAGATION_PROPAGATOR_LIST_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "baton/baggage.hpp"
#include "baton/carrier.hpp"
#include "baton/detail/charset.hpp"
#include "baton/detail/config.hpp"
#include "baton/propagation/b3.hpp"
#include "baton/propagation/baggage.hpp"
#include "baton/propagation/composite.hpp"
#include "baton/propagation/extracted_context.hpp"
#include "baton/propagation/jaeger.hpp"
#include "baton/propagation/trace_context.hpp"
#include "baton/propagation/xray.hpp"

BATON_BEGIN_NAMESPACE

/// One entry of a propagator list, named as OTEL_PROPAGATORS names it.
enum class propagator_name : std::uint8_t {
  tracecontext = 0,  ///< W3C traceparent + tracestate
  baggage = 1,       ///< W3C baggage
  b3 = 2,            ///< B3 single header on inject; single then multi on extract
  b3multi = 3,       ///< x-b3-* headers on inject; single then multi on extract
  jaeger = 4,        ///< uber-trace-id and uberctx- baggage
  xray = 5,          ///< X-Amzn-Trace-Id
  xray_lambda = 6,   ///< X-Amzn-Trace-Id, then the Lambda trace header if nothing valid yet
};

/// The OTEL_PROPAGATORS spelling of a name.
constexpr std::string_view to_string(propagator_name name) noexcept {
  switch (name) {
    case propagator_name::tracecontext:
      return "tracecontext";
    case propagator_name::baggage:
      return "baggage";
    case propagator_name::b3:
      return "b3";
    case propagator_name::b3multi:
      return "b3multi";
    case propagator_name::jaeger:
      return "jaeger";
    case propagator_name::xray:
      return "xray";
    case propagator_name::xray_lambda:
      return "xray-lambda";
  }
  return "unknown";
}

/// A list of propagators chosen at run time. Extract: formats are tried in list order, the
/// first full context wins, other valid contexts with another trace id become links, baggage of
/// `baggage` and `jaeger` (uberctx-) is merged in list order under one budget, then the trust
/// policy applies. Inject: every format in the list is written and everything any of them reads
/// is replaced or cleared.
class propagator_list {
 public:
  static constexpr std::size_t max_entries = 7;  // every name once

  propagator_list() = default;

  /// OpenTelemetry's default: tracecontext,baggage.
  static propagator_list w3c() {
    propagator_list list;
    list.add(propagator_name::tracecontext);
    list.add(propagator_name::baggage);
    return list;
  }

  /// Parses an OTEL_PROPAGATORS value: names separated by ',', surrounding spaces trimmed,
  /// case-insensitive. Empty items and repeats are skipped; "none" contributes nothing; an
  /// unknown name (ottrace, a typo) is kept in unknown_names() and ignored, never fatal.
  /// "xray-lambda" replaces "xray" (listing both keeps the first position, with the Lambda
  /// fallback), as OpenTelemetry's AWS Lambda guidance says; the Lambda header is consulted
  /// only when no listed format extracted a valid context from the request.
  static propagator_list parse(std::string_view names) {
    propagator_list list;
    while (true) {
      const std::size_t comma = names.find(',');
      const std::string_view item = detail::trim_ows(names.substr(0, comma));
      if (!item.empty() && !detail::iequals_ascii(item, "none")) {
        bool known = false;
        for (std::uint8_t i = 0; i < max_entries; ++i) {
          const auto name = static_cast<propagator_name>(i);
          if (detail::iequals_ascii(item, baton::to_string(name))) {
            list.add(name);
            known = true;
            break;
          }
        }
        if (!known) list.unknown_.emplace_back(item);
      }
      if (comma == std::string_view::npos) break;
      names.remove_prefix(comma + 1);
    }
    return list;
  }

  /// Appends a propagator (ignored if already present; xray and xray-lambda share a slot, the
  /// Lambda fallback is kept once asked for).
  void add(propagator_name name) {
    for (std::size_t i = 0; i < size_; ++i) {
      const bool both_xray = is_xray(entries_[i]) && is_xray(name);
      if (entries_[i] == name || both_xray) {
        if (both_xray && name == propagator_name::xray_lambda) entries_[i] = name;
        return;
      }
    }
    entries_[size_++] = name;
  }

  /// The Lambda trace header for xray-lambda (from _X_AMZN_TRACE_ID read once, see
  /// read_lambda_trace_header_once(), or a custom runtime's Lambda-Runtime-Trace-Id). Set it
  /// per invocation when invocations run concurrently.
  void set_lambda_trace_header(std::string header) { lambda_header_ = std::move(header); }
  const std::string& lambda_trace_header() const noexcept { return lambda_header_; }

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  propagator_name operator[](std::size_t i) const noexcept { return entries_[i]; }
  const propagator_name* begin() const noexcept { return entries_.data(); }
  const propagator_name* end() const noexcept { return entries_.data() + size_; }
  /// Names parse() did not know, as given (trimmed), in order.
  const std::vector<std::string>& unknown_names() const noexcept { return unknown_; }

  /// The list in OTEL_PROPAGATORS form ("tracecontext,baggage").
  std::string to_string() const {
    std::string out;
    for (std::size_t i = 0; i < size_; ++i) {
      if (i != 0) out.push_back(',');
      out.append(baton::to_string(entries_[i]));
    }
    return out;
  }

  /// Every field the list writes or reads (lowercase), without repeats.
  std::vector<std::string_view> fields() const {
    std::vector<std::string_view> out;
    auto add_all = [&](const auto& names) {
      for (std::string_view n : names) {
        bool seen = false;
        for (std::string_view o : out) seen = seen || o == n;
        if (!seen) out.push_back(n);
      }
    };
    for (std::size_t i = 0; i < size_; ++i) {
      switch (entries_[i]) {
        case propagator_name::tracecontext:
          add_all(trace_context_propagator::fields);
          break;
        case propagator_name::baggage:
          add_all(baggage_propagator::fields);
          break;
        case propagator_name::b3:
          add_all(b3_propagator::fields);
          add_all(b3_propagator::cleared_fields);
          break;
        case propagator_name::b3multi:
          add_all(b3multi_propagator::fields);
          add_all(b3multi_propagator::cleared_fields);
          break;
        case propagator_name::jaeger:
          add_all(jaeger_propagator::fields);
          break;
        case propagator_name::xray:
        case propagator_name::xray_lambda:
          add_all(xray_propagator::fields);
          break;
      }
    }
    return out;
  }

  /// The default policy of extract(carrier) (a trust boundary configured once per listener).
  void set_policy(const extract_policy& policy) { policy_ = policy; }
  const extract_policy& policy() const noexcept { return policy_; }

  /// Extracts with the list's default policy (set_policy).
  template <class Carrier>
  propagation_extraction extract(const Carrier& carrier) const {
    return extract(carrier, policy_);
  }

  template <class Carrier>
  propagation_extraction extract(const Carrier& carrier, const extract_policy& policy) const {
    propagation_extraction out;
    bool b3_read = false;  // b3 and b3multi read the same fields: once is enough
    for (std::size_t i = 0; i < size_; ++i) {
      switch (entries_[i]) {
        case propagator_name::tracecontext:
          detail::merge_extracted(out, trace_context_propagator::extract_context(carrier));
          break;
        case propagator_name::b3:
        case propagator_name::b3multi:
          if (!b3_read) detail::merge_extracted(out, b3_propagator::extract_context(carrier));
          b3_read = true;
          break;
        case propagator_name::jaeger:
          detail::merge_extracted(out, jaeger_propagator::extract_context(carrier));
          break;
        case propagator_name::xray:
        case propagator_name::xray_lambda:
          detail::merge_extracted(out, xray_propagator::extract_context(carrier));
          break;
        case propagator_name::baggage:
          break;
      }
    }
    // The Lambda trace header is a fallback: used only when nothing valid was extracted from
    // the request by any format, wherever xray-lambda sits in the list (the process-level
    // header must never beat the request's own context).
    if (has(propagator_name::xray_lambda) && out.context.kind != context_kind::full &&
        !lambda_header_.empty()) {
      detail::merge_extracted(out, extract_lambda_trace_header(lambda_header_));
    }
    detail::apply_trust(out, policy.context);
    if (has(propagator_name::baggage) || has(propagator_name::jaeger)) {
      baggage::parser parser(detail::baggage_options_for(policy));
      for (std::size_t i = 0; i < size_; ++i) {
        if (entries_[i] == propagator_name::baggage) {
          out.baggage_found =
              baggage_propagator::extract_baggage(carrier, parser) || out.baggage_found;
        } else if (entries_[i] == propagator_name::jaeger) {
          out.baggage_found =
              detail::baggage_source_found(jaeger_propagator::extract_baggage(carrier, parser)) ||
              out.baggage_found;
        }
      }
      if (policy.baggage != baggage_trust::drop) {
        out.baggage = std::move(parser).finish();
        out.baggage_report = parser.report();
      }
    }
    return out;
  }

  /// Writes every format of the list (see composite_propagator::inject: baggage only when
  /// `entries` is given; an invalid context removes every listed trace format's fields).
  /// Returns whether the context was valid and written.
  template <class Carrier>
  bool inject(const span_context& context, Carrier& carrier, const format_extras& extras = {},
              const baggage* entries = nullptr, const baggage_limits& limits = {}) const {
    const bool valid = context.is_valid();
    if (!valid) {
      // Nothing to send: no stale context of any listed format may cross this hop.
      for (std::string_view name : fields()) {
        if (name != baggage_propagator::field) carrier_erase(carrier, name);
      }
    }
    for (std::size_t i = 0; i < size_; ++i) {
      switch (entries_[i]) {
        case propagator_name::tracecontext:
          if (valid) trace_context_propagator::inject(context, carrier, extras);
          break;
        case propagator_name::baggage:
          if (entries != nullptr) baggage_propagator::inject_baggage(*entries, carrier, limits);
          break;
        case propagator_name::b3:
          // With both B3 encodings listed, each would erase the other's fields: b3multi's
          // entry writes both.
          if (valid && !has(propagator_name::b3multi))
            b3_propagator::inject(context, carrier, extras);
          break;
        case propagator_name::b3multi:
          if (!valid) break;
          b3multi_propagator::inject(context, carrier, extras);
          if (has(propagator_name::b3))
            b3_propagator::write_single_header(context, carrier, extras);
          break;
        case propagator_name::jaeger:
          if (valid) jaeger_propagator::inject(context, carrier, extras);
          if (entries != nullptr) jaeger_propagator::inject_baggage(*entries, carrier, limits);
          break;
        case propagator_name::xray:
        case propagator_name::xray_lambda:
          if (valid) xray_propagator::inject(context, carrier, extras);
          break;
      }
    }
    return valid;
  }

  bool has(propagator_name name) const noexcept {
    for (std::size_t i = 0; i < size_; ++i) {
      if (entries_[i] == name) return true;
    }
    return false;
  }

 private:
  static bool is_xray(propagator_name n) noexcept {
    return n == propagator_name::xray || n == propagator_name::xray_lambda;
  }

  std::array<propagator_name, max_entries> entries_{};
  std::size_t size_ = 0;
  std::vector<std::string> unknown_;
  std::string lambda_header_;
  extract_policy policy_{};
};

BATON_END_NAMESPACE

#endif  // BATON_PROPAGATION_PROPAGATOR_LIST_HPP
