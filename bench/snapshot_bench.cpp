// Snapshot benchmarks: a typical context (traceparent, 2-member tracestate, 3-member baggage)
// through the token, binary and text-map forms, and a span record with 8 attributes through its
// token and binary forms. Baselines in the same binary give ratios that survive a change of
// machine:
//   - naive_json: the three W3C header strings in a JSON-like object (what a payload `carrier`
//     holds), written by concatenation and read back with find() and the W3C parsers: the
//     usual hand-rolled way to put a context into a step result;
//   - hex: the same binary form written as hex instead of base64url.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "alloc_counter.hpp"
#include "baton/detail/hex.hpp"
#include "baton/propagation/baggage.hpp"
#include "baton/propagation/trace_context.hpp"
#include "baton/snapshot.hpp"
#include "baton/span_record_codec.hpp"
#include "baton/traceparent.hpp"

namespace {

const baton::context_snapshot& typical() {
  static const baton::context_snapshot s = [] {
    baton::span_context c;
    c.trace_id = *baton::trace_id::from_hex("4bf92f3577b34da6a3ce929d0e0e4736");
    c.span_id = *baton::span_id::from_hex("00f067aa0ba902b7");
    c.flags = baton::trace_flags(0x01);
    c.tracestate = *baton::tracestate::parse("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
    return baton::context_snapshot{
        c, baton::baggage::parse("userId=alice,serverNode=DF%2028,triggeredAt=1750000000000")};
  }();
  return s;
}

const baton::span_record& record8() {
  static const baton::span_record r = [] {
    baton::span_record x = *baton::span_record::open(
        "emailCustomerInvoice", typical().context, *baton::span_id::from_hex("53995c3f42cd8ad8"),
        1750000000000000000ull, baton::span_kind::client);
    x.set_attribute("customer.id", "cus_8f2a61");
    x.set_attribute("invoice.id", "in_1P2x3y4z");
    x.set_attribute("invoice.amount_cents", 129900);
    x.set_attribute("invoice.currency", "usd");
    x.set_attribute("email.provider", "ses");
    x.set_attribute("retry.count", 0);
    x.set_attribute("durable.replayed", false);
    x.set_attribute("queue.wait_ratio", 0.125);
    (void)x.close(1750000000326000000ull);
    return x;
  }();
  return r;
}

// ---- baton ---------------------------------------------------------------------------------

void BM_TokenEncodeDecode(benchmark::State& state) {
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    const std::string token = baton::encode_token(typical());
    auto back = baton::decode_token(token);
    benchmark::DoNotOptimize(back);
  }
}
BENCHMARK(BM_TokenEncodeDecode);

void BM_TokenEncode(benchmark::State& state) {
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    std::string token = baton::encode_token(typical());
    benchmark::DoNotOptimize(token);
  }
  state.counters["bytes"] = static_cast<double>(baton::token_size(typical()));
}
BENCHMARK(BM_TokenEncode);

void BM_TokenEncodeReuse(benchmark::State& state) {
  baton_bench::alloc_scope allocs(state);
  std::string token;
  for (auto _ : state) {
    token.clear();
    baton::append_token(typical(), token);
    benchmark::DoNotOptimize(token.data());
  }
}
BENCHMARK(BM_TokenEncodeReuse);

void BM_TokenDecode(benchmark::State& state) {
  const std::string token = baton::encode_token(typical());
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    auto back = baton::decode_token(token);
    benchmark::DoNotOptimize(back);
  }
}
BENCHMARK(BM_TokenDecode);

void BM_BinaryEncode(benchmark::State& state) {
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    std::string bytes = baton::encode_binary(typical());
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["bytes"] = static_cast<double>(baton::binary_size(typical()));
}
BENCHMARK(BM_BinaryEncode);

void BM_BinaryDecode(benchmark::State& state) {
  const std::string bytes = baton::encode_binary(typical());
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    auto back = baton::decode_binary(bytes);
    benchmark::DoNotOptimize(back);
  }
}
BENCHMARK(BM_BinaryDecode);

void BM_TextMapEncode(benchmark::State& state) {
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    std::map<std::string, std::string> carrier;
    baton::encode_text_map(typical(), carrier);
    benchmark::DoNotOptimize(carrier);
  }
}
BENCHMARK(BM_TextMapEncode);

void BM_TextMapDecode(benchmark::State& state) {
  std::map<std::string, std::string> carrier;
  baton::encode_text_map(typical(), carrier);
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    auto back = baton::decode_text_map(carrier);
    benchmark::DoNotOptimize(back);
  }
}
BENCHMARK(BM_TextMapDecode);

void BM_SpanTokenEncode(benchmark::State& state) {
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    std::string token = baton::encode_span_token(record8());
    benchmark::DoNotOptimize(token);
  }
  state.counters["bytes"] = static_cast<double>(baton::span_token_size(record8()));
}
BENCHMARK(BM_SpanTokenEncode);

