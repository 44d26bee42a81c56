// Tracing durable functions (AWS Lambda durable functions, workflow engines) that suspend and
// resume by replaying from the top, reusing the stored result of every finished step. Spans are
// made inside steps so that a replay does not make them again: a span per step with an id
// derived from the execution's identity, a parent span opened and closed in steps of its own,
// a queue-wait span made once after the first boot, and a guard that drops repeats.
//
// Nothing here depends on an engine. A helper takes the engine's own step primitive as a
// callable, `step(name, body)`, which runs `body()` once and returns its result, and on later
// replays returns the stored result without running it. Bodies return only values an engine
// can store: the helpers' own bodies return a std::string (a span record token), and the step
// helper returns what the caller's function returns. Times come from a clock callable returning
// Unix nanoseconds; nothing here reads a clock itself. See docs/durable.md.
#ifndef BATON_DURABLE_HPP
#define BATON_DURABLE_HPP

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>
#if __cpp_exceptions
#include <exception>
#endif

#include "baton/baggage.hpp"
#include "baton/derive.hpp"
#include "baton/detail/config.hpp"
#include "baton/error.hpp"
#include "baton/ids.hpp"
#include "baton/span_context.hpp"
#include "baton/span_record.hpp"
#include "baton/span_record_codec.hpp"
#include "baton/trace_flags.hpp"
#include "baton/virtual_span.hpp"

BATON_BEGIN_NAMESPACE

// ---- Identity ---------------------------------------------------------------------------------

/// Where a step sits in a durable execution: the part of a derivation_key that the caller knows
/// (the role is chosen by the helper). Views: the texts must outlive the helper call.
struct step_identity {
  std::string_view execution_id;  ///< the engine's id of this execution (one run)
  std::string_view step_path;     ///< the step's name or path, e.g. "computeCustomerInvoice"
  std::uint32_t occurrence = 0;   ///< earlier steps with the same path in this execution
  std::uint32_t attempt = 0;      ///< retry number of the step, when the engine tells it

  derivation_key key(std::string_view role) const noexcept {
    return derivation_key{execution_id, step_path, occurrence, attempt, role};
  }
};

/// Counts steps per path within one execution, to give each its occurrence index. Make a new
/// one at the top of the handler, so that every replay counts from zero again and a step gets
/// the same occurrence (hence the same span id) in every replay. Never share one between
/// executions or keep one across invocations: a process-wide counter drifts as soon as some
/// code path does not replay.
class step_sequence {
 public:
  explicit step_sequence(std::string_view execution_id, std::uint32_t attempt = 0)
      : execution_id_(execution_id), attempt_(attempt) {}

  /// The identity of the next step at `step_path` (occurrence = how many earlier calls named the
  /// same path). The identity views `step_path` and this sequence's execution id.
  step_identity next(std::string_view step_path) {
    std::uint32_t occurrence = 0;
    bool found = false;
    for (auto& entry : counts_) {
      if (entry.first == step_path) {
        occurrence = entry.second;
        if (entry.second != UINT32_MAX) ++entry.second;
        found = true;
        break;
      }
    }
    if (!found) counts_.emplace_back(std::string(step_path), 1u);
    return step_identity{execution_id_, step_path, occurrence, attempt_};
  }

  /// How many steps at `step_path` next() has handed out.
  std::uint32_t count(std::string_view step_path) const noexcept {
    for (const auto& entry : counts_) {
      if (entry.first == step_path) return entry.second;
    }
    return 0;
  }

  std::string_view execution_id() const noexcept { return execution_id_; }

 private:
  std::string execution_id_;
  std::uint32_t attempt_;
  // Few distinct paths per execution: a linear scan beats hashing here.
  std::vector<std::pair<std::string, std::uint32_t>> counts_;
};

// ---- Emission ---------------------------------------------------------------------------------

/// Remembers the (trace id, span id) of the spans it let through, so that a sink can drop a
/// repeat: "no two exported spans share a (trace id, span id)". Bounded: of the pairs it was
/// asked to remember, it keeps at most the last `capacity`; each new pair pushes out the one
/// remembered `capacity` pairs before it, so a repeat of a span older than that gets through
/// (size it for the spans of the executions a process runs at once). Memory: at most 64 bytes
/// per pair, allocated on first use.
///
/// Per process and not thread-safe (wrap it in a mutex to share it). A crash loses it: a step
/// body that ran and emitted its span before the engine stored its result runs again in the next
/// process, which emits the same span id again; collectors keep one span per (trace id, span id)
/// (the persistent dedupe key), which is why every id here is derived, never random.
class emission_guard {
 public:
  static constexpr std::size_t default_capacity = 4096;

