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
#include <exception>
#include <functional>
#include <iterator>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

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
/// (size it for the spans of the executions a process runs at once). Memory, allocated on first
/// use: 25 bytes a pair plus 8-byte table slots, twice the capacity rounded up to a power of two:
/// 41 bytes a pair when the capacity is a power of two (164 KiB at the default 4096), at most 57.
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

  /// Claims the record for emission: true the first time it sees a closed, not yet emitted
  /// record's (trace id, span id). Not a query: a true answer REMEMBERS the pair, so asking again
  /// says false; call it only when about to emit, and forget() the pair if the emission then
  /// fails (guarded_sink does both). False for a repeat (counted in repeats()), an open record
  /// or one already marked emitted. seen() is the query without the side effect.
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

template <class R, class = void>
struct is_expected_like : std::false_type {};
template <class R>
struct is_expected_like<
    R, std::void_t<decltype(static_cast<bool>(std::declval<const R&>().has_value())),
                   decltype(std::declval<const R&>().error())>> : std::true_type {};

/// Calls a sink and says whether it took the record. A sink returning void takes every record;
/// one returning bool took it when true (false: durable_sink_failed); one returning an
/// expected-like type (baton::result<void>, std::expected) took it when it holds a value, else
/// its baton::error passes on (otlp_write_failed, or durable_emission_dropped from a sink that
/// declines a repeat) and any other error type is durable_sink_failed. Exceptions pass through.
template <class Sink>
result<void> call_sink(Sink& sink, const span_record& r) {
  static_assert(std::is_invocable_v<Sink&, const span_record&>,
                "a sink is a callable taking const span_record& (returning void, bool or a "
                "result)");
  using returned = std::invoke_result_t<Sink&, const span_record&>;
  using value = std::remove_cv_t<std::remove_reference_t<returned>>;
  if constexpr (std::is_void_v<returned>) {
    std::invoke(sink, r);
    return {};
  } else if constexpr (is_expected_like<value>::value) {
    const auto& took = std::invoke(sink, r);
    if (took.has_value()) return {};
    if constexpr (std::is_same_v<std::decay_t<decltype(took.error())>, baton::error>) {
      const baton::error e = took.error();
      if (e.code != errc::ok) return e;
    } else if constexpr (std::is_same_v<std::decay_t<decltype(took.error())>, errc>) {
      if (took.error() != errc::ok) return took.error();
    }
    return errc::durable_sink_failed;
  } else {
    if (static_cast<bool>(std::invoke(sink, r))) return {};
    return errc::durable_sink_failed;
  }
}

}  // namespace detail

/// A sink that passes a record on to `sink` only the first time `guard` sees its (trace id, span
/// id). Returns durable_emission_dropped for a repeat (the guard declined it: not a failure),
/// durable_span_open or durable_already_emitted for a record that cannot be emitted, and the
/// inner sink's failure (see emit_span) when it did not take the record. When the inner sink
/// fails or throws, the guard forgets the pair so that a later try can emit it.
template <class Sink>
class guarded_sink {
 public:
  guarded_sink(Sink sink, emission_guard& guard) : sink_(std::move(sink)), guard_(&guard) {}

  result<void> operator()(const span_record& r) {
    if (r.is_open()) return errc::durable_span_open;
    if (r.emitted) return errc::durable_already_emitted;
    if (!guard_->should_emit(r)) return errc::durable_emission_dropped;
#if BATON_HAS_EXCEPTIONS
    try {
#endif
      const result<void> took = detail::call_sink(sink_, r);
      if (!took) guard_->forget(r.trace_id, r.span_id);
      return took;
#if BATON_HAS_EXCEPTIONS
    } catch (...) {
      guard_->forget(r.trace_id, r.span_id);
      std::rethrow_exception(std::current_exception());
    }
#endif
  }

  emission_guard& guard() const noexcept {
    return *guard_;
  }
  Sink& sink() noexcept {
    return sink_;
  }

 private:
  Sink sink_;
  emission_guard* guard_;
};

template <class Sink>
guarded_sink(Sink, emission_guard&) -> guarded_sink<Sink>;

