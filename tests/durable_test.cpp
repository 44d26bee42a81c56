// durable.hpp and virtual_span.hpp: trigger time stamps, the queue-wait span, the emission
// guard, the step helpers (exact records, replays, re-runs, failures, exceptions), links.
#include "baton/durable.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "../examples/durable/durable_runtime.hpp"
#include "baton/derive.hpp"
#include "baton/span_record_codec.hpp"
#include "baton/virtual_span.hpp"

namespace {

using baton::errc;
using baton::span_record;

baton::span_context remote_parent() {
  return baton::span_context{*baton::trace_id::from_hex("4bf92f3577b34da6a3ce929d0e0e4736"),
                             *baton::span_id::from_hex("00f067aa0ba902b7"),
                             baton::trace_flags().with_sampled(true),
                             *baton::tracestate::parse("rojo=00f067aa0ba902b7"), true};
}

baton::span_id sid(const char* hex) {
  return *baton::span_id::from_hex(hex);
}

// A clock that returns 1000, 2000, 3000, ... (Unix ns), counting its reads.
struct step_clock {
  std::uint64_t next = 1000;
  std::uint64_t step = 1000;
  int reads = 0;
  std::uint64_t operator()() {
    ++reads;
    const std::uint64_t t = next;
    next += step;
    return t;
  }
};

struct collector {
  std::vector<span_record> spans;
  void operator()(const span_record& r) { spans.push_back(r); }
};

// One engine: a journal shared by invocations; step(name, body) of the current invocation.
struct engine {
  durable_example::journal journal;
  durable_example::hooks hooks;
  durable_example::invocation_context ctx{journal, "exec-1", hooks};

  void new_invocation() { ctx = durable_example::invocation_context{journal, "exec-1", hooks}; }
  auto step() {
    return [this](std::string_view name, auto&& body) { return ctx.step(name, body); };
  }
};

// ---- Trigger time -------------------------------------------------------------------------

TEST(TriggerTime, StampWritesBase10Milliseconds) {
  baton::baggage b;
  ASSERT_TRUE(baton::stamp_trigger_time(b, 1750000000123));
  EXPECT_EQ(b.header(), "triggeredAt=1750000000123");
  ASSERT_TRUE(baton::stamp_trigger_time(b, 1));  // replaces
  EXPECT_EQ(b.header(), "triggeredAt=1");
  ASSERT_TRUE(baton::stamp_trigger_time(b, baton::max_trigger_unix_ms, "enqueuedAt"));
  EXPECT_EQ(b.header(), "triggeredAt=1,enqueuedAt=18446744073709");
  EXPECT_EQ(baton::max_trigger_unix_ms, 18446744073709ull);
}

TEST(TriggerTime, StampErrors) {
  baton::baggage b;
  EXPECT_EQ(baton::stamp_trigger_time(b, 0).code(), errc::durable_trigger_out_of_range);
  EXPECT_EQ(baton::stamp_trigger_time(b, baton::max_trigger_unix_ms + 1).code(),
            errc::durable_trigger_out_of_range);
  EXPECT_EQ(baton::stamp_trigger_time(b, 5, "bad key").code(), errc::baggage_invalid_key);
  EXPECT_TRUE(b.empty());
}

TEST(TriggerTime, Parse) {
  EXPECT_EQ(*baton::parse_trigger_time("1750000000123"), 1750000000123u);
  EXPECT_EQ(*baton::parse_trigger_time("000123"), 123u);
  EXPECT_EQ(*baton::parse_trigger_time("18446744073709"), 18446744073709u);
  struct bad {
    const char* text;
    errc code;
    std::uint32_t offset;
  };
  const bad cases[] = {
      {"", errc::durable_trigger_malformed, 0},
      {"12a", errc::durable_trigger_malformed, 2},
      {"-1", errc::durable_trigger_malformed, 0},
      {"+1", errc::durable_trigger_malformed, 0},
      {" 1", errc::durable_trigger_malformed, 0},
      {"1 ", errc::durable_trigger_malformed, 1},
      {"1.5", errc::durable_trigger_malformed, 1},
      {"1e3", errc::durable_trigger_malformed, 1},
      {"0", errc::durable_trigger_out_of_range, 0},
      {"0000", errc::durable_trigger_out_of_range, 0},
      {"18446744073710", errc::durable_trigger_out_of_range, 13},
      {"99999999999999999999999999", errc::durable_trigger_out_of_range, 13},
      {"99999999999999999999999999x", errc::durable_trigger_malformed, 26},
  };
  for (const bad& c : cases) {
    const baton::result<std::uint64_t> r = baton::parse_trigger_time(c.text);
    ASSERT_FALSE(r) << c.text;
    EXPECT_EQ(r.code(), c.code) << c.text;
    EXPECT_EQ(r.error().offset, c.offset) << c.text;
  }
}

TEST(TriggerTime, ReadFromBaggage) {
  baton::baggage b = baton::baggage::parse("a=1,triggeredAt=1700000000000,other=x%20y");
  EXPECT_EQ(*baton::read_trigger_time(b), 1700000000000u);
  EXPECT_EQ(baton::read_trigger_time(b, "a").value(), 1u);
  EXPECT_EQ(baton::read_trigger_time(b, "missing").code(), errc::durable_trigger_missing);
  EXPECT_EQ(baton::read_trigger_time(b, "other").code(), errc::durable_trigger_malformed);
  EXPECT_EQ(baton::read_trigger_time(baton::baggage{}).code(), errc::durable_trigger_missing);
}

// ---- Virtual spans ------------------------------------------------------------------------

TEST(VirtualSpan, FinishedRecordFromTimes) {
  const auto r = baton::make_virtual_span("wait", remote_parent(), sid("0102030405060708"), 100,
                                          250, baton::span_kind::consumer);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->name, "wait");
  EXPECT_EQ(r->trace_id, remote_parent().trace_id);
  EXPECT_EQ(r->span_id, sid("0102030405060708"));
  EXPECT_EQ(r->parent_span_id, remote_parent().span_id);
  EXPECT_EQ(r->tracestate.header(), "rojo=00f067aa0ba902b7");
  EXPECT_EQ(r->kind, baton::span_kind::consumer);
  EXPECT_EQ(r->start_time_unix_nano, 100u);
  EXPECT_EQ(r->end_time_unix_nano, 250u);
  EXPECT_FALSE(r->emitted);
  EXPECT_EQ(
      baton::make_virtual_span("w", remote_parent(), sid("0102030405060708"), 300, 250).code(),
      errc::span_record_end_before_start);
  EXPECT_EQ(baton::make_virtual_span("w", remote_parent(), sid("0102030405060708"), 0, 0).code(),
            errc::span_record_zero_end_time);
  EXPECT_EQ(
      baton::make_virtual_span("w", baton::span_context{}, sid("0102030405060708"), 1, 2).code(),
      errc::span_record_invalid_parent);
  EXPECT_EQ(baton::make_virtual_span("w", remote_parent(), baton::span_id{}, 1, 2).code(),
            errc::span_record_zero_id);
}

TEST(VirtualSpan, QueueWaitFromTriggeredAt) {
  baton::baggage b;
  ASSERT_TRUE(baton::stamp_trigger_time(b, 1750000000000));
  const std::uint64_t now = 1750000000326123456;  // 326.123456 ms later
  const auto r = baton::make_queue_wait_span(remote_parent(), b, sid("00000000000000b0"), now);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->name, "orchestrate.boot");
  EXPECT_EQ(r->start_time_unix_nano, 1750000000000000000u);
  EXPECT_EQ(r->end_time_unix_nano, now);
  EXPECT_EQ(r->duration_unix_nano(), 326123456u);
  EXPECT_EQ(r->parent_span_id, remote_parent().span_id);
  EXPECT_EQ(r->kind, baton::span_kind::internal);
  EXPECT_TRUE(r->attributes.empty());

  baton::queue_wait_options o;
  o.name = "queue.wait";
  o.key = "enqueuedAt";
  o.kind = baton::span_kind::consumer;
  ASSERT_TRUE(baton::stamp_trigger_time(b, 1750000000100, "enqueuedAt"));
  const auto custom = baton::make_queue_wait_span(remote_parent(), b, sid("00000000000000b0"),
                                                  1750000000100000000, o);
  ASSERT_TRUE(custom);
  EXPECT_EQ(custom->name, "queue.wait");
  EXPECT_EQ(custom->kind, baton::span_kind::consumer);
  EXPECT_EQ(custom->duration_unix_nano(), 0u);  // enqueued exactly "now"
}

