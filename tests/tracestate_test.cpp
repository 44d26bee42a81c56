#include "baton/tracestate.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace {

using baton::errc;
using baton::tracestate;
using baton::tracestate_grammar;

std::string header_of(std::string_view input) {
  auto r = tracestate::parse(input);
  EXPECT_TRUE(r) << input << " -> " << baton::to_string(r.code());
  return r ? std::string(r->header()) : std::string("<error>");
}

baton::error error_of(std::string_view input,
                      tracestate_grammar grammar = tracestate_grammar::level2) {
  auto r = tracestate::parse(input, {grammar});
  EXPECT_FALSE(r) << input;
  return r.error();
}

std::string repeat(char c, std::size_t n) {
  return std::string(n, c);
}

std::string members(std::size_t n, std::size_t first = 0) {
  std::string s;
  for (std::size_t i = first; i < first + n; ++i) {
    if (!s.empty()) s += ',';
    s += "k" + std::to_string(i) + "=v" + std::to_string(i);
  }
  return s;
}

TEST(Tracestate, SpecExamples) {
  EXPECT_EQ(header_of("congo=t61rcWkgMzE"), "congo=t61rcWkgMzE");
  EXPECT_EQ(header_of("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"),
            "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  auto r = tracestate::parse("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].key, "rojo");
  EXPECT_EQ((*r)[0].value, "00f067aa0ba902b7");
  EXPECT_EQ((*r)[1].key, "congo");
  EXPECT_EQ((*r)[1].value, "t61rcWkgMzE");
  EXPECT_EQ(r->get("congo"), std::optional<std::string_view>("t61rcWkgMzE"));
  EXPECT_EQ(r->get("absent"), std::nullopt);
}

TEST(Tracestate, EmptyHeaderAndEmptyMembersAreAcceptedButNeverWritten) {
  EXPECT_EQ(header_of(""), "");
  EXPECT_EQ(header_of(" \t "), "");
  EXPECT_EQ(header_of(",,,"), "");
  EXPECT_EQ(header_of("foo=1,"), "foo=1");
  EXPECT_EQ(header_of(",foo=1"), "foo=1");
  EXPECT_EQ(header_of("a=1, ,\t,b=2"), "a=1,b=2");
}

TEST(Tracestate, OwsAroundCommasAndAtBothEnds) {
  // W3C test_tracestate_ows_handling.
  EXPECT_EQ(header_of("foo=1 \t , \t bar=2, \t baz=3"), "foo=1,bar=2,baz=3");
  EXPECT_EQ(header_of(" \t foo=1"), "foo=1");
  EXPECT_EQ(header_of("foo=1 \t "), "foo=1");
  EXPECT_EQ(header_of("\t foo=1 \t"), "foo=1");
}

TEST(Tracestate, LeadingSpacesOfValueAreKeptTrailingOnesAreOws) {
  auto r = tracestate::parse("foo=  bar  ,x=a b");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->get("foo"), std::optional<std::string_view>("  bar"));
  EXPECT_EQ(r->get("x"), std::optional<std::string_view>("a b"));
  EXPECT_EQ(r->header(), "foo=  bar,x=a b");
}

TEST(Tracestate, AllAllowedCharacters) {
  // W3C test_tracestate_all_allowed_characters: every key char and every value char.
  std::string value;
  for (int c = 0x20; c <= 0x7e; ++c) {
    if (c != ',' && c != '=') value += static_cast<char>(c);
  }
  const std::string key = "abcdefghijklmnopqrstuvwxyz0123456789_-*/";
  auto r = tracestate::parse(key + "=" + value);
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[0].key, key);
  EXPECT_EQ((*r)[0].value, value);
  r = tracestate::parse(key + "@" + key + "=" + value);
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[0].key, key + "@" + key);
}

