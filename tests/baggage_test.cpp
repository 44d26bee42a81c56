#include "baton/baggage.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "baton/baggage_view.hpp"

namespace {

using baton::baggage;
using baton::baggage_limits;
using baton::baggage_options;
using baton::baggage_property;
using baton::baggage_report;
using baton::errc;

// Plain copies of entries, for exact comparisons and readable failure messages.
struct prop {
  std::string key;
  std::optional<std::string> value;
  friend bool operator==(const prop& a, const prop& b) {
    return a.key == b.key && a.value == b.value;
  }
};
struct ent {
  std::string key;
  std::string value;
  std::vector<prop> props;
  friend bool operator==(const ent& a, const ent& b) {
    return a.key == b.key && a.value == b.value && a.props == b.props;
  }
};
std::ostream& operator<<(std::ostream& os, const ent& e) {
  os << "{" << e.key << " = \"" << e.value << "\"";
  for (const prop& p : e.props) {
    os << " ;" << p.key;
    if (p.value) os << "=\"" << *p.value << "\"";
  }
  return os << "}";
}

std::vector<ent> entries(const baggage& b) {
  std::vector<ent> out;
  for (const baggage::entry& e : b) {
    ent x{std::string(e.key), std::string(e.value), {}};
    for (const baggage_property& p : e.properties) {
      x.props.push_back(
          prop{std::string(p.key),
               p.value ? std::optional<std::string>(std::string(*p.value)) : std::nullopt});
    }
    out.push_back(std::move(x));
  }
  return out;
}

std::vector<ent> parse(std::string_view header, baggage_report* report = nullptr,
                       const baggage_options& options = {}) {
  return entries(baggage::parse(header, options, report));
}

// What the view yields for the same input, with duplicate keys merged the way the owning
// parser merges them (last value, first position).
std::vector<ent> view_entries(const baton::baggage_view& view) {
  std::vector<ent> out;
  for (const auto& m : view) {
    ent x{std::string(m.key()), m.decoded_value(), {}};
    for (const auto& p : m.properties()) {
      x.props.push_back(prop{std::string(p.key), p.has_value
                                                     ? std::optional<std::string>(p.decoded_value())
                                                     : std::nullopt});
    }
    bool merged = false;
    for (ent& e : out) {
      if (e.key == x.key) {
        e = x;
        merged = true;
        break;
      }
    }
    if (!merged) out.push_back(std::move(x));
  }
  return out;
}

baton::baggage_issue issue(errc code, std::uint32_t offset, std::uint32_t count = 1) {
  return baton::baggage_issue{code, offset, count};
}

std::vector<baton::baggage_issue> issues(const baggage_report& r) {
  return std::vector<baton::baggage_issue>(r.begin(), r.end());
}

// Parses and checks the owning parser, the view, and their reports agree.
std::vector<ent> checked(std::string_view header, baggage_report* report = nullptr,
                         const baggage_options& options = {}) {
  baggage_report r;
  std::vector<ent> owned = parse(header, &r, options);
  const baton::baggage_view view(header, options);
  EXPECT_EQ(owned, view_entries(view)) << header;
  baggage_report from_view = view.report();
  baggage_report without_duplicates;
  for (const auto& i : r) {
    if (i.code != errc::baggage_duplicate_key) without_duplicates.add(i.code, i.offset, i.count);
  }
  EXPECT_EQ(issues(from_view), issues(without_duplicates)) << header;
  if (report != nullptr) *report = r;
  return owned;
}

std::string normalize(std::string_view header) {
  return baggage::parse(header).header();
}

}  // namespace

namespace baton {
inline std::ostream& operator<<(std::ostream& os, const baggage_issue& i) {
  return os << "{" << to_string(i.code) << " @" << i.offset << " x" << i.count << "}";
}
}  // namespace baton

// ---------------------------------------------------------------------------------------------
// The examples of the W3C Baggage specification (HTTP_HEADER_FORMAT.md).

TEST(BaggageSpec, ExampleWithProperties) {
  baggage_report r;
  const auto got = checked(
      "key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey=propertyValue", &r);
  const std::vector<ent> want{
      {"key1", "value1", {{"property1", std::nullopt}, {"property2", std::nullopt}}},
      {"key2", "value2", {}},
      {"key3", "value3", {{"propertyKey", "propertyValue"}}}};
  EXPECT_EQ(got, want);
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(normalize("key1=value1;property1;property2, key2 = value2, key3=value3; "
                      "propertyKey=propertyValue"),
            "key1=value1;property1;property2,key2=value2,key3=value3;propertyKey=propertyValue");
}

TEST(BaggageSpec, SingleHeader) {
  const std::vector<ent> want{
      {"userId", "alice", {}}, {"serverNode", "DF 28", {}}, {"isProduction", "false", {}}};
  EXPECT_EQ(checked("userId=alice,serverNode=DF%2028,isProduction=false"), want);
  EXPECT_EQ(normalize("userId=alice,serverNode=DF%2028,isProduction=false"),
            "userId=alice,serverNode=DF%2028,isProduction=false");
}

TEST(BaggageSpec, SplitIntoSeveralHeaders) {
  const std::vector<ent> want{
      {"userId", "alice", {}}, {"serverNode", "DF 28", {}}, {"isProduction", "false", {}}};
  EXPECT_EQ(entries(baggage::parse({"userId=alice", "serverNode=DF%2028,isProduction=false"})),
            want);
  EXPECT_EQ(
      entries(baggage::parse({"userId =   alice", "serverNode = DF%2028, isProduction = false"})),
      want);
  const std::array<std::string_view, 2> values{"userId =   alice",
                                               "serverNode = DF%2028, isProduction = false"};
  EXPECT_EQ(view_entries(baton::baggage_view(values.data(), values.size())), want);
}

TEST(BaggageSpec, UseCaseHeaders) {
  EXPECT_EQ(checked("serverNode=DF%2028"), (std::vector<ent>{{"serverNode", "DF 28", {}}}));
  EXPECT_EQ(checked("userId=alice"), (std::vector<ent>{{"userId", "alice", {}}}));
  EXPECT_EQ(checked("isProduction=false"), (std::vector<ent>{{"isProduction", "false", {}}}));
}

// ---------------------------------------------------------------------------------------------
// The parsing cases of the W3C baggage test suite (test/test_baggage.py), ported.

TEST(BaggageW3cSuite, Simple) {
  EXPECT_EQ(checked("SomeKey=SomeValue"), (std::vector<ent>{{"SomeKey", "SomeValue", {}}}));
}

TEST(BaggageW3cSuite, Multiple) {
  const std::vector<ent> want{{"SomeKey", "SomeValue", {}},
                              {"SomeKey2", "SomeValue2", {{"ValueProp", std::nullopt}}},
                              {"SomeKey3", "SomeValue3", {{"ValueProp", "SomeValue"}}}};
  EXPECT_EQ(checked("SomeKey=SomeValue,SomeKey2=SomeValue2;ValueProp,"
                    "SomeKey3=SomeValue3;ValueProp=SomeValue"),
            want);
  EXPECT_EQ(checked("SomeKey \t = \t SomeValue \t , \t SomeKey2 \t = \t SomeValue2 \t ; \t "
                    "ValueProp \t , \t SomeKey3 \t = \t SomeValue3 \t ; \t ValueProp \t = \t "
                    "SomeValue"),
            want);
}

