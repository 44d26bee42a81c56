#include "baton/baggage_view.hpp"

#include <gtest/gtest.h>

#include <array>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace {

using baton::baggage_view;
using baton::errc;

TEST(BaggageView, IteratesMembersInPlace) {
  const std::string_view h =
      "key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey=propertyValue";
  const baggage_view v(h);
  std::vector<std::string_view> keys, values, props;
  for (const baggage_view::member& m : v) {
    keys.push_back(m.key());
    values.push_back(m.raw_value());
    props.push_back(m.raw_properties());
    // Views point into the header itself.
    EXPECT_GE(m.key().data(), h.data());
    EXPECT_LT(m.key().data(), h.data() + h.size());
    EXPECT_EQ(h.substr(m.offset(), m.key().size()), m.key());
  }
  EXPECT_EQ(keys, (std::vector<std::string_view>{"key1", "key2", "key3"}));
  EXPECT_EQ(values, (std::vector<std::string_view>{"value1", "value2", "value3"}));
  EXPECT_EQ(props, (std::vector<std::string_view>{"property1;property2", "",
                                                  "propertyKey=propertyValue"}));
}

TEST(BaggageView, PropertiesWithAndWithoutValues) {
  const baggage_view v("k=v ; a ; b = %20x ;; c= ; a");
  const auto m = *v.begin();
  EXPECT_EQ(m.raw_properties(), "a ; b = %20x ;; c= ; a");
  std::vector<std::string> seen;
  for (const baggage_view::property& p : m.properties()) {
    seen.push_back(std::string(p.key) + (p.has_value ? "=[" + p.decoded_value() + "]" : ""));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b=[ x]", "c=[]", "a"}));
  auto it = m.properties().begin();
  EXPECT_EQ(it->raw_value, "");
  ++it;
  EXPECT_EQ(it->raw_value, "%20x");
  char buf[8];
  EXPECT_EQ(std::string_view(buf, it->decode_value(buf)), " x");
  EXPECT_TRUE(baggage_view("k=v").begin()->properties().empty());
}

TEST(BaggageView, DecodesOnlyWhenAsked) {
  const baggage_view v("plain=abc,enc=DF%2028%F0%9F%98%80,bad=%ff");
  auto it = v.begin();
  EXPECT_FALSE(it->value_is_encoded());
  EXPECT_EQ(it->decoded_value(), "abc");
  ++it;
  EXPECT_TRUE(it->value_is_encoded());
  std::string out = "reused";
  it->decode_value(out);
  EXPECT_EQ(out, "DF 28\xf0\x9f\x98\x80");
  char buf[32];
  ASSERT_GE(sizeof buf, it->raw_value().size());
  EXPECT_EQ(std::string_view(buf, it->decode_value(buf)), "DF 28\xf0\x9f\x98\x80");
  ++it;
  EXPECT_EQ(it->decoded_value(), "\xef\xbf\xbd");
  ++it;
  EXPECT_EQ(it, v.end());
}

TEST(BaggageView, FindReturnsTheLastValidMember) {
  const baggage_view v("a=1,k=first,b=2,k=%zz,k=last;p,c=3");
  const auto k = v.find("k");
  ASSERT_TRUE(k);
  EXPECT_EQ(k->raw_value(), "last");  // k=%zz is invalid, so not a candidate
  EXPECT_EQ(k->raw_properties(), "p");
  EXPECT_FALSE(v.find("K"));
  EXPECT_FALSE(v.find("z"));
  EXPECT_FALSE(v.find(""));
}

TEST(BaggageView, SkipsWhatTheOwningParserDrops) {
  const baggage_view v("a b=1,ok=1,k=\"x\",,=y,ok2=2;p q");
  std::vector<std::string_view> keys;
  for (const auto& m : v) keys.push_back(m.key());
  EXPECT_EQ(keys, (std::vector<std::string_view>{"ok"}));
  const baton::baggage_report r = v.report();
  EXPECT_EQ(r.count(errc::baggage_invalid_key), 2u);
  EXPECT_EQ(r.count(errc::baggage_invalid_value), 1u);
  EXPECT_EQ(r.count(errc::baggage_invalid_property), 1u);
  EXPECT_EQ(r.first_error(), (baton::error{errc::baggage_invalid_key, 2}));
}

TEST(BaggageView, SeveralHeaderValues) {
  const std::array<std::string_view, 4> values{"a=1", "", " b=2 , c=3 ", "d=4;p"};
  const baggage_view v(values.data(), values.size());
  std::vector<std::size_t> offsets;
  std::string keys;
  for (const auto& m : v) {
    keys += m.key();
    offsets.push_back(m.offset());
  }
  EXPECT_EQ(keys, "abcd");
  // Joined: "a=1" "," "" "," " b=2 , c=3 " "," "d=4;p"
  EXPECT_EQ(offsets, (std::vector<std::size_t>{0, 6, 12, 17}));
  EXPECT_EQ(baggage_view(values.data(), 0).begin(), baggage_view(values.data(), 0).end());
}

TEST(BaggageView, LimitsApply) {
  std::string h;
  for (int i = 0; i < 100; ++i) h += "k" + std::to_string(i) + "=v,";
  const baggage_view v(h);
  EXPECT_EQ(std::distance(v.begin(), v.end()), 64);
  EXPECT_FALSE(v.find("k64"));
  EXPECT_TRUE(v.find("k63"));
  baton::baggage_options o;
  o.limits.max_bytes = 9;  // "k0=v,k1=v" is 9 bytes
  const baggage_view small(h, o);
  EXPECT_EQ(std::distance(small.begin(), small.end()), 2);
  EXPECT_EQ(small.report().count(errc::baggage_too_large), 98u);
}

TEST(BaggageView, KeyFilter) {
  const std::array<std::string_view, 1> allowed{"userId"};
  baton::baggage_options o;
  o.filter = baton::baggage_key_filter::allow(allowed);
  const baggage_view v("secret=1,userId=alice", o);
  EXPECT_FALSE(v.find("secret"));
  ASSERT_TRUE(v.find("userId"));
  EXPECT_EQ(v.find("userId")->raw_value(), "alice");
  EXPECT_EQ(v.report().count(errc::baggage_key_filtered), 1u);
}

TEST(BaggageView, EmptyAndDefaultIterators) {
  const baggage_view v("");
  EXPECT_EQ(v.begin(), v.end());
  EXPECT_EQ(baggage_view::iterator(), baggage_view::iterator());
  EXPECT_TRUE(v.report().empty());
  auto it = baggage_view("a=1,b=2").begin();
  const auto old = it++;
  EXPECT_EQ(old->key(), "a");
  EXPECT_EQ(it->key(), "b");
  EXPECT_NE(old, it);
}

}  // namespace