TEST(VirtualSpan, QueueWaitErrorsNeverANegativeDuration) {
  const baton::span_id id = sid("00000000000000b0");
  baton::baggage b;
  EXPECT_EQ(baton::make_queue_wait_span(remote_parent(), b, id, 5).code(),
            errc::durable_trigger_missing);
  b = baton::baggage::parse("triggeredAt=17x");
  const auto malformed = baton::make_queue_wait_span(remote_parent(), b, id, 5);
  EXPECT_EQ(malformed.code(), errc::durable_trigger_malformed);
  EXPECT_EQ(malformed.error().offset, 2u);
  b = baton::baggage::parse("triggeredAt=99999999999999999999");
  EXPECT_EQ(baton::make_queue_wait_span(remote_parent(), b, id, 5).code(),
            errc::durable_trigger_out_of_range);

  // In the future: the producer's clock is ahead of ours.
  b = baton::baggage::parse("triggeredAt=1750000000002");
  const std::uint64_t now = 1750000000000500000;  // 1.5 ms before the stamp
  EXPECT_EQ(baton::make_queue_wait_span(remote_parent(), b, id, now).code(),
            errc::durable_trigger_in_future);
  baton::queue_wait_options o;
  o.future_tolerance_nano = 1499999;
  EXPECT_EQ(baton::make_queue_wait_span(remote_parent(), b, id, now, o).code(),
            errc::durable_trigger_in_future);
  o.future_tolerance_nano = 1500000;
  const auto clamped = baton::make_queue_wait_span(remote_parent(), b, id, now, o);
  ASSERT_TRUE(clamped);
  EXPECT_EQ(clamped->start_time_unix_nano, now);
  EXPECT_EQ(clamped->end_time_unix_nano, now);

  b = baton::baggage::parse("triggeredAt=1");
  EXPECT_EQ(baton::make_queue_wait_span(baton::span_context{}, b, id, 5000000).code(),
            errc::span_record_invalid_parent);
  EXPECT_EQ(baton::make_queue_wait_span(remote_parent(), b, baton::span_id{}, 5000000).code(),
            errc::span_record_zero_id);
}

// ---- Identity -----------------------------------------------------------------------------

TEST(StepSequence, CountsOccurrencesPerPath) {
  baton::step_sequence seq("exec-1", 2);
  const baton::step_identity a0 = seq.next("a");
  const baton::step_identity b0 = seq.next("b");
  const baton::step_identity a1 = seq.next("a");
  EXPECT_EQ(a0.execution_id, "exec-1");
  EXPECT_EQ(a0.step_path, "a");
  EXPECT_EQ(a0.occurrence, 0u);
  EXPECT_EQ(b0.occurrence, 0u);
  EXPECT_EQ(a1.occurrence, 1u);
  EXPECT_EQ(a1.attempt, 2u);
  EXPECT_EQ(seq.count("a"), 2u);
  EXPECT_EQ(seq.count("c"), 0u);
  const baton::derivation_key k = a1.key(baton::derivation_role::span);
  EXPECT_EQ(k.execution_id, "exec-1");
  EXPECT_EQ(k.step_path, "a");
  EXPECT_EQ(k.occurrence, 1u);
  EXPECT_EQ(k.attempt, 2u);
  EXPECT_EQ(k.role, "span");
  // A new sequence (a replay) hands out the same identities.
  baton::step_sequence again("exec-1", 2);
  (void)again.next("a");
  (void)again.next("b");
  EXPECT_EQ(again.next("a").occurrence, 1u);
}

// ---- Emission -----------------------------------------------------------------------------

span_record closed_record(std::uint64_t n) {
  std::uint8_t bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<std::uint8_t>(n >> (8 * (7 - i)));
  auto r = span_record::open("s", remote_parent(), baton::span_id::from_bytes(bytes), 10);
  (void)r->close(20);
  return *r;
}

TEST(EmissionGuard, DropsRepeats) {
  baton::emission_guard guard(8);
  const span_record a = closed_record(1);
  EXPECT_FALSE(guard.seen(a));
  EXPECT_TRUE(guard.should_emit(a));
  EXPECT_TRUE(guard.seen(a));
  EXPECT_FALSE(guard.should_emit(a));
  EXPECT_FALSE(guard.should_emit(a));
  EXPECT_EQ(guard.repeats(), 2u);
  EXPECT_EQ(guard.size(), 1u);
  // Same span id in another trace is another span.
  span_record other_trace = a;
  other_trace.trace_id = *baton::trace_id::from_hex("0af7651916cd43dd8448eb211c80319c");
  EXPECT_TRUE(guard.should_emit(other_trace));
  // Open or already emitted records never pass (and are not counted as repeats).
  span_record open = closed_record(3);
  open.end_time_unix_nano = 0;
  EXPECT_FALSE(guard.should_emit(open));
  span_record emitted = closed_record(4);
  emitted.emitted = true;
  EXPECT_FALSE(guard.should_emit(emitted));
  EXPECT_EQ(guard.repeats(), 2u);
  EXPECT_EQ(guard.size(), 2u);
  guard.clear();
  EXPECT_EQ(guard.size(), 0u);
  EXPECT_TRUE(guard.should_emit(a));
}

TEST(EmissionGuard, ForgetsTheOldestWhenFull) {
  baton::emission_guard guard(3);
  EXPECT_EQ(guard.capacity(), 3u);
  for (std::uint64_t i = 1; i <= 3; ++i) EXPECT_TRUE(guard.should_emit(closed_record(i)));
  EXPECT_TRUE(guard.should_emit(closed_record(4)));  // forgets 1
  EXPECT_EQ(guard.size(), 3u);
  EXPECT_FALSE(guard.seen(closed_record(1)));
  EXPECT_TRUE(guard.seen(closed_record(2)));
  EXPECT_TRUE(guard.seen(closed_record(4)));
  EXPECT_TRUE(guard.should_emit(closed_record(1)));  // a repeat older than the capacity passes
  EXPECT_FALSE(guard.seen(closed_record(2)));
  EXPECT_EQ(baton::emission_guard(0).capacity(), 1u);
}

TEST(EmissionGuard, MatchesASetUnderRandomUse) {
  // Against a model: a set plus the insertion order, evicting the oldest live pair.
  std::mt19937_64 rng(42);
  baton::emission_guard guard(64);
  std::vector<std::uint64_t> order;
  std::set<std::uint64_t> live;
  for (int i = 0; i < 20000; ++i) {
    const std::uint64_t n = 1 + rng() % 200;
    const span_record r = closed_record(n);
    if (rng() % 5 == 0) {
      const bool was = live.erase(n) != 0;
      EXPECT_EQ(guard.forget(r.trace_id, r.span_id), was);
      continue;
    }
    const bool expect_new = live.count(n) == 0;
    ASSERT_EQ(guard.remember(r.trace_id, r.span_id), expect_new) << i;
    if (expect_new) {
      // The guard's ring overwrites the slot written `capacity` remembers ago.
      order.push_back(n);
      if (order.size() > 64) {
        const std::uint64_t old = order[order.size() - 65];
        // Only evicted if it is still live and was not re-remembered since.
        bool later = false;
        for (std::size_t k = order.size() - 64; k < order.size(); ++k) later |= order[k] == old;
        if (!later) live.erase(old);
      }
      live.insert(n);
    }
    ASSERT_EQ(guard.size(), live.size()) << i;
  }
  for (std::uint64_t n = 1; n <= 200; ++n)
    EXPECT_EQ(guard.seen(closed_record(n)), live.count(n) == 1);
}

