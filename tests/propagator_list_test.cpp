// The run-time propagator list: OTEL_PROPAGATORS parsing, precedence across real formats, link
// candidates, the xray-lambda fallback, baggage merged across W3C and Jaeger, inject that
// writes every format and clears what it read.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "baton/carrier.hpp"
#include "baton/propagation/propagator_list.hpp"

namespace {

using baton::context_kind;
using baton::errc;
using baton::propagation_format;
using baton::propagator_list;
using baton::propagator_name;

constexpr const char* kTp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
constexpr const char* kXray =
    "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

TEST(PropagatorList, ParsesOtelPropagators) {
  auto list =
      propagator_list::parse(" TraceContext , baggage,,b3multi,ottrace, XRAY ,b3multi,bogus");
  EXPECT_EQ(list.to_string(), "tracecontext,baggage,b3multi,xray");
  EXPECT_EQ(list.unknown_names(), (std::vector<std::string>{"ottrace", "bogus"}));
  EXPECT_EQ(propagator_list::parse("none").size(), 0u);
  EXPECT_EQ(propagator_list::parse("").size(), 0u);
  EXPECT_EQ(propagator_list::w3c().to_string(), "tracecontext,baggage");
  // xray-lambda takes xray's slot.
  EXPECT_EQ(propagator_list::parse("xray,tracecontext,xray-lambda").to_string(),
            "xray-lambda,tracecontext");
  EXPECT_EQ(propagator_list::parse("jaeger,b3").fields(),
            (std::vector<std::string_view>{"uber-trace-id", "b3", "x-b3-traceid", "x-b3-spanid",
                                           "x-b3-parentspanid", "x-b3-sampled", "x-b3-flags"}));
}

TEST(PropagatorList, FirstValidInOrderWinsAndOthersAreLinks) {
  baton::http_headers h;
  h.add("traceparent", kTp);
  h.add("X-Amzn-Trace-Id", kXray);
  h.add("b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1");
  auto r = propagator_list::parse("xray,tracecontext,b3").extract(h);
  ASSERT_TRUE(r.valid());
  EXPECT_EQ(r.context.format, propagation_format::xray);
  EXPECT_EQ(r.context.context.trace_id.to_hex(), "5759e988bd862e3fe1be46a994272793");
  EXPECT_EQ(r.context.context.span_id.to_hex(), "53995c3f42cd8ad8");
  ASSERT_EQ(r.links.size(), 2u);
  EXPECT_EQ(r.links[0].trace_id.to_hex(), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(r.links[1].trace_id.to_hex(), "80f198ee56343ba864fe8b2a57d3eff7");
  auto w = propagator_list::parse("b3,tracecontext").extract(h);
  EXPECT_EQ(w.context.format, propagation_format::b3);
}

TEST(PropagatorList, XrayRootOnlyIsTraceIdOnlyAndFullFormatsWin) {
  baton::http_headers h;
  h.add("x-amzn-trace-id", "Root=1-67891233-abcdef012345678912345678");
  auto r = propagator_list::parse("xray").extract(h);
  EXPECT_EQ(r.context.kind, context_kind::trace_id_only);
  EXPECT_EQ(r.context.context.trace_id.to_hex(), "67891233abcdef012345678912345678");
  h.add("traceparent", kTp);
  r = propagator_list::parse("xray,tracecontext").extract(h);
  EXPECT_EQ(r.context.kind, context_kind::full);
  EXPECT_EQ(r.context.format, propagation_format::w3c);
}

TEST(PropagatorList, XrayLambdaFallsBackToTheLambdaHeaderOnly) {
  auto list = propagator_list::parse("tracecontext,xray-lambda");
  list.set_lambda_trace_header(
      "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:"
      "1");
  baton::http_headers none;
  auto r = list.extract(none);
  ASSERT_TRUE(r.valid());
  EXPECT_EQ(r.context.format, propagation_format::xray_lambda);
  EXPECT_EQ(r.context.extras.xray_fields, "Lineage=a87bd80c:1");
  // A valid incoming traceparent wins; the Lambda header is not even a link.
  baton::http_headers with_tp;
  with_tp.add("traceparent", kTp);
  r = list.extract(with_tp);
  EXPECT_EQ(r.context.format, propagation_format::w3c);
  EXPECT_TRUE(r.links.empty());
}

TEST(PropagatorList, BaggageFromW3CAndJaegerSharesOneBudget) {
  baton::http_headers h;
  h.add("baggage", "a=1,b=2");
  h.add("uberctx-c", "three%20words");
  h.add("uberctx-d", "4");
  baton::extract_policy p;
  p.baggage_options.limits.max_members = 3;
  auto r = propagator_list::parse("tracecontext,baggage,jaeger").extract(h, p);
  EXPECT_TRUE(r.baggage_found);
  EXPECT_EQ(r.baggage.header(), "a=1,b=2,c=three%20words");
  EXPECT_EQ(r.baggage_report.count(errc::baggage_too_many_members), 1u);
  EXPECT_EQ(r.baggage.get("c").value_or(""), "three words");
}

TEST(PropagatorList, InjectWritesEveryFormatAndClearsStaleOnes) {
  std::map<std::string, std::string> out{{"b3", "stale"},
                                         {"x-b3-parentspanid", "stale"},
                                         {"tracestate", "stale=1"},
                                         {"uberctx-old", "x"}};
  baton::span_context c;
  c.trace_id = baton::trace_id::from_hex("4bf92f3577b34da6a3ce929d0e0e4736").value();
  c.span_id = baton::span_id::from_hex("00f067aa0ba902b7").value();
  c.flags = baton::trace_flags(1);
  baton::format_extras extras;
  extras.xray_fields = "Lineage=a87bd80c:1";
  baton::baggage b;
  ASSERT_TRUE(b.set("k", "v"));
  auto list = propagator_list::parse("tracecontext,baggage,b3multi,xray,jaeger");
  ASSERT_TRUE(list.inject(c, out, extras, &b));
  EXPECT_EQ(out, (std::map<std::string, std::string>{
                     {"traceparent", kTp},
                     {"baggage", "k=v"},
                     {"x-b3-traceid", "4bf92f3577b34da6a3ce929d0e0e4736"},
                     {"x-b3-spanid", "00f067aa0ba902b7"},
                     {"x-b3-sampled", "1"},
                     {"x-amzn-trace-id",
                      "Root=1-4bf92f35-77b34da6a3ce929d0e0e4736;Parent=00f067aa0ba902b7;Sampled=1;"
                      "Lineage=a87bd80c:1"},
                     {"uber-trace-id", "4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:1"},
                     {"uberctx-k", "v"}}));
  // Both B3 encodings listed: both are written.
  std::map<std::string, std::string> both;
  ASSERT_TRUE(propagator_list::parse("b3,b3multi").inject(c, both));
  EXPECT_EQ(both.at("b3"), "4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1");
  EXPECT_EQ(both.at("x-b3-spanid"), "00f067aa0ba902b7");
}

TEST(PropagatorList, TrustPolicyRestartKeepsALink) {
  baton::http_headers h;
  h.add("b3", "80f198ee56343ba8-e457b5a2e4d86bd1-d");
  baton::extract_policy restart;
  restart.context = baton::trust_policy::restart;
  auto r = propagator_list::parse("b3").extract(h, restart);
  EXPECT_EQ(r.context.kind, context_kind::none);
  ASSERT_EQ(r.links.size(), 1u);
  EXPECT_EQ(r.links[0].trace_id.to_hex(), "000000000000000080f198ee56343ba8");
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_EQ(r.issues[0].error.code, errc::propagation_restarted);
}

TEST(PropagatorList, CrossFormatRoundTripKeepsWidthAndDebug) {
  baton::http_headers in;
  in.add("uber-trace-id", "deadbeef:deadbef0:0:3");
  auto r = propagator_list::parse("jaeger").extract(in);
  ASSERT_TRUE(r.valid());
  EXPECT_TRUE(r.context.extras.trace_id_64);
  EXPECT_TRUE(r.context.extras.debug());
  std::map<std::string, std::string> out;
  ASSERT_TRUE(propagator_list::parse("b3").inject(r.context.context, out, r.context.extras));
  EXPECT_EQ(out.at("b3"), "00000000deadbeef-00000000deadbef0-d");
}

// Review findings.
TEST(PropagatorList, LambdaHeaderNeverBeatsTheRequestWhereverItIsListed) {
  auto list = propagator_list::parse("xray-lambda,tracecontext");
  list.set_lambda_trace_header("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8");
  baton::http_headers h;
  h.add("traceparent", kTp);
  auto r = list.extract(h);
  EXPECT_EQ(r.context.format, propagation_format::w3c);
  EXPECT_TRUE(r.links.empty());
  // Without a request context, the Lambda header is used.
  r = list.extract(baton::http_headers{});
  EXPECT_EQ(r.context.format, propagation_format::xray_lambda);
}

TEST(PropagatorList, SameTraceKeepsXrayLineageWhenW3CWins) {
  baton::http_headers h;
  h.add("traceparent", "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01");
  h.add("x-amzn-trace-id",
        "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;"
        "Lineage=a87bd80c:1");
  auto list = propagator_list::parse("tracecontext,xray");
  auto r = list.extract(h);
  ASSERT_EQ(r.context.format, propagation_format::w3c);
  EXPECT_EQ(r.context.extras.xray_fields, "Lineage=a87bd80c:1");
  std::map<std::string, std::string> out;
  ASSERT_TRUE(
      list.inject(r.context.context.child(baton::span_id::from_hex("00f067aa0ba902b7").value()),
                  out, r.context.extras));
  EXPECT_EQ(out.at("x-amzn-trace-id"),
            "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=00f067aa0ba902b7;Sampled=1;"
            "Lineage=a87bd80c:1");
}

TEST(PropagatorList, DeferredFullContextIsSampledPerTheCaller) {
  baton::http_headers h;
  h.add("b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1");
  auto r = propagator_list::parse("b3").extract(h);
  ASSERT_TRUE(r.valid());
  EXPECT_EQ(r.context.extras.sampling, baton::sampling_decision::deferred);
  EXPECT_TRUE(baton::continue_trace(r.context, true).flags.sampled());
  EXPECT_FALSE(baton::continue_trace(r.context, false).flags.sampled());
}

TEST(PropagatorList, InvalidContextClearsEveryListedTraceFormat) {
  std::map<std::string, std::string> out{{"traceparent", "old"}, {"b3", "old"}, {"baggage", "k=v"}};
  EXPECT_FALSE(
      propagator_list::parse("tracecontext,b3,baggage").inject(baton::span_context{}, out));
  EXPECT_EQ(out, (std::map<std::string, std::string>{{"baggage", "k=v"}}));
}

TEST(PropagatorList, B3ListedTwiceIsReadAndReportedOnce) {
  baton::http_headers h;
  h.add("b3", "zz");
  auto r = propagator_list::parse("b3,b3multi").extract(h);
  EXPECT_EQ(r.issues.size(), 1u);
}

TEST(PropagatorList, DefaultPolicyAndBatches) {
  auto list = propagator_list::parse("tracecontext");
  baton::extract_policy ignore;
  ignore.context = baton::trust_policy::ignore;
  list.set_policy(ignore);
  baton::http_headers h;
  h.add("traceparent", kTp);
  EXPECT_EQ(list.extract(h).context.kind, context_kind::none);
  EXPECT_TRUE(list.extract(h, baton::extract_policy{}).valid());
  std::vector<baton::http_headers> batch(2, h);
  auto results = baton::extract_all(list, batch, baton::extract_policy{});
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(baton::links_of(results).size(), 1u);
}

}  // namespace
