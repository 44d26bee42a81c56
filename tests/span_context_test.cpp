#include "baton/span_context.hpp"

#include <gtest/gtest.h>

#include <type_traits>

namespace {

TEST(SpanContext, DefaultIsInvalid) {
  baton::span_context ctx;
  EXPECT_FALSE(ctx.is_valid());
  EXPECT_FALSE(ctx.remote);
  EXPECT_TRUE(ctx.tracestate.empty());
}

TEST(SpanContext, NewRootIsValidLocalAndRandom) {
  const auto sampled = baton::span_context::new_root(true);
  EXPECT_TRUE(sampled.is_valid());
  EXPECT_FALSE(sampled.remote);
  EXPECT_TRUE(sampled.flags.sampled());
  EXPECT_TRUE(sampled.flags.random());
  const auto unsampled = baton::span_context::new_root(false);
  EXPECT_FALSE(unsampled.flags.sampled());
  EXPECT_TRUE(unsampled.flags.random());
  EXPECT_NE(sampled.trace_id, unsampled.trace_id);
}

TEST(SpanContext, ChildKeepsTraceFlagsAndTracestate) {
  auto tp = *baton::parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-fb");
  auto state = *baton::tracestate::parse("rojo=1,congo=2");
  const auto parent = baton::span_context::from_traceparent(tp, state);
  EXPECT_TRUE(parent.remote);
  EXPECT_EQ(parent.span_id, tp.parent_id);
  const auto child = parent.child();
  EXPECT_TRUE(child.is_valid());
  EXPECT_FALSE(child.remote);
  EXPECT_EQ(child.trace_id, parent.trace_id);
  EXPECT_NE(child.span_id, parent.span_id);
  EXPECT_EQ(child.flags.raw(), 0xfb);  // carried unchanged; written as 03
  EXPECT_TRUE(child.flags.random());
  EXPECT_EQ(child.tracestate.header(), "rojo=1,congo=2");
  EXPECT_EQ(baton::format_traceparent(child.to_traceparent()).substr(53), "03");
}

TEST(SpanContext, ChildWithAChosenSpanId) {
  const auto parent = baton::span_context::new_root(true);
  const auto id = *baton::span_id::from_hex("0102030405060708");
  const auto child = parent.child(id);
  EXPECT_EQ(child.span_id, id);
  EXPECT_EQ(child.trace_id, parent.trace_id);
  EXPECT_EQ(parent.child(id), child);  // deterministic
}

TEST(SpanContext, ToTraceparentIsVersion00) {
  auto tp =
      *baton::parse_traceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future");
  const auto ctx = baton::span_context::from_traceparent(tp);
  EXPECT_EQ(baton::format_traceparent(ctx.to_traceparent()),
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
}

TEST(SpanContext, Equality) {
  const auto a = baton::span_context::new_root(true);
  auto b = a;
  EXPECT_EQ(a, b);
  b.remote = true;
  EXPECT_NE(a, b);
  b = a;
  ASSERT_TRUE(b.tracestate.put("k", "v"));
  EXPECT_NE(a, b);
}

}  // namespace