  explicit emission_guard(std::size_t capacity = default_capacity) noexcept
      : capacity_(capacity == 0 ? 1 : (capacity > max_capacity ? max_capacity : capacity)) {}

  /// True the first time it sees a closed, not yet emitted record's (trace id, span id), which
  /// it then remembers; false for a repeat (counted in repeats()), an open record or one
  /// already marked emitted.
  bool should_emit(const span_record& r) {
    if (r.is_open() || r.emitted) return false;
    if (!remember(r.trace_id, r.span_id)) {
      ++repeats_;
      return false;
    }
    return true;
  }

  /// Remembers a pair; false if it was already remembered.
  bool remember(const trace_id& trace, const span_id& span) {
    if (table_.empty()) allocate();
    const key k{trace, span};
    const std::uint32_t h = hash(k);
    if (find(k, h) != npos) return false;
    entry& slot = ring_[head_];
    if (slot.live) {
      erase_at(find_slot(hash(slot.k), head_));  // full: the oldest pair goes
    } else {
      ++size_;
    }
    slot.k = k;
    slot.live = true;
    std::size_t i = h & mask_;
    while (table_[i] != 0) i = (i + 1) & mask_;
    table_[i] = (std::uint64_t{h} << 32) | (head_ + 1);
    head_ = head_ + 1 == capacity_ ? 0 : head_ + 1;
    return true;
  }

  /// Forgets a pair (a sink that failed to take the span: a later try may emit it). Returns
  /// whether it was remembered.
  bool forget(const trace_id& trace, const span_id& span) noexcept {
    if (table_.empty()) return false;
    const key k{trace, span};
    const std::size_t at = find(k, hash(k));
    if (at == npos) return false;
    ring_[ring_index(table_[at])].live = false;
    erase_at(at);
    --size_;
    return true;
  }

  bool seen(const trace_id& trace, const span_id& span) const noexcept {
    if (table_.empty()) return false;
    const key k{trace, span};
    return find(k, hash(k)) != npos;
  }
  bool seen(const span_record& r) const noexcept { return seen(r.trace_id, r.span_id); }

  std::size_t size() const noexcept { return size_; }
  std::size_t capacity() const noexcept { return capacity_; }
  /// How many records should_emit() refused as repeats.
  std::uint64_t repeats() const noexcept { return repeats_; }

  void clear() noexcept {
    for (auto& e : ring_) e.live = false;
    for (auto& t : table_) t = 0;
    head_ = 0;
    size_ = 0;
  }

 private:
  static constexpr std::size_t max_capacity = std::size_t{1} << 24;
  static constexpr std::size_t npos = ~std::size_t{0};

  struct key {
    trace_id trace;
    span_id span;
    friend bool operator==(const key& a, const key& b) noexcept {
      return a.span == b.span && a.trace == b.trace;
    }
  };
  struct entry {
    key k;
    bool live = false;
  };

  void allocate() {
    std::size_t slots = 2;
    while (slots < 2 * capacity_) slots *= 2;  // load factor <= 1/2
    table_.assign(slots, 0);
    mask_ = slots - 1;
    ring_.assign(capacity_, entry{});
  }

  static std::uint32_t hash(const key& k) noexcept {
    std::uint64_t h =
        static_cast<std::uint64_t>(std::hash<span_id>{}(k.span)) ^
        (static_cast<std::uint64_t>(std::hash<trace_id>{}(k.trace)) * 0x9e3779b97f4a7c15ull);
    h ^= h >> 29;
    return static_cast<std::uint32_t>(h ^ (h >> 32));
  }
  static std::size_t ring_index(std::uint64_t slot) noexcept {
    return static_cast<std::size_t>(slot & 0xffffffffu) - 1;
  }

