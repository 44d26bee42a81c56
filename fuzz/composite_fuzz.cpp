// Fuzzes a whole composite extraction over a fuzzed header block. Input: one byte choosing the
// propagator order and the trust policy, then "name: value" lines. Checks:
//   - extraction never fails hard; a chosen full context is valid, links are valid and differ
//     from the chosen trace id; baggage stays within the budget;
//   - injecting the chosen context with every format writes no control character, and
//     extracting that carrier again gives back the same ids, sampled bit and extras (inject and
//     extract agree across all formats);
//   - a second inject into the same carrier changes nothing (replace, never append).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "baton/carrier.hpp"
#include "baton/propagation/propagator_list.hpp"
#include "fuzz_check.hpp"

namespace {

constexpr const char* kOrders[] = {
    "tracecontext,baggage,b3,jaeger,xray", "xray,b3multi,tracecontext,jaeger,baggage",
    "jaeger,xray,b3,tracecontext,baggage", "b3,tracecontext,xray-lambda,baggage,jaeger"};

using string_map = std::map<std::string, std::string>;

bool has_control(std::string_view s) {
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t options = data[0];
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);

  baton::http_headers headers;
  while (!rest.empty()) {
    const std::size_t nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    headers.add(line.substr(0, colon), baton::detail::trim_ows(line.substr(colon + 1)));
  }

  baton::propagator_list list = baton::propagator_list::parse(kOrders[options & 3]);
  list.set_lambda_trace_header("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8");
  baton::extract_policy policy;
  policy.context = static_cast<baton::trust_policy>((options >> 2) % 3);
  policy.baggage_options.limits.max_members = 1 + ((options >> 4) & 7);
  policy.baggage_options.limits.max_bytes = 64u << ((options >> 4) & 3);

  const baton::propagation_extraction r = list.extract(headers, policy);
  FUZZ_CHECK(r.baggage.size() <= policy.baggage_options.limits.max_members);
  // The budget bounds the received bytes; re-encoding may grow (U+FFFD for bad UTF-8), so what
  // is sent on is bounded again by the same limits.
  FUZZ_CHECK(r.baggage.header(policy.baggage_options.limits).size() <=
             policy.baggage_options.limits.max_bytes);
  if (policy.context != baton::trust_policy::continue_trace) {
    FUZZ_CHECK(r.context.kind == baton::context_kind::none);
  }
  if (policy.context == baton::trust_policy::ignore) FUZZ_CHECK(r.links.empty());
  for (const baton::span_context& link : r.links) {
    FUZZ_CHECK(link.is_valid());
    if (r.valid()) FUZZ_CHECK(link.trace_id != r.context.context.trace_id);
  }
  if (!r.valid()) return 0;
  const baton::span_context& chosen = r.context.context;
  FUZZ_CHECK(chosen.is_valid());

  // Every format out, then each format back in: the same ids, sampled bit and extras.
  const auto all = baton::propagator_list::parse("tracecontext,baggage,b3,jaeger,xray");
  string_map out;
  all.inject(chosen, out, r.context.extras, &r.baggage);
  for (const auto& field : out) {
    FUZZ_CHECK(!has_control(field.first));
    FUZZ_CHECK(!has_control(field.second));
  }
  const string_map first = out;
  all.inject(chosen, out, r.context.extras, &r.baggage);
  FUZZ_CHECK(out == first);

  for (const char* one : {"tracecontext", "b3", "jaeger", "xray"}) {
    const baton::propagation_extraction back = baton::propagator_list::parse(one).extract(out);
    FUZZ_CHECK(back.valid());
    FUZZ_CHECK(back.context.context.trace_id == chosen.trace_id);
    FUZZ_CHECK(back.context.context.span_id == chosen.span_id);
    FUZZ_CHECK(back.context.context.flags.sampled() == chosen.flags.sampled());
  }
  // The format that won reads back its own extras (width, debug, X-Ray fields).
  const baton::propagation_format won = r.context.format;
  if (won == baton::propagation_format::xray) {
    const auto back = baton::propagator_list::parse("xray").extract(out);
    FUZZ_CHECK(back.context.extras.sampling == r.context.extras.sampling ||
               r.context.extras.sampling == baton::sampling_decision::debug);
  }
  if (won == baton::propagation_format::b3 || won == baton::propagation_format::b3multi ||
      won == baton::propagation_format::jaeger) {
    const auto back =
        baton::propagator_list::parse(won == baton::propagation_format::jaeger ? "jaeger" : "b3")
            .extract(out);
    FUZZ_CHECK(back.context.extras.trace_id_64 == r.context.extras.trace_id_64);
    FUZZ_CHECK(back.context.extras.debug() == r.context.extras.debug());
  }
  return 0;
}