TEST(BaggageW3cSuite, MultipleEquals) {
  EXPECT_EQ(checked("SomeKey=SomeValue=equals"),
            (std::vector<ent>{{"SomeKey", "SomeValue=equals", {}}}));
  EXPECT_EQ(normalize("SomeKey=SomeValue=equals"), "SomeKey=SomeValue=equals");
}

TEST(BaggageW3cSuite, PercentEncoded) {
  const std::string value = "\t \"';=asdf!@#$%^&*()";
  const std::vector<ent> want{{"SomeKey", value, {}}};
  EXPECT_EQ(checked("SomeKey=%09%20%22%27%3B%3Dasdf%21%40%23%24%25%5E%26%2A%28%29"), want);
  EXPECT_EQ(checked("SomeKey \t = \t %09%20%22%27%3B%3Dasdf%21%40%23%24%25%5E%26%2A%28%29 \t "),
            want);
  // Minimal encoding: only what is not a baggage-octet, and '%'.
  EXPECT_EQ(normalize("SomeKey=%09%20%22%27%3B%3Dasdf%21%40%23%24%25%5E%26%2A%28%29"),
            "SomeKey=%09%20%22'%3B=asdf!@#$%25^&*()");
}

TEST(BaggageW3cSuite, Properties) {
  EXPECT_EQ(checked("SomeKey=SomeValue;SomeProp"),
            (std::vector<ent>{{"SomeKey", "SomeValue", {{"SomeProp", std::nullopt}}}}));
  EXPECT_EQ(checked("SomeKey \t = \t SomeValue \t ; \t SomeProp \t "),
            (std::vector<ent>{{"SomeKey", "SomeValue", {{"SomeProp", std::nullopt}}}}));
  EXPECT_EQ(
      checked("SomeKey=SomeValue;SomeProp;PropTwo"),
      (std::vector<ent>{
          {"SomeKey", "SomeValue", {{"SomeProp", std::nullopt}, {"PropTwo", std::nullopt}}}}));
  EXPECT_EQ(
      checked("SomeKey \t = \t SomeValue \t ; \t SomeProp \t ; \t PropTwo \t "),
      (std::vector<ent>{
          {"SomeKey", "SomeValue", {{"SomeProp", std::nullopt}, {"PropTwo", std::nullopt}}}}));
  EXPECT_EQ(checked("SomeKey=SomeValue;ValueProp=PropVal"),
            (std::vector<ent>{{"SomeKey", "SomeValue", {{"ValueProp", "PropVal"}}}}));
  EXPECT_EQ(checked("SomeKey \t = \t SomeValue \t ; \t ValueProp \t = \t PropVal \t "),
            (std::vector<ent>{{"SomeKey", "SomeValue", {{"ValueProp", "PropVal"}}}}));
}

TEST(BaggageW3cSuite, SameNameProperties) {
  EXPECT_EQ(
      checked("SomeKey=SomeValue;ValueProp=1;ValueProp;ValueProp=3"),
      (std::vector<ent>{{"SomeKey",
                         "SomeValue",
                         {{"ValueProp", "1"}, {"ValueProp", std::nullopt}, {"ValueProp", "3"}}}}));
  EXPECT_EQ(normalize("SomeKey=SomeValue;ValueProp=1;ValueProp;ValueProp=3"),
            "SomeKey=SomeValue;ValueProp=1;ValueProp;ValueProp=3");
}

TEST(BaggageW3cSuite, PercentEncodedPropertyValue) {
  EXPECT_EQ(checked("SomeKey=SomeValue;ValueProp=%09%20%22%27%3B%3D"),
            (std::vector<ent>{{"SomeKey", "SomeValue", {{"ValueProp", "\t \"';="}}}}));
  EXPECT_EQ(normalize("SomeKey=SomeValue;ValueProp=%09%20%22%27%3B%3D"),
            "SomeKey=SomeValue;ValueProp=%09%20%22'%3B=");
}

TEST(BaggageW3cSuite, PropertyKeysAreNotDecoded) {
  EXPECT_EQ(
      checked("SomeKey=SomeValue;ValueProp%20%09%20%3D"),
      (std::vector<ent>{{"SomeKey", "SomeValue", {{"ValueProp%20%09%20%3D", std::nullopt}}}}));
  EXPECT_EQ(normalize("SomeKey=SomeValue;ValueProp%20%09%20%3D"),
            "SomeKey=SomeValue;ValueProp%20%09%20%3D");
}

// ---------------------------------------------------------------------------------------------
// Grammar edges.

TEST(BaggageGrammar, OwsWhereTheGrammarAllowsIt) {
  const std::vector<ent> want{{"a", "1", {{"p", "x"}, {"q", std::nullopt}}}, {"b", "2", {}}};
  for (std::string_view h :
       {"a=1;p=x;q,b=2", " a = 1 ; p = x ; q , b = 2 ", "\ta\t=\t1\t;\tp\t=\tx\t;\tq\t,\tb\t=\t2\t",
        "a  =1;  p=  x;q   ,b=   2"}) {
    baggage_report r;
    EXPECT_EQ(checked(h, &r), want) << h;
    EXPECT_TRUE(r.empty()) << h;
  }
}

TEST(BaggageGrammar, OwsInsideKeysAndValuesIsInvalid) {
  baggage_report r;
  EXPECT_EQ(checked("a b=1,c=2", &r), (std::vector<ent>{{"c", "2", {}}}));
  EXPECT_EQ(issues(r), (std::vector<baton::baggage_issue>{issue(errc::baggage_invalid_key, 2)}));

  EXPECT_EQ(checked("k=a b,c=2", &r), (std::vector<ent>{{"c", "2", {}}}));
  EXPECT_EQ(issues(r), (std::vector<baton::baggage_issue>{issue(errc::baggage_invalid_value, 4)}));

  EXPECT_EQ(checked("c=2,k=v;p q=1", &r), (std::vector<ent>{{"c", "2", {}}}));
  EXPECT_EQ(issues(r),
            (std::vector<baton::baggage_issue>{issue(errc::baggage_invalid_property, 10)}));

  EXPECT_EQ(checked("k=v;p=a b", &r), (std::vector<ent>{}));
  EXPECT_EQ(issues(r),
            (std::vector<baton::baggage_issue>{issue(errc::baggage_invalid_property, 8)}));
}

TEST(BaggageGrammar, EmptyMembersAreIgnored) {
  for (std::string_view h :
       {"a=1,,b=2", ",a=1,b=2", "a=1,b=2,", " , a=1 , , b=2 , ", ",,,a=1,\t,b=2"}) {
    baggage_report r;
    EXPECT_EQ(checked(h, &r), (std::vector<ent>{{"a", "1", {}}, {"b", "2", {}}})) << h;
    EXPECT_TRUE(r.empty()) << h;
  }
  for (std::string_view h : {"", " ", ",", " , \t, "}) {
    baggage_report r;
    EXPECT_TRUE(checked(h, &r).empty());
    EXPECT_TRUE(r.empty());
  }
  EXPECT_EQ(entries(baggage::parse({"", "a=1", "", "b=2", ""})),
            (std::vector<ent>{{"a", "1", {}}, {"b", "2", {}}}));
}