  // A table slot holds the pair's 32-bit hash and its ring index + 1 (0: empty), so probes
  // compare hashes and read the ring only on a hash match.
  std::size_t find(const key& k, std::uint32_t h) const noexcept {
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const std::uint64_t t = table_[i];
      if (t == 0) return npos;
      if (static_cast<std::uint32_t>(t >> 32) == h && ring_[ring_index(t)].k == k) return i;
    }
  }

  // The table slot of ring entry `ring_at`, whose hash is `h`.
  std::size_t find_slot(std::uint32_t h, std::size_t ring_at) const noexcept {
    const std::uint64_t want = (std::uint64_t{h} << 32) | (ring_at + 1);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      if (table_[i] == want) return i;
      if (table_[i] == 0) return npos;
    }
  }

  // Linear probing deletion by backward shift: no tombstones, so probes stay short.
  void erase_at(std::size_t i) noexcept {
    if (i == npos) return;
    std::size_t j = i;
    for (;;) {
      j = (j + 1) & mask_;
      if (table_[j] == 0) break;
      const std::size_t k = static_cast<std::size_t>(table_[j] >> 32) & mask_;
      const bool movable = i <= j ? (k <= i || k > j) : (k <= i && k > j);
      if (movable) {
        table_[i] = table_[j];
        i = j;
      }
    }
    table_[i] = 0;
  }

  std::size_t capacity_;
  std::size_t mask_ = 0;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
  std::uint64_t repeats_ = 0;
  std::vector<std::uint64_t> table_;  // hash << 32 | ring index + 1; 0 = empty
  std::vector<entry> ring_;           // pairs in the order remembered
};

namespace detail {

/// Calls a sink; a sink returning void takes every record, one returning bool says whether it
/// took it.
template <class Sink>
bool call_sink(Sink& sink, const span_record& r) {
  static_assert(std::is_invocable_v<Sink&, const span_record&>,
                "a sink is a callable taking const span_record& (returning void or bool)");
  if constexpr (std::is_void_v<std::invoke_result_t<Sink&, const span_record&>>) {
    std::invoke(sink, r);
    return true;
  } else {
    return static_cast<bool>(std::invoke(sink, r));
  }
}

}  // namespace detail

/// A sink that passes a record on to `sink` only when `guard` has not seen its (trace id, span
/// id); returns whether it did. If `sink` returns false (it could not take the record), the
/// guard forgets the pair so that a later try can emit it.
template <class Sink>
class guarded_sink {
 public:
  guarded_sink(Sink sink, emission_guard& guard) : sink_(std::move(sink)), guard_(&guard) {}

  bool operator()(const span_record& r) {
    if (!guard_->should_emit(r)) return false;
    if (!detail::call_sink(sink_, r)) {
      guard_->forget(r.trace_id, r.span_id);
      return false;
    }
    return true;
  }

  emission_guard& guard() const noexcept { return *guard_; }
  Sink& sink() noexcept { return sink_; }

 private:
  Sink sink_;
  emission_guard* guard_;
};

template <class Sink>
guarded_sink(Sink, emission_guard&) -> guarded_sink<Sink>;

/// Hands a closed record to `sink` once and marks it emitted. Errors (the record is not
/// handed over, nothing changes): durable_span_open, durable_already_emitted (marked emitted
/// before), durable_emission_dropped (the sink returned false: a guard saw a repeat, or the
/// sink failed).
template <class Sink>
result<void> emit_span(span_record& r, Sink&& sink) {
  if (r.is_open()) return errc::durable_span_open;
  if (r.emitted) return errc::durable_already_emitted;
  const span_record& view = r;
  if (!detail::call_sink(sink, view)) return errc::durable_emission_dropped;
  r.emitted = true;
  return {};
}

// ---- Outcomes ---------------------------------------------------------------------------------

namespace detail {

inline std::string describe_error(const baton::error& e) {
  return std::string(message(e.code));
}
inline std::string describe_error(errc code) {
  return std::string(message(code));
}
inline std::string describe_error(const std::error_code& e) {
  return e.message();
}
template <class E>
std::string describe_error(const E& e) {
  if constexpr (std::is_convertible_v<const E&, std::string_view>) {
    return std::string(std::string_view(e));
  } else {
    return std::string();
  }
}

template <class R, class = void>
struct is_expected_like : std::false_type {};
template <class R>
struct is_expected_like<
    R, std::void_t<decltype(static_cast<bool>(std::declval<const R&>().has_value())),
                   decltype(std::declval<const R&>().error())>> : std::true_type {};

}  // namespace detail

