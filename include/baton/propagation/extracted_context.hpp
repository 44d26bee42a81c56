// What a propagator found in a carrier, in one shape for every format (W3C, B3, Jaeger, X-Ray):
// a full context, a trace-id-only context, a sampling-only decision, or nothing, plus the
// format-specific details needed to re-emit the format faithfully on the next hop.
#ifndef BATON_PROPAGATION_EXTRACTED_CONTEXT_HPP
#define BATON_PROPAGATION_EXTRACTED_CONTEXT_HPP

#include <cstdint>
#include <string>
#include <string_view>

#include "baton/detail/config.hpp"
#include "baton/error.hpp"
#include "baton/ids.hpp"
#include "baton/span_context.hpp"
#include "baton/trace_flags.hpp"

BATON_BEGIN_NAMESPACE

/// How much of a context a format carried. W3C's validity rule (both ids non-zero) cannot say
/// "the trace id but no parent" (an X-Ray Root-only header from a load balancer) or "only a
/// sampling decision" (B3 `b3: 0`), so extraction says which it was.
enum class context_kind : std::uint8_t {
  none = 0,           ///< nothing usable
  sampling_only = 1,  ///< a sampling decision without ids (B3 `0`, `1`, `d`)
  trace_id_only = 2,  ///< a trace id without a parent span id (X-Ray Root-only)
  full = 3,           ///< trace id and parent span id: a valid remote parent
};

/// A sampling decision as a format carried it. W3C has only the sampled bit; B3, Jaeger and
/// X-Ray can also say "not decided yet" and "debug".
enum class sampling_decision : std::uint8_t {
  deferred = 0,     ///< absent or X-Ray `?`: the receiver decides
  not_sampled = 1,  ///< explicitly denied
  sampled = 2,      ///< explicitly accepted
  debug = 3,        ///< accepted and forced (B3 `d` / x-b3-flags 1, Jaeger flag 0x02)
};

/// The wire formats baton propagates.
enum class propagation_format : std::uint8_t {
  none = 0,
  w3c = 1,          ///< traceparent + tracestate
  b3 = 2,           ///< b3 single header
  b3multi = 3,      ///< x-b3-* headers
  jaeger = 4,       ///< uber-trace-id
  xray = 5,         ///< X-Amzn-Trace-Id
  xray_lambda = 6,  ///< the Lambda trace header (_X_AMZN_TRACE_ID), an input string
};

/// The short name of a format, as the baton tool spells it ("w3c", "b3", "b3multi", "jaeger",
/// "xray", "xray-lambda").
constexpr std::string_view to_string(propagation_format format) noexcept {
  switch (format) {
    case propagation_format::none:
      return "none";
    case propagation_format::w3c:
      return "w3c";
    case propagation_format::b3:
      return "b3";
    case propagation_format::b3multi:
      return "b3multi";
    case propagation_format::jaeger:
      return "jaeger";
    case propagation_format::xray:
      return "xray";
    case propagation_format::xray_lambda:
      return "xray-lambda";
  }
  return "unknown";
}

constexpr std::string_view to_string(context_kind kind) noexcept {
  switch (kind) {
    case context_kind::none:
      return "none";
    case context_kind::sampling_only:
      return "sampling_only";
    case context_kind::trace_id_only:
      return "trace_id_only";
    case context_kind::full:
      return "full";
  }
  return "unknown";
}

constexpr std::string_view to_string(sampling_decision decision) noexcept {
  switch (decision) {
    case sampling_decision::deferred:
      return "deferred";
    case sampling_decision::not_sampled:
      return "not_sampled";
    case sampling_decision::sampled:
      return "sampled";
    case sampling_decision::debug:
      return "debug";
  }
  return "unknown";
}

