// B3 and Jaeger codecs and extraction, against naive baselines measured in the same binary:
//   split   the common shape of a parser: split on the separator into one std::string per
//           field, validate each field, decode (strtoull for Jaeger's variable-width ids);
//   concat  formatting by std::string concatenation of each id's hex;
//   scan    multi-header extraction that copies each x-b3-* value it finds into a std::string
//           by a case-insensitive scan of the map, then parses the copies.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "alloc_counter.hpp"
#include "baton/propagation/b3.hpp"
#include "baton/propagation/jaeger.hpp"

namespace {

// 1024 distinct valid values (a quarter 64-bit, sampling states and parents mixed), so branch
// predictors and caches see realistic variety.
const std::vector<std::string>& b3_values() {
  static const std::vector<std::string> all = [] {
    std::vector<std::string> v;
    for (int i = 0; i < 1024; ++i) {
      baton::b3_header h;
      h.trace_id = baton::trace_id::random();
      h.trace_id_64 = (i & 3) == 0;
      if (h.trace_id_64) {
        std::uint8_t b[16];
        std::memcpy(b, h.trace_id.data(), 16);
        std::memset(b, 0, 8);
        h.trace_id = baton::trace_id::from_bytes(b);
      }
      h.span_id = baton::span_id::random();
      h.sampling = static_cast<baton::sampling_decision>(1 + i % 3);
      if ((i & 4) != 0) h.parent_span_id = baton::span_id::random();
      v.push_back(baton::format_b3_single(h));
    }
    return v;
  }();
  return all;
}

const std::vector<baton::b3_header>& b3_headers() {
  static const std::vector<baton::b3_header> all = [] {
    std::vector<baton::b3_header> v;
    for (const auto& s : b3_values()) v.push_back(*baton::parse_b3_single(s));
    return v;
  }();
  return all;
}

const std::vector<std::string>& jaeger_values() {
  static const std::vector<std::string> all = [] {
    std::vector<std::string> v;
    for (int i = 0; i < 1024; ++i) {
      baton::jaeger_header h;
      h.trace_id = baton::trace_id::random();
      h.span_id = baton::span_id::random();
      h.flags = static_cast<std::uint8_t>(i & 3);
      v.push_back(baton::format_uber_trace_id(h));
    }
    return v;
  }();
  return all;
}

// ---------------------------------------------------------------------------------------------
// b3 single parse

void BM_b3_single_parse(benchmark::State& state) {
  baton_bench::alloc_scope allocs(state);
  const auto& vs = b3_values();
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = baton::parse_b3_single(vs[i++ & 1023]);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_b3_single_parse);

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = s.find(sep, start);
    parts.push_back(s.substr(start, at == std::string::npos ? at : at - start));
    if (at == std::string::npos) break;
    start = at + 1;
  }
  return parts;
}

bool naive_parse_b3(const std::string& s, baton::b3_header& h) {
  const std::vector<std::string> parts = split(s, '-');
  if (parts.size() == 1) {
    if (parts[0] == "0" || parts[0] == "1" || parts[0] == "d") return true;
    return false;
  }
  if (parts.size() < 2 || parts.size() > 4) return false;
  const std::string& t = parts[0];
  if (t.size() != 16 && t.size() != 32) return false;
  if (parts[1].size() != 16) return false;
  for (const auto& p : parts) {
    if (!std::all_of(p.begin(), p.end(), baton::detail::is_lower_hex)) return false;
  }
  const std::string padded = t.size() == 16 ? std::string(16, '0') + t : t;
  std::uint8_t b[16];
  baton::detail::decode_hex_portable(padded.data(), 16, b);
  h.trace_id = baton::trace_id::from_bytes(b);
  baton::detail::decode_hex_portable(parts[1].data(), 8, b);
  h.span_id = baton::span_id::from_bytes(b);
  if (parts.size() >= 3) {
    if (parts[2] == "1") {
      h.sampling = baton::sampling_decision::sampled;
    } else if (parts[2] == "0") {
      h.sampling = baton::sampling_decision::not_sampled;
    } else if (parts[2] == "d") {
      h.sampling = baton::sampling_decision::debug;
    } else {
      return false;
    }
  }
  if (parts.size() == 4) {
    if (parts[3].size() != 16) return false;
    baton::detail::decode_hex_portable(parts[3].data(), 8, b);
    h.parent_span_id = baton::span_id::from_bytes(b);
  }
  return h.trace_id.is_valid() && h.span_id.is_valid();
}