TEST(BaggageGrammar, EmptyPropertiesAreIgnored) {
  baggage_report r;
  EXPECT_EQ(checked("k=v;", &r), (std::vector<ent>{{"k", "v", {}}}));
  EXPECT_EQ(checked("k=v; ;", &r), (std::vector<ent>{{"k", "v", {}}}));
  EXPECT_EQ(checked("k=v;;p;;q;", &r),
            (std::vector<ent>{{"k", "v", {{"p", std::nullopt}, {"q", std::nullopt}}}}));
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(normalize("k=v;;p;;q;"), "k=v;p;q");
}

TEST(BaggageGrammar, EqualsInsideValuesSplitsAtTheFirst) {
  EXPECT_EQ(
      checked("token=YWJjZA==,k==,e=a=b=c;p==x"),
      (std::vector<ent>{{"token", "YWJjZA==", {}}, {"k", "=", {}}, {"e", "a=b=c", {{"p", "=x"}}}}));
  EXPECT_EQ(normalize("token=YWJjZA=="), "token=YWJjZA==");
}

TEST(BaggageGrammar, EmptyValues) {
  EXPECT_EQ(checked("k=,j= ,l=;p="),
            (std::vector<ent>{{"k", "", {}}, {"j", "", {}}, {"l", "", {{"p", ""}}}}));
  EXPECT_EQ(normalize("k=,j= ,l=;p="), "k=,j=,l=;p=");
}

TEST(BaggageGrammar, InvalidMembersAreDroppedAlone) {
  struct tc {
    std::string_view header;
    errc code;
    std::uint32_t offset;
  };
  // Each case is "a=1," + bad member + ",z=9": the neighbours survive.
  const tc cases[] = {
      {"=v", errc::baggage_invalid_key, 4},
      {" =v", errc::baggage_invalid_key, 5},
      {"k", errc::baggage_missing_equals, 5},
      {"k ", errc::baggage_missing_equals, 6},
      {"k;p", errc::baggage_missing_equals, 5},
      {"k(=v", errc::baggage_invalid_key, 5},
      {"k\"=v", errc::baggage_invalid_key, 5},
      {"\xc3\xa9=v", errc::baggage_invalid_key, 4},
      {"k=a\"b", errc::baggage_invalid_value, 7},
      {"k=a\\b", errc::baggage_invalid_value, 7},
      {"k=\xc3\xa9", errc::baggage_invalid_value, 6},
      {"k=a\x01", errc::baggage_invalid_value, 7},
      {"k=a\x7f", errc::baggage_invalid_value, 7},
      {"k=a\rb", errc::baggage_invalid_value, 7},
      {"k=a\nb", errc::baggage_invalid_value, 7},
      {"k=%", errc::baggage_invalid_percent_encoding, 6},
      {"k=%4", errc::baggage_invalid_percent_encoding, 6},
      {"k=%zz", errc::baggage_invalid_percent_encoding, 6},
      {"k=%4g", errc::baggage_invalid_percent_encoding, 6},
      {"k=ab%", errc::baggage_invalid_percent_encoding, 8},
      {"k=v;p=%", errc::baggage_invalid_percent_encoding, 10},
      {"k=v;p=%2", errc::baggage_invalid_percent_encoding, 10},
      {"k=v;=x", errc::baggage_invalid_property, 8},
      {"k=v;p(", errc::baggage_invalid_property, 9},
      {"k=v;p=\"", errc::baggage_invalid_property, 10},
      {"k=v;p x", errc::baggage_invalid_property, 10},
  };
  for (const tc& c : cases) {
    const std::string h = "a=1," + std::string(c.header) + ",z=9";
    baggage_report r;
    EXPECT_EQ(checked(h, &r), (std::vector<ent>{{"a", "1", {}}, {"z", "9", {}}})) << h;
    EXPECT_EQ(issues(r), (std::vector<baton::baggage_issue>{issue(c.code, c.offset)})) << h;
    EXPECT_EQ(r.first_error(), (baton::error{c.code, c.offset})) << h;
  }
}

TEST(BaggageGrammar, ReportCountsPerReason) {
  baggage_report r;
  EXPECT_EQ(checked("=1,k=%,b=2,(=1,c=%zz,d", &r), (std::vector<ent>{{"b", "2", {}}}));
  EXPECT_EQ(issues(r),
            (std::vector<baton::baggage_issue>{issue(errc::baggage_invalid_key, 0, 2),
                                               issue(errc::baggage_invalid_percent_encoding, 5, 2),
                                               issue(errc::baggage_missing_equals, 22, 1)}));
  EXPECT_EQ(r.dropped(), 5u);
  EXPECT_EQ(r.count(errc::baggage_invalid_key), 2u);
  EXPECT_EQ(r.count(errc::baggage_too_large), 0u);
}

TEST(BaggageGrammar, KeysAreTokensAndNeverDecoded) {
  EXPECT_EQ(checked("%41=1,!#$%&'*+-.^_`|~=2,Az09=3"),
            (std::vector<ent>{{"%41", "1", {}}, {"!#$%&'*+-.^_`|~", "2", {}}, {"Az09", "3", {}}}));
  EXPECT_EQ(normalize("%41=1"), "%41=1");
  // Keys are case-sensitive.
  EXPECT_EQ(checked("k=1,K=2"), (std::vector<ent>{{"k", "1", {}}, {"K", "2", {}}}));
}

TEST(BaggageGrammar, EveryBaggageOctetIsAValueCharacter) {
  std::string value;
  for (int c = 0x21; c <= 0x7e; ++c) {
    if (c != '"' && c != ',' && c != ';' && c != '\\' && c != '%')
      value.push_back(static_cast<char>(c));
  }
  const std::vector<ent> got = checked("k=" + value);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].value, value);
  EXPECT_EQ(normalize("k=" + value), "k=" + value);  // nothing needs encoding
}

TEST(BaggageGrammar, PlusIsALiteralPlus) {
  EXPECT_EQ(checked("k=a+b,j=%2B,s=a%20b"),
            (std::vector<ent>{{"k", "a+b", {}}, {"j", "+", {}}, {"s", "a b", {}}}));
  EXPECT_EQ(normalize("k=a+b,j=%2B,s=a%20b"), "k=a+b,j=+,s=a%20b");
}

TEST(BaggageGrammar, DuplicateKeysKeepTheLastValueAtTheFirstPosition) {
  baggage_report r;
  EXPECT_EQ(checked("k=1,a=x,k=2;p,b=y,k=3;q=1", &r),
            (std::vector<ent>{{"k", "3", {{"q", "1"}}}, {"a", "x", {}}, {"b", "y", {}}}));
  EXPECT_EQ(issues(r),
            (std::vector<baton::baggage_issue>{issue(errc::baggage_duplicate_key, 8, 2)}));
  // Across headers too.
  baggage_report r2;
  const baggage b = baggage::parse({"k=1", "k=2"}, {}, &r2);
  EXPECT_EQ(entries(b), (std::vector<ent>{{"k", "2", {}}}));
  EXPECT_EQ(issues(r2), (std::vector<baton::baggage_issue>{issue(errc::baggage_duplicate_key, 4)}));
  // The view yields both; find() returns the last.
  const baton::baggage_view v("k=1,k=2");
  EXPECT_EQ(std::distance(v.begin(), v.end()), 2);
  ASSERT_TRUE(v.find("k"));
  EXPECT_EQ(v.find("k")->raw_value(), "2");
}

