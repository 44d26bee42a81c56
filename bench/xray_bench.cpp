// X-Amzn-Trace-Id parse, format, extract and inject, against a baseline in the same binary
// shaped like the usual peer implementation: split on ';' into a std::vector<std::string>,
// split each field on '=', compare keys as strings, decode the ids, and build the outgoing
// header by string concatenation. Ratios between the two survive a change of machine.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "alloc_counter.hpp"
#include "baton/carrier.hpp"
#include "baton/propagation/xray.hpp"

namespace {

// What a Lambda behind API Gateway forwards: Root, Parent, Sampled and Lineage.
const std::string& typical() {
  static const std::string h =
      "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;"
      "Lineage=a87bd80c:1|68fd508a:5|c512fbe3:2";
  return h;
}
// The three core fields only (nothing to preserve).
const std::string& core_only() {
  static const std::string h =
      "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
  return h;
}

// A request's headers as a service sees them (std::map, names as sent).
std::map<std::string, std::string> request_headers(const std::string& xray) {
  return {{"Host", "api.example.com"},
          {"User-Agent", "curl/8.5.0"},
          {"Accept", "*/*"},
          {"Content-Type", "application/json"},
          {"Content-Length", "42"},
          {"X-Forwarded-For", "203.0.113.7"},
          {"X-Forwarded-Proto", "https"},
          {"X-Amzn-Trace-Id", xray}};
}

// ---- baseline: the naive peer implementation --------------------------------------------------

struct naive_header {
  std::string trace_hex;
  std::string parent;
  int sampled = -1;
  std::vector<std::pair<std::string, std::string>> extra;
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

bool hex_string(const std::string& s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool naive_parse(const std::string& value, naive_header& out) {
  for (const std::string& raw : split(value, ';')) {
    const std::string part = trim(raw);
    if (part.empty()) continue;
    const auto eq = part.find('=');
    if (eq == std::string::npos) return false;
    const std::string key = part.substr(0, eq);
    const std::string val = part.substr(eq + 1);
    if (key == "Root") {
      const std::vector<std::string> pieces = split(val, '-');
      if (pieces.size() != 3 || pieces[0] != "1" || pieces[1].size() != 8 ||
          pieces[2].size() != 24 || !hex_string(pieces[1]) || !hex_string(pieces[2])) {
        return false;
      }
      out.trace_hex = pieces[1] + pieces[2];
    } else if (key == "Parent") {
      if (val.size() != 16 || !hex_string(val)) return false;
      out.parent = val;
    } else if (key == "Sampled") {
      if (val == "1") {
        out.sampled = 1;
      } else if (val == "0") {
        out.sampled = 0;
      } else {
        return false;
      }
    } else {
      out.extra.emplace_back(key, val);
    }
  }
  return !out.trace_hex.empty();
}

std::string naive_format(const naive_header& h) {
  std::string out = "Root=1-" + h.trace_hex.substr(0, 8) + "-" + h.trace_hex.substr(8);
  out += ";Parent=" + h.parent;
  out += ";Sampled=" + std::string(h.sampled == 1 ? "1" : "0");
  for (const auto& [k, v] : h.extra) out += ";" + k + "=" + v;
  return out;
}

bool naive_extract(const std::map<std::string, std::string>& headers, naive_header& out) {
  for (const auto& [name, value] : headers) {
    std::string lower = name;
    for (char& c : lower) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    if (lower == "x-amzn-trace-id") return naive_parse(value, out);
  }
  return false;
}

void BM_xray_baseline_parse(benchmark::State& state, const std::string& h) {
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    naive_header out;
    bool ok = naive_parse(h, out);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(h.size()));
}
BENCHMARK_CAPTURE(BM_xray_baseline_parse, typical, typical());
BENCHMARK_CAPTURE(BM_xray_baseline_parse, core_only, core_only());

void BM_xray_parse(benchmark::State& state, const std::string& h) {
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    auto r = baton::parse_xray_header(h);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(h.size()));
}
BENCHMARK_CAPTURE(BM_xray_parse, typical, typical());
BENCHMARK_CAPTURE(BM_xray_parse, core_only, core_only());

void BM_xray_baseline_format(benchmark::State& state) {
  naive_header h;
  naive_parse(typical(), h);
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    std::string out = naive_format(h);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_xray_baseline_format);

// Into a new std::string (one allocation: the header is longer than the small buffer).
void BM_xray_format_new_string(benchmark::State& state) {
  const baton::xray_header h = *baton::parse_xray_header(typical());
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    std::string out = baton::format_xray_header(h);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_xray_format_new_string);

// Into a reused std::string (what a client that keeps its buffer pays).
void BM_xray_format_reused_string(benchmark::State& state) {
  const baton::xray_header h = *baton::parse_xray_header(typical());
  std::string out;
  out.reserve(baton::xray_max_header_size);
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    out.clear();
    baton::append_xray_header(out, h.trace_id, h.parent_id, h.sampling, h.fields);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_xray_format_reused_string);

void BM_xray_baseline_extract_map(benchmark::State& state) {
  const auto headers = request_headers(typical());
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    naive_header out;
    bool ok = naive_extract(headers, out);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_xray_baseline_extract_map);

void BM_xray_extract_map(benchmark::State& state) {
  const auto headers = request_headers(typical());
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    auto e = baton::xray_propagator::extract_context(headers);
    benchmark::DoNotOptimize(e);
  }
}
BENCHMARK(BM_xray_extract_map);

void BM_xray_baseline_inject_map(benchmark::State& state) {
  naive_header h;
  naive_parse(typical(), h);
  std::map<std::string, std::string> out;
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    out["x-amzn-trace-id"] = naive_format(h);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_xray_baseline_inject_map);

// Replaces the value in place in a reused map: no allocation once the value fits.
void BM_xray_inject_map(benchmark::State& state) {
  const auto in = request_headers(typical());
  const auto e = baton::xray_propagator::extract_context(in);
  std::map<std::string, std::string> out;
  baton::xray_propagator::inject(e.context, out, e.extras);
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    baton::xray_propagator::inject(e.context, out, e.extras);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_xray_inject_map);

void BM_xray_new_trace_id(benchmark::State& state) {
  for (auto _ : state) {
    auto id = baton::new_xray_trace_id();
    benchmark::DoNotOptimize(id);
  }
}
BENCHMARK(BM_xray_new_trace_id);

}  // namespace
