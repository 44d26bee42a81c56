// Fuzzes B3. Input: lines separated by '\n'. Checks:
//   - parse_b3_single on the whole input and on the first line never misbehaves; a rejected
//     value is diagnosed exactly as the reference walk does, at an offset inside the value;
//   - a parsed value formats to a value of allowed bytes only, at most b3_single_max_size long,
//     which parses back to the same header (ids, sampling, 64-bit width, parent);
//   - lines 2-6 as x-b3-traceid, -spanid, -parentspanid, -sampled, -flags: parse_b3_multi
//     results format as a single header that parses back to the same ids, decision and width;
//   - extraction reads the same in one pass over the entries as name by name;
//   - through the propagators (line 1 as `b3`, the rest as x-b3-*): whatever is extracted
//     injects (single and multi) without control characters and extracts again to the same
//     context, decision and width.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "baton/carrier.hpp"
#include "baton/propagation/b3.hpp"
#include "fuzz_check.hpp"

namespace {

bool wire_bytes_ok(std::string_view s) {
  for (char c : s) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-';
    if (!ok) return false;
  }
  return true;
}

void check_single(std::string_view value) {
  const baton::result<baton::b3_header> r = baton::parse_b3_single(value);
  if (!r) {
    FUZZ_CHECK(r.error().offset <= value.size());
    const std::string_view t = baton::detail::trim_ows(value);
    const std::size_t base =
        t.empty() ? value.size() : static_cast<std::size_t>(t.data() - value.data());
    if (!t.empty()) {
      FUZZ_CHECK(baton::detail::diagnose_b3_single(t.data(), t.size(), base) == r.error());
    }
    return;
  }
  const baton::b3_header& h = *r;
  FUZZ_CHECK(h.sampling_only() == !h.span_id.is_valid());
  FUZZ_CHECK(!h.sampling_only() || h.sampling != baton::sampling_decision::deferred);
  const std::string text = baton::format_b3_single(h);
  FUZZ_CHECK(text.size() <= baton::b3_single_max_size);
  FUZZ_CHECK(wire_bytes_ok(text));
  const baton::result<baton::b3_header> again = baton::parse_b3_single(text);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(*again == h);
  FUZZ_CHECK(baton::format_b3_single(*again) == text);
}

void check_multi(const baton::b3_multi_fields& fields) {
  const baton::result<baton::b3_header> r = baton::parse_b3_multi(fields);
  if (!r) return;
  const baton::b3_header& h = *r;
  if (h.sampling_only()) {
    FUZZ_CHECK(!fields.trace_id && !fields.span_id && !fields.parent_span_id);
    return;
  }
  FUZZ_CHECK(h.trace_id.is_valid() && h.span_id.is_valid());
  const std::string text = baton::format_b3_single(h);
  FUZZ_CHECK(wire_bytes_ok(text));
  const baton::result<baton::b3_header> single = baton::parse_b3_single(text);
  FUZZ_CHECK(single.has_value());
  FUZZ_CHECK(single->trace_id == h.trace_id);
  FUZZ_CHECK(single->trace_id_64 == h.trace_id_64);
  FUZZ_CHECK(single->span_id == h.span_id);
  FUZZ_CHECK(single->sampling == h.sampling);
  if (h.sampling != baton::sampling_decision::deferred) {
    FUZZ_CHECK(single->parent_span_id == h.parent_span_id);
  }
}

bool headers_ok(const baton::http_headers& h) {
  for (const auto& f : h) {
    for (char c : f.value) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x21 || u > 0x7e) return false;
    }
  }
  return true;
}

template <class Propagator>
void check_reinject(const baton::extracted_context& x) {
  baton::http_headers out;
  FUZZ_CHECK(Propagator::inject(x.context, out, x.extras));
  FUZZ_CHECK(headers_ok(out));
  const baton::extracted_context y = Propagator::extract_context(out);
  FUZZ_CHECK(y.kind == baton::context_kind::full);
  FUZZ_CHECK(y.format == Propagator::format);
  FUZZ_CHECK(y.context.trace_id == x.context.trace_id);
  FUZZ_CHECK(y.context.span_id == x.context.span_id);
  FUZZ_CHECK(y.context.flags.sampled() == x.context.flags.sampled());
  FUZZ_CHECK(y.extras.sampling == x.extras.sampling);
  FUZZ_CHECK(y.extras.trace_id_64 == x.extras.trace_id_64);
  // An invalid context never reaches the carrier.
  baton::span_context invalid = x.context;
  invalid.span_id = baton::span_id();
  FUZZ_CHECK(!Propagator::inject(invalid, out, x.extras));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_single(input);

  const std::vector<std::string_view> lines = fuzz_split_lines(input);
  if (lines.size() > 1) check_single(lines[0]);

  // Lines 2-6 as the multi fields; an empty line means "absent".
  auto line = [&](std::size_t i) -> std::optional<std::string_view> {
    if (i >= lines.size() || lines[i].empty()) return std::nullopt;
    return lines[i];
  };
  baton::b3_multi_fields fields;
  fields.trace_id = line(1);
  fields.span_id = line(2);
  fields.parent_span_id = line(3);
  fields.sampled = line(4);
  fields.flags = line(5);
  check_multi(fields);

  baton::http_headers in;
  static constexpr std::string_view names[] = {
      "b3", "x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled", "x-b3-flags"};
  for (std::size_t i = 0; i < lines.size() && i < 6; ++i) {
    if (!lines[i].empty()) in.add(names[i], lines[i]);
  }
  // Lines past the sixth repeat the fields (singleton policy).
  for (std::size_t i = 6; i < lines.size() && i < 12; ++i) in.add(names[i - 6], lines[i]);
  const baton::extracted_context x = baton::b3_propagator::extract_context(in);
  // The same fields through a carrier that is looked up name by name (not in one pass).
  const auto by_name = baton::make_carrier(
      [&](std::string_view name, auto&& visit) { in.for_each(name, visit); }, nullptr);
  const baton::extracted_context z = baton::b3_propagator::extract_context(by_name);
  FUZZ_CHECK(z.kind == x.kind && z.format == x.format && z.found == x.found);
  FUZZ_CHECK(z.error == x.error && z.extras == x.extras && z.context == x.context);
  FUZZ_CHECK(x.kind != baton::context_kind::trace_id_only);
  FUZZ_CHECK(x.found == !in.empty());
  if (x.kind == baton::context_kind::full) {
    // A full context has no error, except a rejected b3 header beside a context from x-b3-*.
    FUZZ_CHECK(x.error.code == baton::errc::ok || x.format == baton::propagation_format::b3multi);
    FUZZ_CHECK(x.context.is_valid() && x.context.remote);
    check_reinject<baton::b3_propagator>(x);
    check_reinject<baton::b3multi_propagator>(x);
  } else if (x.kind == baton::context_kind::sampling_only) {
    FUZZ_CHECK(!x.context.trace_id.is_valid());
    FUZZ_CHECK(x.extras.sampling != baton::sampling_decision::deferred);
  }
  return 0;
}