TEST(BaggageGrammar, ManyDuplicatesUseTheHashTable) {
  // More than 8 entries take the hashed path; 40 distinct keys, each repeated 3 times.
  std::string h;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 40; ++i) h += "key" + std::to_string(i) + "=" + std::to_string(round) + ",";
  }
  baggage_report r;
  baggage_options o;
  o.limits.max_members = 1000;
  const std::vector<ent> got = checked(h, &r, o);
  ASSERT_EQ(got.size(), 40u);
  for (int i = 0; i < 40; ++i) {
    EXPECT_EQ(got[static_cast<std::size_t>(i)].key, "key" + std::to_string(i));
    EXPECT_EQ(got[static_cast<std::size_t>(i)].value, "2");
  }
  EXPECT_EQ(r.count(errc::baggage_duplicate_key), 80u);
}

TEST(BaggageGrammar, DedupStrategiesAgree) {
  // The sort fallback (used when crafted keys defeat the hash table) and the small-list path
  // give the same links as the hash table.
  namespace d = baton::detail;
  const std::string text = "abcabdabcxxabdabcqq";
  const std::uint32_t offs[] = {0, 3, 6, 9, 11, 14, 17};
  const std::uint32_t lens[] = {3, 3, 3, 2, 3, 3, 2};
  std::vector<d::baggage_slot> slots;
  std::vector<d::baggage_stage_entry> a;
  for (std::uint32_t i = 0; i < 7; ++i) {
    slots.push_back({offs[i], lens[i], 0, 0});
    a.push_back({i, i, i});
  }
  auto b = a, c = a;
  std::size_t dead_hash = 0;
  ASSERT_TRUE(
      d::baggage_dedup_hash(slots.data(), a.data(), a.size(), text.data(), 1000, dead_hash));
  EXPECT_EQ(d::baggage_dedup_sort(slots.data(), b.data(), b.size(), text.data()), 3u);
  EXPECT_EQ(d::baggage_dedup_small(slots.data(), c.data(), c.size(), text.data()), 3u);
  EXPECT_EQ(dead_hash, 3u);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].link, b[i].link) << i;
    EXPECT_EQ(a[i].link, c[i].link) << i;
  }
  EXPECT_EQ(a[0].link, 5u);  // "abc" at 0, 2, 5: the first takes the last
  EXPECT_EQ(a[1].link, 4u);  // "abd" at 1, 4
  EXPECT_EQ(a[2].link, d::baggage_dead_link);
  // A probe budget of zero makes the hash table give up at the first collision.
  std::vector<d::baggage_stage_entry> e;
  for (std::uint32_t i = 0; i < 7; ++i) e.push_back({i, i, i});
  std::size_t dead = 0;
  EXPECT_FALSE(d::baggage_dedup_hash(slots.data(), e.data(), e.size(), text.data(), 0, dead));
}

// ---------------------------------------------------------------------------------------------
// Percent-decoding and UTF-8.

TEST(BaggagePercent, DecodesEitherCaseAndReencodesUppercase) {
  EXPECT_EQ(checked("k=%c3%a9,j=%C3%A9"),
            (std::vector<ent>{{"k", "\xc3\xa9", {}}, {"j", "\xc3\xa9", {}}}));
  EXPECT_EQ(normalize("k=%c3%a9"), "k=%C3%A9");
  // Over-encoded octets come back as themselves.
  EXPECT_EQ(normalize("k=%41%42%2b%3d"), "k=AB+=");
}

TEST(BaggagePercent, Utf8OfEveryLength) {
  EXPECT_EQ(checked("a=%C3%A9,b=%E2%82%AC,c=%F0%9F%98%80,d=x%F0%9F%98%80y"),
            (std::vector<ent>{{"a", "\xc3\xa9", {}},
                              {"b", "\xe2\x82\xac", {}},
                              {"c", "\xf0\x9f\x98\x80", {}},
                              {"d", "x\xf0\x9f\x98\x80y", {}}}));
  EXPECT_EQ(normalize("c=%f0%9f%98%80"), "c=%F0%9F%98%80");
}

TEST(BaggagePercent, InvalidUtf8BecomesReplacementCharacters) {
  const std::string fffd = "\xef\xbf\xbd";
  struct tc {
    std::string_view raw;
    std::string decoded;
  };
  // Expected values from Python's bytes.decode("utf-8", "replace") (maximal subparts).
  const tc cases[] = {
      {"%FF", fffd},
      {"aa%ffcc", "aa" + fffd + "cc"},
      {"%E2%82", fffd},
      {"%E2%82A", fffd + "A"},
      {"%C0%AF", fffd + fffd},
      {"%ED%A0%80", fffd + fffd + fffd},
      {"%F4%90%80%80", fffd + fffd + fffd + fffd},
      {"%F0%9F%98", fffd},
      {"%C3", fffd},
      {"%C3%C3%A9", fffd + "\xc3\xa9"},
      {"%80%80", fffd + fffd},
      {"%F5%80", fffd + fffd},
      {"%E0%80%80", fffd + fffd + fffd},
      {"%EF%BF%BD", fffd},
  };
  for (const tc& c : cases) {
    const std::string h = "k=" + std::string(c.raw);
    const std::vector<ent> got = checked(h);
    ASSERT_EQ(got.size(), 1u) << h;
    EXPECT_EQ(got[0].value, c.decoded) << h;
    // The same rule for property values.
    const std::vector<ent> prop_got = checked("k=v;p=" + std::string(c.raw));
    ASSERT_EQ(prop_got.size(), 1u);
    EXPECT_EQ(prop_got[0].props.at(0).value, c.decoded) << h;
  }
  EXPECT_EQ(normalize("k=aa%ffcc"), "k=aa%EF%BF%BDcc");
}

TEST(BaggagePercent, DecoderAndSanitizerAgree) {
  // Every 1- and 2-byte sequence, and 3-byte sequences from a spread of bytes: percent_decode
  // (on escapes) and utf8_sanitize (on raw bytes) must give the same text.
  std::vector<std::string> inputs;
  for (int a = 0; a < 256; ++a) {
    inputs.push_back(std::string(1, static_cast<char>(a)));
    for (int b = 0; b < 256; ++b) inputs.push_back({static_cast<char>(a), static_cast<char>(b)});
  }
  const int spread[] = {0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf,
                        0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee,
                        0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff};
  for (int a : spread) {
    for (int b : spread) {
      for (int c : spread) {
        for (int d : spread) {
          inputs.push_back({static_cast<char>(a), static_cast<char>(b), static_cast<char>(c),
                            static_cast<char>(d)});
        }
      }
    }
  }
  for (const std::string& in : inputs) {
    std::string escaped;
    for (char ch : in) {
      const auto u = static_cast<unsigned char>(ch);
      escaped += '%';
      escaped += "0123456789ABCDEF"[u >> 4];
      escaped += "0123456789ABCDEF"[u & 15];
    }
    std::string decoded(escaped.size(), '\0');
    decoded.resize(baton::detail::percent_decode(escaped.data(), escaped.size(), decoded.data()));
    std::string sanitized(3 * in.size(), '\0');
    sanitized.resize(static_cast<std::size_t>(
        baton::detail::utf8_sanitize(in.data(), in.size(), sanitized.data()) - sanitized.data()));
    ASSERT_EQ(decoded, sanitized);
    ASSERT_TRUE(baton::detail::utf8_valid(decoded.data(), decoded.size()));
    ASSERT_EQ(baton::detail::utf8_valid(in.data(), in.size()), sanitized == in);
  }
}