TEST(EmitSpan, OnceAndOnlyClosed) {
  collector out;
  span_record r = closed_record(1);
  ASSERT_TRUE(baton::emit_span(r, out));
  EXPECT_TRUE(r.emitted);
  ASSERT_EQ(out.spans.size(), 1u);
  EXPECT_FALSE(out.spans[0].emitted);  // the sink sees the record as it was handed over
  EXPECT_EQ(baton::emit_span(r, out).code(), errc::durable_already_emitted);
  span_record open = closed_record(2);
  open.end_time_unix_nano = 0;
  EXPECT_EQ(baton::emit_span(open, out).code(), errc::durable_span_open);
  EXPECT_EQ(out.spans.size(), 1u);
  // A sink that returns false failed; one that declines says so with durable_emission_dropped.
  span_record refused = closed_record(3);
  EXPECT_EQ(baton::emit_span(refused, [](const span_record&) { return false; }).code(),
            errc::durable_sink_failed);
  EXPECT_FALSE(refused.emitted);
  EXPECT_EQ(baton::emit_span(refused,
                             [](const span_record&) -> baton::result<void> {
                               return errc::durable_emission_dropped;
                             })
                .code(),
            errc::durable_emission_dropped);
  EXPECT_FALSE(refused.emitted);
}

// Something like std::expected<void, std::string>: its error is not a baton error.
struct text_expected {
  bool ok;
  bool has_value() const { return ok; }
  std::string error() const { return "disk full"; }
};

TEST(EmitSpan, SinkErrorsPassOn) {
  span_record r = closed_record(4);
  // A baton error (otlp_json_line_sink returns result<void>) passes on with its offset.
  const baton::result<void> write_failed =
      baton::emit_span(r, [](const span_record&) -> baton::result<void> {
        return {errc::otlp_write_failed, 3};
      });
  EXPECT_EQ(write_failed.code(), errc::otlp_write_failed);
  EXPECT_EQ(write_failed.error().offset, 3u);
  EXPECT_EQ(baton::emit_span(r, [](const span_record&) { return text_expected{false}; }).code(),
            errc::durable_sink_failed);
  EXPECT_FALSE(r.emitted);
  EXPECT_TRUE(baton::emit_span(r, [](const span_record&) { return text_expected{true}; }));
  EXPECT_TRUE(r.emitted);
}

TEST(GuardedSink, PassesFirstDropsRepeatsRetriesFailures) {
  baton::emission_guard guard;
  collector out;
  auto sink = baton::guarded_sink(std::ref(out), guard);
  EXPECT_TRUE(sink(closed_record(1)));
  EXPECT_EQ(sink(closed_record(1)).code(), errc::durable_emission_dropped);  // declined
  span_record open = closed_record(5);
  open.end_time_unix_nano = 0;
  EXPECT_EQ(sink(open).code(), errc::durable_span_open);
  span_record a = closed_record(2), b = closed_record(2);
  EXPECT_TRUE(baton::emit_span(a, sink));
  EXPECT_EQ(baton::emit_span(b, sink).code(), errc::durable_emission_dropped);
  EXPECT_EQ(out.spans.size(), 2u);
  EXPECT_EQ(guard.repeats(), 2u);

  bool fail = true;
  auto flaky = baton::guarded_sink([&](const span_record&) { return !fail; }, guard);
  EXPECT_EQ(flaky(closed_record(9)).code(), errc::durable_sink_failed);  // failed, not declined
  EXPECT_FALSE(guard.seen(closed_record(9)));  // forgotten: a later try may emit it
  fail = false;
  EXPECT_TRUE(flaky(closed_record(9)));
  EXPECT_TRUE(guard.seen(closed_record(9)));
}

// ---- Step helpers -------------------------------------------------------------------------

baton::span_id derived(std::string_view path, std::string_view role, std::uint32_t occurrence = 0,
                       std::uint32_t attempt = 0) {
  return baton::derive_span_id(baton::derivation_key{"exec-1", path, occurrence, attempt, role});
}

TEST(StepWithSpan, MakesTimesAndEmitsTheChildOnce) {
  engine e;
  step_clock clock;
  collector out;
  baton::step_sequence seq("exec-1");
  int runs = 0;
  const std::int64_t v = baton::durable_step_with_span(
      e.step(), "compute", remote_parent(), seq.next("compute"),
      [&] {
        ++runs;
        return std::int64_t{42};
      },
      out, clock);
  EXPECT_EQ(v, 42);
  EXPECT_EQ(runs, 1);
  ASSERT_EQ(out.spans.size(), 1u);
  const span_record& s = out.spans[0];
  EXPECT_EQ(s.name, "compute");
  EXPECT_EQ(s.trace_id, remote_parent().trace_id);
  EXPECT_EQ(s.span_id, derived("compute", "span"));
  EXPECT_EQ(s.parent_span_id, remote_parent().span_id);
  EXPECT_EQ(s.tracestate.header(), "rojo=00f067aa0ba902b7");
  EXPECT_EQ(s.start_time_unix_nano, 1000u);
  EXPECT_EQ(s.end_time_unix_nano, 2000u);
  EXPECT_EQ(s.status.code, baton::span_status_code::unset);
  ASSERT_EQ(e.journal.entries.size(), 1u);
  EXPECT_EQ(e.journal.entries[0].name, "compute");
  EXPECT_EQ(e.journal.entries[0].value, "42");

  // Replay: the stored result, no run, no span, no clock read.
  e.new_invocation();
  baton::step_sequence replay("exec-1");
  const std::int64_t again = baton::durable_step_with_span(
      e.step(), "compute", remote_parent(), replay.next("compute"),
      [&] {
        ++runs;
        return std::int64_t{0};
      },
      out, clock);
  EXPECT_EQ(again, 42);
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(out.spans.size(), 1u);
  EXPECT_EQ(clock.reads, 2);
}

TEST(StepWithSpan, BodyGetsTheSpanAndOccurrencesGetTheirOwnIds) {
  engine e;
  step_clock clock;
  collector out;
  baton::step_sequence seq("exec-1");
  for (int i = 0; i < 3; ++i) {
    baton::durable_step_with_span(
        e.step(), "poll", remote_parent(), seq.next("poll"),
        [&](span_record& span) {
          span.set_attribute("poll.index", i);
          return std::string("p") + std::to_string(i);
        },
        out, clock);
  }
  ASSERT_EQ(out.spans.size(), 3u);
  for (std::uint32_t i = 0; i < 3; ++i) {
    EXPECT_EQ(out.spans[i].span_id, derived("poll", "span", i));
    ASSERT_NE(out.spans[i].find_attribute("poll.index"), nullptr);
    EXPECT_EQ(out.spans[i].find_attribute("poll.index")->value.as_int64(), i);
  }
  EXPECT_EQ(e.journal.entries[2].value, "p2");
}

TEST(StepWithSpan, ReRunAfterACrashHasTheSameIdAndTheGuardDropsIt) {
  engine e;
  step_clock clock;
  collector out;
  baton::emission_guard guard;
  auto sink = baton::guarded_sink(std::ref(out), guard);
  bool crash = true;
  e.hooks.after = [&](std::size_t, std::string_view) {
    return crash ? durable_example::after_step::crash : durable_example::after_step::store;
  };
  auto run = [&] {
    baton::step_sequence seq("exec-1");
    return baton::durable_step_with_span(
        e.step(), "email", remote_parent(), seq.next("email"), [] { return std::string("sent"); },
        sink, clock);
  };
  EXPECT_EQ(run(), "");  // the invocation died before the result was stored
  EXPECT_TRUE(e.journal.entries.empty());
  ASSERT_EQ(out.spans.size(), 1u);  // but the body ran and emitted
  crash = false;
  e.new_invocation();
  EXPECT_EQ(run(), "sent");
  EXPECT_EQ(e.journal.entries.size(), 1u);
  EXPECT_EQ(out.spans.size(), 1u);  // same id: dropped
  EXPECT_EQ(guard.repeats(), 1u);
  EXPECT_EQ(out.spans[0].span_id, derived("email", "span"));
}

