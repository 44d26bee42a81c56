// Jaeger: uber-trace-id valid and invalid examples with exact codes and offsets, short ids, the
// %3A form, hex flags, the propagator over every kind of carrier, uberctx- baggage, and round
// trips across formats.
#include "baton/propagation/jaeger.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "baton/carrier.hpp"
#include "baton/propagation/b3.hpp"
#include "baton/propagation/baggage.hpp"
#include "baton/propagation/trace_context.hpp"

namespace {

using baton::context_kind;
using baton::errc;
using baton::http_headers;
using baton::jaeger_header;
using baton::jaeger_propagator;
using baton::sampling_decision;

struct ci_less {
  bool operator()(const std::string& a, const std::string& b) const {
    const std::size_t n = a.size() < b.size() ? a.size() : b.size();
    for (std::size_t i = 0; i < n; ++i) {
      const auto x = static_cast<unsigned char>(a[i] | (a[i] >= 'A' && a[i] <= 'Z' ? 0x20 : 0));
      const auto y = static_cast<unsigned char>(b[i] | (b[i] >= 'A' && b[i] <= 'Z' ? 0x20 : 0));
      if (x != y) return x < y;
    }
    return a.size() < b.size();
  }
};
using ci_multimap = std::multimap<std::string, std::string, ci_less>;
using pair_vector = std::vector<std::pair<std::string, std::string>>;

baton::trace_id tid(const char* hex) {
  return *baton::trace_id::from_hex(hex);
}
baton::span_id spid(const char* hex) {
  return *baton::span_id::from_hex(hex);
}

void expect_error(std::string_view value, errc code, std::uint32_t offset) {
  const auto r = baton::parse_uber_trace_id(value);
  ASSERT_FALSE(r) << value;
  EXPECT_EQ(r.error().code, code) << value << ": " << baton::to_string(r.error().code);
  EXPECT_EQ(r.error().offset, offset) << value;
}

// ---------------------------------------------------------------------------------------------
// parse_uber_trace_id

TEST(JaegerParse, FullWidth) {
  const auto r =
      baton::parse_uber_trace_id("000000000000000000000000deadbeef:00000000deadbef0:0:01");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->trace_id, tid("000000000000000000000000deadbeef"));
  EXPECT_FALSE(r->trace_id_64);  // 32 digits were sent
  EXPECT_EQ(r->span_id, spid("00000000deadbef0"));
  EXPECT_FALSE(r->parent_span_id.is_valid());
  EXPECT_EQ(r->flags, 1);
  EXPECT_EQ(r->sampling(), sampling_decision::sampled);
}