TEST(BaggagePercent, DecodeIntoAnExactBuffer) {
  // The decoder may write scratch bytes past the decoded end, but never past n bytes.
  const std::string in = "a%20b%F0%9F%98%80%ffz" + std::string(40, 'q') + "%41";
  std::vector<char> out(in.size() + 1, '#');
  const std::size_t n = baton::detail::percent_decode(in.data(), in.size(), out.data());
  EXPECT_EQ(std::string(out.data(), n),
            "a b\xf0\x9f\x98\x80\xef\xbf\xbdz" + std::string(40, 'q') + "A");
  EXPECT_EQ(out[in.size()], '#');
  // Malformed escapes (only reachable on unvalidated input) are copied literally.
  std::string bad = "%zz%4%";
  std::string dst(bad.size(), '\0');
  dst.resize(baton::detail::percent_decode(bad.data(), bad.size(), dst.data()));
  EXPECT_EQ(dst, bad);
}

TEST(BaggagePercent, EncodesEveryByteThatIsNotABaggageOctet) {
  baggage b;
  for (int c = 0; c < 256; ++c) {
    const char ch = static_cast<char>(c);
    ASSERT_TRUE(b.set("k", std::string_view(&ch, 1)));
    const std::string h = b.header();
    const bool octet = c >= 0x21 && c <= 0x7e && c != '"' && c != ',' && c != ';' && c != '\\';
    if (octet && c != '%') {
      EXPECT_EQ(h, "k=" + std::string(1, ch)) << c;
    } else if (c < 0x80) {
      const char hex[] = "0123456789ABCDEF";
      EXPECT_EQ(h, std::string("k=%") + hex[c >> 4] + hex[c & 15]) << c;
    } else {
      EXPECT_EQ(h, "k=%EF%BF%BD") << c;  // a lone byte >= 0x80 is not UTF-8
    }
    EXPECT_EQ(baggage::parse(h), b) << c;
  }
}

// ---------------------------------------------------------------------------------------------
// Limits.

namespace {
std::string members(int n, int first = 0, std::string_view value = "v") {
  std::string h;
  for (int i = first; i < first + n; ++i) {
    if (!h.empty()) h += ',';
    h += "k" + std::to_string(i) + "=" + std::string(value);
  }
  return h;
}
}  // namespace

TEST(BaggageLimits, DefaultsAreTheW3cMinimums) {
  const baggage_limits l;
  EXPECT_EQ(l.max_members, 64u);
  EXPECT_EQ(l.max_bytes, 8192u);
}

TEST(BaggageLimits, MemberLimitAtAndBeyond) {
  baggage_report r;
  EXPECT_EQ(checked(members(64), &r).size(), 64u);
  EXPECT_TRUE(r.empty());
  const std::string h65 = members(65);
  EXPECT_EQ(checked(h65, &r).size(), 64u);
  EXPECT_EQ(issues(r),
            (std::vector<baton::baggage_issue>{issue(
                errc::baggage_too_many_members, static_cast<std::uint32_t>(h65.rfind(',') + 1))}));
  const std::string h100 = members(100);
  EXPECT_EQ(checked(h100, &r).size(), 64u);
  EXPECT_EQ(r.count(errc::baggage_too_many_members), 36u);
  // Configurable, both ways.
  baggage_options o;
  o.limits.max_members = 3;
  EXPECT_EQ(checked(members(10), &r, o).size(), 3u);
  EXPECT_EQ(r.count(errc::baggage_too_many_members), 7u);
  o.limits.max_members = 200;
  EXPECT_EQ(checked(members(180), &r, o).size(), 180u);
  EXPECT_TRUE(r.empty());
  o.limits.max_members = 0;
  EXPECT_EQ(checked(members(2), &r, o).size(), 0u);
  EXPECT_EQ(r.count(errc::baggage_too_many_members), 2u);
}

TEST(BaggageLimits, InvalidAndFilteredMembersDoNotCountAsMembers) {
  baggage_options o;
  o.limits.max_members = 2;
  baggage_report r;
  EXPECT_EQ(checked("a=1,bad,b=2,c=3", &r, o), (std::vector<ent>{{"a", "1", {}}, {"b", "2", {}}}));
  EXPECT_EQ(r.count(errc::baggage_missing_equals), 1u);
  EXPECT_EQ(r.count(errc::baggage_too_many_members), 1u);
}

TEST(BaggageLimits, ByteLimitAtAndBeyond) {
  baggage_report r;
  // One member of exactly 8192 bytes, then 8193.
  const std::string at = "k=" + std::string(8190, 'x');
  EXPECT_EQ(checked(at, &r).size(), 1u);
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(checked(at + "x", &r).size(), 0u);
  EXPECT_EQ(issues(r), (std::vector<baton::baggage_issue>{issue(errc::baggage_too_large, 0)}));
  // A member that straddles the budget is dropped whole; members before it are kept.
  const std::string head = "a=1,";
  const std::string big = "k=" + std::string(8190 - head.size(), 'x');
  EXPECT_EQ(checked(head + big, &r).size(), 2u);  // exactly 8192 bytes
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(checked(head + big + "y", &r), (std::vector<ent>{{"a", "1", {}}}));
  EXPECT_EQ(issues(r), (std::vector<baton::baggage_issue>{issue(errc::baggage_too_large, 4)}));
  EXPECT_EQ(checked(head + big + ",z=1,w=2", &r).size(), 2u);
  EXPECT_EQ(issues(r),
            (std::vector<baton::baggage_issue>{issue(errc::baggage_too_large, 8193, 2)}));
}

TEST(BaggageLimits, MemberEndingExactlyAtTheBudget) {
  baggage_options o;
  o.limits.max_bytes = 10;
  baggage_report r;
  // "k=12345678" is 10 bytes: trailing OWS and a ',' past the budget do not matter.
  EXPECT_EQ(checked("k=12345678", &r, o).size(), 1u);
  EXPECT_EQ(checked("k=12345678   ", &r, o).size(), 1u);
  EXPECT_EQ(checked("k=12345678 ,a=1", &r, o).size(), 1u);
  EXPECT_EQ(issues(r), (std::vector<baton::baggage_issue>{issue(errc::baggage_too_large, 12)}));
  // But a property, a longer value or an escape past the budget drops the member.
  EXPECT_EQ(checked("k=12345678;p", &r, o).size(), 0u);
  EXPECT_EQ(checked("k=12345678 ; p", &r, o).size(), 0u);
  EXPECT_EQ(checked("k=123456789", &r, o).size(), 0u);
  EXPECT_EQ(checked("k=1234567%20", &r, o).size(), 0u);
  EXPECT_EQ(issues(r), (std::vector<baton::baggage_issue>{issue(errc::baggage_too_large, 0)}));
  EXPECT_EQ(checked("k=123456%20", &r, o).size(), 0u);
  EXPECT_EQ(checked("k=12345%20", &r, o).size(), 1u);
  EXPECT_EQ(checked("k=v;p=12345", &r, o).size(), 0u);
  EXPECT_EQ(checked("k=v;p=1234", &r, o).size(), 1u);
  // A key cut by the budget.
  EXPECT_EQ(checked("kkkkkkkkkkkk=1", &r, o).size(), 0u);
  EXPECT_EQ(issues(r), (std::vector<baton::baggage_issue>{issue(errc::baggage_too_large, 0)}));
  // An invalid member that runs past the budget is reported as invalid.
  EXPECT_EQ(checked("a=1,k=\"xxxxxxxx,b=2", &r, o).size(), 1u);
  EXPECT_EQ(issues(r), (std::vector<baton::baggage_issue>{issue(errc::baggage_invalid_value, 6),
                                                          issue(errc::baggage_too_large, 16)}));
  o.limits.max_bytes = 0;
  EXPECT_EQ(checked("a=1", &r, o).size(), 0u);
  EXPECT_EQ(r.count(errc::baggage_too_large), 1u);
}