/// How the step helper tells a failed result from a successful one. The default knows
/// expected-like types (has_value() and error(): baton::result, std::expected, and the like):
/// no value is a failure, and the error's text (baton::errc and error, std::error_code, or
/// anything convertible to std::string_view) becomes the status message. Any other type always
/// succeeds. Specialize it for your own result types.
template <class R, class = void>
struct step_outcome {
  static bool failed(const R&) noexcept { return false; }
  static std::string message(const R&) { return std::string(); }
};
template <class R>
struct step_outcome<R, std::enable_if_t<detail::is_expected_like<R>::value>> {
  static bool failed(const R& r) noexcept { return !r.has_value(); }
  static std::string message(const R& r) { return detail::describe_error(r.error()); }
};

// ---- Step helpers -----------------------------------------------------------------------------

/// Options of the step helpers.
struct durable_options {
  /// The namespace of derived ids (see derive.hpp); the same in every process of an application.
  derivation_namespace ns{};
  span_kind kind = span_kind::internal;
  span_limits limits{};
  /// Where a tracing failure is reported (the caller's work still runs; the span is lost), e.g.
  /// an invalid or closed parent. Untouched on success.
  baton::error* tracing_error = nullptr;
};

namespace detail {

template <class Fn>
constexpr bool takes_span_v = std::is_invocable_v<Fn&, span_record&>;

template <class Fn, class = void>
struct step_fn_result {
  using type = std::invoke_result_t<Fn&>;
};
template <class Fn>
struct step_fn_result<Fn, std::enable_if_t<takes_span_v<Fn>>> {
  using type = std::invoke_result_t<Fn&, span_record&>;
};

template <class Fn>
decltype(auto) call_step_fn(Fn& fn, span_record& span) {
  if constexpr (takes_span_v<Fn>) {
    return std::invoke(fn, span);
  } else {
    return std::invoke(fn);
  }
}

inline void report(const durable_options& options, baton::error e) noexcept {
  if (options.tracing_error != nullptr && e.code != errc::ok) *options.tracing_error = e;
}

/// Closes a step's span at `end` (at its start when the clock went backwards: never a negative
/// duration) and emits it once.
template <class Sink>
void finish_step_span(span_record& span, std::uint64_t end, Sink& sink,
                      const durable_options& options) {
  if (end < span.start_time_unix_nano || end == 0) end = span.start_time_unix_nano;
  if (end == 0) end = 1;  // a clock stuck at 0: keep the record closable
  if (result<void> closed = span.close(end); !closed) {
    report(options, closed.error());
    return;
  }
  const result<void> emitted = emit_span(span, sink);
  // A dropped repeat is the guard doing its job (a body that ran again after a crash).
  if (!emitted && emitted.code() != errc::durable_emission_dropped)
    report(options, emitted.error());
}

#if __cpp_exceptions
/// The text of the exception being handled (what() for a std::exception).
inline std::string current_exception_text() {
  try {
    std::rethrow_exception(std::current_exception());
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
  }
  return "unknown exception";
}
#endif

/// Stored results of the helpers' own steps: a span record token, or "!" and the decimal errc
/// of a failure inside the body (so that a replay returns the same error).
inline std::string stored_error(errc code) {
  return "!" + std::to_string(static_cast<unsigned>(code));
}

inline result<span_record> load_stored_record(std::string_view stored) {
  if (!stored.empty() && stored[0] == '!') {
    unsigned code = 0;
    if (stored.size() < 2 || stored.size() > 4) return errc::durable_step_result_invalid;
    for (std::size_t i = 1; i < stored.size(); ++i) {
      const unsigned d = static_cast<unsigned>(static_cast<unsigned char>(stored[i])) - '0';
      if (d > 9) return errc::durable_step_result_invalid;
      code = code * 10 + d;
    }
    if (code == 0 || code > 255) return errc::durable_step_result_invalid;
    return static_cast<errc>(code);
  }
  return decode_span_token(stored);
}

}  // namespace detail

