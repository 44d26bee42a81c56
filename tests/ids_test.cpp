#include "baton/ids.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include "baton/error.hpp"
#include "baton/trace_flags.hpp"

namespace {

using baton::errc;
using baton::span_id;
using baton::trace_id;

static_assert(std::is_trivially_copyable_v<trace_id>);
static_assert(std::is_trivially_copyable_v<span_id>);
static_assert(sizeof(trace_id) == 16);
static_assert(sizeof(span_id) == 8);
static_assert(!std::is_same_v<trace_id, span_id>);
static_assert(std::is_trivially_copyable_v<baton::trace_flags>);

TEST(Ids, DefaultIsAllZeroAndInvalid) {
  EXPECT_FALSE(trace_id().is_valid());
  EXPECT_FALSE(span_id().is_valid());
  EXPECT_EQ(trace_id().to_hex(), std::string(32, '0'));
  EXPECT_EQ(span_id().to_hex(), std::string(16, '0'));
}

TEST(Ids, HexRoundTrip) {
  auto t = trace_id::from_hex("4bf92f3577b34da6a3ce929d0e0e4736");
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->is_valid());
  EXPECT_EQ(t->to_hex(), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(t->bytes()[0], 0x4b);
  EXPECT_EQ(t->bytes()[15], 0x36);
  auto s = span_id::from_hex("00f067aa0ba902b7");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->to_hex(), "00f067aa0ba902b7");
  EXPECT_EQ(s->bytes()[1], 0xf0);
  char buf[17] = {};
  EXPECT_EQ(s->to_hex(buf), buf + 16);
  EXPECT_STREQ(buf, "00f067aa0ba902b7");
}

TEST(Ids, FromHexRejectsUppercaseLengthAndZero) {
  EXPECT_EQ(trace_id::from_hex("4BF92F3577B34DA6A3CE929D0E0E4736").error(),
            (baton::error{errc::invalid_hex, 1}));
  EXPECT_EQ(trace_id::from_hex("4bf92f3577b34da6a3ce929d0e0e473").code(), errc::invalid_length);
  EXPECT_EQ(trace_id::from_hex("4bf92f3577b34da6a3ce929d0e0e47361").code(), errc::invalid_length);
  EXPECT_EQ(trace_id::from_hex("").code(), errc::invalid_length);
  EXPECT_EQ(trace_id::from_hex(std::string(32, '0')).code(), errc::zero_id);
  EXPECT_EQ(span_id::from_hex(std::string(16, '0')).code(), errc::zero_id);
  EXPECT_EQ(span_id::from_hex("00f067aa0ba902bg").error(), (baton::error{errc::invalid_hex, 15}));
  EXPECT_EQ(span_id::from_hex("00f067aa0ba902b ").code(), errc::invalid_hex);
  EXPECT_EQ(span_id::from_hex("+0f067aa0ba902b7").code(), errc::invalid_hex);
}

TEST(Ids, EveryByteValueRoundTripsThroughHex) {
  for (int b = 0; b < 256; ++b) {
    std::array<std::uint8_t, 8> bytes{};
    bytes.fill(static_cast<std::uint8_t>(b));
    bytes[7] = 1;  // keep it valid
    const span_id id(bytes);
    auto back = span_id::from_hex(id.to_hex());
    ASSERT_TRUE(back) << b;
    EXPECT_EQ(*back, id);
  }
}

TEST(Ids, ComparisonIsBytewise) {
  auto a = *span_id::from_hex("0000000000000001");
  auto b = *span_id::from_hex("0000000000000100");
  auto c = *span_id::from_hex("ff00000000000000");
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_GT(c, a);
  EXPECT_LE(a, a);
  EXPECT_GE(a, a);
  EXPECT_NE(a, b);
  EXPECT_EQ(a, *span_id::from_hex("0000000000000001"));
  std::set<span_id> ordered{c, a, b};
  EXPECT_EQ(*ordered.begin(), a);
}