/// Hands a closed record to `sink` once and marks it emitted. Errors (the record is not marked
/// emitted; nothing else changes): durable_span_open, durable_already_emitted (marked emitted
/// before), durable_emission_dropped (the sink declined it: a guarded_sink saw a repeat), and the
/// failure of a sink that did not take it: the baton::error it returned (otlp_json_line_sink:
/// otlp_write_failed), else durable_sink_failed (it returned false or another error type). An
/// exception from the sink passes through (the step helpers catch and report it).
template <class Sink>
result<void> emit_span(span_record& r, Sink&& sink) {
  if (r.is_open()) return errc::durable_span_open;
  if (r.emitted) return errc::durable_already_emitted;
  const span_record& view = r;
  if (const result<void> took = detail::call_sink(sink, view); !took) return took;
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
  /// Limits of the records made, and of the stored tokens read back on replays (so a record made
  /// under raised limits still decodes).
  span_limits limits{};
  /// Where a tracing failure that the return value does not carry is reported: an invalid or
  /// closed parent of a step span, a sink that failed or threw (durable_sink_failed, or the
  /// sink's own error such as otlp_write_failed), a clock that threw in a step span
  /// (durable_clock_failed), any other exception of the tracing code (durable_tracing_failed).
  /// The caller's work still runs, once, and its result is kept; the span is lost. Untouched on
  /// success; the last failure wins.
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

/// Runs tracing code `f` (returning void) so that it can never fail the step it traces: an
/// exception from it is reported as durable_tracing_failed.
template <class F>
void run_tracing(const durable_options& options, F&& f) {
#if BATON_HAS_EXCEPTIONS
  try {
#endif
    std::invoke(f);
#if BATON_HAS_EXCEPTIONS
  } catch (...) {
    report(options, baton::error{errc::durable_tracing_failed, 0});
  }
#else
  static_cast<void>(options);
#endif
}

/// Reads the clock; an exception from it is durable_clock_failed.
template <class Clock>
result<std::uint64_t> read_clock(Clock& now) {
#if BATON_HAS_EXCEPTIONS
  try {
#endif
    return static_cast<std::uint64_t>(std::invoke(now));
#if BATON_HAS_EXCEPTIONS
  } catch (...) {
    return errc::durable_clock_failed;
  }
#endif
}

/// emit_span, reporting a failure and catching what the sink throws (durable_sink_failed). A
/// declined repeat is not reported: that is the guard doing its job (a body that ran again
/// after a crash).
template <class Sink>
void emit_reporting(span_record& span, Sink& sink, const durable_options& options) {
#if BATON_HAS_EXCEPTIONS
  try {
#endif
    const result<void> emitted = emit_span(span, sink);
    if (!emitted && emitted.code() != errc::durable_emission_dropped) {
      report(options, emitted.error());
    }
#if BATON_HAS_EXCEPTIONS
  } catch (...) {
    report(options, baton::error{errc::durable_sink_failed, 0});
  }
#endif
}

/// Closes an open record at `end`, never before its start (a clock that went backwards: never
/// a negative duration) nor at 0, and emits it once.
template <class Sink>
void close_and_emit(span_record& span, std::uint64_t end, Sink& sink,
                    const durable_options& options) {
  if (end < span.start_time_unix_nano) end = span.start_time_unix_nano;
  if (end == 0) end = 1;  // a clock stuck at 0: keep the record closable
  if (result<void> closed = span.close(end); !closed) {
    report(options, closed.error());
    return;
  }
  emit_reporting(span, sink, options);
}

/// Finishes a step's span: closes it at now() unless the body closed it itself, emits it unless
/// it was emitted already, and tells `on_end` its end time.
template <class Sink, class Clock, class OnEnd>
void finish_step_span(span_record& span, Clock& now, Sink& sink, const durable_options& options,
                      OnEnd& on_end) {
  if (span.is_open()) {
    const result<std::uint64_t> end = read_clock(now);
    if (!end) {
      report(options, end.error());
      return;
    }
    close_and_emit(span, *end, sink, options);
  } else if (!span.emitted) {
    emit_reporting(span, sink, options);
  }
  if (span.is_closed()) std::invoke(on_end, span.end_time_unix_nano);
}

#if BATON_HAS_EXCEPTIONS
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

/// Runs the body of one of the helpers' own steps (`f` returns the text to store); an exception
/// from the tracing code is stored as durable_tracing_failed.
template <class F>
std::string run_stored(F&& f) {
#if BATON_HAS_EXCEPTIONS
  try {
#endif
    return std::invoke(f);
#if BATON_HAS_EXCEPTIONS
  } catch (...) {
    return stored_error(errc::durable_tracing_failed);
  }
#endif
}

/// Reads a stored result back with the limits it was made under (the defaults of
/// decode_span_token would refuse a record made under raised limits).
inline result<span_record> load_stored_record(std::string_view stored, const span_limits& limits) {
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
  span_record_limits decode_limits;
  decode_limits.span = limits;
  // The token is in memory already, and its bytes are fewer than its characters: a byte limit
  // would only refuse records that the span limits allow.
  if (stored.size() > decode_limits.max_bytes) decode_limits.max_bytes = stored.size();
  return decode_span_token(stored, decode_limits);
}

/// A parent as the step helpers see it: its context, why no child can be made of it (ok when
/// one can), and the earliest time a child may start (a record's start, so that a child made on
/// a host whose clock is behind still starts inside its parent).
struct parent_view {
  const span_context& context;
  errc error;
  std::uint64_t not_before;
};

/// Calls f(parent_view) for `parent`; the view lives for the call (a record's context is made
/// for it; a context is viewed, not copied).
template <class F>
decltype(auto) with_parent(const span_context& parent, F&& f) {
  return std::invoke(f, parent_view{parent, errc::ok, 0});
}
template <class F>
decltype(auto) with_parent(const span_record& parent, F&& f) {
  const span_context context = parent.context();
  return std::invoke(f,
                     parent_view{context, parent.is_closed() ? errc::span_record_closed : errc::ok,
                                 parent.start_time_unix_nano});
}

/// Opens the span of one run of a step body (never throws: a failure is returned).
template <class Clock>
result<span_record> open_step_span(std::string_view name, const parent_view& parent,
                                   const span_id& id, Clock& now, const durable_options& options) {
  if (parent.error != errc::ok) return parent.error;
#if BATON_HAS_EXCEPTIONS
  try {
#endif
    const result<std::uint64_t> start = read_clock(now);
    if (!start) return start.error();
    return span_record::open(name, parent.context, id,
                             *start < parent.not_before ? parent.not_before : *start, options.kind,
                             options.limits);
#if BATON_HAS_EXCEPTIONS
  } catch (...) {
    return errc::durable_tracing_failed;
  }
#endif
}

struct ignore_end {
  void operator()(std::uint64_t) const noexcept {}
};

template <class StepFn, class Fn, class Sink, class Clock, class OnEnd>
decltype(auto) step_with_span(StepFn&& step, std::string_view name, const parent_view& parent,
                              const step_identity& id, Fn&& fn, Sink& sink, Clock& now,
                              const durable_options& options, OnEnd on_end) {
  using R = typename detail::step_fn_result<std::remove_reference_t<Fn>>::type;
  std::uint32_t runs = 0;
  auto body = [&]() -> R {
    step_identity run_id = id;
    run_id.attempt += runs++;
    const span_id sid = derive_span_id(options.ns, run_id.key(derivation_role::span));
    result<span_record> opened = open_step_span(name, parent, sid, now, options);
    const bool traced = opened.has_value();
    span_record untraced;  // what fn gets when no span could be opened
    if (!traced) detail::report(options, opened.error());
    span_record& span = traced ? *opened : untraced;
    // fn runs inside this try only: nothing the tracing does after it can turn its success
    // into a failure (which would lose its result and make the engine run it again).
    auto run_fn = [&]() -> R {
#if BATON_HAS_EXCEPTIONS
      try {
#endif
        return detail::call_step_fn(fn, span);
#if BATON_HAS_EXCEPTIONS
      } catch (...) {
        const std::exception_ptr thrown = std::current_exception();
        if (traced && !span.emitted) {
          run_tracing(options, [&] {
            span.set_status(span_status_code::error, current_exception_text(), options.limits);
            finish_step_span(span, now, sink, options, on_end);
          });
        }
        std::rethrow_exception(thrown);
      }
#endif
    };
    if constexpr (std::is_void_v<R>) {
      run_fn();
      if (traced) run_tracing(options, [&] { finish_step_span(span, now, sink, options, on_end); });
    } else {
      R r = run_fn();
      if (traced) {
        run_tracing(options, [&] {
          if (step_outcome<R>::failed(r)) {
            span.set_status(span_status_code::error, step_outcome<R>::message(r), options.limits);
          }
          finish_step_span(span, now, sink, options, on_end);
        });
      }
      return r;
    }
  };
  return std::invoke(std::forward<StepFn>(step), name, body);
}

/// The record of a parent opened under `parent`, started at now() but not before
/// parent.not_before; a root when there is no valid parent context.
template <class Clock>
result<span_record> open_parent_record(std::string_view name, const parent_view& parent,
                                       const step_identity& id, Clock& now,
                                       const durable_options& options) {
  if (parent.error != errc::ok) return parent.error;
  const span_id sid = derive_span_id(options.ns, id.key(derivation_role::parent));
  const result<std::uint64_t> now_read = read_clock(now);
  if (!now_read) return now_read.error();
  const std::uint64_t start = *now_read < parent.not_before ? parent.not_before : *now_read;
  if (parent.context.is_valid()) {
    return span_record::open(name, parent.context, sid, start, options.kind, options.limits);
  }
  return span_record::open_root(name, derive_trace_id(options.ns, id.execution_id), sid,
                                trace_flags().with_sampled(true).with_random(true), start,
                                options.kind, options.limits);
}

template <class StepFn, class Clock>
result<span_record> open_span(StepFn&& step, std::string_view name, const parent_view& parent,
                              const step_identity& id, Clock& now, const durable_options& options) {
  auto body = [&]() -> std::string {
    return run_stored([&] {
      const result<span_record> r = open_parent_record(name, parent, id, now, options);
      if (!r) return stored_error(r.code());
      return encode_span_token(*r);
    });
  };
  const std::string stored = std::invoke(std::forward<StepFn>(step), name, body);
  return load_stored_record(stored, options.limits);
}

}  // namespace detail