TEST(StepWithSpan, EngineRetryInTheSameCallIsASiblingAttempt) {
  step_clock clock;
  collector out;
  int calls = 0;
  // An engine that runs the body until it returns a non-empty string (a retry policy).
  auto retrying = [](std::string_view, auto&& body) {
    std::string r;
    for (int i = 0; i < 3 && r.empty(); ++i) r = body();
    return r;
  };
  baton::step_sequence seq("exec-1");
  const std::string r = baton::durable_step_with_span(
      retrying, "flaky", remote_parent(), seq.next("flaky"),
      [&] { return ++calls < 3 ? std::string() : std::string("ok"); }, out, clock);
  EXPECT_EQ(r, "ok");
  ASSERT_EQ(out.spans.size(), 3u);
  for (std::uint32_t i = 0; i < 3; ++i)
    EXPECT_EQ(out.spans[i].span_id, derived("flaky", "span", 0, i));
}

TEST(StepWithSpan, ErrorResultsAreRecordedAndReturnedUnchanged) {
  engine e;
  step_clock clock;
  collector out;
  baton::step_sequence seq("exec-1");
  auto passthrough = [](std::string_view, auto&& body) { return body(); };
  const baton::result<int> r = baton::durable_step_with_span(
      passthrough, "parse", remote_parent(), seq.next("parse"),
      [] { return baton::result<int>(errc::durable_trigger_malformed, 3); }, out, clock);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), (baton::error{errc::durable_trigger_malformed, 3}));
  ASSERT_EQ(out.spans.size(), 1u);
  EXPECT_EQ(out.spans[0].status.code, baton::span_status_code::error);
  EXPECT_EQ(out.spans[0].status.message, "trigger time is not a base-10 number of milliseconds");

  const baton::result<int> ok = baton::durable_step_with_span(
      passthrough, "parse", remote_parent(), seq.next("parse"),
      [] { return baton::result<int>(7); }, out, clock);
  EXPECT_EQ(*ok, 7);
  EXPECT_EQ(out.spans[1].status.code, baton::span_status_code::unset);

  // Any expected-like type: has_value() and error().
  struct outcome {
    bool ok;
    std::string err;
    bool has_value() const { return ok; }
    const std::string& error() const { return err; }
  };
  const outcome o = baton::durable_step_with_span(
      passthrough, "send", remote_parent(), seq.next("send"),
      [] {
        return outcome{false, "mailbox full"};
      },
      out, clock);
  EXPECT_EQ(o.err, "mailbox full");
  EXPECT_EQ(out.spans[2].status.message, "mailbox full");
  struct coded {
    std::error_code ec;
    bool has_value() const { return !ec; }
    std::error_code error() const { return ec; }
  };
  (void)baton::durable_step_with_span(
      passthrough, "io", remote_parent(), seq.next("io"),
      [] { return coded{std::make_error_code(std::errc::timed_out)}; }, out, clock);
  EXPECT_EQ(out.spans[3].status.message, std::make_error_code(std::errc::timed_out).message());
  // A status the body set itself is kept.
  (void)baton::durable_step_with_span(
      passthrough, "manual", remote_parent(), seq.next("manual"),
      [](span_record& span) {
        span.set_status(baton::span_status_code::ok);
        return 1;
      },
      out, clock);
  EXPECT_EQ(out.spans[4].status.code, baton::span_status_code::ok);
}

TEST(StepWithSpan, VoidFunctionsAndTracingFailures) {
  step_clock clock;
  collector out;
  baton::step_sequence seq("exec-1");
  auto passthrough = [](std::string_view, auto&& body) { return body(); };
  int runs = 0;
  baton::durable_step_with_span(
      passthrough, "v", remote_parent(), seq.next("v"), [&] { ++runs; }, out, clock);
  EXPECT_EQ(runs, 1);
  ASSERT_EQ(out.spans.size(), 1u);

  // No valid parent: the work runs, the span is lost, the error is reported.
  baton::error tracing{};
  baton::durable_options o;
  o.tracing_error = &tracing;
  const int r = baton::durable_step_with_span(
      passthrough, "orphan", baton::span_context{}, seq.next("orphan"),
      [&] {
        ++runs;
        return 5;
      },
      out, clock, o);
  EXPECT_EQ(r, 5);
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(out.spans.size(), 1u);
  EXPECT_EQ(tracing.code, errc::span_record_invalid_parent);

  // A closed parent record makes no child.
  span_record closed_parent = *span_record::open("p", remote_parent(), sid("00000000000000f1"), 1);
  ASSERT_TRUE(closed_parent.close(2));
  tracing = baton::error{};
  EXPECT_EQ(
      baton::durable_step_with_span(
          passthrough, "late", closed_parent, seq.next("late"), [] { return 6; }, out, clock, o),
      6);
  EXPECT_EQ(tracing.code, errc::span_record_closed);
  EXPECT_EQ(out.spans.size(), 1u);

  // A clock that goes backwards gives a zero-length span, never a negative one.
  std::uint64_t times[] = {5000, 4000};
  int k = 0;
  baton::durable_step_with_span(
      passthrough, "skew", remote_parent(), seq.next("skew"), [] { return 0; }, out,
      [&] { return times[k++]; });
  ASSERT_EQ(out.spans.size(), 2u);
  EXPECT_EQ(out.spans[1].start_time_unix_nano, 5000u);
  EXPECT_EQ(out.spans[1].end_time_unix_nano, 5000u);

  // A namespace changes every id.
  baton::durable_options named;
  named.ns = baton::derivation_namespace::from_name("billing");
  baton::durable_step_with_span(
      passthrough, "v", remote_parent(), seq.next("v2"), [] {}, out, clock, named);
  EXPECT_EQ(out.spans[2].span_id,
            baton::derive_span_id(named.ns, baton::derivation_key{"exec-1", "v2", 0, 0, "span"}));
}

#if __cpp_exceptions
struct invoice_error {
  int code;
};

TEST(StepWithSpan, ExceptionsAreRecordedAndRethrownUnchanged) {
  step_clock clock;
  collector out;
  baton::step_sequence seq("exec-1");
  auto passthrough = [](std::string_view, auto&& body) { return body(); };
  try {
    baton::durable_step_with_span(
        passthrough, "boom", remote_parent(), seq.next("boom"),
        []() -> int { throw std::runtime_error("card declined"); }, out, clock);
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "card declined");
  }
  ASSERT_EQ(out.spans.size(), 1u);
  EXPECT_EQ(out.spans[0].status.code, baton::span_status_code::error);
  EXPECT_EQ(out.spans[0].status.message, "card declined");
  EXPECT_TRUE(out.spans[0].is_closed());

  // Not a std::exception: rethrown as is, recorded as "unknown exception".
  try {
    baton::durable_step_with_span(
        passthrough, "boom", remote_parent(), seq.next("boom"), [] { throw invoice_error{17}; },
        out, clock);
    FAIL() << "no exception";
  } catch (const invoice_error& e) {
    EXPECT_EQ(e.code, 17);
  }
  ASSERT_EQ(out.spans.size(), 2u);
  EXPECT_EQ(out.spans[1].status.message, "unknown exception");
  EXPECT_EQ(out.spans[1].span_id, derived("boom", "span", 1));

  // The same exception object reaches the caller.
  std::exception_ptr seen;
  try {
    baton::durable_step_with_span(
        passthrough, "boom", remote_parent(), seq.next("boom"),
        [&] {
          try {
            throw std::logic_error("x");
          } catch (...) {
            seen = std::current_exception();
            throw;
          }
        },
        out, clock);
  } catch (...) {
    EXPECT_EQ(std::current_exception(), seen);
  }
}
#endif

