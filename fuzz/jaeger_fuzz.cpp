// Fuzzes Jaeger. Input: lines separated by '\n'. Checks:
//   - parse_uber_trace_id on the whole input and on the first line never misbehaves; errors
//     point inside the value;
//   - a parsed value formats to lowercase hex, ':' only, at most uber_trace_id_format_max_size
//     long, which parses back to the same header (ids, width, parent, flags) and is stable;
//   - the same value with its ':' written as %3A, or in uppercase (both skip the fast path),
//     parses to the same header;
//   - through the propagator (line 1 as uber-trace-id): what is extracted injects without
//     control characters and extracts again to the same context, decision and width;
//   - lines 2.. as `name: value` fields: uberctx- baggage extracted through a W3C parser
//     injects as uberctx- fields of allowed bytes only, which extract to the same baggage.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "baton/baggage.hpp"
#include "baton/carrier.hpp"
#include "baton/propagation/jaeger.hpp"
#include "fuzz_check.hpp"

namespace {

bool wire_bytes_ok(std::string_view s) {
  for (char c : s) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == ':';
    if (!ok) return false;
  }
  return true;
}

bool field_bytes_ok(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || u > 0x7e) return false;
  }
  return true;
}

void check_value(std::string_view value) {
  const baton::result<baton::jaeger_header> r = baton::parse_uber_trace_id(value);
  if (!r) {
    FUZZ_CHECK(r.error().offset <= value.size());
    return;
  }
  const baton::jaeger_header& h = *r;
  FUZZ_CHECK(h.trace_id.is_valid() && h.span_id.is_valid());
  const std::string text = baton::format_uber_trace_id(h);
  FUZZ_CHECK(text.size() <= baton::uber_trace_id_format_max_size);
  FUZZ_CHECK(wire_bytes_ok(text));
  const baton::result<baton::jaeger_header> again = baton::parse_uber_trace_id(text);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(*again == h);
  FUZZ_CHECK(baton::format_uber_trace_id(*again) == text);

  std::string encoded;
  for (char c : text) encoded += c == ':' ? std::string("%3A") : std::string(1, c);
  const baton::result<baton::jaeger_header> decoded = baton::parse_uber_trace_id(encoded);
  FUZZ_CHECK(decoded.has_value());
  FUZZ_CHECK(*decoded == h);

  // Uppercase skips the fast path: the general loop must read the same header.
  std::string upper = text;
  for (char& c : upper) c = (c >= 'a' && c <= 'f') ? static_cast<char>(c - 'a' + 'A') : c;
  const baton::result<baton::jaeger_header> slow = baton::parse_uber_trace_id(upper);
  FUZZ_CHECK(slow.has_value());
  FUZZ_CHECK(*slow == h);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_value(input);

  const std::vector<std::string_view> lines = fuzz_split_lines(input);
  if (lines.size() > 1) check_value(lines[0]);

  // The propagator.
  baton::http_headers in;
  in.add("uber-trace-id", lines[0]);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::size_t colon = lines[i].find(':');
    if (colon == std::string_view::npos) continue;
    in.add(lines[i].substr(0, colon), lines[i].substr(colon + 1));
  }
  const baton::extracted_context x = baton::jaeger_propagator::extract_context(in);
  FUZZ_CHECK(x.found);
  if (x.kind == baton::context_kind::full) {
    FUZZ_CHECK(x.error.code == baton::errc::ok);
    baton::http_headers out;
    FUZZ_CHECK(baton::jaeger_propagator::inject(x.context, out, x.extras));
    FUZZ_CHECK(out.size() == 1);
    FUZZ_CHECK(wire_bytes_ok(out.begin()->value));
    const baton::extracted_context y = baton::jaeger_propagator::extract_context(out);
    FUZZ_CHECK(y.kind == baton::context_kind::full);
    FUZZ_CHECK(y.context.trace_id == x.context.trace_id);
    FUZZ_CHECK(y.context.span_id == x.context.span_id);
    FUZZ_CHECK(y.context.flags.sampled() == x.context.flags.sampled());
    FUZZ_CHECK(y.extras.sampling == x.extras.sampling);
    FUZZ_CHECK(y.extras.trace_id_64 == x.extras.trace_id_64);
  } else {
    FUZZ_CHECK(x.kind == baton::context_kind::none);
    FUZZ_CHECK(x.error.code != baton::errc::ok);
  }

  // uberctx- baggage: extract, inject, extract again.
  baton::baggage::parser parser;
  const baton::jaeger_baggage_report report = baton::jaeger_propagator::extract_baggage(in, parser);
  FUZZ_CHECK(report.enumerable);
  FUZZ_CHECK(report.invalid_keys <= report.fields);
  const baton::baggage bag = std::move(parser).finish();
  FUZZ_CHECK(bag.size() + report.invalid_keys <= report.fields);
  baton::http_headers carried;
  carried.add("Uberctx-Stale", "x");
  baton::baggage_report dropped;
  const std::size_t written =
      baton::jaeger_propagator::inject_baggage(bag, carried, baton::baggage_limits{}, &dropped);
  FUZZ_CHECK(written + dropped.dropped() == bag.size());
  FUZZ_CHECK(carried.size() == written);  // the stale field is gone; keys are lowercase already
  for (const auto& f : carried) {
    FUZZ_CHECK(baton::detail::is_uberctx_name(f.name));
    FUZZ_CHECK(field_bytes_ok(f.name));
    for (char c : f.value) FUZZ_CHECK(baton::detail::is_uberctx_plain(c) || c == '%');
  }
  if (dropped.empty()) {
    baton::baggage::parser again_parser;
    baton::jaeger_propagator::extract_baggage(carried, again_parser);
    const baton::baggage again = std::move(again_parser).finish();
    FUZZ_CHECK(again == bag);
  }
  return 0;
}
