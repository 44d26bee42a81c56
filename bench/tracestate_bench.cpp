// tracestate parse and serialize for 2 and 32 members, against baselines in the same binary:
//   copy   copying the header bytes into a std::string (what any owning parse must at least do),
//   split  the peer's shape: one std::string per member, key and value.
#include <benchmark/benchmark.h>

#include <string>
#include <utility>
#include <vector>

#include "alloc_counter.hpp"
#include "baton/ids.hpp"
#include "baton/tracestate.hpp"

namespace {

const std::string& two_members() {
  static const std::string s = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE";
  return s;
}

// 32 members of 26 characters ("vendorNN=" + 16 hex + ','): 863 characters.
const std::string& thirty_two_members() {
  static const std::string s = [] {
    std::string out;
    for (int i = 0; i < 32; ++i) {
      if (!out.empty()) out += ',';
      out += "vendor" + std::string(i < 10 ? "0" : "") + std::to_string(i) + "=" +
             baton::span_id::random().to_hex();
    }
    return out;
  }();
  return s;
}

const std::string& input(int which) {
  return which == 2 ? two_members() : thirty_two_members();
}

void BM_tracestate_baseline_copy(benchmark::State& state) {
  const std::string& in = input(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    std::string copy(in);
    benchmark::DoNotOptimize(copy);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(in.size()));
}
BENCHMARK(BM_tracestate_baseline_copy)->Arg(2)->Arg(32);

void BM_tracestate_parse(benchmark::State& state) {
  baton_bench::alloc_scope allocs(state);
  const std::string& in = input(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto r = baton::tracestate::parse(in);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(in.size()));
}
BENCHMARK(BM_tracestate_parse)->Arg(2)->Arg(32);

// A typical allocating design: a vector of (key, value) strings, validated per character.
bool parse_split(const std::string& in, std::vector<std::pair<std::string, std::string>>& out) {
  out.clear();
  std::size_t start = 0;
  while (start <= in.size()) {
    std::size_t comma = in.find(',', start);
    if (comma == std::string::npos) comma = in.size();
    std::string member = in.substr(start, comma - start);
    const std::size_t eq = member.find('=');
    if (eq == std::string::npos) return false;
    std::string key = member.substr(0, eq), value = member.substr(eq + 1);
    for (char c : key) {
      if (!baton::detail::has_class(c, baton::detail::cc_tracestate_key)) return false;
    }
    for (char c : value) {
      if (!baton::detail::has_class(c, baton::detail::cc_tracestate_value)) return false;
    }
    for (const auto& kv : out) {
      if (kv.first == key) return false;
    }
    out.emplace_back(std::move(key), std::move(value));
    start = comma + 1;
  }
  return out.size() <= 32;
}

void BM_tracestate_baseline_split_parse(benchmark::State& state) {
  baton_bench::alloc_scope allocs(state);
  const std::string& in = input(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    std::vector<std::pair<std::string, std::string>> members;
    bool ok = parse_split(in, members);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(members);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(in.size()));
}
BENCHMARK(BM_tracestate_baseline_split_parse)->Arg(2)->Arg(32);

// Serialize: the canonical text is the storage, so this is one copy into a std::string.
void BM_tracestate_serialize(benchmark::State& state) {
  baton_bench::alloc_scope allocs(state);
  const auto ts = *baton::tracestate::parse(input(static_cast<int>(state.range(0))));
  for (auto _ : state) {
    std::string out(ts.header());
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_tracestate_serialize)->Arg(2)->Arg(32);

void BM_tracestate_serialize_truncated_512(benchmark::State& state) {
  const auto ts = *baton::tracestate::parse(thirty_two_members());
  for (auto _ : state) {
    std::string out = ts.header(512);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_tracestate_serialize_truncated_512);

void BM_tracestate_put(benchmark::State& state) {
  const auto ts = *baton::tracestate::parse(input(static_cast<int>(state.range(0))));
  for (auto _ : state) {
    auto copy = ts;
    auto r = copy.put("baton", "00f067aa0ba902b7");
    benchmark::DoNotOptimize(r);
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_tracestate_put)->Arg(2)->Arg(32);

void BM_tracestate_get(benchmark::State& state) {
  const auto ts = *baton::tracestate::parse(thirty_two_members());
  for (auto _ : state) {
    auto v = ts.get("vendor31");
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_tracestate_get);

}  // namespace