TEST(BaggageLimits, AppliesToAllHeadersCombined) {
  // Two headers of 5000 bytes: 10001 bytes joined; the second one does not fit.
  const std::string a = "a=" + std::string(4998, 'x');
  const std::string b = "b=" + std::string(4998, 'y');
  baggage_report r;
  const baggage bag = baggage::parse({a, b}, {}, &r);
  EXPECT_EQ(bag.size(), 1u);
  EXPECT_EQ(issues(r), (std::vector<baton::baggage_issue>{issue(errc::baggage_too_large, 5001)}));
  // Exactly 8192 joined: 4095 + ',' + 4096.
  const std::string c = "c=" + std::string(4093, 'x');
  const std::string d = "d=" + std::string(4094, 'y');
  EXPECT_EQ(baggage::parse({c, d}, {}, &r).size(), 2u);
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(baggage::parse({c, d + "y"}, {}, &r).size(), 1u);
  EXPECT_EQ(r.count(errc::baggage_too_large), 1u);
  // The member limit also spans headers: 40 + 40 members.
  const baggage m = baggage::parse({members(40), members(40, 40)}, {}, &r);
  EXPECT_EQ(m.size(), 64u);
  EXPECT_EQ(r.count(errc::baggage_too_many_members), 16u);
  // The incremental parser gives the same.
  baggage::parser p;
  p.append(members(40));
  p.append(members(40, 40));
  const baggage m2 = std::move(p).finish();
  EXPECT_EQ(m2, m);
  EXPECT_EQ(p.report(), r);
}

TEST(BaggageLimits, HigherByteLimit) {
  baggage_options o;
  o.limits.max_bytes = 20000;
  baggage_report r;
  EXPECT_EQ(checked("k=" + std::string(19998, 'x'), &r, o).size(), 1u);
  EXPECT_TRUE(r.empty());
}

// ---------------------------------------------------------------------------------------------
// Hostile input: bounded output, nothing over the limits kept.

TEST(BaggageHostile, OneMebibyteHeader) {
  std::string h;
  while (h.size() < (1u << 20)) h += "key=value,";
  baggage_report r;
  const baggage b = baggage::parse(h, {}, &r);
  EXPECT_EQ(b.size(), 1u);  // every member repeats one key
  EXPECT_EQ(r.count(errc::baggage_duplicate_key), 63u);
  EXPECT_EQ(r.count(errc::baggage_too_many_members), (h.size() / 10) - 64);
  EXPECT_LE(b.byte_size(), 8192u);

  // One value of 1 MiB: dropped, nothing kept, no text buffer beyond the budget.
  const std::string one = "k=" + std::string(1u << 20, 'x');
  const baggage b2 = baggage::parse(one, {}, &r);
  EXPECT_TRUE(b2.empty());
  EXPECT_EQ(issues(r), (std::vector<baton::baggage_issue>{issue(errc::baggage_too_large, 0)}));

  // 1 MiB of OWS and commas: nothing to keep, nothing to report.
  EXPECT_TRUE(baggage::parse(std::string(1u << 20, ' '), {}, &r).empty());
  EXPECT_TRUE(r.empty());
  EXPECT_TRUE(baggage::parse(std::string(1u << 20, ','), {}, &r).empty());
  EXPECT_TRUE(r.empty());
}

TEST(BaggageHostile, HundredThousandMembers) {
  const std::string h = members(100000);
  baggage_report r;
  const baggage b = baggage::parse(h, {}, &r);
  EXPECT_EQ(b.size(), 64u);
  EXPECT_EQ(r.count(errc::baggage_too_many_members), 100000u - 64u);
  EXPECT_LE(b.byte_size(), 8192u);
  const baton::baggage_view v(h);
  EXPECT_EQ(std::distance(v.begin(), v.end()), 64);
  EXPECT_EQ(v.report(), r);
  // With the limits raised, all of them are kept (and dedup takes the large table).
  baggage_options o;
  o.limits.max_members = 200000;
  o.limits.max_bytes = 4u << 20;
  const baggage all = baggage::parse(h, o, &r);
  EXPECT_EQ(all.size(), 100000u);
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(all.header(o.limits), h);
}

TEST(BaggageHostile, TenThousandHeaderLines) {
  // Each line is small; together they are far over both limits.
  std::vector<std::string> lines;
  for (int i = 0; i < 10000; ++i)
    lines.push_back("k" + std::to_string(i) + "=" + std::string(90, 'v'));
  std::vector<std::string_view> views(lines.begin(), lines.end());
  baggage_report r;
  const baggage b = baggage::parse(views.data(), views.size(), {}, &r);
  EXPECT_LE(b.size(), 64u);
  EXPECT_LE(b.byte_size(), 8192u);
  // 8192 / (~95 bytes + ',') = 85 lines fit by size, so the member limit stops it at 64.
  EXPECT_EQ(b.size(), 64u);
  EXPECT_EQ(r.count(errc::baggage_too_many_members), 10000u - 64u);
  // Lines of 8000 bytes: only the first fits, the rest is over the byte budget.
  std::vector<std::string> big(200, "k=" + std::string(7998, 'x'));
  std::vector<std::string_view> big_views(big.begin(), big.end());
  const baggage b2 = baggage::parse(big_views.data(), big_views.size(), {}, &r);
  EXPECT_EQ(b2.size(), 1u);
  EXPECT_EQ(r.count(errc::baggage_too_large), 199u);
  const baton::baggage_view v(big_views.data(), big_views.size());
  EXPECT_EQ(std::distance(v.begin(), v.end()), 1);
}

TEST(BaggageHostile, FormatNeverWritesControlCharacters) {
  baggage b;
  std::string nasty;
  for (int c = 0; c < 256; ++c) nasty.push_back(static_cast<char>(c));
  ASSERT_TRUE(b.set("k", nasty, {{"p", nasty}, {"q", std::nullopt}}));
  ASSERT_TRUE(b.set("crlf", "a\r\nX-Injected: 1"));
  const std::string h = b.header();
  for (char c : h) {
    const auto u = static_cast<unsigned char>(c);
    EXPECT_TRUE(u > 0x20 && u < 0x7f && c != '"' && c != '\\') << static_cast<int>(u);
  }
  EXPECT_NE(h.find("crlf=a%0D%0AX-Injected:%201"), std::string::npos);
  EXPECT_EQ(baggage::parse(h), b);
}

// ---------------------------------------------------------------------------------------------
// Formatting.

TEST(BaggageFormat, RoundTripsOverManyHopsWithoutDoubleEncoding) {
  const std::string first =
      normalize(" k = 1%3D1 ; p = %25%2525 , u = %c3%a9%20%ff , b = YWJj+/ZA== ; q ;q ,e=");
  EXPECT_EQ(first, "k=1=1;p=%25%2525,u=%C3%A9%20%EF%BF%BD,b=YWJj+/ZA==;q;q,e=");
  std::string h = first;
  for (int hop = 0; hop < 20; ++hop) h = normalize(h);
  EXPECT_EQ(h, first);
  const baggage b = baggage::parse(h);
  EXPECT_EQ(*b.get("k"), "1=1");
  EXPECT_EQ(b.find("k")->properties[0], (baggage_property{"p", std::string_view("%%25")}));
}

