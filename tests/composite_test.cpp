// The compile-time composite: precedence, link candidates, tracestate ownership, merged baggage,
// trust policies, inject that clears, and batch extraction.
#include <gtest/gtest.h>

#include <array>
#include <map>
#include <string>
#include <vector>

#include "baton/carrier.hpp"
#include "baton/propagation/baggage.hpp"
#include "baton/propagation/composite.hpp"
#include "baton/propagation/trace_context.hpp"

namespace {

using baton::context_kind;
using baton::errc;
using baton::propagation_format;

constexpr const char* kTp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

// A minimal format for testing precedence without depending on the real ones: field "x-test"
// holds "<32 hex trace id>:<16 hex span id>", or "<32 hex>" alone (trace-id only), or "s"
// (sampling only).
struct test_propagator {
  static constexpr propagation_format format = propagation_format::b3;
  static constexpr std::array<std::string_view, 1> fields{"x-test"};
  static constexpr std::array<std::string_view, 1> cleared_fields{"x-test-old"};
  template <class Carrier>
  static baton::extracted_context extract_context(const Carrier& carrier) {
    baton::extracted_context out;
    out.format = format;
    const baton::singleton_field f = baton::read_singleton_field(carrier, "x-test");
    if (!f.found()) return out;
    out.found = true;
    const std::string_view v = f.value();
    if (v == "s") {
      out.kind = context_kind::sampling_only;
      out.extras.sampling = baton::sampling_decision::sampled;
      return out;
    }
    auto t = baton::trace_id::from_hex(v.substr(0, 32));
    if (!t) {
      out.error = baton::error{errc::invalid_hex, 0};
      return out;
    }
    out.context.trace_id = *t;
    out.context.remote = true;
    if (v.size() == 32) {
      out.kind = context_kind::trace_id_only;
      return out;
    }
    auto s = baton::span_id::from_hex(v.substr(33));
    if (!s) {
      out.error = baton::error{errc::invalid_hex, 33};
      return out;
    }
    out.context.span_id = *s;
    out.kind = context_kind::full;
    return out;
  }
  template <class Carrier>
  static bool inject(const baton::span_context& c, Carrier& carrier,
                     const baton::format_extras& = {}) {
    if (!c.is_valid()) return false;
    baton::carrier_set(carrier, "x-test", c.trace_id.to_hex() + ":" + c.span_id.to_hex());
    baton::carrier_erase(carrier, "x-test-old");
    return true;
  }
};

using w3c_first = baton::composite_propagator<baton::trace_context_propagator, test_propagator,
                                              baton::baggage_propagator>;
using test_first = baton::composite_propagator<test_propagator, baton::trace_context_propagator,
                                               baton::baggage_propagator>;

TEST(Composite, FieldsListsWrittenThenClearedNames) {
  constexpr auto f = w3c_first::fields();
  EXPECT_EQ(f.size(), 5u);
  EXPECT_EQ(f[0], "traceparent");
  EXPECT_EQ(f[1], "tracestate");
  EXPECT_EQ(f[2], "x-test");
  EXPECT_EQ(f[3], "baggage");
  EXPECT_EQ(f[4], "x-test-old");
}

TEST(Composite, FirstValidWinsOthersBecomeLinks) {
  baton::http_headers h;
  h.add("traceparent", kTp);
  h.add("tracestate", "rojo=1");
  h.add("x-test", "11111111111111111111111111111111:2222222222222222");
  auto a = w3c_first::extract(h);
  ASSERT_TRUE(a.valid());
  EXPECT_EQ(a.context.format, propagation_format::w3c);
  EXPECT_EQ(a.context.context.tracestate.header(), "rojo=1");
  ASSERT_EQ(a.links.size(), 1u);
  EXPECT_EQ(a.links[0].trace_id.to_hex(), "11111111111111111111111111111111");
  EXPECT_TRUE(a.issues.empty());

  auto b = test_first::extract(h);
  ASSERT_TRUE(b.valid());
  EXPECT_EQ(b.context.format, propagation_format::b3);
  EXPECT_EQ(b.context.context.trace_id.to_hex(), "11111111111111111111111111111111");
  // tracestate belongs to the traceparent, which lost: it is not on the chosen context.
  EXPECT_TRUE(b.context.context.tracestate.empty());
  ASSERT_EQ(b.links.size(), 1u);
  EXPECT_EQ(b.links[0].trace_id.to_hex(), "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST(Composite, SameTraceIsNotALinkAndKeepsTracestate) {
  baton::http_headers h;
  h.add("traceparent", kTp);
  h.add("tracestate", "rojo=1");
  h.add("x-test", "4bf92f3577b34da6a3ce929d0e0e4736:2222222222222222");
  auto r = test_first::extract(h);
  ASSERT_TRUE(r.valid());
  EXPECT_EQ(r.context.format, propagation_format::b3);
  EXPECT_EQ(r.context.context.span_id.to_hex(), "2222222222222222");
  EXPECT_EQ(r.context.context.tracestate.header(), "rojo=1");
  EXPECT_TRUE(r.links.empty());
}

TEST(Composite, InvalidNeverOverwritesValidAndIsReported) {
  baton::http_headers h;
  h.add("traceparent", kTp);
  h.add("x-test", "zz");
  auto r = test_first::extract(h);
  ASSERT_TRUE(r.valid());
  EXPECT_EQ(r.context.format, propagation_format::w3c);
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_EQ(r.issues[0], (baton::format_issue{propagation_format::b3, {errc::invalid_hex, 0}}));
  // Conflicting traceparents are reported and the other format still wins.
  baton::http_headers c;
  c.add("traceparent", kTp);
  c.add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b8-01");
  c.add("x-test", "11111111111111111111111111111111:2222222222222222");
  auto r2 = w3c_first::extract(c);
  ASSERT_TRUE(r2.valid());
  EXPECT_EQ(r2.context.format, propagation_format::b3);
  ASSERT_EQ(r2.issues.size(), 1u);
  EXPECT_EQ(r2.issues[0].error.code, errc::traceparent_conflicting_values);
}

TEST(Composite, PartialContextsWhenNothingIsFull) {
  baton::http_headers h;
  h.add("x-test", "s");
  auto r = w3c_first::extract(h);
  EXPECT_FALSE(r.valid());
  EXPECT_EQ(r.context.kind, context_kind::sampling_only);
  h.set("x-test", "11111111111111111111111111111111");
  r = w3c_first::extract(h);
  EXPECT_EQ(r.context.kind, context_kind::trace_id_only);
  const baton::span_context next = baton::continue_trace(r.context);
  EXPECT_EQ(next.trace_id.to_hex(), "11111111111111111111111111111111");
  EXPECT_TRUE(next.is_valid());
  // A full context later in the order beats an earlier partial one.
  h.add("traceparent", kTp);
  r = test_first::extract(h);
  EXPECT_EQ(r.context.kind, context_kind::full);
  EXPECT_EQ(r.context.format, propagation_format::w3c);
}

TEST(Composite, TrustPolicies) {
  baton::http_headers h;
  h.add("traceparent", kTp);
  h.add("baggage", "user=alice,tenant=t1");
  baton::extract_policy restart;
  restart.context = baton::trust_policy::restart;
  auto r = w3c_first::extract(h, restart);
  EXPECT_EQ(r.context.kind, context_kind::none);
  ASSERT_EQ(r.links.size(), 1u);
  EXPECT_EQ(r.links[0].span_id.to_hex(), "00f067aa0ba902b7");
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_EQ(r.issues[0],
            (baton::format_issue{propagation_format::w3c, {errc::propagation_restarted, 0}}));
  EXPECT_EQ(r.baggage.header(), "user=alice,tenant=t1");

  baton::extract_policy ignore;
  ignore.context = baton::trust_policy::ignore;
  ignore.baggage = baton::baggage_trust::drop;
  r = w3c_first::extract(h, ignore);
  EXPECT_EQ(r.context.kind, context_kind::none);
  EXPECT_TRUE(r.links.empty());
  EXPECT_TRUE(r.baggage.empty());
  EXPECT_TRUE(r.baggage_found);
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_EQ(r.issues[0].error.code, errc::propagation_ignored);

  static const std::array<std::string_view, 1> allowed{"tenant"};
  baton::extract_policy filtered;
  filtered.baggage = baton::baggage_trust::filter;
  filtered.baggage_options.filter = baton::baggage_key_filter::allow(allowed);
  r = w3c_first::extract(h, filtered);
  EXPECT_TRUE(r.valid());
  EXPECT_EQ(r.baggage.header(), "tenant=t1");
  EXPECT_EQ(r.baggage_report.count(errc::baggage_key_filtered), 1u);
  // accept applies a filter set in the options too (a filter is never silently ignored).
  filtered.baggage = baton::baggage_trust::accept;
  EXPECT_EQ(w3c_first::extract(h, filtered).baggage.header(), "tenant=t1");
  filtered.baggage_options.filter = {};
  EXPECT_EQ(w3c_first::extract(h, filtered).baggage.size(), 2u);
}

TEST(Composite, BaggageBudgetIsShared) {
  baton::http_headers h;
  h.add("baggage", "a=1,b=2");
  h.add("baggage", "c=3");
  baton::extract_policy p;
  p.baggage_options.limits.max_members = 2;
  auto r = w3c_first::extract(h, p);
  EXPECT_EQ(r.baggage.header(), "a=1,b=2");
  EXPECT_EQ(r.baggage_report.count(errc::baggage_too_many_members), 1u);
}

TEST(Composite, InjectWritesEveryFormatAndClearsStaleFields) {
  std::map<std::string, std::string> out{{"x-test-old", "stale"},
                                         {"tracestate", "stale=1"},
                                         {"baggage", "stale=1"},
                                         {"traceparent", "old"}};
  baton::span_context c;
  c.trace_id = baton::trace_id::from_hex("4bf92f3577b34da6a3ce929d0e0e4736").value();
  c.span_id = baton::span_id::from_hex("00f067aa0ba902b7").value();
  c.flags = baton::trace_flags(1);
  baton::baggage b;
  ASSERT_TRUE(b.set("k", "v"));
  ASSERT_TRUE(w3c_first::inject(c, out, {}, &b));
  EXPECT_EQ(out, (std::map<std::string, std::string>{
                     {"traceparent", kTp},
                     {"x-test", "4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7"},
                     {"baggage", "k=v"}}));
  // Twice: still one of each.
  ASSERT_TRUE(w3c_first::inject(c, out, {}, &b));
  EXPECT_EQ(out.size(), 3u);
  // No baggage given: the baggage field is left alone. An invalid context writes no trace
  // format and removes the stale ones, so nothing crosses the hop.
  EXPECT_FALSE(w3c_first::inject(baton::span_context{}, out));
  EXPECT_EQ(out, (std::map<std::string, std::string>{{"baggage", "k=v"}}));
  // An empty baggage clears the baggage field.
  const baton::baggage none;
  EXPECT_FALSE(w3c_first::inject(baton::span_context{}, out, {}, &none));
  EXPECT_TRUE(out.empty());
  out["x-test-old"] = "x";
  out["tracestate"] = "y";
  EXPECT_TRUE(w3c_first::clear(out));
  EXPECT_TRUE(out.empty());
}

TEST(Composite, ExtractAllGivesOneResultPerMessageAndDistinctLinks) {
  std::vector<std::map<std::string, std::string>> batch(4);
  batch[0]["traceparent"] = kTp;
  batch[1]["traceparent"] = "00-11111111111111111111111111111111-2222222222222222-00";
  batch[2]["traceparent"] = "garbage";
  batch[3]["traceparent"] = kTp;  // the same parent twice: one link
  auto results = baton::extract_all<w3c_first>(batch);
  ASSERT_EQ(results.size(), 4u);
  EXPECT_TRUE(results[0].valid());
  EXPECT_TRUE(results[1].valid());
  EXPECT_FALSE(results[2].valid());
  EXPECT_EQ(results[2].issues.at(0).error.code, errc::traceparent_invalid_version);
  auto links = baton::links_of(results);
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0].span_id.to_hex(), "00f067aa0ba902b7");
  EXPECT_EQ(links[1].span_id.to_hex(), "2222222222222222");
}

}  // namespace