namespace detail {

template <class StepFn, class Fn, class Sink, class Clock>
decltype(auto) step_with_span(StepFn&& step, std::string_view name, const span_context& parent,
                              errc parent_error, const step_identity& id, Fn&& fn, Sink& sink,
                              Clock& now, const durable_options& options) {
  using R = typename detail::step_fn_result<std::remove_reference_t<Fn>>::type;
  std::uint32_t runs = 0;
  auto body = [&]() -> R {
    step_identity run_id = id;
    run_id.attempt += runs++;
    const span_id sid = derive_span_id(options.ns, run_id.key(derivation_role::span));
    result<span_record> opened =
        parent_error != errc::ok
            ? result<span_record>(parent_error)
            : span_record::open(name, parent, sid, std::invoke(now), options.kind, options.limits);
    const bool traced = opened.has_value();
    span_record untraced;  // what fn gets when no span could be opened
    if (!traced) detail::report(options, opened.error());
    span_record& span = traced ? *opened : untraced;
    auto finish = [&] {
      if (traced) detail::finish_step_span(span, std::invoke(now), sink, options);
    };
#if __cpp_exceptions
    try {
#endif
      if constexpr (std::is_void_v<R>) {
        detail::call_step_fn(fn, span);
        finish();
      } else {
        R r = detail::call_step_fn(fn, span);
        if (step_outcome<R>::failed(r)) {
          span.set_status(span_status_code::error, step_outcome<R>::message(r), options.limits);
        }
        finish();
        return r;
      }
#if __cpp_exceptions
    } catch (...) {
      if (traced && span.is_open()) {
        span.set_status(span_status_code::error, detail::current_exception_text(), options.limits);
        finish();
      }
      std::rethrow_exception(std::current_exception());
    }
#endif
  };
  return std::invoke(std::forward<StepFn>(step), name, body);
}

}  // namespace detail

/// Runs `fn` as a durable step with a span: `step(name, body)` is the engine's primitive. The
/// first time (and again if the engine runs the body again, e.g. after a crash before it stored
/// the result), the body opens a child of `parent` named `name` with an id derived from `id`
/// (role "span"; the attempt is id.attempt plus the number of earlier runs of this body in this
/// call), starts it at now(), runs `fn` (as fn(span_record&) if it takes the span, else fn()),
/// closes it at now(), sets the status from the outcome, and emits it through `sink` once. On a
/// replay the engine returns the stored result and nothing is made or emitted.
///
/// fn's result is returned unchanged. A failed result (see step_outcome) sets status error with
/// its message; an exception (when exceptions are on) sets status error with what(), the span is
/// emitted, and the same exception object is rethrown. A tracing failure (invalid parent) never
/// stops fn: it runs without a span and the error goes to options.tracing_error.
///
/// The engine must run the body (or not) before step() returns. Returns what step() returns.
template <class StepFn, class Fn, class Sink, class Clock>
decltype(auto) durable_step_with_span(StepFn&& step, std::string_view name,
                                      const span_context& parent, const step_identity& id, Fn&& fn,
                                      Sink&& sink, Clock&& now,
                                      const durable_options& options = {}) {
  return detail::step_with_span(std::forward<StepFn>(step), name, parent, errc::ok, id,
                                std::forward<Fn>(fn), sink, now, options);
}

/// durable_step_with_span under a parent record (its context()). A closed parent makes no
/// child: fn runs without a span and span_record_closed goes to options.tracing_error.
template <class StepFn, class Fn, class Sink, class Clock>
decltype(auto) durable_step_with_span(StepFn&& step, std::string_view name,
                                      const span_record& parent, const step_identity& id, Fn&& fn,
                                      Sink&& sink, Clock&& now,
                                      const durable_options& options = {}) {
  return detail::step_with_span(std::forward<StepFn>(step), name, parent.context(),
                                parent.is_closed() ? errc::span_record_closed : errc::ok, id,
                                std::forward<Fn>(fn), sink, now, options);
}

/// Opens a parent ("folder") span in a step of its own: the body opens a record named `name`,
/// a child of `parent` with an id derived from `id` (role "parent"), started at now(), and
/// returns its token (encode_span_token), which the engine stores; every replay decodes the
/// same record. Nothing is emitted: close it with durable_close_span in a final step. Children
/// made from it meanwhile have it as their parent. When `parent` is not valid (no incoming
/// context), the record is the root of a trace whose id is derived from the execution id
/// (derive_trace_id), sampled, with the random flag. Errors: those of decode_span_token (a
/// stored result that is not a token), span_record_zero_id.
template <class StepFn, class Clock>
result<span_record> durable_open_span(StepFn&& step, std::string_view name,
                                      const span_context& parent, const step_identity& id,
                                      Clock&& now, const durable_options& options = {}) {
  auto body = [&]() -> std::string {
    const span_id sid = derive_span_id(options.ns, id.key(derivation_role::parent));
    const std::uint64_t start = std::invoke(now);
    result<span_record> r =
        parent.is_valid()
            ? span_record::open(name, parent, sid, start, options.kind, options.limits)
            : span_record::open_root(name, derive_trace_id(options.ns, id.execution_id), sid,
                                     trace_flags().with_sampled(true).with_random(true), start,
                                     options.kind, options.limits);
    if (!r) return detail::stored_error(r.code());
    return encode_span_token(*r);
  };
  const std::string stored = std::invoke(std::forward<StepFn>(step), name, body);
  return detail::load_stored_record(stored);
}