TEST(Tracestate, KeyGrammarLevel2) {
  // W3C test_tracestate_key_illegal_characters.
  EXPECT_EQ(error_of("foo =1"), (baton::error{errc::tracestate_invalid_key, 3}));
  EXPECT_EQ(error_of("FOO=1"), (baton::error{errc::tracestate_invalid_key, 0}));
  EXPECT_EQ(error_of("foo.bar=1"), (baton::error{errc::tracestate_invalid_key, 3}));
  // W3C test_tracestate_key_illegal_vendor_format: '@' is an ordinary key character in Level 2,
  // but a key must start with a lowercase letter or digit.
  EXPECT_EQ(header_of("foo@=1,bar=2"), "foo@=1,bar=2");
  EXPECT_EQ(header_of("foo@@bar=1,bar=2"), "foo@@bar=1,bar=2");
  EXPECT_EQ(header_of("foo@bar@baz=1,bar=2"), "foo@bar@baz=1,bar=2");
  EXPECT_EQ(error_of("@foo=1,bar=2"), (baton::error{errc::tracestate_invalid_key, 0}));
  EXPECT_EQ(header_of("0abc=1"), "0abc=1");  // digit first is fine in Level 2
  EXPECT_EQ(error_of("_abc=1").code, errc::tracestate_invalid_key);
  EXPECT_EQ(error_of("=1").code, errc::tracestate_invalid_key);
  EXPECT_EQ(error_of("a\xc3\xa9=1").code, errc::tracestate_invalid_key);
}

TEST(Tracestate, KeyLengthLevel2) {
  // W3C test_tracestate_key_length_limit.
  EXPECT_EQ(header_of(repeat('t', 256) + "=1"), repeat('t', 256) + "=1");
  EXPECT_EQ(error_of(repeat('t', 257) + "=1"), (baton::error{errc::tracestate_key_too_long, 0}));
  EXPECT_EQ(error_of("foo=1," + repeat('t', 257) + "=1").offset, 6u);
  EXPECT_TRUE(tracestate::parse(repeat('t', 241) + "@" + repeat('v', 14) + "=1"));
  EXPECT_TRUE(tracestate::parse(repeat('t', 242) + "@v=1"));
  EXPECT_TRUE(tracestate::parse("t@" + repeat('v', 15) + "=1"));
}

TEST(Tracestate, KeyGrammarLevel1Strict) {
  const auto l1 = tracestate_grammar::level1;
  EXPECT_TRUE(tracestate::parse("foo=1", {l1}));
  EXPECT_TRUE(tracestate::parse("foo-bar_baz*/x=1", {l1}));
  EXPECT_TRUE(tracestate::parse("tenant@system=1", {l1}));
  EXPECT_TRUE(tracestate::parse("0tenant@system=1", {l1}));  // tenant-id may start with a digit
  EXPECT_TRUE(tracestate::parse(repeat('t', 256) + "=1", {l1}));
  EXPECT_TRUE(tracestate::parse(repeat('t', 241) + "@" + repeat('v', 14) + "=1", {l1}));
  EXPECT_EQ(error_of(repeat('t', 242) + "@v=1", l1).code, errc::tracestate_key_too_long);
  EXPECT_EQ(error_of("t@" + repeat('v', 15) + "=1", l1).code, errc::tracestate_key_too_long);
  EXPECT_EQ(error_of(repeat('t', 257) + "=1", l1).code, errc::tracestate_key_too_long);
  EXPECT_EQ(error_of("0foo=1", l1).code, errc::tracestate_invalid_key);  // simple-key: lcalpha
  EXPECT_EQ(error_of("foo@=1", l1).code, errc::tracestate_invalid_key);
  EXPECT_EQ(error_of("@foo=1", l1).code, errc::tracestate_invalid_key);
  EXPECT_EQ(error_of("foo@@bar=1", l1).code, errc::tracestate_invalid_key);
  EXPECT_EQ(error_of("foo@bar@baz=1", l1).code, errc::tracestate_invalid_key);
  EXPECT_EQ(error_of("foo@0bar=1", l1).code, errc::tracestate_invalid_key);  // system: lcalpha
}