/// Details a format carries beyond W3C's ids and flags. Extraction fills them; passing them
/// back to inject (of any format that uses them) re-emits the incoming format faithfully: the
/// width of a 64-bit trace id, the debug flag, X-Ray's Lineage and Self fields.
struct format_extras {
  /// The decision as received (extraction always sets it). Only `deferred` and `debug` change
  /// what inject writes: formats that can express them (B3, Jaeger, X-Ray) write a deferred
  /// decision for an unsampled context and debug for a sampled one; otherwise, and whenever the
  /// context's own sampled bit disagrees (a local decision wins), the sampled bit is written.
  /// The default, not_sampled, therefore changes nothing: default extras write the bit.
  sampling_decision sampling = sampling_decision::not_sampled;
  /// The trace id arrived as 16 hex digits (B3, Jaeger): re-emit it at that width.
  bool trace_id_64 = false;
  /// The sender's own parent span id (B3 ParentSpanId, Jaeger parent-span-id), when given.
  /// Informational: the propagated parent is the sender's span id.
  baton::span_id parent_span_id{};
  /// X-Ray fields other than Root, Parent and Sampled (Self, Lineage, unknown ones), verbatim
  /// and in received order, joined with ';'. Re-emitted by the X-Ray propagator: dropping
  /// Lineage silently disables Lambda's recursive-loop detection.
  std::string xray_fields;

  bool debug() const noexcept { return sampling == sampling_decision::debug; }

  friend bool operator==(const format_extras& a, const format_extras& b) noexcept {
    return a.sampling == b.sampling && a.trace_id_64 == b.trace_id_64 &&
           a.parent_span_id == b.parent_span_id && a.xray_fields == b.xray_fields;
  }
  friend bool operator!=(const format_extras& a, const format_extras& b) noexcept {
    return !(a == b);
  }
};

/// One format's extraction result.
struct extracted_context {
  context_kind kind = context_kind::none;
  propagation_format format = propagation_format::none;
  /// full: a valid remote parent. trace_id_only: trace_id set, span_id zero. sampling_only and
  /// none: both ids zero. In every kind, flags.sampled() reflects an accepted or debug decision.
  span_context context;
  format_extras extras;
  bool found = false;  ///< the format's field(s) were present in the carrier
  /// Why a field was rejected: errc::ok when absent or valid. B3 can report a rejected `b3`
  /// header beside a usable context read from the x-b3-* headers.
  baton::error error{};

  /// A valid remote parent was extracted.
  bool valid() const noexcept { return kind == context_kind::full; }
};

/// The context of the next span after an extraction (the common "continue or start" step):
///   full          -> a child of the remote parent (new random span id, flags kept; a deferred
///                    decision becomes `sample_if_undecided`);
///   trace_id_only -> the same trace id with a new random span id, sampled per the decision
///                    (deferred: `sample_if_undecided`); there is no parent to link;
///   sampling_only -> a new trace honoring the decision;
///   none          -> a new trace sampled per `sample_if_undecided`.
inline span_context continue_trace(const extracted_context& in, bool sample_if_undecided = true) {
  const sampling_decision d = in.extras.sampling;
  const bool decided = d != sampling_decision::deferred;
  const bool sampled = decided ? d != sampling_decision::not_sampled : sample_if_undecided;
  switch (in.kind) {
    case context_kind::full: {
      span_context out = in.context.child();
      // An undecided sender (B3 without a sampling state, X-Ray Sampled=?) leaves the
      // decision to this hop, not "not sampled".
      if (!decided) out.flags = out.flags.with_sampled(sample_if_undecided);
      return out;
    }
    case context_kind::trace_id_only: {
      span_context out;
      out.trace_id = in.context.trace_id;
      out.span_id = baton::span_id::random();
      out.flags = in.context.flags.with_sampled(decided ? sampled : sample_if_undecided);
      out.tracestate = in.context.tracestate;
      return out;
    }
    case context_kind::sampling_only:
      return span_context::new_root(sampled);
    case context_kind::none:
      break;
  }
  return span_context::new_root(sample_if_undecided);
}

BATON_END_NAMESPACE

#endif  // BATON_PROPAGATION_EXTRACTED_CONTEXT_HPP