TEST(JaegerParse, ShortIdsAreLeftPadded) {
  const auto r = baton::parse_uber_trace_id("deadbeef:deadbef0:0:1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->trace_id, tid("000000000000000000000000deadbeef"));
  EXPECT_TRUE(r->trace_id_64);
  EXPECT_EQ(r->span_id, spid("00000000deadbef0"));
  const auto odd = baton::parse_uber_trace_id("abc:1:f:0");
  ASSERT_TRUE(odd);
  EXPECT_EQ(odd->trace_id, tid("00000000000000000000000000000abc"));
  EXPECT_EQ(odd->span_id, spid("0000000000000001"));
  EXPECT_EQ(odd->parent_span_id, spid("000000000000000f"));
  const auto wide = baton::parse_uber_trace_id("1234567890abcdef1:1:0:0");
  ASSERT_TRUE(wide);
  EXPECT_FALSE(wide->trace_id_64);
  EXPECT_EQ(wide->trace_id, tid("0000000000000001234567890abcdef1"));
}

TEST(JaegerParse, FlagsAreHex) {
  const std::pair<const char*, std::pair<int, sampling_decision>> cases[] = {
      {"0", {0, sampling_decision::not_sampled}}, {"1", {1, sampling_decision::sampled}},
      {"3", {3, sampling_decision::debug}},       {"2", {2, sampling_decision::not_sampled}},
      {"b", {0x0b, sampling_decision::debug}},    {"0b", {0x0b, sampling_decision::debug}},
      {"B", {0x0b, sampling_decision::debug}},    {"08", {8, sampling_decision::not_sampled}},
      {"09", {9, sampling_decision::sampled}},    {"10", {0x10, sampling_decision::not_sampled}},
      {"ff", {0xff, sampling_decision::debug}},   {"00", {0, sampling_decision::not_sampled}},
  };
  for (const auto& [flags, want] : cases) {
    const auto r = baton::parse_uber_trace_id(std::string("deadbeef:deadbef0:0:") + flags);
    ASSERT_TRUE(r) << flags;
    EXPECT_EQ(r->flags, want.first) << flags;
    EXPECT_EQ(r->sampling(), want.second) << flags;
  }
}

TEST(JaegerParse, PercentEncodedSeparators) {
  for (const char* v : {"deadbeef%3Adeadbef0%3A0%3A1", "deadbeef%3adeadbef0%3a0%3a1",
                        " deadbeef%3Adeadbef0%3a0%3A1\t"}) {
    const auto r = baton::parse_uber_trace_id(v);
    ASSERT_TRUE(r) << v;
    EXPECT_EQ(r->trace_id, tid("000000000000000000000000deadbeef"));
    EXPECT_EQ(r->span_id, spid("00000000deadbef0"));
    EXPECT_EQ(r->flags, 1);
  }
  const std::string longest =
      "0123456789abcdef0123456789abcdef%3A0123456789abcdef%3A0123456789abcdef%3Aff";
  EXPECT_EQ(longest.size(), baton::uber_trace_id_max_size);
  EXPECT_TRUE(baton::parse_uber_trace_id(longest));
}

TEST(JaegerParse, UppercaseHexAccepted) {
  const auto r = baton::parse_uber_trace_id("DEADBEEF:DEADBEF0:A:1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->trace_id, tid("000000000000000000000000deadbeef"));
  EXPECT_EQ(r->parent_span_id, spid("000000000000000a"));
}

TEST(JaegerParse, FastPathFallsBackCleanly) {
  // Laid out like the fast path's shape, but uppercase: the general loop decodes it.
  const auto a =
      baton::parse_uber_trace_id("4bf92f3577b34da6a3ce929d0e0e4736:00F067AA0BA902B7:0:1");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->trace_id, tid("4bf92f3577b34da6a3ce929d0e0e4736"));
  EXPECT_EQ(a->span_id, spid("00f067aa0ba902b7"));
  EXPECT_FALSE(a->trace_id_64);
  const auto b = baton::parse_uber_trace_id("DEADBEEFDEADBEEF:0000000000000abc:0:1");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->trace_id, tid("0000000000000000deadbeefdeadbeef"));
  EXPECT_EQ(b->span_id, spid("0000000000000abc"));
  EXPECT_TRUE(b->trace_id_64);
  expect_error("4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba9g2b7:0:1",
               errc::jaeger_invalid_span_id, 45);
  expect_error("deadbeefdeadbeef:00f067aa0ba902b7:0:", errc::jaeger_invalid_flags, 36);
  expect_error("deadbeefdeadbeef:0000000000000000:0:1", errc::jaeger_zero_span_id, 17);
}