/// Runs `fn` as a durable step with a span: `step(name, body)` is the engine's primitive. The
/// first time (and again if the engine runs the body again, e.g. after a crash before it stored
/// the result), the body opens a child of `parent` named `name` with an id derived from `id`
/// (role "span"; the attempt is id.attempt plus the number of earlier runs of this body in this
/// call: an engine that retries a failed step in a later invocation must pass its attempt
/// number in id.attempt, or the retry reuses the failed run's span id), starts it at now(), runs
/// `fn` (as fn(span_record&) if it takes the span, else fn()), closes it at now() (unless the
/// body closed it), sets the status from the outcome, and emits it through `sink` once. On a
/// replay the engine returns the stored result and nothing is made or emitted.
///
/// fn's result is returned unchanged. A failed result (see step_outcome) sets status error with
/// its message; an exception (when exceptions are on) sets status error with what(), the span is
/// emitted, and the same exception object is rethrown. Tracing never stops fn, never runs it
/// again and never changes its outcome: an invalid parent (fn runs without a span), a clock or
/// sink that fails or throws, all go to options.tracing_error.
///
/// Spans are emitted whatever their sampled flag: a sink that exports only sampled spans checks
/// r.flags.sampled(). The engine must run the body (or not) before step() returns. Returns what
/// step() returns.
template <class StepFn, class Fn, class Sink, class Clock>
decltype(auto) durable_step_with_span(StepFn&& step, std::string_view name,
                                      const span_context& parent, const step_identity& id, Fn&& fn,
                                      Sink&& sink, Clock&& now,
                                      const durable_options& options = {}) {
  return detail::with_parent(parent, [&](const detail::parent_view& view) -> decltype(auto) {
    return detail::step_with_span(std::forward<StepFn>(step), name, view, id, std::forward<Fn>(fn),
                                  sink, now, options, detail::ignore_end{});
  });
}