/// Closes `record` (opened by durable_open_span) in a final step named `step_name`: the body
/// closes a copy at now() (at its start if the clock went backwards), sets `status` (unset: no
/// change), emits it once through `sink`, and returns its token; on return `record` is the
/// closed record (emitted set when the sink took it), the same on every replay. A parent opened
/// before its children and closed after them covers their intervals as long as the clock does
/// not run backwards across invocations; otherwise call span_record::cover with the children.
/// Errors: span_record_closed (already closed: no step runs), those of decode_span_token.
template <class StepFn, class Sink, class Clock>
result<void> durable_close_span(StepFn&& step, std::string_view step_name, span_record& record,
                                Sink&& sink, Clock&& now,
                                span_status_code status = span_status_code::unset,
                                std::string_view status_message = {},
                                const durable_options& options = {}) {
  if (record.is_closed()) return errc::span_record_closed;
  auto body = [&]() -> std::string {
    span_record closing = record;
    closing.set_status(status, status_message, options.limits);
    detail::finish_step_span(closing, std::invoke(now), sink, options);
    return encode_span_token(closing);
  };
  const std::string stored = std::invoke(std::forward<StepFn>(step), step_name, body);
  result<span_record> closed = detail::load_stored_record(stored);
  if (!closed) return closed.error();
  record = std::move(*closed);
  return {};
}

/// Makes and emits the queue-wait ("boot") span in a step of its own, so that it is emitted
/// once, with the "now" of the first invocation: see make_queue_wait_span (the trigger time in
/// `entries`, a child of `parent`, the producer's context). Its id is derived from `id` (role
/// "boot"). The step is named options.name. Returns the finished record (on replays too).
/// Errors: durable_trigger_missing, durable_trigger_malformed, durable_trigger_out_of_range
/// (checked before the step: no step runs), span_record_invalid_parent (no step runs),
/// durable_trigger_in_future (decided in the first run, then stored), those of
/// decode_span_token.
template <class StepFn, class Sink, class Clock>
result<span_record> durable_boot_span(StepFn&& step, const span_context& parent,
                                      const baggage& entries, const step_identity& id, Sink&& sink,
                                      Clock&& now, const queue_wait_options& wait = {},
                                      const durable_options& options = {}) {
  if (!parent.is_valid()) return errc::span_record_invalid_parent;
  if (const result<std::uint64_t> ms = read_trigger_time(entries, wait.key); !ms) {
    return ms.error();
  }
  auto body = [&]() -> std::string {
    const span_id sid = derive_span_id(options.ns, id.key(derivation_role::boot));
    result<span_record> r = make_queue_wait_span(parent, entries, sid, std::invoke(now), wait);
    if (!r) return detail::stored_error(r.code());
    const result<void> emitted = emit_span(*r, sink);
    if (!emitted && emitted.code() != errc::durable_emission_dropped) {
      detail::report(options, emitted.error());
    }
    return encode_span_token(*r);
  };
  const std::string stored = std::invoke(std::forward<StepFn>(step), wait.name, body);
  return detail::load_stored_record(stored);
}

// ---- Links ------------------------------------------------------------------------------------

/// The attribute every link made here carries: why the link exists.
inline constexpr std::string_view link_kind_key = "baton.link.kind";

/// Opens the root record of a new trace (a continue-as-new generation, a restarted periodic
/// workflow) whose first span links to `previous`, the last span of the previous generation,
/// with attribute baton.link.kind = "continue_as_new". Flags: the sampled bit of `previous`.
/// Errors: span_record_zero_id.
inline result<span_record> open_continuation(std::string_view name, const span_context& previous,
                                             const trace_id& trace, const span_id& id,
                                             trace_flags flags, std::uint64_t start_unix_nano,
                                             span_kind kind = span_kind::internal,
                                             const span_limits& limits = {}) {
  result<span_record> r =
      span_record::open_root(name, trace, id, flags, start_unix_nano, kind, limits);
  if (r && previous.is_valid()) {
    r->add_link(previous, {attribute{std::string(link_kind_key), "continue_as_new"}}, limits);
  }
  return r;
}

