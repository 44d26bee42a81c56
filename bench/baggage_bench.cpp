// Baggage codec benchmarks: owning parse, view lookup and format of a typical 3-member header
// and of a 64-member ~8 KB header, plus hostile inputs. Baselines in the same binary give
// ratios that survive a change of machine: a memcpy and a memchr scan of the same bytes, a
// byte-at-a-time validating loop, and a naive split-based parser/encoder shaped like the usual
// peer implementation (a std::string per key and value, a vector of pairs).
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "alloc_counter.hpp"
#include "baton/baggage.hpp"
#include "baton/baggage_view.hpp"

namespace {

const std::string& small_header() {
  static const std::string h = "userId=alice,serverNode=DF%2028,isProduction=false";
  return h;
}

// 64 members "keyNN=<120 alphanumerics>": 8127 bytes, the shape of the peer's measurement.
const std::string& large_header() {
  static const std::string h = [] {
    std::string s;
    std::uint32_t x = 12345;
    for (int i = 0; i < 64; ++i) {
      if (i != 0) s += ',';
      s += "key";
      s += static_cast<char>('0' + i / 10);
      s += static_cast<char>('0' + i % 10);
      s += '=';
      for (int j = 0; j < 120; ++j) {
        x = x * 1103515245u + 12345u;
        s += "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[(x >> 16) % 62];
      }
    }
    return s;
  }();
  return h;
}

// The same with a %20 every 24 bytes of value and a property per member: the decode path.
const std::string& large_encoded_header() {
  static const std::string h = [] {
    std::string s;
    for (int i = 0; i < 64; ++i) {
      if (i != 0) s += ',';
      s += "key" + std::to_string(100 + i) + "=";
      for (int j = 0; j < 4; ++j) s += "abcdefghijklmnopqrst%20u";
      s += ";p=x%2Cy";
    }
    return s;
  }();
  return h;
}

void set_bytes(benchmark::State& state, std::size_t bytes) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(bytes));
}

// ---- baselines --------------------------------------------------------------------------------

void baseline_memcpy(benchmark::State& state, const std::string& h) {
  std::string buf(h.size(), '\0');
  for (auto _ : state) {
    benchmark::DoNotOptimize(h.data());
    std::memcpy(buf.data(), h.data(), h.size());
    benchmark::ClobberMemory();
  }
  set_bytes(state, h.size());
}

// A strlen-like scan: memchr for a byte that is not there.
void baseline_memchr(benchmark::State& state, const std::string& h) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(h.data());
    benchmark::DoNotOptimize(std::memchr(h.data(), '\n', h.size()));
  }
  set_bytes(state, h.size());
}

// Validate every byte against the baggage classes, one byte at a time, counting separators.
void baseline_byte_loop(benchmark::State& state, const std::string& h) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(h.data());
    std::size_t commas = 0;
    bool ok = true;
    for (char c : h) {
      commas += c == ',';
      ok &= baton::detail::has_class(c, baton::detail::cc_baggage_octet) || c == ',' || c == ';' ||
            c == ' ';
    }
    benchmark::DoNotOptimize(commas);
    benchmark::DoNotOptimize(ok);
  }
  set_bytes(state, h.size());
}

// The usual peer shape: split on ',', then '=', trim, a std::string per key and value,
// percent-decode into a new std::string, a vector of pairs.
std::string naive_trim(const std::string& s) {
  std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return std::string();
  std::size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}
std::string naive_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}
std::vector<std::pair<std::string, std::string>> naive_parse(const std::string& h) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t start = 0;
  while (start <= h.size()) {
    std::size_t end = h.find(',', start);
    if (end == std::string::npos) end = h.size();
    const std::string member = h.substr(start, end - start);
    const std::size_t eq = member.find('=');
    if (eq != std::string::npos) {
      out.emplace_back(naive_trim(member.substr(0, eq)),
                       naive_decode(naive_trim(member.substr(eq + 1))));
    }
    start = end + 1;
  }
  return out;
}
std::string naive_format(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string out;
  for (const auto& e : entries) {
    if (!out.empty()) out += ',';
    out += e.first;
    out += '=';
    for (char c : e.second) {
      const auto u = static_cast<unsigned char>(c);
      if (baton::detail::is_baggage_plain(c)) {
        out += c;
      } else {
        out += '%';
        out += "0123456789ABCDEF"[u >> 4];
        out += "0123456789ABCDEF"[u & 15];
      }
    }
  }
  return out;
}

void baseline_naive_parse(benchmark::State& state, const std::string& h) {
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    auto r = naive_parse(h);
    benchmark::DoNotOptimize(r.data());
  }
  set_bytes(state, h.size());
}

void baseline_naive_format(benchmark::State& state, const std::string& h) {
  const auto entries = naive_parse(h);
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    std::string s = naive_format(entries);
    benchmark::DoNotOptimize(s.data());
  }
  set_bytes(state, h.size());
}

// ---- baton ------------------------------------------------------------------------------------

void parse_owning(benchmark::State& state, const std::string& h) {
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    benchmark::DoNotOptimize(h.data());
    baton::baggage b = baton::baggage::parse(h);
    benchmark::DoNotOptimize(b);
  }
  set_bytes(state, h.size());
}