/// durable_step_with_span under a parent record (its context()). The child starts no earlier
/// than the parent (a host whose clock is behind the one that opened the parent). A closed
/// parent makes no child: fn runs without a span and span_record_closed goes to
/// options.tracing_error.
template <class StepFn, class Fn, class Sink, class Clock>
decltype(auto) durable_step_with_span(StepFn&& step, std::string_view name,
                                      const span_record& parent, const step_identity& id, Fn&& fn,
                                      Sink&& sink, Clock&& now,
                                      const durable_options& options = {}) {
  return detail::with_parent(parent, [&](const detail::parent_view& view) -> decltype(auto) {
    return detail::step_with_span(std::forward<StepFn>(step), name, view, id, std::forward<Fn>(fn),
                                  sink, now, options, detail::ignore_end{});
  });
}

/// Opens a parent ("folder") span in a step of its own: the body opens a record named `name`,
/// a child of `parent` with an id derived from `id` (role "parent"), started at now(), and
/// returns its token (encode_span_token), which the engine stores; every replay decodes the
/// same record. Nothing is emitted: close it with durable_close_span in a final step. Children
/// made from it meanwhile have it as their parent. When `parent` is not valid (no incoming
/// context), the record is the root of a trace whose id is derived from the execution id
/// (derive_trace_id), sampled, with the random flag. A failure inside the body is stored, so
/// every replay returns it. Errors: those of decode_span_token (a stored result that is not a
/// token), span_record_zero_id, durable_clock_failed (the clock threw), durable_tracing_failed.
template <class StepFn, class Clock>
result<span_record> durable_open_span(StepFn&& step, std::string_view name,
                                      const span_context& parent, const step_identity& id,
                                      Clock&& now, const durable_options& options = {}) {
  return detail::with_parent(parent, [&](const detail::parent_view& view) {
    return detail::open_span(std::forward<StepFn>(step), name, view, id, now, options);
  });
}

