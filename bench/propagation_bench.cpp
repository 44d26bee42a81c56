// Per-request propagation cost: extract and inject of traceparent + tracestate + baggage
// through a std::map and through a case-insensitive multimap (cpp-httplib's Headers shape),
// the W3C propagators alone versus composites. The baseline in the same binary is a naive
// extractor shaped like the usual peer code: exact-key lookups copying into std::string, a
// split into a vector of strings, a std::map for baggage.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "alloc_counter.hpp"
#include "baton/carrier.hpp"
#include "baton/propagation/baggage.hpp"
#include "baton/propagation/composite.hpp"
#include "baton/propagation/propagator_list.hpp"
#include "baton/propagation/trace_context.hpp"

namespace {

struct ci_less {
  bool operator()(const std::string& a, const std::string& b) const {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
      return std::tolower(static_cast<unsigned char>(x)) <
             std::tolower(static_cast<unsigned char>(y));
    });
  }
};
using ci_multimap = std::multimap<std::string, std::string, ci_less>;
using string_map = std::map<std::string, std::string>;

constexpr const char* kTp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
constexpr const char* kTs = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE";
constexpr const char* kBg = "userId=alice,serverNode=DF%2028,isProduction=false";

// The other headers of a typical request, so lookups do real work.
template <class Map>
Map request_headers(bool with_context) {
  Map m;
  m.emplace("host", "api.example.com");
  m.emplace("user-agent", "curl/8.5.0");
  m.emplace("accept", "*/*");
  m.emplace("content-type", "application/json");
  m.emplace("content-length", "42");
  if (with_context) {
    m.emplace("traceparent", kTp);
    m.emplace("tracestate", kTs);
    m.emplace("baggage", kBg);
  }
  return m;
}