TEST(JaegerParse, Invalid) {
  expect_error("", errc::jaeger_empty, 0);
  expect_error(" \t", errc::jaeger_empty, 2);
  expect_error(std::string(76, 'a'), errc::jaeger_too_long, 75);
  expect_error("deadbeef:deadbef0:0", errc::jaeger_missing_fields, 19);  // 3 parts
  expect_error("deadbeef", errc::jaeger_missing_fields, 8);
  expect_error("deadbeef:deadbef0:0:1:x", errc::jaeger_too_many_fields, 21);  // 5 parts
  expect_error("0123456789abcdef0123456789abcdef0:1:0:1", errc::jaeger_invalid_trace_id, 32);
  expect_error("0:deadbef0:0:1", errc::jaeger_zero_trace_id, 0);
  expect_error("00000000000000000000000000000000:deadbef0:0:1", errc::jaeger_zero_trace_id, 0);
  expect_error("deadbeef:0000:0:1", errc::jaeger_zero_span_id, 9);
  expect_error("xyz:deadbef0:0:1", errc::jaeger_invalid_trace_id, 0);
  expect_error(":deadbef0:0:1", errc::jaeger_invalid_trace_id, 0);
  expect_error("deadbeef::0:1", errc::jaeger_invalid_span_id, 9);
  expect_error("deadbeef:0123456789abcdef0:0:1", errc::jaeger_invalid_span_id, 25);
  expect_error("deadbeef:deadbef0:g:1", errc::jaeger_invalid_parent_span_id, 18);
  expect_error("deadbeef:deadbef0:0:001", errc::jaeger_invalid_flags, 22);  // 3 digits
  expect_error("deadbeef:deadbef0:0:0x1", errc::jaeger_invalid_flags, 21);
  expect_error("deadbeef:deadbef0:0:", errc::jaeger_invalid_flags, 20);
  expect_error("deadbeef:deadbef0:0:1\r\n", errc::jaeger_invalid_flags, 21);
  expect_error("dead beef:deadbef0:0:1", errc::jaeger_invalid_trace_id, 4);
  // Encoded form: only %3A separates; a ':' anywhere selects the plain form.
  expect_error("deadbeef%3Adeadbef0:0:1", errc::jaeger_invalid_trace_id, 8);
  expect_error("deadbeef%3Bdeadbef0%3A0%3A1", errc::jaeger_invalid_trace_id, 8);
  expect_error("deadbeef%3Adeadbef0%3A0%3", errc::jaeger_invalid_parent_span_id, 23);
  expect_error("deadbeef%3Adeadbef0%3A0%3A1%3A", errc::jaeger_too_many_fields, 27);
}

// ---------------------------------------------------------------------------------------------
// format_uber_trace_id

TEST(JaegerFormat, Golden) {
  jaeger_header h;
  h.trace_id = tid("000000000000000000000000deadbeef");
  h.span_id = spid("00000000deadbef0");
  h.flags = 1;
  EXPECT_EQ(baton::format_uber_trace_id(h),
            "000000000000000000000000deadbeef:00000000deadbef0:0:1");
  h.trace_id_64 = true;
  EXPECT_EQ(baton::format_uber_trace_id(h), "00000000deadbeef:00000000deadbef0:0:1");
  h.flags = 0x1f;
  h.parent_span_id = spid("0000000000000abc");
  EXPECT_EQ(baton::format_uber_trace_id(h),
            "00000000deadbeef:00000000deadbef0:0000000000000abc:1f");
  // A 128-bit id is never cut to 64 bits.
  h.trace_id = tid("4bf92f3577b34da6a3ce929d0e0e4736");
  h.flags = 0;
  h.parent_span_id = baton::span_id();
  EXPECT_EQ(baton::format_uber_trace_id(h),
            "4bf92f3577b34da6a3ce929d0e0e4736:00000000deadbef0:0:0");
}

TEST(JaegerFormat, RoundTrip) {
  for (const char* v : {"deadbeef:deadbef0:0:1", "DEADBEEF%3ADEADBEF0%3A0%3A3", "abc:1:f:b"}) {
    const auto r = baton::parse_uber_trace_id(v);
    ASSERT_TRUE(r) << v;
    const std::string text = baton::format_uber_trace_id(*r);
    const auto again = baton::parse_uber_trace_id(text);
    ASSERT_TRUE(again) << text;
    EXPECT_EQ(*again, *r) << text;
  }
  EXPECT_EQ(baton::format_uber_trace_id(*baton::parse_uber_trace_id("abc:1:f:b")),
            "0000000000000abc:0000000000000001:000000000000000f:b");
}

// ---------------------------------------------------------------------------------------------
// Propagator