/// durable_open_span under a parent record (a nested parent): started no earlier than `parent`.
/// A closed parent stores span_record_closed (the step still runs, so that the steps keep their
/// order).
template <class StepFn, class Clock>
result<span_record> durable_open_span(StepFn&& step, std::string_view name,
                                      const span_record& parent, const step_identity& id,
                                      Clock&& now, const durable_options& options = {}) {
  return detail::with_parent(parent, [&](const detail::parent_view& view) {
    return detail::open_span(std::forward<StepFn>(step), name, view, id, now, options);
  });
}

/// Closes `record` (opened by durable_open_span) in a final step named `step_name`: the body
/// closes a copy at now(), but never before its start nor before `not_before_unix_nano`, sets
/// `status` (unset: no change), emits it once through `sink` (a failure goes to
/// options.tracing_error), and returns its token; on return `record` is the closed record
/// (emitted set when the sink took it), the same on every replay.
///
/// Covering: the parent starts no later than its children (children made under the record
/// start no earlier than it), and ends no earlier than `not_before_unix_nano`: pass the latest
/// end of its children that you know (durable_tracer passes the latest it saw). Otherwise the
/// end is only as late as the closing host's clock: a child that ran on a host whose clock was
/// ahead can end after its parent. Errors: span_record_closed (already closed: no step runs),
/// durable_clock_failed (the clock threw; stored, the record stays open),
/// durable_tracing_failed, those of decode_span_token.
template <class StepFn, class Sink, class Clock>
result<void> durable_close_span(StepFn&& step, std::string_view step_name, span_record& record,
                                Sink&& sink, Clock&& now,
                                span_status_code status = span_status_code::unset,
                                std::string_view status_message = {},
                                const durable_options& options = {},
                                std::uint64_t not_before_unix_nano = 0) {
  if (record.is_closed()) return errc::span_record_closed;
  auto body = [&]() -> std::string {
    return detail::run_stored([&] {
      const result<std::uint64_t> end = detail::read_clock(now);
      if (!end) return detail::stored_error(end.code());
      span_record closing = record;
      closing.set_status(status, status_message, options.limits);
      detail::close_and_emit(closing, *end < not_before_unix_nano ? not_before_unix_nano : *end,
                             sink, options);
      return encode_span_token(closing);
    });
  };
  const std::string stored = std::invoke(std::forward<StepFn>(step), step_name, body);
  result<span_record> closed = detail::load_stored_record(stored, options.limits);
  if (!closed) return closed.error();
  record = std::move(*closed);
  return {};
}

/// Makes and emits the queue-wait ("boot") span in a step of its own, so that it is emitted
/// once, with the "now" of the first invocation: see make_queue_wait_span (the trigger time in
/// `entries`, a child of `parent`, the producer's context). Its id is derived from `id` (role
/// "boot"). The step is named wait.name; the record is made (and its token read back) under
/// wait.limits. A sink failure goes to options.tracing_error. Returns the finished record (on
/// replays too). Errors: durable_trigger_missing, durable_trigger_malformed,
/// durable_trigger_out_of_range (checked before the step: no step runs),
/// span_record_invalid_parent (no step runs), durable_trigger_in_future and durable_clock_failed
/// (decided in the first run, then stored), durable_tracing_failed, those of decode_span_token.
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
    return detail::run_stored([&] {
      const span_id sid = derive_span_id(options.ns, id.key(derivation_role::boot));
      const result<std::uint64_t> now_read = detail::read_clock(now);
      if (!now_read) return detail::stored_error(now_read.code());
      result<span_record> r = make_queue_wait_span(parent, entries, sid, *now_read, wait);
      if (!r) return detail::stored_error(r.code());
      detail::emit_reporting(*r, sink, options);
      return encode_span_token(*r);
    });
  };
  const std::string stored = std::invoke(std::forward<StepFn>(step), wait.name, body);
  return detail::load_stored_record(stored, wait.limits);
}