TEST(BaggageFormat, ByteSizeIsTheHeaderSize) {
  const baggage b = baggage::parse("a=1;p;q=%20,b=%C3%A9,c=");
  EXPECT_EQ(b.byte_size(), b.header().size());
  EXPECT_EQ(baggage().byte_size(), 0u);
  EXPECT_EQ(baggage().header(), "");
}

TEST(BaggageFormat, MemberLimit) {
  baggage b = baggage::parse(members(64));
  ASSERT_TRUE(b.set("extra", "1"));
  ASSERT_TRUE(b.set("extra2", "2"));
  baggage_report r;
  const std::string h = b.header({}, &r);
  EXPECT_EQ(baggage::parse(h).size(), 64u);
  EXPECT_EQ(h, members(64));
  EXPECT_EQ(issues(r),
            (std::vector<baton::baggage_issue>{issue(errc::baggage_too_many_members, 64, 2)}));
}

TEST(BaggageFormat, ByteLimitSkipsWholeEntries) {
  baggage b;
  ASSERT_TRUE(b.set("a", "1"));
  ASSERT_TRUE(b.set("big", std::string(9000, 'x')));
  ASSERT_TRUE(b.set("c", "3"));
  baggage_report r;
  EXPECT_EQ(b.header({}, &r), "a=1,c=3");
  EXPECT_EQ(issues(r), (std::vector<baton::baggage_issue>{issue(errc::baggage_too_large, 1)}));
  // Exactly at the limit.
  baggage_limits l;
  l.max_bytes = 7;
  EXPECT_EQ(b.header(l, &r), "a=1,c=3");
  l.max_bytes = 6;
  EXPECT_EQ(b.header(l, &r), "a=1");
  EXPECT_EQ(r.count(errc::baggage_too_large), 2u);
  // Encoding counts: "%20" is three bytes.
  baggage s;
  ASSERT_TRUE(s.set("k", " "));
  l.max_bytes = 4;
  EXPECT_EQ(s.header(l), "");
  l.max_bytes = 5;
  EXPECT_EQ(s.header(l), "k=%20");
}

TEST(BaggageFormat, AppendHeaderReusesTheString) {
  const baggage b = baggage::parse("a=1,b=2");
  std::string out = "baggage: ";
  b.append_header(out);
  EXPECT_EQ(out, "baggage: a=1,b=2");
}

// ---------------------------------------------------------------------------------------------
// The owning container.

TEST(BaggageContainer, GetSetEraseInOrder) {
  baggage b;
  EXPECT_TRUE(b.empty());
  ASSERT_TRUE(b.set("triggeredAt", "2026-11-22T02:19:56.123Z"));
  ASSERT_TRUE(b.set("userId", "alice", {{"p", "v"}, {"flag", std::nullopt}}));
  ASSERT_TRUE(b.set("z", ""));
  EXPECT_EQ(b.size(), 3u);
  EXPECT_EQ(*b.get("triggeredAt"), "2026-11-22T02:19:56.123Z");
  EXPECT_FALSE(b.get("missing"));
  EXPECT_TRUE(b.contains("z"));
  EXPECT_EQ(b.header(), "triggeredAt=2026-11-22T02:19:56.123Z,userId=alice;p=v;flag,z=");

  // set() replaces in place, properties included.
  ASSERT_TRUE(b.set("userId", "bob"));
  EXPECT_EQ(entries(b), (std::vector<ent>{{"triggeredAt", "2026-11-22T02:19:56.123Z", {}},
                                          {"userId", "bob", {}},
                                          {"z", "", {}}}));
  ASSERT_TRUE(b.set("triggeredAt", "x", {{"a", "1"}, {"b", "2"}, {"c", std::nullopt}}));
  EXPECT_EQ(b.header(), "triggeredAt=x;a=1;b=2;c,userId=bob,z=");
  EXPECT_EQ(b.find("triggeredAt")->properties.size(), 3u);

  EXPECT_TRUE(b.erase("userId"));
  EXPECT_FALSE(b.erase("userId"));
  EXPECT_EQ(b.header(), "triggeredAt=x;a=1;b=2;c,z=");
  EXPECT_TRUE(b.erase("triggeredAt"));
  EXPECT_TRUE(b.erase("z"));
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(b.begin(), b.end());
}

TEST(BaggageContainer, SetValidatesKeys) {
  baggage b;
  EXPECT_EQ(b.set("", "v").code(), errc::baggage_invalid_key);
  EXPECT_EQ(b.set("a b", "v").code(), errc::baggage_invalid_key);
  EXPECT_EQ(b.set("k\r\n", "v").code(), errc::baggage_invalid_key);
  EXPECT_EQ(b.set("\xc3\xa9", "v").code(), errc::baggage_invalid_key);
  const auto r = b.set("k", "v", {{"ok", std::nullopt}, {"bad key", std::nullopt}});
  EXPECT_EQ(r.code(), errc::baggage_invalid_property);
  EXPECT_EQ(r.error().offset, 1u);
  EXPECT_EQ(b.set("k", "v", {{"", std::nullopt}}).code(), errc::baggage_invalid_property);
  EXPECT_TRUE(b.empty());
}

TEST(BaggageContainer, SetSanitizesUtf8) {
  baggage b;
  ASSERT_TRUE(b.set("k",
                    "a\xff"
                    "b",
                    {{"p", "\xc3"}}));
  EXPECT_EQ(*b.get("k"),
            "a\xef\xbf\xbd"
            "b");
  EXPECT_EQ(*b.find("k")->properties[0].value, "\xef\xbf\xbd");
}

TEST(BaggageContainer, SetFromItsOwnViews) {
  baggage b = baggage::parse("a=hello;p=1,b=world");
  // The arguments point into b's own buffer, which set() may reallocate.
  for (int i = 0; i < 50; ++i) {
    {
      const baggage::entry a = *b.find("a");
      ASSERT_TRUE(b.set(a.key, *b.get("b"), {a.properties[0]}));
    }
    {
      const baggage::entry a = *b.find("a");
      ASSERT_TRUE(b.set("b", a.value, {{a.properties[0].key, a.key}}));
    }
  }
  EXPECT_EQ(b.header(), "a=world;p=1,b=world;p=a");
}

TEST(BaggageContainer, RepeatedSetsStayBounded) {
  baggage b;
  for (int i = 0; i < 100000; ++i)
    ASSERT_TRUE(b.set("k", std::to_string(i) + std::string(100, 'x')));
  EXPECT_EQ(b.size(), 1u);
  EXPECT_EQ(b.byte_size(), std::string("k=99999").size() + 100);
  // The text buffer is compacted as it goes: nowhere near 100000 values.
  baggage copy = b;
  EXPECT_EQ(copy, b);
}

TEST(BaggageContainer, KeepOnlyAtATrustBoundary) {
  baggage b = baggage::parse("userId=alice,secret=1,tenant=t1;p,debug=1");
  const std::array<std::string_view, 2> allowed{"userId", "tenant"};
  EXPECT_EQ(b.keep_only(baton::baggage_key_filter::allow(allowed)), 2u);
  EXPECT_EQ(b.header(), "userId=alice,tenant=t1;p");
  const auto reject_all = [](std::string_view) { return false; };
  EXPECT_EQ(b.keep_only(baton::baggage_key_filter::predicate(reject_all)), 2u);
  EXPECT_TRUE(b.empty());
}