TEST(JaegerPropagator, Extract) {
  http_headers h;
  h.add("Uber-Trace-Id", "deadbeef:deadbef0:1234:3");
  const baton::extracted_context x = jaeger_propagator::extract_context(h);
  EXPECT_EQ(x.kind, context_kind::full);
  EXPECT_EQ(x.format, baton::propagation_format::jaeger);
  EXPECT_TRUE(x.found);
  EXPECT_EQ(x.error.code, errc::ok);
  EXPECT_EQ(x.context.trace_id, tid("000000000000000000000000deadbeef"));
  EXPECT_EQ(x.context.span_id, spid("00000000deadbef0"));
  EXPECT_TRUE(x.context.flags.sampled());
  EXPECT_TRUE(x.context.remote);
  EXPECT_EQ(x.extras.sampling, sampling_decision::debug);
  EXPECT_TRUE(x.extras.trace_id_64);
  EXPECT_EQ(x.extras.parent_span_id, spid("0000000000001234"));
}

TEST(JaegerPropagator, ExtractAbsentInvalidAndRepeats) {
  http_headers none;
  auto x = jaeger_propagator::extract_context(none);
  EXPECT_EQ(x.kind, context_kind::none);
  EXPECT_FALSE(x.found);

  http_headers bad;
  bad.add("uber-trace-id", "deadbeef:deadbef0:0");
  x = jaeger_propagator::extract_context(bad);
  EXPECT_EQ(x.kind, context_kind::none);
  EXPECT_TRUE(x.found);
  EXPECT_EQ(x.error, (baton::error{errc::jaeger_missing_fields, 19}));

  http_headers same;
  same.add("uber-trace-id", "deadbeef:deadbef0:0:0");
  same.add("uber-trace-id", "deadbeef:deadbef0:0:0 ");
  x = jaeger_propagator::extract_context(same);
  EXPECT_EQ(x.kind, context_kind::full);
  EXPECT_FALSE(x.context.flags.sampled());
  EXPECT_EQ(x.extras.sampling, sampling_decision::not_sampled);

  http_headers differ;
  differ.add("uber-trace-id", "deadbeef:deadbef0:0:0");
  differ.add("uber-trace-id", "deadbeef:deadbef0:0:1");
  x = jaeger_propagator::extract_context(differ);
  EXPECT_EQ(x.kind, context_kind::none);
  EXPECT_EQ(x.error.code, errc::propagation_conflicting_values);
}

baton::span_context context(bool sampled, const char* trace) {
  baton::span_context c;
  c.trace_id = tid(trace);
  c.span_id = spid("00f067aa0ba902b7");
  c.flags = baton::trace_flags().with_sampled(sampled);
  return c;
}

std::string inject(const baton::span_context& c, const baton::format_extras& e) {
  http_headers h;
  EXPECT_TRUE(jaeger_propagator::inject(c, h, e));
  EXPECT_EQ(h.size(), 1u);
  return std::string(h.get("uber-trace-id").first);
}

TEST(JaegerPropagator, InjectGolden) {
  const char* t = "4bf92f3577b34da6a3ce929d0e0e4736";
  baton::format_extras e;
  EXPECT_EQ(inject(context(true, t), e), "4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:1");
  // No "undecided" in Jaeger: deferred and not sampled is 0.
  EXPECT_EQ(inject(context(false, t), e), "4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:0");
  e.sampling = sampling_decision::debug;
  EXPECT_EQ(inject(context(true, t), e), "4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:3");
  EXPECT_EQ(inject(context(false, t), e), "4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:0");
  // The parent field is deprecated: always 0.
  e.parent_span_id = spid("0000000000001234");
  e.trace_id_64 = true;
  EXPECT_EQ(inject(context(true, "0000000000000000a3ce929d0e0e4736"), e),
            "a3ce929d0e0e4736:00f067aa0ba902b7:0:3");
  EXPECT_EQ(inject(context(true, t), e), "4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:3");
}