TEST(Tracestate, ValueRules) {
  // W3C test_tracestate_value_illegal_characters.
  EXPECT_EQ(error_of("foo=bar=baz"), (baton::error{errc::tracestate_invalid_value, 7}));
  EXPECT_EQ(error_of("foo=,bar=3"), (baton::error{errc::tracestate_empty_value, 4}));
  EXPECT_EQ(error_of("foo=   ,bar=3").code, errc::tracestate_empty_value);
  EXPECT_EQ(error_of("foo=a\tb").code, errc::tracestate_invalid_value);
  EXPECT_EQ(error_of("foo=a\x7f").code, errc::tracestate_invalid_value);
  EXPECT_EQ(error_of("foo=a\r\nb").code, errc::tracestate_invalid_value);
  EXPECT_EQ(error_of("foo=\xc3\xa9").code, errc::tracestate_invalid_value);
  EXPECT_EQ(error_of("foo"), (baton::error{errc::tracestate_missing_equals, 3}));
  EXPECT_EQ(error_of("a=1,foo,b=2"), (baton::error{errc::tracestate_missing_equals, 7}));
  EXPECT_EQ(header_of("k=" + repeat('v', 256)), "k=" + repeat('v', 256));
  EXPECT_EQ(error_of("k=" + repeat('v', 257)), (baton::error{errc::tracestate_value_too_long, 2}));
  // Trailing OWS does not count toward the 256 characters.
  EXPECT_EQ(header_of("k=" + repeat('v', 256) + "   "), "k=" + repeat('v', 256));
}

TEST(Tracestate, MemberCountLimit) {
  // W3C test_tracestate_member_count_limit: 32 over several headers kept, 33 drops everything.
  auto r = tracestate::parse(members(32));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->size(), 32u);
  EXPECT_EQ(r->header(), members(32));
  EXPECT_EQ(error_of(members(33)).code, errc::tracestate_too_many_members);
  // Empty members do not count.
  EXPECT_TRUE(tracestate::parse(members(32) + ",,, ,"));
  // Repeated keys do count: the list has 33 list-members.
  EXPECT_EQ(error_of(members(32) + ",k0=again").code, errc::tracestate_too_many_members);
}

TEST(Tracestate, DuplicateKeysKeepTheFirstAndAreNoted) {
  baton::tracestate_notes notes;
  auto r = tracestate::parse("foo=1,bar=2,foo=3", {}, &notes);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header(), "foo=1,bar=2");
  EXPECT_EQ(notes.dropped, 1u);
  EXPECT_EQ(notes.first, (baton::error{errc::tracestate_duplicate_key, 12}));
  // A key that merely starts like another is not a duplicate.
  EXPECT_EQ(header_of("foo=1,fo=2,foox=3"), "foo=1,fo=2,foox=3");
}

TEST(Tracestate, NotesAreClearedWhenTheHeaderIsDroppedWhole) {
  tracestate::parser p;
  p.append("a=1,a=2");
  p.append("B=1");
  auto r = std::move(p).finish();
  EXPECT_EQ(r.code(), errc::tracestate_invalid_key);
  EXPECT_EQ(p.notes().dropped, 0u);
  baton::tracestate_notes notes;
  notes.add(errc::tracestate_duplicate_key, 1);
  EXPECT_FALSE(tracestate::parse("a=1,a=2,B=1", {}, &notes));
  EXPECT_EQ(notes.dropped, 0u);
}

TEST(Tracestate, MissingEqualsBeforeOws) {
  EXPECT_EQ(error_of("a=1,b "), (baton::error{errc::tracestate_missing_equals, 5}));
  EXPECT_EQ(error_of("a=1,b \t,c=2"), (baton::error{errc::tracestate_missing_equals, 5}));
  EXPECT_EQ(error_of("a=1,b c=2"), (baton::error{errc::tracestate_invalid_key, 5}));
}

TEST(Tracestate, CapacityIsGivenBackAfterHeavyOws) {
  auto r = tracestate::parse("a=1" + std::string(5000, ' ') + "," + std::string(5000, '\t'));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header(), "a=1");
}

TEST(Tracestate, ParserCombinesSeveralValuesInOrder) {
  // W3C test_tracestate_multiple_headers_different_keys.
  tracestate::parser p;
  p.append("foo=1,bar=2");
  p.append("rojo=1,congo=2");
  p.append("baz=3");
  auto r = std::move(p).finish();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header(), "foo=1,bar=2,rojo=1,congo=2,baz=3");
}

TEST(Tracestate, ParserEmptyValuesAndLimitsAcrossValues) {
  // W3C test_tracestate_empty_header: an empty line plus foo=1, either order.
  for (auto order : {std::vector<std::string_view>{"", "foo=1"}, {"foo=1", ""}}) {
    tracestate::parser p;
    for (auto v : order) p.append(v);
    auto r = std::move(p).finish();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->header(), "foo=1");
  }
  tracestate::parser p;
  for (int line = 0; line < 4; ++line) p.append(members(8, static_cast<std::size_t>(line) * 8));
  auto r = std::move(p).finish();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->size(), 32u);

  tracestate::parser q;
  for (int line = 0; line < 4; ++line) q.append(members(8, static_cast<std::size_t>(line) * 8));
  q.append("one=more");
  EXPECT_EQ(std::move(q).finish().code(), errc::tracestate_too_many_members);
}