void parse_owning_with_report(benchmark::State& state, const std::string& h) {
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    benchmark::DoNotOptimize(h.data());
    baton::baggage_report r;
    baton::baggage b = baton::baggage::parse(h, {}, &r);
    benchmark::DoNotOptimize(b);
    benchmark::DoNotOptimize(r);
  }
  set_bytes(state, h.size());
}

// Looks up the last key: the view validates every member before it (it must, to agree with
// the owning parser on which members count), so this is a full scan of the header.
void view_find(benchmark::State& state, const std::string& h, std::string_view key) {
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    benchmark::DoNotOptimize(h.data());
    const baton::baggage_view v(h);
    auto m = v.find(key);
    benchmark::DoNotOptimize(m);
  }
  set_bytes(state, h.size());
}

// Iterates every member and decodes every value into a reused buffer.
void view_decode_all(benchmark::State& state, const std::string& h) {
  std::string buf(h.size(), '\0');
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    benchmark::DoNotOptimize(h.data());
    std::size_t total = 0;
    for (const auto& m : baton::baggage_view(h)) total += m.decode_value(buf.data());
    benchmark::DoNotOptimize(total);
  }
  set_bytes(state, h.size());
}

void format_new_string(benchmark::State& state, const std::string& h) {
  const baton::baggage b = baton::baggage::parse(h);
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    std::string s = b.header();
    benchmark::DoNotOptimize(s.data());
  }
  set_bytes(state, h.size());
}

void format_reused_string(benchmark::State& state, const std::string& h) {
  const baton::baggage b = baton::baggage::parse(h);
  std::string s;
  s.reserve(2 * h.size());
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    s.clear();
    b.append_header(s);
    benchmark::DoNotOptimize(s.data());
  }
  set_bytes(state, h.size());
}

// ---- hostile inputs: bounded work ---------------------------------------------------------------

const std::string& mebibyte_header() {
  static const std::string h = [] {
    std::string s;
    int i = 0;
    while (s.size() < (1u << 20)) s += "k" + std::to_string(i++) + "=value,";
    return s;
  }();
  return h;
}

void hostile_mebibyte(benchmark::State& state) {
  const std::string& h = mebibyte_header();
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    baton::baggage_report r;
    baton::baggage b = baton::baggage::parse(h, {}, &r);
    benchmark::DoNotOptimize(b);
  }
  set_bytes(state, h.size());
}

void hostile_mebibyte_no_report(benchmark::State& state) {
  const std::string& h = mebibyte_header();
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    const baton::baggage_view v(h);
    auto m = v.find("absent");
    benchmark::DoNotOptimize(m);
  }
  set_bytes(state, h.size());
}

void hostile_ten_thousand_lines(benchmark::State& state) {
  static const std::vector<std::string> lines = [] {
    std::vector<std::string> v;
    for (int i = 0; i < 10000; ++i)
      v.push_back("k" + std::to_string(i) + "=" + std::string(90, 'v'));
    return v;
  }();
  static const std::vector<std::string_view> views(lines.begin(), lines.end());
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    baton::baggage_report r;
    baton::baggage b = baton::baggage::parse(views.data(), views.size(), {}, &r);
    benchmark::DoNotOptimize(b);
  }
}

}  // namespace

// Typical 3-member header (the W3C example, 51 bytes).
BENCHMARK_CAPTURE(baseline_memcpy, small, small_header());
BENCHMARK_CAPTURE(baseline_memchr, small, small_header());
BENCHMARK_CAPTURE(baseline_naive_parse, small, small_header());
BENCHMARK_CAPTURE(parse_owning, small, small_header());
BENCHMARK_CAPTURE(parse_owning_with_report, small, small_header());
BENCHMARK_CAPTURE(view_find, small, small_header(), "isProduction");
BENCHMARK_CAPTURE(view_decode_all, small, small_header());
BENCHMARK_CAPTURE(baseline_naive_format, small, small_header());
BENCHMARK_CAPTURE(format_new_string, small, small_header());
BENCHMARK_CAPTURE(format_reused_string, small, small_header());

// 64 members, 8127 bytes.
BENCHMARK_CAPTURE(baseline_memcpy, large, large_header());
BENCHMARK_CAPTURE(baseline_memchr, large, large_header());
BENCHMARK_CAPTURE(baseline_byte_loop, large, large_header());
BENCHMARK_CAPTURE(baseline_naive_parse, large, large_header());
BENCHMARK_CAPTURE(parse_owning, large, large_header());
BENCHMARK_CAPTURE(view_find, large, large_header(), "key63");
BENCHMARK_CAPTURE(view_decode_all, large, large_header());
BENCHMARK_CAPTURE(baseline_naive_format, large, large_header());
BENCHMARK_CAPTURE(format_new_string, large, large_header());
BENCHMARK_CAPTURE(format_reused_string, large, large_header());

// 64 members with escapes and a property each.
BENCHMARK_CAPTURE(baseline_naive_parse, large_encoded, large_encoded_header());
BENCHMARK_CAPTURE(parse_owning, large_encoded, large_encoded_header());
BENCHMARK_CAPTURE(view_find, large_encoded, large_encoded_header(), "key163");
BENCHMARK_CAPTURE(format_new_string, large_encoded, large_encoded_header());

BENCHMARK(hostile_mebibyte);
BENCHMARK(hostile_mebibyte_no_report);
BENCHMARK(hostile_ten_thousand_lines);