TEST(JaegerPropagator, InjectReplacesAndRefusesInvalid) {
  http_headers h;
  h.add("Uber-Trace-Id", "old");
  h.add("uber-trace-id", "older");
  EXPECT_FALSE(jaeger_propagator::inject(baton::span_context{}, h));
  EXPECT_EQ(h.size(), 2u);
  ASSERT_TRUE(jaeger_propagator::inject(context(true, "4bf92f3577b34da6a3ce929d0e0e4736"), h));
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h.begin()->name, "uber-trace-id");
  EXPECT_EQ(jaeger_propagator::fields[0], "uber-trace-id");
  EXPECT_TRUE(jaeger_propagator::cleared_fields.empty());
}

template <class Carrier>
void check_adapter(Carrier& carrier) {
  const auto x = jaeger_propagator::extract_context(carrier);
  ASSERT_EQ(x.kind, context_kind::full);
  EXPECT_EQ(x.context.trace_id, tid("000000000000000000000000deadbeef"));
  ASSERT_TRUE(jaeger_propagator::inject(x.context.child(baton::span_id(spid("0000000000000abc"))),
                                        carrier, x.extras));
  std::vector<std::string> values;
  baton::carrier_for_each(carrier, "uber-trace-id",
                          [&](std::string_view v) { values.emplace_back(v); });
  EXPECT_EQ(values, std::vector<std::string>{"00000000deadbeef:0000000000000abc:0:1"});
}

TEST(JaegerPropagator, Adapters) {
  std::map<std::string, std::string> m{{"Uber-Trace-Id", "deadbeef%3Adeadbef0%3A0%3A1"}};
  check_adapter(m);
  ci_multimap cm{{"UBER-TRACE-ID", "deadbeef:deadbef0:0:1"}};
  check_adapter(cm);
  pair_vector v{{"uber-trace-id", "deadbeef:deadbef0:0:1"}};
  check_adapter(v);
  std::map<std::string, std::string> store{{"uber-trace-id", "deadbeef:deadbef0:0:1"}};
  auto callable = baton::make_carrier(
      [&](std::string_view name) -> std::optional<std::string> {
        const auto it = store.find(std::string(name));
        if (it == store.end()) return std::nullopt;
        return it->second;
      },
      [&](std::string_view name, std::string_view value) {
        store[std::string(name)] = std::string(value);
      });
  check_adapter(callable);
}

// ---------------------------------------------------------------------------------------------
// Cross-format round trips

TEST(JaegerRoundTrip, SixtyFourBitKeepsWidthIntoB3) {
  http_headers in;
  in.add("uber-trace-id", "a3ce929d0e0e4736:00f067aa0ba902b7:0:3");
  const auto x = jaeger_propagator::extract_context(in);
  ASSERT_TRUE(x.valid());
  http_headers out;
  ASSERT_TRUE(baton::b3_propagator::inject(x.context, out, x.extras));
  EXPECT_EQ(out.get("b3").first, "a3ce929d0e0e4736-00f067aa0ba902b7-d");
  ASSERT_TRUE(baton::b3multi_propagator::inject(x.context, out, x.extras));
  EXPECT_EQ(out.get("x-b3-traceid").first, "a3ce929d0e0e4736");
  EXPECT_EQ(out.get("x-b3-flags").first, "1");

  // And from B3 back to Jaeger, still 64-bit and debug.
  const auto b = baton::b3_propagator::extract_context(out);
  ASSERT_TRUE(b.valid());
  http_headers j;
  ASSERT_TRUE(jaeger_propagator::inject(b.context, j, b.extras));
  EXPECT_EQ(j.get("uber-trace-id").first, "a3ce929d0e0e4736:00f067aa0ba902b7:0:3");
}

