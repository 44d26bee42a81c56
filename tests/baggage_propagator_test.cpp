#include "baton/propagation/baggage.hpp"

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <string>
#include <string_view>

#include "baton/carrier.hpp"

namespace {

using baton::errc;
using baton::http_headers;

TEST(BaggagePropagator, CombinesEveryFieldInOrder) {
  http_headers in;
  in.add("baggage", "userId=alice");
  in.add("Baggage", "triggeredAt=1750000000000;unit=ms");
  in.add("BAGGAGE", "");
  const auto e = baton::extract_baggage(in);
  EXPECT_TRUE(e.found);
  EXPECT_TRUE(e.report.empty());
  ASSERT_EQ(e.baggage.size(), 2u);
  EXPECT_EQ(e.baggage.get("triggeredAt"), std::optional<std::string_view>("1750000000000"));
  http_headers out;
  ASSERT_TRUE(baton::inject_baggage(e.baggage, out));
  EXPECT_EQ(out.get("baggage").first, "userId=alice,triggeredAt=1750000000000;unit=ms");
}

TEST(BaggagePropagator, AbsentIsNotFoundAndNothingIsWritten) {
  http_headers in;
  in.add("traceparent", "x");
  const auto e = baton::extract_baggage(in);
  EXPECT_FALSE(e.found);
  EXPECT_TRUE(e.baggage.empty());
  http_headers out;
  EXPECT_FALSE(baton::inject_baggage(e.baggage, out));
  EXPECT_TRUE(out.empty());
}

TEST(BaggagePropagator, LimitsApplyToAllFieldsTogether) {
  // 10 000 fields of one member each: only the first 64 members are kept.
  http_headers in;
  for (int i = 0; i < 10000; ++i) in.add("baggage", "k" + std::to_string(i) + "=v");
  const auto e = baton::extract_baggage(in);
  EXPECT_EQ(e.baggage.size(), 64u);
  EXPECT_TRUE(e.baggage.contains("k63"));
  EXPECT_FALSE(e.baggage.contains("k64"));
  EXPECT_EQ(
      e.report.count(errc::baggage_too_many_members) + e.report.count(errc::baggage_too_large),
      10000u - 64u);
}

TEST(BaggagePropagator, ByteBudgetAcrossFields) {
  // Two fields of 5000 bytes each: the second does not fit in 8192 bytes and is dropped whole.
  const std::string big1 = "a=" + std::string(4998, 'x');
  const std::string big2 = "b=" + std::string(4998, 'y');
  http_headers in;
  in.add("baggage", big1);
  in.add("baggage", big2);
  const auto e = baton::extract_baggage(in);
  ASSERT_EQ(e.baggage.size(), 1u);
  EXPECT_TRUE(e.baggage.contains("a"));
  EXPECT_EQ(e.report.count(errc::baggage_too_large), 1u);
}

TEST(BaggagePropagator, TrustBoundaryFilter) {
  http_headers in;
  in.add("baggage", "userId=alice,internal.secret=s3,triggeredAt=1");
  const std::array<std::string_view, 2> allowed{"userId", "triggeredAt"};
  baton::baggage_options options;
  options.filter = baton::baggage_key_filter::allow(allowed);
  const auto e = baton::extract_baggage(in, options);
  EXPECT_EQ(e.baggage.size(), 2u);
  EXPECT_FALSE(e.baggage.contains("internal.secret"));
  EXPECT_EQ(e.report.count(errc::baggage_key_filtered), 1u);
}

TEST(BaggagePropagator, InjectNeverWritesControlCharacters) {
  baton::baggage b;
  ASSERT_TRUE(b.set("k", "line1\r\nX-Injected: 1\x7f\t \"\\,;=%"));
  std::map<std::string, std::string> out;
  ASSERT_TRUE(baton::inject_baggage(b, out));
  const std::string& v = out.at("baggage");
  for (char c : v) {
    EXPECT_TRUE(c > 0x20 && c < 0x7f) << static_cast<int>(c);
  }
  EXPECT_EQ(v, "k=line1%0D%0AX-Injected:%201%7F%09%20%22%5C%2C%3B=%25");
  const auto back = baton::extract_baggage(out);
  EXPECT_EQ(back.baggage.get("k"), b.get("k"));
}

TEST(BaggagePropagator, InjectRespectsLimitsAndReports) {
  baton::baggage b;
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(b.set("k" + std::to_string(i), "v"));
  http_headers out;
  baton::baggage_report report;
  ASSERT_TRUE(baton::inject_baggage(b, out, baton::baggage_limits{3, 8192}, &report));
  EXPECT_EQ(out.get("baggage").first, "k0=v,k1=v,k2=v");
  EXPECT_EQ(report.count(errc::baggage_too_many_members), 2u);
}

TEST(BaggagePropagator, ManyHopsNeverDoubleEncode) {
  http_headers hop;
  hop.add("baggage", "k=1%3D1%20%2B%25,e=%E2%82%AC;p=%3B");
  std::string first;
  for (int i = 0; i < 5; ++i) {
    const auto e = baton::extract_baggage(hop);
    http_headers next;
    ASSERT_TRUE(baton::inject_baggage(e.baggage, next));
    if (i == 0) first = std::string(next.get("baggage").first);
    EXPECT_EQ(next.get("baggage").first, first);
    hop = next;
  }
  EXPECT_EQ(baton::extract_baggage(hop).baggage.get("k"),
            std::optional<std::string_view>("1=1 +%"));
}

TEST(BaggagePropagator, InjectRemovesTheOldFieldWhenNothingIsLeft) {
  // A proxy filtering at a trust boundary and re-injecting into the same headers.
  http_headers h;
  h.add("baggage", "secret=token123,userId=alice");
  auto e = baton::extract_baggage(h);
  const std::array<std::string_view, 1> allowed{"traceId"};
  e.baggage.keep_only(baton::baggage_key_filter::allow(allowed));
  EXPECT_FALSE(baton::inject_baggage(e.baggage, h));
  EXPECT_FALSE(h.get("baggage").second);
  // Every entry over the limits: same.
  baton::baggage big;
  ASSERT_TRUE(big.set("k", std::string(9000, 'x')));
  h.add("baggage", "old=1");
  EXPECT_FALSE(baton::inject_baggage(big, h));
  EXPECT_FALSE(h.get("baggage").second);
}

}  // namespace