void BM_SpanTokenDecode(benchmark::State& state) {
  const std::string token = baton::encode_span_token(record8());
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    auto back = baton::decode_span_token(token);
    benchmark::DoNotOptimize(back);
  }
}
BENCHMARK(BM_SpanTokenDecode);

void BM_SpanBinaryEncode(benchmark::State& state) {
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    std::string bytes = baton::encode_span_binary(record8());
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["bytes"] = static_cast<double>(baton::span_binary_size(record8()));
}
BENCHMARK(BM_SpanBinaryEncode);

void BM_SpanBinaryDecode(benchmark::State& state) {
  const std::string bytes = baton::encode_span_binary(record8());
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    auto back = baton::decode_span_binary(bytes);
    benchmark::DoNotOptimize(back);
  }
}
BENCHMARK(BM_SpanBinaryDecode);

// ---- Baselines -----------------------------------------------------------------------------

// {"traceparent":"...","tracestate":"...","baggage":"..."}: no escaping needed for these
// values, no checksum, no version.
std::string naive_json_encode(const baton::context_snapshot& s) {
  std::string out = "{\"traceparent\":\"";
  out += baton::format_traceparent(s.context.to_traceparent());
  out += "\",\"tracestate\":\"";
  out += std::string(s.context.tracestate.header());
  out += "\",\"baggage\":\"";
  out += s.baggage.header();
  out += "\"}";
  return out;
}

std::string_view naive_json_field(std::string_view json, std::string_view name) {
  const std::string key = "\"" + std::string(name) + "\":\"";
  const std::size_t at = json.find(key);
  if (at == std::string_view::npos) return {};
  const std::size_t begin = at + key.size();
  return json.substr(begin, json.find('"', begin) - begin);
}

bool naive_json_decode(std::string_view json, baton::context_snapshot& out) {
  auto tp = baton::parse_traceparent(naive_json_field(json, "traceparent"));
  if (!tp) return false;
  auto ts = baton::tracestate::parse(naive_json_field(json, "tracestate"));
  out.context =
      baton::span_context::from_traceparent(*tp, ts ? std::move(*ts) : baton::tracestate());
  out.baggage = baton::baggage::parse(naive_json_field(json, "baggage"));
  return true;
}

void BM_Baseline_NaiveJsonEncodeDecode(benchmark::State& state) {
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    const std::string json = naive_json_encode(typical());
    baton::context_snapshot back;
    benchmark::DoNotOptimize(naive_json_decode(json, back));
    benchmark::DoNotOptimize(back);
  }
  state.counters["bytes"] = static_cast<double>(naive_json_encode(typical()).size());
}
BENCHMARK(BM_Baseline_NaiveJsonEncodeDecode);

void BM_Baseline_NaiveJsonEncode(benchmark::State& state) {
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    std::string json = naive_json_encode(typical());
    benchmark::DoNotOptimize(json);
  }
}
BENCHMARK(BM_Baseline_NaiveJsonEncode);

void BM_Baseline_NaiveJsonDecode(benchmark::State& state) {
  const std::string json = naive_json_encode(typical());
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    baton::context_snapshot back;
    benchmark::DoNotOptimize(naive_json_decode(json, back));
    benchmark::DoNotOptimize(back);
  }
}
BENCHMARK(BM_Baseline_NaiveJsonDecode);

std::string hex_of(const std::string& bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out(2 * bytes.size(), '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto u = static_cast<unsigned char>(bytes[i]);
    out[2 * i] = digits[u >> 4];
    out[2 * i + 1] = digits[u & 15];
  }
  return out;
}

bool bytes_of(std::string_view hex, std::string& out) {
  out.resize(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    int v = 0;
    for (int k = 0; k < 2; ++k) {
      const char c = hex[2 * i + static_cast<std::size_t>(k)];
      const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (d < 0) return false;
      v = v * 16 + d;
    }
    out[i] = static_cast<char>(v);
  }
  return true;
}

void BM_Baseline_HexEncodeDecode(benchmark::State& state) {
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    const std::string text = hex_of(baton::encode_binary(typical()));
    std::string bytes;
    bytes_of(text, bytes);
    auto back = baton::decode_binary(bytes);
    benchmark::DoNotOptimize(back);
  }
}
BENCHMARK(BM_Baseline_HexEncodeDecode);

void BM_Baseline_SpanHexEncodeDecode(benchmark::State& state) {
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    const std::string text = hex_of(baton::encode_span_binary(record8()));
    std::string bytes;
    bytes_of(text, bytes);
    auto back = baton::decode_span_binary(bytes);
    benchmark::DoNotOptimize(back);
  }
}
BENCHMARK(BM_Baseline_SpanHexEncodeDecode);

void BM_SpanTokenEncodeDecode(benchmark::State& state) {
  baton_bench::alloc_scope allocs(state);
  for (auto _ : state) {
    const std::string token = baton::encode_span_token(record8());
    auto back = baton::decode_span_token(token);
    benchmark::DoNotOptimize(back);
  }
}
BENCHMARK(BM_SpanTokenEncodeDecode);

}  // namespace