TEST(JaegerRoundTrip, ToW3CAndBack) {
  http_headers in;
  in.add("uber-trace-id", "4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:1");
  const auto x = jaeger_propagator::extract_context(in);
  ASSERT_TRUE(x.valid());
  http_headers w3c;
  ASSERT_TRUE(baton::inject_trace_context(x.context, w3c));
  EXPECT_EQ(w3c.get("traceparent").first,
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  const auto back = baton::trace_context_propagator::extract_context(w3c);
  http_headers j;
  ASSERT_TRUE(jaeger_propagator::inject(back.context, j, back.extras));
  EXPECT_EQ(j.get("uber-trace-id").first, "4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:1");
}

// ---------------------------------------------------------------------------------------------
// uberctx- baggage

std::vector<std::pair<std::string, std::string>> entries(const baton::baggage& b) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : b) out.emplace_back(e.key, e.value);
  return out;
}

TEST(JaegerBaggage, ExtractDecodesAndLowercases) {
  http_headers h;
  h.add("uberctx-user-id", "alice%20smith");
  h.add("Uberctx-Tenant", " a+b ");
  h.add("UBERCTX-Path", "%2Fx%3By%2Cz");
  h.add("uberctx-bad-escape", "100%zz");
  h.add("uberctx-latin1", "caf%E9");
  h.add("uberctx-utf8", "caf%C3%A9");
  h.add("uberctx-", "empty key");
  h.add("uberctx-a b", "space in key");
  h.add("uberctxfoo", "no dash: not baggage");
  h.add("baggage", "w3c=1");
  baton::baggage::parser parser;
  const baton::jaeger_baggage_report report = jaeger_propagator::extract_baggage(h, parser);
  EXPECT_TRUE(report.enumerable);
  EXPECT_EQ(report.fields, 8u);
  EXPECT_EQ(report.invalid_keys, 2u);
  const baton::baggage b = std::move(parser).finish();
  const std::vector<std::pair<std::string, std::string>> want{{"user-id", "alice smith"},
                                                              {"tenant", "a+b"},
                                                              {"path", "/x;y,z"},
                                                              {"bad-escape", "100%zz"},
                                                              {"latin1", "caf\xEF\xBF\xBD"},
                                                              {"utf8", "caf\xC3\xA9"}};
  EXPECT_EQ(entries(b), want);
}

TEST(JaegerBaggage, SharesOneBudgetWithW3C) {
  http_headers h;
  h.add("uberctx-a", "1");
  h.add("uberctx-b", "2");
  h.add("baggage", "c=3,d=4");
  baton::baggage_options options;
  options.limits.max_members = 3;
  baton::baggage::parser parser(options);
  jaeger_propagator::extract_baggage(h, parser);
  h.for_each("baggage", [&](std::string_view v) { parser.append(v); });
  const baton::baggage b = std::move(parser).finish();
  const std::vector<std::pair<std::string, std::string>> want{{"a", "1"}, {"b", "2"}, {"c", "3"}};
  EXPECT_EQ(entries(b), want);
  EXPECT_EQ(parser.report().count(errc::baggage_too_many_members), 1u);
}

TEST(JaegerBaggage, KeyFilterApplies) {
  http_headers h;
  h.add("uberctx-keep", "1");
  h.add("uberctx-drop", "2");
  static constexpr std::string_view allowed[] = {"keep"};
  baton::baggage_options options;
  options.filter = baton::baggage_key_filter::allow(allowed, 1);
  baton::baggage::parser parser(options);
  jaeger_propagator::extract_baggage(h, parser);
  const baton::baggage b = std::move(parser).finish();
  EXPECT_EQ(entries(b), (std::vector<std::pair<std::string, std::string>>{{"keep", "1"}}));
  EXPECT_EQ(parser.report().count(errc::baggage_key_filtered), 1u);
}

TEST(JaegerBaggage, NotEnumerableCarrier) {
  auto carrier = baton::make_carrier(
      [](std::string_view) -> std::optional<std::string> { return std::string("x"); }, nullptr);
  baton::baggage::parser parser;
  const auto report = jaeger_propagator::extract_baggage(carrier, parser);
  EXPECT_FALSE(report.enumerable);
  EXPECT_EQ(report.fields, 0u);
  EXPECT_TRUE(std::move(parser).finish().empty());
}