TEST(Ids, HashSpreadsAndMatchesEquality) {
  std::unordered_set<trace_id> set;
  for (int i = 0; i < 1000; ++i) set.insert(trace_id::random());
  EXPECT_EQ(set.size(), 1000u);
  auto t = *trace_id::from_hex("4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(std::hash<trace_id>{}(t),
            std::hash<trace_id>{}(*trace_id::from_hex("4bf92f3577b34da6a3ce929d0e0e4736")));
  // Ids that differ only in the high word still hash differently.
  auto u = *trace_id::from_hex("5bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_NE(std::hash<trace_id>{}(t), std::hash<trace_id>{}(u));
}

TEST(Ids, RandomIdsAreValidAndDistinctAcrossThreads) {
  constexpr int per_thread = 2000;
  std::vector<std::vector<span_id>> results(4);
  std::vector<std::thread> threads;
  for (auto& out : results) {
    threads.emplace_back([&out] {
      for (int i = 0; i < per_thread; ++i) out.push_back(span_id::random());
    });
  }
  for (auto& t : threads) t.join();
  std::set<span_id> all;
  for (const auto& out : results) {
    for (const auto& id : out) {
      EXPECT_TRUE(id.is_valid());
      all.insert(id);
    }
  }
  EXPECT_EQ(all.size(), 4u * per_thread);
}

TEST(Ids, RandomBitsLookUniform) {
  // Each of the 128 bit positions should be set about half the time.
  constexpr int n = 4000;
  int counts[128] = {};
  for (int i = 0; i < n; ++i) {
    const auto id = trace_id::random();
    for (int bit = 0; bit < 128; ++bit) {
      counts[bit] += (id.bytes()[static_cast<std::size_t>(bit / 8)] >> (bit % 8)) & 1;
    }
  }
  for (int bit = 0; bit < 128; ++bit) {
    EXPECT_GT(counts[bit], n * 4 / 10) << bit;
    EXPECT_LT(counts[bit], n * 6 / 10) << bit;
  }
}

TEST(TraceFlags, NamedBitsAndWireValue) {
  const baton::trace_flags none;
  EXPECT_EQ(none.raw(), 0);
  EXPECT_FALSE(none.sampled());
  EXPECT_FALSE(none.random());
  const auto both = none.with_sampled(true).with_random(true);
  EXPECT_EQ(both.raw(), 0x03);
  EXPECT_EQ(both.with_sampled(false).raw(), 0x02);
  const baton::trace_flags all(0xff);
  EXPECT_TRUE(all.sampled());
  EXPECT_TRUE(all.random());
  EXPECT_EQ(all.raw(), 0xff);         // kept as received
  EXPECT_EQ(all.wire_value(), 0x03);  // unknown bits cleared when sent
  EXPECT_EQ(all.with_random(false).raw(), 0xfd);
  EXPECT_EQ(baton::trace_flags(0x80).wire_value(), 0x00);
}

TEST(Errors, EveryCodeHasANameAndAMessage) {
  for (int v = 0; v < 256; ++v) {
    const auto code = static_cast<errc>(v);
    const std::string_view name = baton::to_string(code);
    if (name == "unknown") {
      EXPECT_EQ(baton::message(code), "unknown error");
      continue;
    }
    EXPECT_FALSE(baton::message(code).empty()) << v;
    EXPECT_NE(baton::message(code), "unknown error") << v;
  }
  EXPECT_EQ(baton::to_string(errc::traceparent_invalid_length), "traceparent_invalid_length");
}

TEST(Errors, StableNumericValues) {
  EXPECT_EQ(static_cast<int>(errc::ok), 0);
  EXPECT_EQ(static_cast<int>(errc::invalid_hex), 2);
  EXPECT_EQ(static_cast<int>(errc::traceparent_invalid_length), 16);
  EXPECT_EQ(static_cast<int>(errc::traceparent_conflicting_values), 25);
  EXPECT_EQ(static_cast<int>(errc::tracestate_too_many_members), 32);
  EXPECT_EQ(static_cast<int>(errc::tracestate_ignored), 40);
  EXPECT_EQ(static_cast<int>(errc::baggage_invalid_key), 64);
}

TEST(Errors, StdErrorCodeInterop) {
  const std::error_code ec = errc::traceparent_zero_trace_id;
  EXPECT_TRUE(ec);
  EXPECT_EQ(std::string(ec.category().name()), "baton");
  EXPECT_EQ(ec.message(), "trace-id is all zeros");
  EXPECT_EQ(ec, errc::traceparent_zero_trace_id);
  const std::error_code ok = baton::make_error_code(errc::ok);
  EXPECT_FALSE(ok);
}

TEST(Result, ValueErrorAndCopies) {
  baton::result<std::string> good(std::string("abc"));
  ASSERT_TRUE(good);
  EXPECT_EQ(*good, "abc");
  EXPECT_EQ(good->size(), 3u);
  EXPECT_EQ(good.code(), errc::ok);
  baton::result<std::string> bad(errc::invalid_hex, 7);
  EXPECT_FALSE(bad);
  EXPECT_EQ(bad.error(), (baton::error{errc::invalid_hex, 7}));
  EXPECT_EQ(bad.value_or("x"), "x");
  auto copy = good;
  EXPECT_EQ(*copy, "abc");
  copy = bad;
  EXPECT_FALSE(copy);
  copy = good;
  EXPECT_EQ(*copy, "abc");
  auto moved = std::move(copy);
  EXPECT_EQ(*moved, "abc");
  baton::result<void> done;
  EXPECT_TRUE(done);
  baton::result<void> failed(errc::zero_id);
  EXPECT_FALSE(failed);
  EXPECT_EQ(failed.code(), errc::zero_id);
}

}  // namespace