TEST(OpenCloseSpan, ParentOpenedAndClosedInStepsOfTheirOwn) {
  engine e;
  step_clock clock;
  collector out;
  baton::emission_guard guard;
  auto sink = baton::guarded_sink(std::ref(out), guard);

  baton::step_sequence seq("exec-1");
  baton::result<span_record> parent = baton::durable_open_span(
      e.step(), "invoiceCustomer", remote_parent(), seq.next("invoiceCustomer"), clock);
  ASSERT_TRUE(parent);
  EXPECT_TRUE(out.spans.empty());  // nothing emitted while open
  EXPECT_EQ(parent->name, "invoiceCustomer");
  EXPECT_EQ(parent->span_id, derived("invoiceCustomer", "parent"));
  EXPECT_EQ(parent->parent_span_id, remote_parent().span_id);
  EXPECT_EQ(parent->start_time_unix_nano, 1000u);
  EXPECT_TRUE(parent->is_open());
  ASSERT_EQ(e.journal.entries.size(), 1u);
  EXPECT_EQ(e.journal.entries[0].value, baton::encode_span_token(*parent));

  baton::durable_step_with_span(
      e.step(), "child", *parent, seq.next("child"), [] { return 1; }, sink, clock);
  ASSERT_TRUE(baton::durable_close_span(e.step(), "invoiceCustomer.close", *parent, sink, clock));
  EXPECT_TRUE(parent->is_closed());
  EXPECT_TRUE(parent->emitted);
  EXPECT_EQ(parent->start_time_unix_nano, 1000u);
  EXPECT_EQ(parent->end_time_unix_nano, 4000u);
  ASSERT_EQ(out.spans.size(), 2u);
  EXPECT_EQ(out.spans[0].parent_span_id, parent->span_id);
  EXPECT_EQ(out.spans[1].span_id, parent->span_id);
  EXPECT_EQ(out.spans[1].end_time_unix_nano, 4000u);
  EXPECT_EQ(baton::durable_close_span(e.step(), "again", *parent, sink, clock).code(),
            errc::span_record_closed);
  EXPECT_EQ(e.journal.entries.size(), 3u);  // no step for the refused close

  // Replay from the top: the same records, nothing emitted, no clock read.
  const int reads = clock.reads;
  e.new_invocation();
  baton::step_sequence replay("exec-1");
  auto p2 = baton::durable_open_span(e.step(), "invoiceCustomer", remote_parent(),
                                     replay.next("invoiceCustomer"), clock);
  ASSERT_TRUE(p2);
  EXPECT_TRUE(p2->is_open());
  baton::durable_step_with_span(
      e.step(), "child", *p2, replay.next("child"), [] { return 1; }, sink, clock);
  ASSERT_TRUE(baton::durable_close_span(e.step(), "invoiceCustomer.close", *p2, sink, clock));
  EXPECT_EQ(*p2, *parent);
  EXPECT_EQ(out.spans.size(), 2u);
  EXPECT_EQ(clock.reads, reads);
}

TEST(OpenCloseSpan, RootWhenNoIncomingContextAndStatus) {
  auto passthrough = [](std::string_view, auto&& body) { return body(); };
  step_clock clock;
  collector out;
  baton::step_sequence seq("exec-1");
  auto root =
      baton::durable_open_span(passthrough, "job", baton::span_context{}, seq.next("job"), clock);
  ASSERT_TRUE(root);
  EXPECT_TRUE(root->is_root());
  EXPECT_EQ(root->trace_id, baton::derive_trace_id("exec-1"));
  EXPECT_EQ(root->flags.raw(), 0x03);  // sampled, random
  EXPECT_EQ(root->span_id, derived("job", "parent"));
  ASSERT_TRUE(baton::durable_close_span(passthrough, "job.close", *root, out, clock,
                                        baton::span_status_code::error, "gave up"));
  EXPECT_EQ(out.spans.at(0).status.message, "gave up");
  EXPECT_EQ(root->status.code, baton::span_status_code::error);
}

TEST(OpenCloseSpan, StoredResultsThatAreNotTokens) {
  step_clock clock;
  collector out;
  baton::step_sequence seq("exec-1");
  auto stored = [](std::string value) {
    return [value](std::string_view, auto&&) { return value; };
  };
  EXPECT_EQ(
      baton::durable_open_span(stored("!x"), "p", remote_parent(), seq.next("p"), clock).code(),
      errc::durable_step_result_invalid);
  EXPECT_EQ(
      baton::durable_open_span(stored("!0"), "p", remote_parent(), seq.next("p"), clock).code(),
      errc::durable_step_result_invalid);
  EXPECT_EQ(
      baton::durable_open_span(stored("!999"), "p", remote_parent(), seq.next("p"), clock).code(),
      errc::durable_step_result_invalid);
  EXPECT_EQ(
      baton::durable_open_span(stored("!203"), "p", remote_parent(), seq.next("p"), clock).code(),
      errc::durable_trigger_in_future);
  EXPECT_EQ(baton::durable_open_span(stored(""), "p", remote_parent(), seq.next("p"), clock).code(),
            baton::decode_span_token("").code());
  span_record open = *baton::durable_open_span([](std::string_view, auto&& b) { return b(); }, "p",
                                               remote_parent(), seq.next("p"), clock);
  EXPECT_FALSE(baton::durable_close_span(stored("bs1.AAAA"), "c", open, out, clock));
  EXPECT_TRUE(open.is_open());  // unchanged on error
  EXPECT_EQ(clock.reads, 1);
}

TEST(BootSpan, EmittedOnceWithTheFirstInvocationsNow) {
  engine e;
  collector out;
  baton::baggage b;
  ASSERT_TRUE(baton::stamp_trigger_time(b, 1750000000000));
  step_clock clock;
  clock.next = 1750000000326000000;
  baton::step_sequence seq("exec-1");
  auto boot = baton::durable_boot_span(e.step(), remote_parent(), b, seq.next("orchestrate.boot"),
                                       out, clock);
  ASSERT_TRUE(boot);
  EXPECT_EQ(boot->duration_unix_nano(), 326000000u);
  EXPECT_EQ(boot->span_id, derived("orchestrate.boot", "boot"));
  EXPECT_TRUE(boot->emitted);
  ASSERT_EQ(out.spans.size(), 1u);
  EXPECT_EQ(out.spans[0].name, "orchestrate.boot");
  e.new_invocation();
  baton::step_sequence replay("exec-1");
  auto again = baton::durable_boot_span(e.step(), remote_parent(), b,
                                        replay.next("orchestrate.boot"), out, clock);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *boot);
  EXPECT_EQ(out.spans.size(), 1u);
}

TEST(BootSpan, Errors) {
  engine e;
  collector out;
  step_clock clock;
  baton::step_sequence seq("exec-1");
  baton::baggage none;
  EXPECT_EQ(
      baton::durable_boot_span(e.step(), remote_parent(), none, seq.next("b"), out, clock).code(),
      errc::durable_trigger_missing);
  baton::baggage b = baton::baggage::parse("triggeredAt=1750000000000");
  EXPECT_EQ(baton::durable_boot_span(e.step(), baton::span_context{}, b, seq.next("b"), out, clock)
                .code(),
            errc::span_record_invalid_parent);
  EXPECT_TRUE(e.journal.entries.empty());  // decided before any step
  // In the future: decided in the first run and stored, so every replay agrees.
  EXPECT_EQ(
      baton::durable_boot_span(e.step(), remote_parent(), b, seq.next("b"), out, clock).code(),
      errc::durable_trigger_in_future);
  ASSERT_EQ(e.journal.entries.size(), 1u);
  EXPECT_EQ(e.journal.entries[0].value, "!203");
  EXPECT_TRUE(out.spans.empty());
}

