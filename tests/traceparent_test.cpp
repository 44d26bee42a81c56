#include "baton/traceparent.hpp"

#include <gtest/gtest.h>

TEST(Traceparent, ParsesSpecExample) {
  auto r = baton::parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->trace_id.to_hex(), "4bf92f3577b34da6a3ce929d0e0e4736");
}