TEST(JaegerBaggage, InjectEncodesAndReplaces) {
  baton::baggage b;
  ASSERT_TRUE(b.set("User-Id", "alice smith+1;x"));
  ASSERT_TRUE(b.set("crlf", "a\r\nX-Evil: 1"));
  ASSERT_TRUE(b.set("plain", "A-z_0.9~", {{"prop", std::string_view("v")}}));
  http_headers h;
  h.add("Uberctx-Stale", "old");
  h.add("uberctx-user-id", "older");
  h.add("other", "kept");
  EXPECT_EQ(jaeger_propagator::inject_baggage(b, h), 3u);
  std::vector<std::pair<std::string, std::string>> fields;
  for (const auto& f : h) fields.emplace_back(f.name, f.value);
  const std::vector<std::pair<std::string, std::string>> want{
      {"other", "kept"},
      {"uberctx-user-id", "alice%20smith%2B1%3Bx"},
      {"uberctx-crlf", "a%0D%0AX-Evil%3A%201"},
      {"uberctx-plain", "A-z_0.9~"}};
  EXPECT_EQ(fields, want);
}

TEST(JaegerBaggage, InjectLimits) {
  baton::baggage b;
  ASSERT_TRUE(b.set("a", "1"));
  ASSERT_TRUE(b.set("big", "x y z"));  // "big=x%20y%20z": 13 bytes
  ASSERT_TRUE(b.set("c", "3"));
  ASSERT_TRUE(b.set("d", "4"));
  baton::baggage_limits limits;
  limits.max_bytes = 10;
  limits.max_members = 2;
  baton::baggage_report report;
  http_headers h;
  EXPECT_EQ(jaeger_propagator::inject_baggage(b, h, limits, &report), 2u);
  std::vector<std::pair<std::string, std::string>> fields;
  for (const auto& f : h) fields.emplace_back(f.name, f.value);
  const std::vector<std::pair<std::string, std::string>> want{{"uberctx-a", "1"},
                                                              {"uberctx-c", "3"}};
  EXPECT_EQ(fields, want);
  EXPECT_EQ(report.count(errc::baggage_too_large), 1u);
  EXPECT_EQ(report.count(errc::baggage_too_many_members), 1u);
  EXPECT_EQ(report.first_error(), (baton::error{errc::baggage_too_large, 1}));

  // An empty baggage clears what was there.
  EXPECT_EQ(jaeger_propagator::inject_baggage(baton::baggage(), h), 0u);
  EXPECT_TRUE(h.empty());
}

TEST(JaegerBaggage, RoundTrip) {
  baton::baggage b;
  ASSERT_TRUE(b.set("k1", "v 1/2+3%"));
  ASSERT_TRUE(b.set("k2", "\xC3\xA9t\xC3\xA9"));
  ASSERT_TRUE(b.set("k3", ""));
  std::map<std::string, std::string> m;
  jaeger_propagator::inject_baggage(b, m);
  baton::baggage::parser parser;
  const auto report = jaeger_propagator::extract_baggage(m, parser);
  EXPECT_EQ(report.fields, 3u);
  const baton::baggage back = std::move(parser).finish();
  EXPECT_EQ(back, b);
}

TEST(JaegerBaggage, CaseInsensitiveMultimapAndVector) {
  baton::baggage b;
  ASSERT_TRUE(b.set("k", "v"));
  ci_multimap cm{{"UberCtx-Old", "x"}, {"other", "y"}};
  jaeger_propagator::inject_baggage(b, cm);
  EXPECT_EQ(cm.size(), 2u);
  EXPECT_EQ(cm.count("uberctx-k"), 1u);
  EXPECT_EQ(cm.count("uberctx-old"), 0u);
  pair_vector v{{"uberctx-old", "x"}};
  jaeger_propagator::inject_baggage(b, v);
  EXPECT_EQ(v, (pair_vector{{"uberctx-k", "v"}}));
}

}  // namespace