// ---- Review fixes: sinks, clocks, retries, covering, limits ---------------------------------

// A clock that returns the given times in order (then the last one again).
struct script_clock {
  std::vector<std::uint64_t> times;
  std::size_t next = 0;
  std::uint64_t operator()() {
    const std::uint64_t t = times[next < times.size() ? next : times.size() - 1];
    ++next;
    return t;
  }
};

TEST(StepWithSpan, FailingSinksAreReportedRepeatsAreNot) {
  auto passthrough = [](std::string_view, auto&& body) { return body(); };
  step_clock clock;
  baton::step_sequence seq("exec-1");
  baton::error tracing{};
  baton::durable_options o;
  o.tracing_error = &tracing;
  int runs = 0;
  auto work = [&] { return ++runs; };

  EXPECT_EQ(baton::durable_step_with_span(
                passthrough, "a", remote_parent(), seq.next("a"), work,
                [](const span_record&) { return false; }, clock, o),
            1);
  EXPECT_EQ(tracing.code, errc::durable_sink_failed);

  tracing = {};
  auto otlp_like = [](const span_record&) -> baton::result<void> {
    return errc::otlp_write_failed;
  };
  EXPECT_EQ(baton::durable_step_with_span(passthrough, "a", remote_parent(), seq.next("a"), work,
                                          otlp_like, clock, o),
            2);
  EXPECT_EQ(tracing.code, errc::otlp_write_failed);

  // A repeat declined by a guard is the guard doing its job: nothing is reported.
  tracing = {};
  collector out;
  baton::emission_guard guard;
  auto sink = baton::guarded_sink(std::ref(out), guard);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(
        baton::durable_step_with_span(passthrough, "same", remote_parent(),
                                      baton::step_identity{"exec-1", "same"}, work, sink, clock, o),
        3 + i);
  }
  EXPECT_EQ(tracing.code, errc::ok);
  EXPECT_EQ(out.spans.size(), 1u);
  EXPECT_EQ(guard.repeats(), 1u);

  // Boot and close report a failing sink too (their results do not carry it).
  baton::baggage b = baton::baggage::parse("triggeredAt=1");  // 1 ms: the clock is moved after it
  clock.next = 5000000;
  auto boot = baton::durable_boot_span(
      passthrough, remote_parent(), b, seq.next("boot"), [](const span_record&) { return false; },
      clock, {}, o);
  ASSERT_TRUE(boot);
  EXPECT_FALSE(boot->emitted);
  EXPECT_EQ(tracing.code, errc::durable_sink_failed);
  tracing = {};
  span_record parent =
      *baton::durable_open_span(passthrough, "p", remote_parent(), seq.next("p"), clock);
  ASSERT_TRUE(baton::durable_close_span(passthrough, "p.close", parent, otlp_like, clock,
                                        baton::span_status_code::unset, {}, o));
  EXPECT_TRUE(parent.is_closed());
  EXPECT_FALSE(parent.emitted);
  EXPECT_EQ(tracing.code, errc::otlp_write_failed);
}

TEST(StepWithSpan, BodyThatClosesItsSpanStillEmitsIt) {
  auto passthrough = [](std::string_view, auto&& body) { return body(); };
  step_clock clock;
  collector out;
  baton::step_sequence seq("exec-1");
  EXPECT_EQ(baton::durable_step_with_span(
                passthrough, "self", remote_parent(), seq.next("self"),
                [](span_record& span) {
                  EXPECT_TRUE(span.close(1500));
                  return std::string("y");
                },
                out, clock),
            "y");
  ASSERT_EQ(out.spans.size(), 1u);
  EXPECT_EQ(out.spans[0].start_time_unix_nano, 1000u);
  EXPECT_EQ(out.spans[0].end_time_unix_nano, 1500u);  // the body's end, not a second now()
  EXPECT_EQ(clock.reads, 1);

  // A body that emitted its span itself: not emitted twice.
  baton::durable_step_with_span(
      passthrough, "own", remote_parent(), seq.next("own"),
      [&](span_record& span) {
        EXPECT_TRUE(span.close(clock()));
        EXPECT_TRUE(baton::emit_span(span, out));
      },
      out, clock);
  EXPECT_EQ(out.spans.size(), 2u);
}

TEST(StepWithSpan, UnsampledSpansAreEmittedForTheSinkToFilter) {
  auto passthrough = [](std::string_view, auto&& body) { return body(); };
  step_clock clock;
  collector out;
  baton::span_context unsampled = remote_parent();
  unsampled.flags = baton::trace_flags();
  baton::durable_step_with_span(
      passthrough, "work", unsampled, baton::step_identity{"exec-1", "work"}, [] { return 1; }, out,
      clock);
  ASSERT_EQ(out.spans.size(), 1u);
  EXPECT_FALSE(out.spans[0].flags.sampled());
  // The filter is the sink's: one that exports sampled spans only.
  std::vector<span_record> exported;
  auto sampled_only = [&](const span_record& r) {
    if (r.flags.sampled()) exported.push_back(r);
  };
  baton::durable_step_with_span(
      passthrough, "work", unsampled, baton::step_identity{"exec-1", "work", 1}, [] { return 1; },
      sampled_only, clock);
  EXPECT_TRUE(exported.empty());
}

// The engine retries a failed step in a later invocation (the failure is not stored). With the
// engine's attempt number, the retry gets its own span id; without it, the retry reused the
// failed run's id and the guard dropped the successful span.
TEST(DurableTracer, EngineAttemptAcrossInvocations) {
  engine e;
  step_clock clock;
  collector out;
  baton::emission_guard guard;
  auto sink = baton::guarded_sink(std::ref(out), guard);
  std::uint32_t attempt = 0;
  e.hooks.after = [&](std::size_t, std::string_view name) {
    // The engine does not store a failed "charge": it retries it in the next invocation.
    return name == "charge" && attempt == 0 ? durable_example::after_step::crash
                                            : durable_example::after_step::store;
  };
  auto run = [&] {
    baton::durable_tracer tracer(e.step(), "exec-1", std::ref(sink), std::ref(clock));
    auto parent = tracer.open_span("parent", remote_parent());
    const std::string charged =
        tracer.step("charge", *parent, attempt, [&](span_record& span) -> std::string {
          if (attempt == 0) {  // a transient failure
            span.set_status(baton::span_status_code::error, "declined");
            return "";
          }
          return "7";
        });
    if (charged.empty()) return;
    EXPECT_TRUE(tracer.close_span(*parent));
  };
  run();
  attempt = 1;
  e.new_invocation();
  run();
  ASSERT_EQ(out.spans.size(), 3u);
  EXPECT_EQ(out.spans[0].span_id, derived("charge", "span", 0, 0));
  EXPECT_EQ(out.spans[0].status.code, baton::span_status_code::error);
  EXPECT_EQ(out.spans[1].span_id, derived("charge", "span", 0, 1));
  EXPECT_EQ(out.spans[1].status.code, baton::span_status_code::unset);
  EXPECT_EQ(out.spans[2].name, "parent");
  EXPECT_EQ(guard.repeats(), 0u);
}

// Invocation 2 runs on a host whose clock is behind the one that opened the parent, and its
// clock also steps back before the close: the child starts inside the parent, and the parent
// ends no earlier than the child.
TEST(DurableTracer, ParentCoversChildrenWhenClocksGoBackwards) {
  engine e;
  script_clock clock{{10000}};
  collector out;
  {
    baton::durable_tracer tracer(e.step(), "exec-1", std::ref(out), std::ref(clock));
    ASSERT_TRUE(tracer.open_span("parent", remote_parent()));  // then the invocation suspends
  }
  e.new_invocation();
  clock = script_clock{{8000, 20000, 15000}};  // child start, child end, close
  baton::durable_tracer tracer(e.step(), "exec-1", std::ref(out), std::ref(clock));
  auto parent = tracer.open_span("parent", remote_parent());
  ASSERT_TRUE(parent);
  tracer.step("child", *parent, [] { return 1; });
  EXPECT_EQ(tracer.latest_child_end(parent->span_id), 20000u);
  ASSERT_TRUE(tracer.close_span(*parent));
  ASSERT_EQ(out.spans.size(), 2u);
  EXPECT_EQ(out.spans[0].start_time_unix_nano, 10000u);  // 8000: before its parent
  EXPECT_EQ(out.spans[0].end_time_unix_nano, 20000u);
  EXPECT_EQ(out.spans[1].start_time_unix_nano, 10000u);
  EXPECT_EQ(out.spans[1].end_time_unix_nano, 20000u);  // 15000: before its child's end
}