void BM_b3_single_parse_baseline_split(benchmark::State& state) {
  baton_bench::alloc_scope allocs(state);
  const auto& vs = b3_values();
  std::size_t i = 0;
  baton::b3_header h;
  for (auto _ : state) {
    bool ok = naive_parse_b3(vs[i++ & 1023], h);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(h);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_b3_single_parse_baseline_split);

// ---------------------------------------------------------------------------------------------
// b3 single format

void BM_b3_single_format(benchmark::State& state) {
  baton_bench::alloc_scope allocs(state);
  const auto& hs = b3_headers();
  std::size_t i = 0;
  char out[baton::b3_single_max_size];
  for (auto _ : state) {
    char* end = baton::format_b3_single(hs[i++ & 1023], out);
    benchmark::DoNotOptimize(end);
    benchmark::DoNotOptimize(out);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_b3_single_format);

std::string naive_format_b3(const baton::b3_header& h) {
  std::string trace = h.trace_id.to_hex();
  if (h.trace_id_64 && trace.compare(0, 16, std::string(16, '0')) == 0) trace = trace.substr(16);
  std::string s = trace + "-" + h.span_id.to_hex();
  if (h.sampling != baton::sampling_decision::deferred) {
    s += h.sampling == baton::sampling_decision::debug     ? "-d"
         : h.sampling == baton::sampling_decision::sampled ? "-1"
                                                           : "-0";
    if (h.parent_span_id.is_valid()) s += "-" + h.parent_span_id.to_hex();
  }
  return s;
}

void BM_b3_single_format_baseline_concat(benchmark::State& state) {
  baton_bench::alloc_scope allocs(state);
  const auto& hs = b3_headers();
  std::size_t i = 0;
  for (auto _ : state) {
    std::string s = naive_format_b3(hs[i++ & 1023]);
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_b3_single_format_baseline_concat);

// ---------------------------------------------------------------------------------------------
// b3 multi extraction from a std::map of request headers

std::map<std::string, std::string> request_map() {
  return {{"Host", "api.example.com"},
          {"User-Agent", "curl/8.5.0"},
          {"Accept", "*/*"},
          {"Accept-Encoding", "gzip, deflate"},
          {"Content-Type", "application/json"},
          {"Content-Length", "42"},
          {"X-Request-Id", "3f1c2a5e-1b7d-4c1e-9a57-5d2c0b8e6f41"},
          {"X-Forwarded-For", "203.0.113.7"},
          {"X-B3-TraceId", "80f198ee56343ba864fe8b2a57d3eff7"},
          {"X-B3-SpanId", "e457b5a2e4d86bd1"},
          {"X-B3-ParentSpanId", "05e3ac9a4f6e3b90"},
          {"X-B3-Sampled", "1"}};
}

void BM_b3multi_extract_map(benchmark::State& state) {
  baton_bench::alloc_scope allocs(state);
  const auto m = request_map();
  for (auto _ : state) {
    auto x = baton::b3multi_propagator::extract_context(m);
    benchmark::DoNotOptimize(x);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_b3multi_extract_map);

bool naive_find(const std::map<std::string, std::string>& m, const std::string& name,
                std::string& out) {
  for (const auto& [k, v] : m) {
    std::string lower = k;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c; });
    if (lower == name) {
      out = v;
      return true;
    }
  }
  return false;
}

void BM_b3multi_extract_map_baseline_scan(benchmark::State& state) {
  baton_bench::alloc_scope allocs(state);
  const auto m = request_map();
  for (auto _ : state) {
    std::string single, trace, span, parent, sampled, flags;
    baton::b3_header h;
    bool ok = false;
    if (naive_find(m, "b3", single)) {
      ok = naive_parse_b3(single, h);
    } else if (naive_find(m, "x-b3-traceid", trace) && naive_find(m, "x-b3-spanid", span)) {
      naive_find(m, "x-b3-parentspanid", parent);
      naive_find(m, "x-b3-sampled", sampled);
      naive_find(m, "x-b3-flags", flags);
      std::string joined = trace + "-" + span;
      if (!sampled.empty()) joined += "-" + sampled;
      if (!parent.empty()) joined += "-" + parent;
      ok = naive_parse_b3(joined, h);
    }
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(h);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_b3multi_extract_map_baseline_scan);

// ---------------------------------------------------------------------------------------------
// Jaeger parse

void BM_jaeger_parse(benchmark::State& state) {
  baton_bench::alloc_scope allocs(state);
  const auto& vs = jaeger_values();
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = baton::parse_uber_trace_id(vs[i++ & 1023]);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_jaeger_parse);

bool naive_parse_jaeger(const std::string& s, baton::jaeger_header& h) {
  const std::vector<std::string> parts = split(s, ':');
  if (parts.size() != 4) return false;
  for (const auto& p : parts) {
    if (p.empty() || !std::all_of(p.begin(), p.end(), baton::detail::is_hexdig)) return false;
  }
  if (parts[0].size() > 32 || parts[1].size() > 16 || parts[2].size() > 16 || parts[3].size() > 2)
    return false;
  const std::string& t = parts[0];
  const std::string high = t.size() > 16 ? t.substr(0, t.size() - 16) : std::string("0");
  const std::string low = t.size() > 16 ? t.substr(t.size() - 16) : t;
  const unsigned long long hi = std::strtoull(high.c_str(), nullptr, 16);
  const unsigned long long lo = std::strtoull(low.c_str(), nullptr, 16);
  const unsigned long long span = std::strtoull(parts[1].c_str(), nullptr, 16);
  std::uint8_t b[16];
  for (int k = 0; k < 8; ++k) {
    b[k] = static_cast<std::uint8_t>(hi >> (56 - 8 * k));
    b[8 + k] = static_cast<std::uint8_t>(lo >> (56 - 8 * k));
  }
  h.trace_id = baton::trace_id::from_bytes(b);
  for (int k = 0; k < 8; ++k) b[k] = static_cast<std::uint8_t>(span >> (56 - 8 * k));
  h.span_id = baton::span_id::from_bytes(b);
  h.flags = static_cast<std::uint8_t>(std::strtoul(parts[3].c_str(), nullptr, 16));
  return h.trace_id.is_valid() && h.span_id.is_valid();
}

void BM_jaeger_parse_baseline_split(benchmark::State& state) {
  baton_bench::alloc_scope allocs(state);
  const auto& vs = jaeger_values();
  std::size_t i = 0;
  baton::jaeger_header h;
  for (auto _ : state) {
    bool ok = naive_parse_jaeger(vs[i++ & 1023], h);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(h);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_jaeger_parse_baseline_split);

}  // namespace
