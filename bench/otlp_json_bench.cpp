// OTLP/JSON encoding: one closed span with 8 attributes (4 strings, 2 ints, a double, a bool),
// a parent and a tracestate, encoded as a whole ExportTraceServiceRequest into a reused buffer;
// also through the line sink, and a batch of 64 such spans. Baseline in the same binary: a naive
// encoder of the same JSON built with std::ostringstream, std::to_string and a per-character
// escape loop, the way a quick hand-written exporter usually looks.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <iomanip>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "alloc_counter.hpp"
#include "baton/otlp_json.hpp"

namespace {

baton::span_record eight_attribute_span() {
  const baton::span_context parent{*baton::trace_id::from_hex("4bf92f3577b34da6a3ce929d0e0e4736"),
                                   *baton::span_id::from_hex("00f067aa0ba902b7"),
                                   baton::trace_flags(0x03),
                                   *baton::tracestate::parse("rojo=00f067aa0ba902b7"), true};
  baton::span_record r = *baton::span_record::open(
      "emailCustomerInvoice", parent, *baton::span_id::from_hex("b7ad6b7169203331"),
      1718000000000000000ull, baton::span_kind::client);
  r.set_attribute("durable.execution_id", "3f2b8c1e-9a4d-4f6b-8e2a-7c5d1b0e9f43");
  r.set_attribute("durable.step", "invoiceCustomer/emailCustomerInvoice");
  r.set_attribute("customer.id", "cus_9s8d7f6g5h4j3k2l");
  r.set_attribute("email.template", "invoice-v2");
  r.set_attribute("durable.attempt", 1);
  r.set_attribute("invoice.lines", 42);
  r.set_attribute("invoice.total", 1234.5);
  r.set_attribute("email.sent", true);
  r.set_status(baton::span_status_code::ok);
  (void)r.close(1718000000326000000ull);
  return r;
}

const baton::otlp_resource& resource() {
  static const baton::otlp_resource res{"depot-ci", {{"service.version", "1.4.2"}}};
  return res;
}

void otlp_json_one_span(benchmark::State& state) {
  const baton::span_record r = eight_attribute_span();
  std::string out;
  (void)baton::append_otlp_json(out, r, resource());  // warm the buffer
  baton_bench::alloc_scope scope(state);
  for (auto _ : state) {
    out.clear();
    const baton::result<void> ok = baton::append_otlp_json(out, r, resource());
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(out.size()));
  state.counters["bytes"] = static_cast<double>(out.size());
}
BENCHMARK(otlp_json_one_span);

void otlp_json_line_sink_one_span(benchmark::State& state) {
  const baton::span_record r = eight_attribute_span();
  std::size_t written = 0;
  baton::otlp_json_line_sink sink([&](std::string_view line) { written += line.size(); },
                                  resource());
  (void)sink(r);
  baton_bench::alloc_scope scope(state);
  for (auto _ : state) {
    const baton::result<void> ok = sink(r);
    benchmark::DoNotOptimize(ok);
  }
  benchmark::DoNotOptimize(written);
}
BENCHMARK(otlp_json_line_sink_one_span);

void otlp_json_batch_64(benchmark::State& state) {
  const std::vector<baton::span_record> batch(64, eight_attribute_span());
  std::string out;
  (void)baton::append_otlp_json(out, batch, resource());
  baton_bench::alloc_scope scope(state);
  for (auto _ : state) {
    out.clear();
    const baton::result<void> ok = baton::append_otlp_json(out, batch, resource());
    benchmark::DoNotOptimize(ok);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(out.size()));
}
BENCHMARK(otlp_json_batch_64);

// ---- baseline ---------------------------------------------------------------------------------

void naive_escape(std::ostringstream& os, std::string_view s) {
  os << '"';
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      os << '\\' << c;
    } else if (u < 0x20) {
      os << "\\u" << std::hex << std::setw(4) << std::setfill('0') << static_cast<int>(u)
         << std::dec;
    } else {
      os << c;
    }
  }
  os << '"';
}

void naive_value(std::ostringstream& os, const baton::attribute_value& v) {
  switch (v.type()) {
    case baton::attribute_type::string:
      os << "{\"stringValue\":";
      naive_escape(os, v.as_string());
      os << '}';
      break;
    case baton::attribute_type::int64:
      os << "{\"intValue\":\"" << std::to_string(v.as_int64()) << "\"}";
      break;
    case baton::attribute_type::float64:
      os << "{\"doubleValue\":" << std::setprecision(17) << v.as_double() << '}';
      break;
    case baton::attribute_type::boolean:
      os << "{\"boolValue\":" << (v.as_bool() ? "true" : "false") << '}';
      break;
  }
}

std::string naive_encode(const baton::span_record& r, const baton::otlp_resource& res) {
  std::ostringstream os;
  os << "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
        "\"value\":{\"stringValue\":";
  naive_escape(os, res.service_name);
  os << "}}";
  for (const auto& a : res.attributes) {
    os << ",{\"key\":";
    naive_escape(os, a.key);
    os << ",\"value\":";
    naive_value(os, a.value);
    os << '}';
  }
  os << "]},\"scopeSpans\":[{\"scope\":{\"name\":\"baton\",\"version\":\"" << baton::version_string
     << "\"},\"spans\":[{\"traceId\":\"" << r.trace_id.to_hex() << "\",\"spanId\":\""
     << r.span_id.to_hex() << "\",\"traceState\":";
  naive_escape(os, std::string(r.tracestate.header()));
  os << ",\"parentSpanId\":\"" << r.parent_span_id.to_hex() << "\",\"name\":";
  naive_escape(os, r.name);
  os << ",\"kind\":" << static_cast<int>(r.kind) << ",\"startTimeUnixNano\":\""
     << std::to_string(r.start_time_unix_nano) << "\",\"endTimeUnixNano\":\""
     << std::to_string(r.end_time_unix_nano) << "\",\"attributes\":[";
  for (std::size_t i = 0; i < r.attributes.size(); ++i) {
    if (i != 0) os << ',';
    os << "{\"key\":";
    naive_escape(os, r.attributes[i].key);
    os << ",\"value\":";
    naive_value(os, r.attributes[i].value);
    os << '}';
  }
  os << "],\"status\":{\"code\":" << static_cast<int>(r.status.code)
     << "},\"flags\":" << static_cast<int>(r.flags.wire_value()) << "}]}]}]}";
  return os.str();
}

void baseline_naive_ostringstream(benchmark::State& state) {
  const baton::span_record r = eight_attribute_span();
  baton_bench::alloc_scope scope(state);
  std::size_t size = 0;
  for (auto _ : state) {
    std::string out = naive_encode(r, resource());
    size = out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["bytes"] = static_cast<double>(size);
}
BENCHMARK(baseline_naive_ostringstream);

}  // namespace
