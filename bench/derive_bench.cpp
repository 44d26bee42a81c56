// Deterministic id derivation: a span id for a typical key (36-character execution id,
// 30-character step path), a trace id and an X-Ray trace id. Baselines in the same binary:
// a random span id from the thread's generator (what ids cost without determinism), the
// standard library's std::hash of the concatenated key (a naive deterministic id that is neither
// specified nor portable), and the same derivation with SipHash-2-4 instead of SipHash-1-3 (the
// cost of the rounds this spec does not use).
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "alloc_counter.hpp"
#include "baton/derive.hpp"

namespace {

// 36 and 30 characters: a UUID execution id and a two-level step path.
constexpr std::string_view exec_id = "3f2b8c1e-9a4d-4f6b-8e2a-7c5d1b0e9f43";
constexpr std::string_view step_path = "invoiceCustomer/emailCustomerI";
static_assert(exec_id.size() == 36 && step_path.size() == 30, "the typical key");

void derive_span_id(benchmark::State& state) {
  baton_bench::alloc_scope scope(state);
  std::uint32_t occurrence = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(occurrence);
    const baton::span_id id =
        baton::derive_span_id({exec_id, step_path, occurrence, 0, baton::derivation_role::span});
    benchmark::DoNotOptimize(id);
    occurrence = (occurrence + 1) & 7;
  }
}
BENCHMARK(derive_span_id);

void derive_span_id_named_namespace(benchmark::State& state) {
  const baton::derivation_namespace ns = baton::derivation_namespace::from_name("billing");
  std::uint32_t occurrence = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(occurrence);
    const baton::span_id id = baton::derive_span_id(ns, {exec_id, step_path, occurrence, 0});
    benchmark::DoNotOptimize(id);
    occurrence = (occurrence + 1) & 7;
  }
}
BENCHMARK(derive_span_id_named_namespace);

void derive_trace_id(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(exec_id.data());
    const baton::trace_id id = baton::derive_trace_id(exec_id);
    benchmark::DoNotOptimize(id);
  }
}
BENCHMARK(derive_trace_id);

void derive_xray_trace_id(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(exec_id.data());
    const baton::trace_id id = baton::derive_xray_trace_id(exec_id, 1700000000);
    benchmark::DoNotOptimize(id);
  }
}
BENCHMARK(derive_xray_trace_id);

// A 300-byte execution id: the cost per byte.
void derive_span_id_long_key(benchmark::State& state) {
  const std::string long_exec(300, 'x');
  for (auto _ : state) {
    benchmark::DoNotOptimize(long_exec.data());
    const baton::span_id id = baton::derive_span_id({long_exec, step_path});
    benchmark::DoNotOptimize(id);
  }
}
BENCHMARK(derive_span_id_long_key);

// ---- baselines --------------------------------------------------------------------------------

void baseline_random_span_id(benchmark::State& state) {
  for (auto _ : state) {
    const baton::span_id id = baton::span_id::random();
    benchmark::DoNotOptimize(id);
  }
}
BENCHMARK(baseline_random_span_id);

// What a quick deterministic id often looks like: std::hash of "exec/path#occurrence#attempt".
// Not portable (the standard does not specify the function) and it allocates.
void baseline_std_hash_concat(benchmark::State& state) {
  baton_bench::alloc_scope scope(state);
  std::uint32_t occurrence = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(occurrence);
    std::string text;
    text.reserve(exec_id.size() + step_path.size() + 16);
    text.append(exec_id).append("/").append(step_path);
    text.append("#").append(std::to_string(occurrence)).append("#0#span");
    const std::size_t h = std::hash<std::string>{}(text);
    benchmark::DoNotOptimize(h);
    occurrence = (occurrence + 1) & 7;
  }
}
BENCHMARK(baseline_std_hash_concat);

// The same message hashed with SipHash-2-4 (the variant the spec did not pick).
void baseline_siphash24_same_message(benchmark::State& state) {
  std::uint32_t occurrence = 0;
  const baton::derivation_namespace ns;
  for (auto _ : state) {
    benchmark::DoNotOptimize(occurrence);
    baton::detail::siphash24 h(ns.key.data(), false);
    baton::detail::write_span_message(h, {exec_id, step_path, occurrence, 0});
    const std::uint64_t tag = h.finish64();
    benchmark::DoNotOptimize(tag);
    occurrence = (occurrence + 1) & 7;
  }
}
BENCHMARK(baseline_siphash24_same_message);

}  // namespace
