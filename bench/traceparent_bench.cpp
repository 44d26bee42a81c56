// traceparent parse and format, against baselines measured in the same binary:
//   copy55     copying the 55 bytes (the floor the issue names),
//   portable   baton's own table-driven hex decode instead of the SWAR one,
//   split      the peer's shape: split on '-', one std::string per field, then decode.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "alloc_counter.hpp"
#include "baton/carrier.hpp"
#include "baton/propagation/trace_context.hpp"
#include "baton/traceparent.hpp"

namespace {

// 1024 distinct valid headers, so branch predictors and caches see realistic variety.
const std::vector<std::string>& headers() {
  static const std::vector<std::string> all = [] {
    std::vector<std::string> v;
    for (int i = 0; i < 1024; ++i) {
      baton::traceparent tp{0, baton::trace_id::random(), baton::span_id::random(),
                            baton::trace_flags(static_cast<std::uint8_t>(i & 3))};
      v.push_back(baton::format_traceparent(tp));
    }
    return v;
  }();
  return all;
}

struct raw55 {
  char bytes[55];
};

void BM_traceparent_baseline_copy55(benchmark::State& state) {
  const auto& hs = headers();
  std::size_t i = 0;
  raw55 out;
  for (auto _ : state) {
    std::memcpy(out.bytes, hs[i++ & 1023].data(), 55);
    benchmark::DoNotOptimize(out);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_traceparent_baseline_copy55);

void BM_traceparent_parse(benchmark::State& state) {
  baton_bench::alloc_scope allocs(state);
  const auto& hs = headers();
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = baton::parse_traceparent(hs[i++ & 1023]);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_traceparent_parse);

// The same checks with the portable byte-table decoder (what BATON_NO_SWAR builds use).
bool parse_portable(std::string_view s, baton::traceparent& tp) {
  if (s.size() != 55 || s[2] != '-' || s[35] != '-' || s[52] != '-') return false;
  std::uint8_t v, ids[24], f;
  bool ok = baton::detail::decode_hex_portable(s.data(), 1, &v);
  ok &= baton::detail::decode_hex_portable(s.data() + 3, 16, ids);
  ok &= baton::detail::decode_hex_portable(s.data() + 36, 8, ids + 16);
  ok &= baton::detail::decode_hex_portable(s.data() + 53, 1, &f);
  tp.version = v;
  tp.trace_id = baton::trace_id::from_bytes(ids);
  tp.parent_id = baton::span_id::from_bytes(ids + 16);
  tp.flags = baton::trace_flags(f);
  return ok && v != 0xff && tp.trace_id.is_valid() && tp.parent_id.is_valid();
}

void BM_traceparent_baseline_portable_parse(benchmark::State& state) {
  const auto& hs = headers();
  std::size_t i = 0;
  baton::traceparent tp;
  for (auto _ : state) {
    bool ok = parse_portable(hs[i++ & 1023], tp);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(tp);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_traceparent_baseline_portable_parse);

// The shape of a typical allocating parser: split into strings, validate each with all_of.
bool parse_split(const std::string& s, baton::traceparent& tp) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t dash = s.find('-', start);
    parts.push_back(s.substr(start, dash - start));
    if (dash == std::string::npos) break;
    start = dash + 1;
  }
  if (parts.size() != 4 || parts[0].size() != 2 || parts[1].size() != 32 || parts[2].size() != 16 ||
      parts[3].size() != 2) {
    return false;
  }
  for (const auto& p : parts) {
    if (!std::all_of(p.begin(), p.end(), baton::detail::is_lower_hex)) return false;
  }
  std::uint8_t ids[24];
  baton::detail::decode_hex_portable(parts[1].data(), 16, ids);
  baton::detail::decode_hex_portable(parts[2].data(), 8, ids + 16);
  tp.trace_id = baton::trace_id::from_bytes(ids);
  tp.parent_id = baton::span_id::from_bytes(ids + 16);
  return tp.trace_id.is_valid() && tp.parent_id.is_valid();
}

void BM_traceparent_baseline_split_parse(benchmark::State& state) {
  baton_bench::alloc_scope allocs(state);
  const auto& hs = headers();
  std::size_t i = 0;
  baton::traceparent tp;
  for (auto _ : state) {
    bool ok = parse_split(hs[i++ & 1023], tp);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(tp);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_traceparent_baseline_split_parse);

void BM_traceparent_parse_invalid(benchmark::State& state) {
  std::string bad = headers()[0];
  bad[10] = 'X';
  for (auto _ : state) {
    auto r = baton::parse_traceparent(bad);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_traceparent_parse_invalid);

void BM_traceparent_format(benchmark::State& state) {
  baton_bench::alloc_scope allocs(state);
  std::vector<baton::traceparent> tps;
  for (const auto& h : headers()) tps.push_back(*baton::parse_traceparent(h));
  std::size_t i = 0;
  char out[baton::traceparent_size];
  for (auto _ : state) {
    baton::format_traceparent(tps[i++ & 1023], out);
    benchmark::DoNotOptimize(out);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_traceparent_format);

void BM_traceparent_baseline_portable_format(benchmark::State& state) {
  std::vector<baton::traceparent> tps;
  for (const auto& h : headers()) tps.push_back(*baton::parse_traceparent(h));
  std::size_t i = 0;
  char out[baton::traceparent_size];
  for (auto _ : state) {
    const auto& tp = tps[i++ & 1023];
    out[0] = out[1] = '0';
    out[2] = out[35] = out[52] = '-';
    baton::detail::encode_hex_portable(tp.trace_id.data(), 16, out + 3);
    baton::detail::encode_hex_portable(tp.parent_id.data(), 8, out + 36);
    const std::uint8_t f = tp.flags.wire_value();
    baton::detail::encode_hex_portable(&f, 1, out + 53);
    benchmark::DoNotOptimize(out);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_traceparent_baseline_portable_format);

// Extract through the propagator from a small header list (carrier lookup included).
void BM_traceparent_extract_http_headers(benchmark::State& state) {
  baton_bench::alloc_scope allocs(state);
  baton::http_headers h;
  h.add("host", "example.com");
  h.add("accept", "*/*");
  h.add("traceparent", headers()[7]);
  for (auto _ : state) {
    auto e = baton::extract_trace_context(h);
    benchmark::DoNotOptimize(e);
  }
}
BENCHMARK(BM_traceparent_extract_http_headers);

void BM_traceparent_random_root(benchmark::State& state) {
  for (auto _ : state) {
    auto ctx = baton::span_context::new_root(true);
    benchmark::DoNotOptimize(ctx);
  }
}
BENCHMARK(BM_traceparent_random_root);

}  // namespace