// A nested parent closed in an earlier invocation: the outer parent learns its end from the
// replayed close (a token carries the times), and from nothing else of that invocation.
TEST(DurableTracer, NestedParentEndFromAReplayedClose) {
  engine e;
  script_clock clock{{100, 200, 900}};
  collector out;
  {
    baton::durable_tracer tracer(e.step(), "exec-1", std::ref(out), std::ref(clock));
    auto outer = tracer.open_span("outer", remote_parent());
    auto inner = tracer.open_span("inner", *outer);
    ASSERT_TRUE(tracer.close_span(*inner));
  }
  e.new_invocation();
  clock = script_clock{{50}};  // a host far behind
  baton::durable_tracer tracer(e.step(), "exec-1", std::ref(out), std::ref(clock));
  auto outer = tracer.open_span("outer", remote_parent());
  auto inner = tracer.open_span("inner", *outer);
  ASSERT_TRUE(tracer.close_span(*inner));  // replayed
  EXPECT_EQ(tracer.latest_child_end(outer->span_id), 900u);
  ASSERT_TRUE(tracer.close_span(*outer));
  EXPECT_EQ(outer->start_time_unix_nano, 100u);
  EXPECT_EQ(outer->end_time_unix_nano, 900u);
  ASSERT_EQ(out.spans.size(), 2u);

  // A nested parent opened on a host behind its outer parent starts inside it.
  script_clock late{{5}};
  auto passthrough = [](std::string_view, auto&& body) { return body(); };
  span_record open_outer = *span_record::open("o", remote_parent(), sid("00000000000000a1"), 70);
  auto nested = baton::durable_open_span(passthrough, "n", open_outer,
                                         baton::step_identity{"exec-1", "n"}, late);
  ASSERT_TRUE(nested);
  EXPECT_EQ(nested->start_time_unix_nano, 70u);
  EXPECT_EQ(nested->parent_span_id, open_outer.span_id);
  // durable_close_span takes the bound itself.
  ASSERT_TRUE(baton::durable_close_span(passthrough, "n.close", *nested, out, late,
                                        baton::span_status_code::unset, {}, {}, 400));
  EXPECT_EQ(nested->end_time_unix_nano, 400u);
}

// Records made under raised limits are read back under the same limits on replays.
TEST(OpenCloseSpan, StoredTokensDecodeWithTheCallersLimits) {
  engine e;
  step_clock clock;
  collector out;
  baton::durable_options o;
  o.limits.max_name_size = 4096;
  const std::string name(1500, 'n');
  auto opened = baton::durable_open_span(e.step(), name, remote_parent(),
                                         baton::step_identity{"exec-1", "p"}, clock, o);
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->name, name);
  ASSERT_TRUE(baton::durable_close_span(e.step(), "p.close", *opened, out, clock,
                                        baton::span_status_code::unset, {}, o));
  EXPECT_TRUE(opened->is_closed());
  // With the default limits the same token is refused.
  EXPECT_FALSE(baton::decode_span_token(e.journal.entries[0].value));

  baton::queue_wait_options wait;
  wait.name = name;
  wait.limits.max_name_size = 4096;
  baton::baggage b = baton::baggage::parse("triggeredAt=1");  // 1 ms: the clock is moved after it
  clock.next = 5000000;
  auto boot = baton::durable_boot_span(e.step(), remote_parent(), b,
                                       baton::step_identity{"exec-1", "boot"}, out, clock, wait);
  ASSERT_TRUE(boot);
  EXPECT_EQ(boot->name, name);
  e.new_invocation();
  auto replayed = baton::durable_open_span(e.step(), name, remote_parent(),
                                           baton::step_identity{"exec-1", "p"}, clock, o);
  ASSERT_TRUE(replayed);
  EXPECT_EQ(replayed->name, name);
}

#if __cpp_exceptions
// Tracing never stops the work, runs it again or changes its outcome: a sink or a clock that
// throws after fn succeeded leaves fn's result returned and stored.
TEST(StepWithSpan, ThrowingSinkOrClockNeverFailsTheStep) {
  engine e;
  step_clock clock;
  baton::error tracing{};
  baton::durable_options o;
  o.tracing_error = &tracing;
  int emails = 0;
  auto throwing = [](const span_record&) { throw std::runtime_error("collector down"); };
  auto email = [&] {
    ++emails;
    return std::string("sent");
  };
  baton::step_sequence seq("exec-1");
  EXPECT_EQ(baton::durable_step_with_span(e.step(), "email", remote_parent(), seq.next("email"),
                                          email, throwing, clock, o),
            "sent");
  EXPECT_EQ(emails, 1);
  ASSERT_EQ(e.journal.entries.size(), 1u);
  EXPECT_EQ(e.journal.entries[0].value, "sent");
  EXPECT_EQ(tracing.code, errc::durable_sink_failed);

  // The clock throws when the span is closed: the result is kept, the span lost.
  collector out;
  int reads = 0;
  auto end_fails = [&]() -> std::uint64_t {
    if (++reads == 2) throw std::runtime_error("no clock");
    return 1000;
  };
  tracing = {};
  EXPECT_EQ(baton::durable_step_with_span(e.step(), "email", remote_parent(), seq.next("email"),
                                          email, out, end_fails, o),
            "sent");
  EXPECT_EQ(emails, 2);
  EXPECT_TRUE(out.spans.empty());
  EXPECT_EQ(tracing.code, errc::durable_clock_failed);

  // The clock throws when the span is opened: fn runs without a span.
  auto always_fails = []() -> std::uint64_t { throw std::runtime_error("no clock"); };
  tracing = {};
  EXPECT_EQ(baton::durable_step_with_span(e.step(), "email", remote_parent(), seq.next("email"),
                                          email, out, always_fails, o),
            "sent");
  EXPECT_EQ(emails, 3);
  EXPECT_EQ(tracing.code, errc::durable_clock_failed);
  EXPECT_EQ(e.journal.entries.size(), 3u);

  // fn throws and so does the sink: fn's exception reaches the caller.
  try {
    baton::durable_step_with_span(
        e.step(), "boom", remote_parent(), seq.next("boom"),
        []() -> int { throw std::invalid_argument("card declined"); }, throwing, clock, o);
    FAIL() << "no exception";
  } catch (const std::invalid_argument& ex) {
    EXPECT_STREQ(ex.what(), "card declined");
  }

  // A guarded sink whose inner sink throws forgets the pair: a later try can emit it.
  baton::emission_guard guard;
  auto guarded = baton::guarded_sink(throwing, guard);
  tracing = {};
  baton::durable_step_with_span(
      e.step(), "g", remote_parent(), baton::step_identity{"x", "g"}, [] { return 1; }, guarded,
      clock, o);
  EXPECT_EQ(tracing.code, errc::durable_sink_failed);
  EXPECT_EQ(guard.size(), 0u);

  // The helpers' own steps: a throwing clock is stored as an error, a throwing sink reported.
  auto passthrough = [](std::string_view, auto&& body) { return body(); };
  EXPECT_EQ(
      baton::durable_open_span(e.step(), "p", remote_parent(), seq.next("p"), always_fails).code(),
      errc::durable_clock_failed);
  EXPECT_EQ(e.journal.entries.back().value, "!209");
  span_record parent =
      *baton::durable_open_span(passthrough, "p", remote_parent(), seq.next("p"), clock);
  tracing = {};
  ASSERT_TRUE(baton::durable_close_span(passthrough, "p.close", parent, throwing, clock,
                                        baton::span_status_code::unset, {}, o));
  EXPECT_TRUE(parent.is_closed());
  EXPECT_FALSE(parent.emitted);
  EXPECT_EQ(tracing.code, errc::durable_sink_failed);
  baton::baggage b = baton::baggage::parse("triggeredAt=1");  // 1 ms: the clock is moved after it
  clock.next = 5000000;
  tracing = {};
  auto boot = baton::durable_boot_span(passthrough, remote_parent(), b, seq.next("boot"), throwing,
                                       clock, {}, o);
  ASSERT_TRUE(boot);
  EXPECT_FALSE(boot->emitted);
  EXPECT_EQ(tracing.code, errc::durable_sink_failed);
  EXPECT_EQ(
      baton::durable_boot_span(passthrough, remote_parent(), b, seq.next("boot"), out, always_fails)
          .code(),
      errc::durable_clock_failed);
}