void BM_ExtractTraceparentOnly_MapOfOne(benchmark::State& state) {
  const string_map m{{"traceparent", kTp}};
  baton_bench::alloc_scope scope(state);
  for (auto _ : state) {
    auto r = baton::trace_context_propagator::extract(m);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ExtractTraceparentOnly_MapOfOne);

void BM_ExtractTraceparentOnly_Map(benchmark::State& state) {
  string_map m = request_headers<string_map>(false);
  m.emplace("traceparent", kTp);
  baton_bench::alloc_scope scope(state);
  for (auto _ : state) {
    auto r = baton::trace_context_propagator::extract(m);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ExtractTraceparentOnly_Map);

void BM_ExtractTraceparentOnly_ExactKeys(benchmark::State& state) {
  string_map m = request_headers<string_map>(false);
  m.emplace("traceparent", kTp);
  baton_bench::alloc_scope scope(state);
  for (auto _ : state) {
    auto r = baton::trace_context_propagator::extract(baton::exact_keys(m));
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ExtractTraceparentOnly_ExactKeys);

template <class Map>
void BM_ExtractW3C(benchmark::State& state) {
  const Map m = request_headers<Map>(true);
  baton_bench::alloc_scope scope(state);
  for (auto _ : state) {
    auto tc = baton::trace_context_propagator::extract(m);
    auto bg = baton::baggage_propagator::extract(m);
    benchmark::DoNotOptimize(tc);
    benchmark::DoNotOptimize(bg);
  }
}
BENCHMARK_TEMPLATE(BM_ExtractW3C, string_map);
BENCHMARK_TEMPLATE(BM_ExtractW3C, ci_multimap);

using w3c_composite =
    baton::composite_propagator<baton::trace_context_propagator, baton::baggage_propagator>;

template <class Map>
void BM_ExtractW3CComposite(benchmark::State& state) {
  const Map m = request_headers<Map>(true);
  baton_bench::alloc_scope scope(state);
  for (auto _ : state) {
    auto r = w3c_composite::extract(m);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK_TEMPLATE(BM_ExtractW3CComposite, string_map);
BENCHMARK_TEMPLATE(BM_ExtractW3CComposite, ci_multimap);

// Inject into the outgoing headers of a reused client (the steady state: values replaced).
template <class Map>
void BM_InjectW3C_Reused(benchmark::State& state) {
  const Map in = request_headers<Map>(true);
  const auto tc = baton::trace_context_propagator::extract(in);
  const auto bg = baton::baggage_propagator::extract(in);
  const baton::span_context next = tc.context.child();
  Map out = request_headers<Map>(false);
  baton_bench::alloc_scope scope(state);
  for (auto _ : state) {
    baton::trace_context_propagator::inject(next, out);
    baton::baggage_propagator::inject(bg.baggage, out);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK_TEMPLATE(BM_InjectW3C_Reused, string_map);
BENCHMARK_TEMPLATE(BM_InjectW3C_Reused, ci_multimap);

// Every format enabled, only W3C headers present: the cost of looking for the others.
using all_formats = baton::composite_propagator<baton::trace_context_propagator,
                                                baton::b3_propagator, baton::jaeger_propagator,
                                                baton::xray_propagator, baton::baggage_propagator>;

template <class Map>
void BM_ExtractAllFormatsComposite(benchmark::State& state) {
  const Map m = request_headers<Map>(true);
  baton_bench::alloc_scope scope(state);
  for (auto _ : state) {
    auto r = all_formats::extract(m);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK_TEMPLATE(BM_ExtractAllFormatsComposite, string_map);
BENCHMARK_TEMPLATE(BM_ExtractAllFormatsComposite, ci_multimap);

void BM_ExtractAllFormatsList_Map(benchmark::State& state) {
  const string_map m = request_headers<string_map>(true);
  const auto list = baton::propagator_list::parse("tracecontext,baggage,b3,jaeger,xray");
  baton_bench::alloc_scope scope(state);
  for (auto _ : state) {
    auto r = list.extract(m);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ExtractAllFormatsList_Map);

void BM_InjectAllFormatsList_Map(benchmark::State& state) {
  const string_map in = request_headers<string_map>(true);
  const auto list = baton::propagator_list::parse("tracecontext,baggage,b3,jaeger,xray");
  const auto r = list.extract(in);
  const baton::span_context next = r.context.context.child();
  string_map out = request_headers<string_map>(false);
  baton_bench::alloc_scope scope(state);
  for (auto _ : state) {
    list.inject(next, out, r.context.extras, &r.baggage);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_InjectAllFormatsList_Map);

// The peer-shaped baseline: exact key, copies, split into strings, baggage into a std::map.
struct naive_context {
  std::string trace_id, span_id, flags;
  std::vector<std::pair<std::string, std::string>> tracestate;
  std::map<std::string, std::string> baggage;
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, sep)) out.push_back(item);
  return out;
}

naive_context naive_extract(const string_map& m) {
  naive_context c;
  auto it = m.find("traceparent");
  if (it != m.end()) {
    const std::string tp = it->second;
    auto parts = split(tp, '-');
    if (parts.size() == 4 && parts[1].size() == 32 && parts[2].size() == 16) {
      c.trace_id = parts[1];
      c.span_id = parts[2];
      c.flags = parts[3];
    }
  }
  it = m.find("tracestate");
  if (it != m.end()) {
    for (const std::string& member : split(it->second, ',')) {
      const auto eq = member.find('=');
      if (eq != std::string::npos)
        c.tracestate.emplace_back(member.substr(0, eq), member.substr(eq + 1));
    }
  }
  it = m.find("baggage");
  if (it != m.end()) {
    for (const std::string& member : split(it->second, ',')) {
      const auto eq = member.find('=');
      if (eq != std::string::npos) c.baggage[member.substr(0, eq)] = member.substr(eq + 1);
    }
  }
  return c;
}

void BM_Baseline_NaiveExtract_Map(benchmark::State& state) {
  const string_map m = request_headers<string_map>(true);
  baton_bench::alloc_scope scope(state);
  for (auto _ : state) {
    auto c = naive_extract(m);
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK(BM_Baseline_NaiveExtract_Map);

void BM_Baseline_NaiveInject_Map(benchmark::State& state) {
  const naive_context c = naive_extract(request_headers<string_map>(true));
  string_map out = request_headers<string_map>(false);
  baton_bench::alloc_scope scope(state);
  for (auto _ : state) {
    out["traceparent"] = "00-" + c.trace_id + "-" + c.span_id + "-" + c.flags;
    std::string ts;
    for (const auto& kv : c.tracestate) ts += (ts.empty() ? "" : ",") + kv.first + "=" + kv.second;
    out["tracestate"] = ts;
    std::string bg;
    for (const auto& kv : c.baggage) bg += (bg.empty() ? "" : ",") + kv.first + "=" + kv.second;
    out["baggage"] = bg;
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_Baseline_NaiveInject_Map);

}  // namespace