TEST(Tracestate, ParserOffsetsCountJoiningCommas) {
  tracestate::parser p;
  p.append("a=1");  // 0..2, joining ',' at 3
  p.append("b=2");  // 4..6, ',' at 7
  p.append("C=3");  // 8
  auto r = std::move(p).finish();
  EXPECT_EQ(r.error(), (baton::error{errc::tracestate_invalid_key, 8}));
}

TEST(Tracestate, ParserDuplicatesAcrossValues) {
  // W3C test_tracestate_duplicated_keys: in one line or across lines, the trace is kept.
  tracestate::parser p;
  p.append("foo=1");
  p.append("foo=2");
  EXPECT_EQ(p.notes().dropped, 1u);
  auto r = std::move(p).finish();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header(), "foo=1");
}

TEST(Tracestate, PutMovesOrInsertsAtTheLeft) {
  auto ts = *tracestate::parse("a=1,b=2,c=3");
  ASSERT_TRUE(ts.put("b", "x"));
  EXPECT_EQ(ts.header(), "b=x,a=1,c=3");
  ASSERT_TRUE(ts.put("new", "v"));
  EXPECT_EQ(ts.header(), "new=v,b=x,a=1,c=3");
  ASSERT_TRUE(ts.put("c", "9"));
  EXPECT_EQ(ts.header(), "c=9,new=v,b=x,a=1");
  EXPECT_EQ(ts.size(), 4u);
}

TEST(Tracestate, PutDropsTheRightMostMemberPast32) {
  auto ts = *tracestate::parse(members(32));
  ASSERT_TRUE(ts.put("vendor", "1"));
  EXPECT_EQ(ts.size(), 32u);
  EXPECT_EQ(ts.header(), "vendor=1," + members(31));
  // Updating an existing key at capacity drops nothing.
  ASSERT_TRUE(ts.put("k5", "x"));
  EXPECT_EQ(ts.size(), 32u);
  EXPECT_EQ(ts[0].key, "k5");
  EXPECT_TRUE(ts.contains("k30"));
}

TEST(Tracestate, PutValidatesAndLeavesStateUnchangedOnError) {
  auto ts = *tracestate::parse("a=1");
  EXPECT_EQ(ts.put("Bad", "1").code(), errc::tracestate_invalid_key);
  EXPECT_EQ(ts.put("k", "").code(), errc::tracestate_empty_value);
  EXPECT_EQ(ts.put("k", "a,b").code(), errc::tracestate_invalid_value);
  EXPECT_EQ(ts.put("k", "a=b").code(), errc::tracestate_invalid_value);
  EXPECT_EQ(ts.put("k", "ab ").code(), errc::tracestate_invalid_value);
  EXPECT_EQ(ts.put("k", "a\r\nb").code(), errc::tracestate_invalid_value);
  EXPECT_EQ(ts.put("k", repeat('v', 257)).code(), errc::tracestate_value_too_long);
  EXPECT_EQ(ts.put(repeat('k', 257), "1").code(), errc::tracestate_key_too_long);
  EXPECT_EQ(ts.put("t@sys", "1", tracestate_grammar::level1).code(), errc::ok);
  EXPECT_EQ(ts.put("t@0sys", "1", tracestate_grammar::level1).code(), errc::tracestate_invalid_key);
  EXPECT_EQ(ts.header(), "t@sys=1,a=1");
  EXPECT_TRUE(ts.put("k", " leading"));
  EXPECT_EQ(ts.get("k"), std::optional<std::string_view>(" leading"));
}