/// open_continuation with ids derived from the new generation's execution id: trace id
/// derive_trace_id(ns, execution_id), span id from (execution_id, name, 0, 0, "parent"); the
/// sampled bit of `previous` (sampled when `previous` is not valid) and the random flag.
inline result<span_record> open_continuation(std::string_view name, const span_context& previous,
                                             std::string_view execution_id,
                                             std::uint64_t start_unix_nano,
                                             const durable_options& options = {}) {
  const bool sampled = previous.is_valid() ? previous.flags.sampled() : true;
  const span_id id =
      derive_span_id(options.ns, derivation_key{execution_id, name, 0, 0, derivation_role::parent});
  return open_continuation(name, previous, derive_trace_id(options.ns, execution_id), id,
                           trace_flags().with_sampled(sampled).with_random(true), start_unix_nano,
                           options.kind, options.limits);
}

/// Links `record` to each context in [first, first + count) (the messages of a batch, the
/// executions a fan-in waits for), each with attribute baton.link.kind = "batch". Invalid
/// contexts and links over limits.max_links are dropped and counted in
/// record.dropped_links_count. Returns how many links were added.
inline std::size_t add_batch_links(span_record& record, const span_context* first,
                                   std::size_t count, const span_limits& limits = {}) {
  std::size_t added = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (record.add_link(first[i], {attribute{std::string(link_kind_key), "batch"}}, limits)) {
      ++added;
    }
  }
  return added;
}

/// add_batch_links over a container of span_context (std::vector, std::array, ...).
template <class Container>
auto add_batch_links(span_record& record, const Container& contexts, const span_limits& limits = {})
    -> decltype(std::data(contexts), std::size(contexts), std::size_t()) {
  return add_batch_links(record, std::data(contexts), std::size(contexts), limits);
}

// ---- All together -----------------------------------------------------------------------------

/// The helpers above bound to one execution: the engine's step primitive, the execution id, a
/// sink, a clock and options, with a step_sequence counting occurrences. Make one at the top of
/// the handler (every replay makes a new one, so occurrences count from zero again). Holds
/// copies of the callables: pass lambdas that capture by reference, or std::ref.
///
///   baton::durable_tracer tracer(step, execution_id, sink, clock);
///   auto boot = tracer.boot_span(incoming, incoming_baggage);
///   auto parent = tracer.open_span("invoiceCustomer", incoming);
///   auto usage = tracer.step("computeCustomerInvoice", *parent, [&] { return scan(id); });
///   tracer.close_span(*parent);
template <class StepFn, class Sink, class Clock>
class durable_tracer {
 public:
  durable_tracer(StepFn step, std::string_view execution_id, Sink sink, Clock now,
                 const durable_options& options = {})
      : step_(std::move(step)),
        sink_(std::move(sink)),
        now_(std::move(now)),
        options_(options),
        sequence_(execution_id) {}

  /// durable_boot_span with the step path wait.name.
  result<span_record> boot_span(const span_context& parent, const baggage& entries,
                                const queue_wait_options& wait = {}) {
    return durable_boot_span(step_, parent, entries, sequence_.next(wait.name), sink_, now_, wait,
                             options_);
  }

  /// durable_open_span; the step is named `name`.
  result<span_record> open_span(std::string_view name, const span_context& parent) {
    return durable_open_span(step_, name, parent, sequence_.next(name), now_, options_);
  }

  /// durable_step_with_span under `parent`; the step is named `name`.
  template <class Parent, class Fn>
  decltype(auto) step(std::string_view name, const Parent& parent, Fn&& fn) {
    return durable_step_with_span(step_, name, parent, sequence_.next(name), std::forward<Fn>(fn),
                                  sink_, now_, options_);
  }

  /// durable_close_span; the step is named record.name + ".close".
  result<void> close_span(span_record& record, span_status_code status = span_status_code::unset,
                          std::string_view status_message = {}) {
    const std::string step_name = record.name + ".close";
    return durable_close_span(step_, step_name, record, sink_, now_, status, status_message,
                              options_);
  }

  step_sequence& sequence() noexcept { return sequence_; }
  Sink& sink() noexcept { return sink_; }
  const durable_options& options() const noexcept { return options_; }

 private:
  StepFn step_;
  Sink sink_;
  Clock now_;
  durable_options options_;
  step_sequence sequence_;
};

BATON_END_NAMESPACE

#endif  // BATON_DURABLE_HPP
