// span_context: the identity of a span as it crosses a process boundary.
#ifndef BATON_SPAN_CONTEXT_HPP
#define BATON_SPAN_CONTEXT_HPP

#include <utility>

#include "baton/detail/config.hpp"
#include "baton/ids.hpp"
#include "baton/trace_flags.hpp"
#include "baton/traceparent.hpp"
#include "baton/tracestate.hpp"

BATON_BEGIN_NAMESPACE

/// Trace id, span id, flags and tracestate of one span, and whether it came from another
/// process (remote). A plain value: copy it, store it, compare it.
struct span_context {
  baton::trace_id trace_id;
  baton::span_id span_id;
  baton::trace_flags flags;
  baton::tracestate tracestate;
  bool remote = false;

  /// Both ids are non-zero. An invalid context must never be injected or used as a parent.
  bool is_valid() const noexcept { return trace_id.is_valid() && span_id.is_valid(); }

  /// The context of a remote parent described by a parsed traceparent (and its tracestate).
  static span_context from_traceparent(const traceparent& tp, baton::tracestate state = {}) {
    return span_context{tp.trace_id, tp.parent_id, tp.flags, std::move(state), true};
  }

  /// A new trace: random trace id and span id from the thread's generator. The random flag is
  /// set because the trace id really is random (W3C Level 2).
  static span_context new_root(bool sampled) {
    return span_context{baton::trace_id::random(),
                        baton::span_id::random(),
                        trace_flags().with_sampled(sampled).with_random(true),
                        {},
                        false};
  }

  /// A child in the same trace: new random span id; flags (random bit included) and tracestate
  /// carried unchanged; local.
  span_context child() const { return child(baton::span_id::random()); }

  /// A child with a caller-chosen span id (e.g. one derived deterministically for a replayed
  /// durable step).
  span_context child(const baton::span_id& id) const {
    return span_context{trace_id, id, flags, tracestate, false};
  }

  /// The traceparent that announces this span to the next hop (version 00).
  baton::traceparent to_traceparent() const noexcept {
    return baton::traceparent{0, trace_id, span_id, flags};
  }

  friend bool operator==(const span_context& a, const span_context& b) noexcept {
    return a.trace_id == b.trace_id && a.span_id == b.span_id && a.flags == b.flags &&
           a.remote == b.remote && a.tracestate == b.tracestate;
  }
  friend bool operator!=(const span_context& a, const span_context& b) noexcept {
    return !(a == b);
  }
};

BATON_END_NAMESPACE

#endif  // BATON_SPAN_CONTEXT_HPP