// The same retry as DurableTracer.EngineAttemptAcrossInvocations, with an exception.
TEST(DurableTracer, EngineAttemptAfterAnException) {
  engine e;
  step_clock clock;
  collector out;
  baton::emission_guard guard;
  auto sink = baton::guarded_sink(std::ref(out), guard);
  std::uint32_t attempt = 0;
  for (; attempt < 2; ++attempt) {
    e.new_invocation();
    baton::durable_tracer tracer(e.step(), "exec-1", std::ref(sink), std::ref(clock));
    auto parent = tracer.open_span("parent", remote_parent());
    try {
      tracer.step("charge", *parent, attempt, [&] {
        if (attempt == 0) throw std::runtime_error("transient");
        return 7;
      });
    } catch (const std::runtime_error&) {
      continue;  // the invocation fails; the engine retries the step later
    }
    EXPECT_TRUE(tracer.close_span(*parent));
  }
  ASSERT_EQ(out.spans.size(), 3u);
  EXPECT_EQ(out.spans[0].span_id, derived("charge", "span", 0, 0));
  EXPECT_EQ(out.spans[0].status.message, "transient");
  EXPECT_EQ(out.spans[1].span_id, derived("charge", "span", 0, 1));
  EXPECT_EQ(guard.repeats(), 0u);
}
#endif

// ---- Links --------------------------------------------------------------------------------

TEST(Links, ContinueAsNew) {
  const baton::trace_id next = *baton::trace_id::from_hex("0af7651916cd43dd8448eb211c80319c");
  auto r = baton::open_continuation("generation", remote_parent(), next, sid("00000000000000c1"),
                                    baton::trace_flags().with_sampled(true), 77);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->is_root());
  EXPECT_EQ(r->trace_id, next);
  EXPECT_EQ(r->start_time_unix_nano, 77u);
  ASSERT_EQ(r->links.size(), 1u);
  EXPECT_EQ(r->links[0].context, remote_parent());
  ASSERT_EQ(r->links[0].attributes.size(), 1u);
  EXPECT_EQ(r->links[0].attributes[0].key, "baton.link.kind");
  EXPECT_EQ(r->links[0].attributes[0].value.as_string(), "continue_as_new");
  EXPECT_EQ(baton::open_continuation("g", remote_parent(), baton::trace_id{},
                                     sid("00000000000000c1"), {}, 1)
                .code(),
            errc::span_record_zero_id);

  auto d = baton::open_continuation("generation", remote_parent(), "exec-2", 99);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->trace_id, baton::derive_trace_id("exec-2"));
  EXPECT_EQ(d->span_id,
            baton::derive_span_id(baton::derivation_key{"exec-2", "generation", 0, 0, "parent"}));
  EXPECT_EQ(d->flags.raw(), 0x03);
  EXPECT_EQ(d->links.size(), 1u);
  auto first = baton::open_continuation("generation", baton::span_context{}, "exec-2", 99);
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->links.empty());
  EXPECT_TRUE(first->flags.sampled());
}

TEST(Links, Batch) {
  auto r = span_record::open("consume", remote_parent(), sid("00000000000000d1"), 5);
  ASSERT_TRUE(r);
  std::vector<baton::span_context> batch(3, remote_parent());
  batch[1] = baton::span_context{};  // invalid: dropped
  batch[2].span_id = sid("00000000000000e2");
  EXPECT_EQ(baton::add_batch_links(*r, batch), 2u);
  ASSERT_EQ(r->links.size(), 2u);
  EXPECT_EQ(r->links[1].context.span_id, sid("00000000000000e2"));
  EXPECT_EQ(r->links[1].attributes[0].value.as_string(), "batch");
  EXPECT_EQ(r->dropped_links_count, 1u);
  baton::span_limits small;
  small.max_links = 3;
  EXPECT_EQ(baton::add_batch_links(*r, batch.data(), 1, small), 1u);
  EXPECT_EQ(baton::add_batch_links(*r, batch.data(), 1, small), 0u);
  EXPECT_EQ(r->dropped_links_count, 2u);
}

// ---- Together -----------------------------------------------------------------------------

TEST(DurableTracer, BindsOneExecution) {
  engine e;
  step_clock clock;
  clock.next = 1750000000500000000;
  collector out;
  baton::baggage b;
  ASSERT_TRUE(baton::stamp_trigger_time(b, 1750000000000));
  auto run = [&] {
    baton::durable_tracer tracer(e.step(), "exec-1", std::ref(out), std::ref(clock));
    EXPECT_TRUE(tracer.boot_span(remote_parent(), b));
    auto parent = tracer.open_span("invoiceCustomer", remote_parent());
    const int a = tracer.step("work", *parent, [] { return 1; });
    const int c = tracer.step("work", *parent, [] { return 2; });
    EXPECT_TRUE(tracer.close_span(*parent));
    EXPECT_EQ(tracer.sequence().count("work"), 2u);
    return a + c;
  };
  EXPECT_EQ(run(), 3);
  ASSERT_EQ(out.spans.size(), 4u);
  EXPECT_EQ(out.spans[1].span_id, derived("work", "span", 0));
  EXPECT_EQ(out.spans[2].span_id, derived("work", "span", 1));
  EXPECT_EQ(out.spans[3].name, "invoiceCustomer");
  EXPECT_EQ(e.journal.entries.back().name, "invoiceCustomer.close");
  e.new_invocation();
  EXPECT_EQ(run(), 3);
  EXPECT_EQ(out.spans.size(), 4u);
}

TEST(DurableErrors, NamesAndMessages) {
  const std::pair<errc, const char*> names[] = {
      {errc::durable_trigger_missing, "durable_trigger_missing"},
      {errc::durable_trigger_malformed, "durable_trigger_malformed"},
      {errc::durable_trigger_out_of_range, "durable_trigger_out_of_range"},
      {errc::durable_trigger_in_future, "durable_trigger_in_future"},
      {errc::durable_span_open, "durable_span_open"},
      {errc::durable_already_emitted, "durable_already_emitted"},
      {errc::durable_emission_dropped, "durable_emission_dropped"},
      {errc::durable_step_result_invalid, "durable_step_result_invalid"},
      {errc::durable_sink_failed, "durable_sink_failed"},
      {errc::durable_clock_failed, "durable_clock_failed"},
      {errc::durable_tracing_failed, "durable_tracing_failed"},
  };
  unsigned number = 200;
  for (const auto& n : names) {
    EXPECT_EQ(static_cast<unsigned>(n.first), number++);
    EXPECT_EQ(baton::to_string(n.first), n.second);
    EXPECT_NE(baton::message(n.first), "unknown error");
  }
  EXPECT_EQ(baton::message(errc::durable_trigger_in_future), "trigger time is later than now");
}

}  // namespace