TEST(BaggageContainer, CopyMoveAndEquality) {
  baggage a = baggage::parse("a=1;p,b=2");
  baggage b = a;
  EXPECT_EQ(a, b);
  ASSERT_TRUE(b.set("b", "3"));
  EXPECT_NE(a, b);
  baggage c = std::move(b);
  EXPECT_EQ(c.size(), 2u);
  EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
  baggage d;
  d = std::move(c);
  EXPECT_EQ(*d.get("b"), "3");
  EXPECT_EQ(baggage::parse("a=1;p,b=2"), baggage::parse(" a = 1 ; p , b = 2 "));
  EXPECT_NE(baggage::parse("a=1;p,b=2"), baggage::parse("a=1;p=,b=2"));
  EXPECT_NE(baggage::parse("a=1,b=2"), baggage::parse("b=2,a=1"));
}

TEST(BaggageContainer, IteratorsAndProperties) {
  const baggage b = baggage::parse("a=1;p=x;q,b=2");
  auto it = b.begin();
  EXPECT_EQ(it->key, "a");
  EXPECT_EQ(it->properties.size(), 2u);
  const baggage_property p0 = it->properties[0];
  EXPECT_EQ(p0.key, "p");
  EXPECT_EQ(p0.value, std::optional<std::string_view>("x"));
  EXPECT_FALSE(it->properties[1].value.has_value());
  ++it;
  EXPECT_EQ((*it).key, "b");
  EXPECT_TRUE(it->properties.empty());
  ++it;
  EXPECT_EQ(it, b.end());
  EXPECT_EQ(b.find("b")->value, "2");
  EXPECT_EQ(b.find("c"), b.end());
}

// ---------------------------------------------------------------------------------------------
// The key filter while parsing.

TEST(BaggageFilter, AllowListAndPredicate) {
  const std::array<std::string_view, 2> allowed{"userId", "triggeredAt"};
  baggage_options o;
  o.filter = baton::baggage_key_filter::allow(allowed);
  baggage_report r;
  EXPECT_EQ(checked("userId=alice,secret=x,triggeredAt=1,Userid=b", &r, o),
            (std::vector<ent>{{"userId", "alice", {}}, {"triggeredAt", "1", {}}}));
  EXPECT_EQ(issues(r),
            (std::vector<baton::baggage_issue>{issue(errc::baggage_key_filtered, 13, 2)}));

  auto no_underscore = [](std::string_view k) { return k.find('_') == std::string_view::npos; };
  o.filter = baton::baggage_key_filter::predicate(no_underscore);
  EXPECT_EQ(checked("a=1,_b=2,c_=3,d=4", &r, o),
            (std::vector<ent>{{"a", "1", {}}, {"d", "4", {}}}));
  EXPECT_EQ(r.count(errc::baggage_key_filtered), 2u);
  EXPECT_TRUE(baton::baggage_key_filter().accepts_all());
  EXPECT_FALSE(o.filter.accepts_all());
}

TEST(BaggageFilter, FilteredMembersDoNotUseTheMemberLimit) {
  auto only_a = [](std::string_view k) { return k[0] == 'a'; };
  baggage_options o;
  o.filter = baton::baggage_key_filter::predicate(only_a);
  o.limits.max_members = 2;
  EXPECT_EQ(checked("x=1,y=2,a1=1,z=3,a2=2", nullptr, o),
            (std::vector<ent>{{"a1", "1", {}}, {"a2", "2", {}}}));
}

// ---------------------------------------------------------------------------------------------
// The scanning kernels agree with the portable loop.

TEST(BaggageScan, VariantsAgreeOnEveryByteAtEveryPosition) {
  std::string buf(70, 'a');
  for (int c = 0; c < 256; ++c) {
    for (std::size_t pos = 0; pos < buf.size(); ++pos) {
      std::string s = buf;
      s[pos] = static_cast<char>(c);
      for (std::size_t from : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{17}}) {
        for (std::size_t len :
             {s.size(), s.size() - 1, std::size_t{15}, std::size_t{16}, std::size_t{33}}) {
          if (from > len) continue;
          const char* b = s.data() + from;
          const char* e = s.data() + len;
          const char* want = baton::detail::skip_plain_portable(b, e);
#if BATON_LITTLE_ENDIAN
          ASSERT_EQ(baton::detail::skip_plain_swar(b, e), want) << c << " " << pos;
#endif
#if BATON_BAGGAGE_SSE2
          ASSERT_EQ(baton::detail::skip_plain_sse2(b, e), want) << c << " " << pos;
#endif
          ASSERT_EQ(baton::detail::skip_plain(b, e), want);
        }
      }
    }
  }
}

TEST(BaggageScan, CountListElements) {
  auto count = [](std::string_view s) {
    return baton::detail::count_list_elements(s.data(), s.data() + s.size());
  };
  EXPECT_EQ(count(""), 0u);
  EXPECT_EQ(count(" , ,\t"), 0u);
  EXPECT_EQ(count("a"), 1u);
  EXPECT_EQ(count("a,b"), 2u);
  EXPECT_EQ(count(",a,, b ,"), 2u);
  EXPECT_EQ(count("x\"y;z,=,"), 2u);
}

TEST(BaggageParser, StagingGrowsPastTheInlineBuffers) {
  // Three values of 600 bytes appended without a size hint (the text stage moves to the heap
  // after 1 KiB), and a member with 300 properties (the record stage spills after 128).
  baggage::parser p;
  std::string expect;
  for (int i = 0; i < 3; ++i) {
    const std::string v =
        "k" + std::to_string(i) + "=" + std::string(597, static_cast<char>('a' + i));
    p.append(v);
    expect += (i != 0 ? "," : "") + v;
  }
  std::string props = "m=v";
  for (int i = 0; i < 300; ++i) props += ";p" + std::to_string(i) + "=%20";
  p.append(props);
  expect += "," + props;
  const baggage b = std::move(p).finish();
  EXPECT_TRUE(p.report().empty());
  ASSERT_EQ(b.size(), 4u);
  EXPECT_EQ(b.find("m")->properties.size(), 300u);
  EXPECT_EQ(*b.find("m")->properties[299].value, " ");
  EXPECT_EQ(b.header(), expect);
  EXPECT_EQ(baggage::parse(expect), b);
}

namespace {

TEST(BaggageReview, EmptyPropertiesAtTheByteLimitAreIgnored) {
  for (const char* input : {"k=v;", "k=v ;", "k=v; ;"}) {
    baton::baggage_options o;
    o.limits.max_bytes = 3;
    baton::baggage_report report;
    const baton::baggage b = baton::baggage::parse(input, o, &report);
    EXPECT_EQ(b.get("k"), std::optional<std::string_view>("v")) << input;
    EXPECT_TRUE(report.empty()) << input;
  }
  baton::baggage_options o;
  o.limits.max_bytes = 4;
  EXPECT_TRUE(baton::baggage::parse("k=v;;;", o).contains("k"));
  EXPECT_FALSE(baton::baggage::parse("k=v;p", o).contains("k"));  // a real property past the edge
}

}  // namespace