// ---- Links ------------------------------------------------------------------------------------

/// The attribute every link made here carries: why the link exists.
inline constexpr std::string_view link_kind_key = "baton.link.kind";

/// Opens the root record of a new trace (a continue-as-new generation, a restarted periodic
/// workflow) whose first span links to `previous`, the last span of the previous generation,
/// with attribute baton.link.kind = "continue_as_new". Flags: `flags` as given (the overload
/// below derives them from `previous`). Errors: span_record_zero_id.
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
///
/// It remembers the latest end of the children of each parent it has seen (step spans run in
/// this invocation, records it closed or whose close it replayed) and closes a parent no earlier
/// than that. Children of earlier invocations are stored results (the caller's values, with no
/// times), so a parent covers them only as far as the closing host's clock is not behind theirs.
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

  /// durable_open_span; the step is named `name`. `parent` is a span_context or, for a nested
  /// parent, a span_record.
  template <class Parent>
  result<span_record> open_span(std::string_view name, const Parent& parent) {
    return durable_open_span(step_, name, parent, sequence_.next(name), now_, options_);
  }

  /// durable_step_with_span under `parent` (a span_context or a span_record); the step is named
  /// `name`. For an engine that does not retry a failed step in a later invocation.
  template <class Parent, class Fn>
  decltype(auto) step(std::string_view name, const Parent& parent, Fn&& fn) {
    return step(name, parent, std::uint32_t{0}, std::forward<Fn>(fn));
  }

  /// step() for the `attempt`-th run of the step as the engine counts them (0 first). An engine
  /// that retries a failed step (the body threw or returned a failure it does not store) in a
  /// later invocation must pass its attempt number: the span id is derived from it, and a retry
  /// with the failed run's attempt would reuse its span id, which a guard or a collector then
  /// drops.
  template <class Parent, class Fn>
  decltype(auto) step(std::string_view name, const Parent& parent, std::uint32_t attempt, Fn&& fn) {
    step_identity id = sequence_.next(name);
    id.attempt += attempt;
    const span_id parent_id = parent.span_id;
    return detail::with_parent(parent, [&](const detail::parent_view& view) -> decltype(auto) {
      return detail::step_with_span(
          step_, name, view, id, std::forward<Fn>(fn), sink_, now_, options_,
          [this, parent_id](std::uint64_t end) { note_end(parent_id, end); });
    });
  }

  /// durable_close_span, no earlier than latest_child_end(record.span_id); the step is named
  /// record.name + ".close".
  result<void> close_span(span_record& record, span_status_code status = span_status_code::unset,
                          std::string_view status_message = {}) {
    const std::string step_name = record.name + ".close";
    const result<void> closed =
        durable_close_span(step_, step_name, record, sink_, now_, status, status_message, options_,
                           latest_child_end(record.span_id));
    if (closed) note_end(record.parent_span_id, record.end_time_unix_nano);
    return closed;
  }

  /// The latest end time of the children of span `parent` that this tracer has seen (0: none).
  std::uint64_t latest_child_end(const span_id& parent) const noexcept {
    for (const auto& entry : child_ends_) {
      if (entry.first == parent) return entry.second;
    }
    return 0;
  }

  step_sequence& sequence() noexcept { return sequence_; }
  Sink& sink() noexcept { return sink_; }
  const durable_options& options() const noexcept { return options_; }

 private:
  void note_end(const span_id& parent, std::uint64_t end) {
    for (auto& entry : child_ends_) {
      if (entry.first == parent) {
        if (end > entry.second) entry.second = end;
        return;
      }
    }
    child_ends_.emplace_back(parent, end);
  }

  StepFn step_;
  Sink sink_;
  Clock now_;
  durable_options options_;
  step_sequence sequence_;
  // Few parents per execution: a linear scan.
  std::vector<std::pair<span_id, std::uint64_t>> child_ends_;
};

BATON_END_NAMESPACE

#endif  // BATON_DURABLE_HPP
