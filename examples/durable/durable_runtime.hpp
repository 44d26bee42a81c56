// A small durable runtime, enough to show (and test) how baton's step helpers behave under
// replay: a journal of step results, a handler that runs from the top on every invocation, and
// hooks that decide where an invocation suspends or crashes. Like AWS Lambda durable functions
// and workflow engines, a finished step's stored result is returned on every later replay
// without running the step again; a step whose result was not stored runs again.
//
// No exceptions are used (it also runs in the -fno-exceptions test build): an invocation that
// suspends or crashes marks its context stopped; from then on step() runs nothing and returns a
// default value, and the handler is expected to return early (it does when a helper reports an
// error). Only step bodies have effects, so the rest of that invocation changes nothing.
#ifndef BATON_EXAMPLES_DURABLE_RUNTIME_HPP
#define BATON_EXAMPLES_DURABLE_RUNTIME_HPP

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace durable_example {

/// How a step result is stored: as text, the way an engine serializes it (JSON, bytes).
template <class T, class = void>
struct value_codec;

template <>
struct value_codec<std::string> {
  static std::string encode(const std::string& v) { return v; }
  static std::string decode(const std::string& s) { return s; }
};

template <class T>
struct value_codec<T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>>> {
  static std::string encode(T v) { return std::to_string(v); }
  static T decode(const std::string& s) {
    bool negative = !s.empty() && s[0] == '-';
    std::uint64_t u = 0;
    for (std::size_t i = negative ? 1 : 0; i < s.size(); ++i) {
      u = u * 10 + static_cast<std::uint64_t>(s[i] - '0');
    }
    return negative ? static_cast<T>(-static_cast<std::int64_t>(u)) : static_cast<T>(u);
  }
};

template <>
struct value_codec<bool> {
  static std::string encode(bool v) { return v ? "true" : "false"; }
  static bool decode(const std::string& s) { return s == "true"; }
};

/// One stored step: its name (checked on replay: a handler must call the same steps in the same
/// order) and its encoded result.
struct journal_entry {
  std::string name;
  std::string value;
};

/// The durable state of one execution: what the engine keeps between invocations.
struct journal {
  std::vector<journal_entry> entries;
};

/// Where an invocation stops, decided at the start of a step that has no stored result...
enum class before_step {
  run,      ///< run the body
  suspend,  ///< the invocation suspends here (e.g. a wait); the step runs in a later one
  crash,    ///< the invocation dies here
};

/// ... and after its body ran.
enum class after_step {
  store,              ///< store the result and go on
  store_and_suspend,  ///< store the result, then suspend
  crash,              ///< die before the result is stored: the step runs again later
};

enum class stop_reason { none, suspended, crashed, nondeterministic };

/// What the runtime asks at each step. Defaults: always run and store.
struct hooks {
  std::function<before_step(std::size_t index, std::string_view name)> before;
  std::function<after_step(std::size_t index, std::string_view name)> after;
};

/// The per-invocation context a handler gets (like Lambda's DurableContext).
class invocation_context {
 public:
  invocation_context(journal& j, std::string_view execution_id, hooks& h)
      : journal_(&j), execution_id_(execution_id), hooks_(&h) {}

  /// Runs `body` once for the whole execution: the stored result on replays.
  template <class Body>
  auto step(std::string_view name, Body&& body) -> std::decay_t<decltype(body())> {
    using R = std::decay_t<decltype(body())>;
    if (stopped()) return stopped_value<R>();
    const std::size_t index = next_++;
    if (index < journal_->entries.size()) {
      const journal_entry& e = journal_->entries[index];
      if (e.name != name) {
        reason_ = stop_reason::nondeterministic;
        return stopped_value<R>();
      }
      ++replayed_;
      if constexpr (std::is_void_v<R>) {
        return;
      } else {
        return value_codec<R>::decode(e.value);
      }
    }
    const before_step b = hooks_->before ? hooks_->before(index, name) : before_step::run;
    if (b != before_step::run) {
      reason_ = b == before_step::suspend ? stop_reason::suspended : stop_reason::crashed;
      return stopped_value<R>();
    }
    ++bodies_run_;
    if constexpr (std::is_void_v<R>) {
      body();
      finish(index, name, std::string());
    } else {
      R value = body();
      if (!finish(index, name, value_codec<R>::encode(value))) return stopped_value<R>();
      return value;
    }
  }

  bool stopped() const noexcept { return reason_ != stop_reason::none; }
  stop_reason reason() const noexcept { return reason_; }
  std::string_view execution_id() const noexcept { return execution_id_; }
  std::size_t bodies_run() const noexcept { return bodies_run_; }
  std::size_t replayed() const noexcept { return replayed_; }

 private:
  template <class R>
  static R stopped_value() {
    if constexpr (!std::is_void_v<R>) return R{};
  }

  // Stores a result unless the hooks crash the invocation first; false when it stopped.
  bool finish(std::size_t index, std::string_view name, std::string value) {
    const after_step a = hooks_->after ? hooks_->after(index, name) : after_step::store;
    if (a == after_step::crash) {
      reason_ = stop_reason::crashed;
      return false;
    }
    journal_->entries.push_back(journal_entry{std::string(name), std::move(value)});
    if (a == after_step::store_and_suspend) reason_ = stop_reason::suspended;
    return true;
  }

  journal* journal_;
  std::string_view execution_id_;
  hooks* hooks_;
  std::size_t next_ = 0;
  std::size_t bodies_run_ = 0;
  std::size_t replayed_ = 0;
  stop_reason reason_ = stop_reason::none;
};

/// How an execution went.
struct run_report {
  bool completed = false;
  bool nondeterministic = false;
  std::size_t invocations = 0;
  std::size_t suspensions = 0;
  std::size_t crashes = 0;
  std::size_t bodies_run = 0;
};

/// Runs one execution: invokes `handler(context)` again and again (each time from the top, with
/// the same journal) until an invocation returns without stopping. `between(reason)` is called
/// after each stopped invocation (to advance a clock, or to start a new process after a crash).
template <class Handler, class Between>
run_report run_execution(std::string_view execution_id, journal& j, hooks& h, Handler&& handler,
                         Between&& between, std::size_t max_invocations = 10000) {
  run_report report;
  while (report.invocations < max_invocations) {
    invocation_context ctx(j, execution_id, h);
    ++report.invocations;
    handler(ctx);
    report.bodies_run += ctx.bodies_run();
    switch (ctx.reason()) {
      case stop_reason::none:
        report.completed = true;
        return report;
      case stop_reason::nondeterministic:
        report.nondeterministic = true;
        return report;
      case stop_reason::suspended:
        ++report.suspensions;
        break;
      case stop_reason::crashed:
        ++report.crashes;
        break;
    }
    between(ctx.reason());
  }
  return report;
}

}  // namespace durable_example

#endif  // BATON_EXAMPLES_DURABLE_RUNTIME_HPP
