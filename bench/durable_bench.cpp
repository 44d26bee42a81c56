// Durable step helpers. The round that matters: one step with a span, i.e. derive the span id,
// open the child record under the parent, run the step, close it, and encode it as an OTLP/JSON
// line (into a reused buffer; the writer discards it). Baseline in the same binary: the same
// round written by hand with a random span id (span_id::random, span_record::open, close,
// append_otlp_json), which is what the work costs without the helper and without determinism.
// Also: the same round through an emission guard, the parent opened and closed in steps (a
// token encoded and decoded each), the queue-wait span from baggage, and the guard alone.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "alloc_counter.hpp"
#include "baton/durable.hpp"
#include "baton/otlp_json.hpp"
#include "baton/virtual_span.hpp"

namespace {

constexpr std::string_view exec_id = "3f2b8c1e-9a4d-4f6b-8e2a-7c5d1b0e9f43";

// An engine step that always runs its body (the first run of every step).
struct run_step {
  template <class Body>
  auto operator()(std::string_view, Body&& body) const {
    return body();
  }
};

struct discard_writer {
  std::size_t bytes = 0;
  void operator()(std::string_view line) { bytes += line.size(); }
};

baton::span_record parent_record() {
  const baton::span_context incoming{*baton::trace_id::from_hex("4bf92f3577b34da6a3ce929d0e0e4736"),
                                     *baton::span_id::from_hex("00f067aa0ba902b7"),
                                     baton::trace_flags().with_sampled(true),
                                     {},
                                     true};
  return *baton::span_record::open("invoiceCustomer", incoming,
                                   *baton::span_id::from_hex("42ce96819e4e747a"),
                                   1750000000000000000u);
}

struct fake_clock {
  std::uint64_t ns = 1750000000000000000u;
  std::uint64_t operator()() { return ns += 1000; }
};

void step_with_span_round(benchmark::State& state) {
  const baton::span_record parent = parent_record();
  baton::otlp_json_line_sink<discard_writer> sink(discard_writer{}, {"invoice-orchestrator", {}});
  fake_clock clock;
  baton::step_identity id{exec_id, "emailCustomerInvoice", 0, 0};
  baton_bench::alloc_scope scope(state);
  for (auto _ : state) {
    const int r = baton::durable_step_with_span(
        run_step{}, "emailCustomerInvoice", parent, id, [] { return 1; }, sink, clock);
    benchmark::DoNotOptimize(r);
    id.occurrence = (id.occurrence + 1) & 1023;
  }
  benchmark::DoNotOptimize(sink.writer().bytes);
}
BENCHMARK(step_with_span_round);

// Baseline: the same work by hand, with a random id.
void baseline_random_id_round(benchmark::State& state) {
  const baton::span_record parent = parent_record();
  baton::otlp_json_line_sink<discard_writer> sink(discard_writer{}, {"invoice-orchestrator", {}});
  fake_clock clock;
  baton_bench::alloc_scope scope(state);
  for (auto _ : state) {
    baton::result<baton::span_record> child = baton::span_record::open(
        "emailCustomerInvoice", parent.context(), baton::span_id::random(), clock());
    int r = 1;
    benchmark::DoNotOptimize(r);
    (void)child->close(clock());
    (void)sink(*child);
    child->emitted = true;
    benchmark::DoNotOptimize(child->emitted);
  }
  benchmark::DoNotOptimize(sink.writer().bytes);
}
BENCHMARK(baseline_random_id_round);

void step_with_span_round_guarded(benchmark::State& state) {
  const baton::span_record parent = parent_record();
  baton::otlp_json_line_sink<discard_writer> otlp(discard_writer{}, {"invoice-orchestrator", {}});
  baton::emission_guard guard;
  auto sink = baton::guarded_sink(std::ref(otlp), guard);
  fake_clock clock;
  baton::step_identity id{exec_id, "emailCustomerInvoice", 0, 0};
  baton_bench::alloc_scope scope(state);
  for (auto _ : state) {
    const int r = baton::durable_step_with_span(
        run_step{}, "emailCustomerInvoice", parent, id, [] { return 1; }, sink, clock);
    benchmark::DoNotOptimize(r);
    ++id.occurrence;  // always a new span: the guard remembers it, forgetting the oldest
  }
  benchmark::DoNotOptimize(otlp.writer().bytes);
}
BENCHMARK(step_with_span_round_guarded);

// A parent opened in a step (token encoded, then decoded) and closed in a step (encoded,
// emitted, decoded).
void open_close_parent_round(benchmark::State& state) {
  const baton::span_record incoming = parent_record();
  baton::otlp_json_line_sink<discard_writer> sink(discard_writer{}, {"invoice-orchestrator", {}});
  fake_clock clock;
  baton::step_identity id{exec_id, "invoiceCustomer", 0, 0};
  baton_bench::alloc_scope scope(state);
  for (auto _ : state) {
    baton::result<baton::span_record> p =
        baton::durable_open_span(run_step{}, "invoiceCustomer", incoming.context(), id, clock);
    (void)baton::durable_close_span(run_step{}, "invoiceCustomer.close", *p, sink, clock);
    benchmark::DoNotOptimize(p->end_time_unix_nano);
  }
}
BENCHMARK(open_close_parent_round);

void queue_wait_span(benchmark::State& state) {
  const baton::span_record parent = parent_record();
  baton::baggage entries;
  (void)baton::stamp_trigger_time(entries, 1750000000000);
  (void)entries.set("tenant", "acme");
  const baton::span_id id = *baton::span_id::from_hex("2c5a310aa295f541");
  baton_bench::alloc_scope scope(state);
  for (auto _ : state) {
    baton::result<baton::span_record> r =
        baton::make_queue_wait_span(parent.context(), entries, id, 1750000000326000000u);
    benchmark::DoNotOptimize(r->start_time_unix_nano);
  }
}
BENCHMARK(queue_wait_span);

void emission_guard_should_emit(benchmark::State& state) {
  baton::span_record r = parent_record();
  (void)r.close(r.start_time_unix_nano + 1);
  baton::emission_guard guard;
  std::uint64_t n = 0;
  for (auto _ : state) {
    r.span_id = baton::derive_span_id({exec_id, "s", static_cast<std::uint32_t>(n++ & 8191), 0});
    benchmark::DoNotOptimize(guard.should_emit(r));
  }
}
BENCHMARK(emission_guard_should_emit);

}  // namespace