TEST(Tracestate, Erase) {
  auto ts = *tracestate::parse("a=1,b=2,c=3");
  EXPECT_FALSE(ts.erase("x"));
  EXPECT_TRUE(ts.erase("b"));
  EXPECT_EQ(ts.header(), "a=1,c=3");
  EXPECT_TRUE(ts.erase("c"));
  EXPECT_EQ(ts.header(), "a=1");
  EXPECT_EQ(ts[0].value, "1");
  EXPECT_TRUE(ts.erase("a"));
  EXPECT_TRUE(ts.empty());
  EXPECT_EQ(ts.header(), "");
  ASSERT_TRUE(ts.put("z", "9"));
  EXPECT_EQ(ts.header(), "z=9");
  auto first = *tracestate::parse("a=1,b=2,c=3");
  EXPECT_TRUE(first.erase("a"));
  EXPECT_EQ(first.header(), "b=2,c=3");
  EXPECT_EQ(first[1].key, "c");
}

TEST(Tracestate, TruncationDropsWholeMembersLargeOnesFirst) {
  // 20 members of 32 characters = 20*32 + 19 = 659 characters.
  std::string input;
  for (int i = 0; i < 20; ++i) {
    if (!input.empty()) input += ',';
    std::string key = "k" + std::to_string(100 + i);  // 4 characters
    input += key + "=" + repeat('v', 27);
  }
  auto ts = *tracestate::parse(input);
  ASSERT_EQ(ts.header().size(), 659u);
  EXPECT_EQ(ts.header(10000), input);
  // Budget 512: drop from the right until it fits: 15 members = 15*32+14 = 494.
  const std::string cut = ts.header(512);
  EXPECT_EQ(cut.size(), 494u);
  EXPECT_EQ(cut, input.substr(0, 494));
  // A budget below 512 is raised to 512.
  EXPECT_EQ(ts.header(100), cut);

  // Members over 128 characters go first, even when they are on the left.
  std::string big = "big=" + repeat('x', 200);  // 204 characters
  auto ts2 = *tracestate::parse(big + "," + input.substr(0, 494));
  EXPECT_EQ(ts2.header().size(), 204u + 1u + 494u);
  EXPECT_EQ(ts2.header(512), input.substr(0, 494));
  // Only as many large members as needed are dropped (right-most large one first).
  std::string big2 = "big2=" + repeat('y', 200);
  auto ts3 = *tracestate::parse(big + ",a=1," + big2);
  EXPECT_EQ(ts3.header().size(), 204u + 5u + 205u);
  EXPECT_EQ(ts3.header(512), ts3.header());  // 413 fits
  auto ts4 = *tracestate::parse(big + ",a=1," + big2 + ",b=" + repeat('z', 120));
  EXPECT_EQ(ts4.header(512), big + ",a=1,b=" + repeat('z', 120));
}

TEST(Tracestate, TruncationCanDropEverything) {
  std::string input;
  for (int i = 0; i < 3; ++i) {
    if (!input.empty()) input += ',';
    input += "k" + std::to_string(i) + "=" + repeat('v', 256);
  }
  auto ts = *tracestate::parse(input);
  EXPECT_EQ(ts.header(512), "k0=" + repeat('v', 256));
}

TEST(Tracestate, EqualityIsOrderSensitive) {
  EXPECT_EQ(*tracestate::parse("a=1, b=2"), *tracestate::parse("a=1,b=2"));
  EXPECT_NE(*tracestate::parse("a=1,b=2"), *tracestate::parse("b=2,a=1"));
}

TEST(Tracestate, IteratesInOrder) {
  auto ts = *tracestate::parse("a=1,b=2,c=3");
  std::string seen;
  for (auto m : ts) seen += std::string(m.key) + ":" + std::string(m.value) + ";";
  EXPECT_EQ(seen, "a:1;b:2;c:3;");
}

TEST(Tracestate, HostileInputIsRejectedWithoutKeepingAnything) {
  // 1 MiB of members: rejected at the 33rd, scanning stops there.
  std::string huge;
  while (huge.size() < (1u << 20)) huge += "abcdefgh=ijklmnop,";
  EXPECT_EQ(error_of(huge).code, errc::tracestate_too_many_members);
  // A 1 MiB value.
  EXPECT_EQ(error_of("k=" + repeat('v', 1u << 20)).code, errc::tracestate_value_too_long);
  // 10 000 empty lines and then a valid one.
  tracestate::parser p;
  for (int i = 0; i < 10000; ++i) p.append("");
  p.append("a=1");
  auto r = std::move(p).finish();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header(), "a=1");
}

}  // namespace
