// The W3C Trace Context test suite's cases (test/test.py, the 41 harness cases), ported to the
// propagator over an http_headers carrier, plus carrier adapters.
#include "baton/propagation/trace_context.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "baton/carrier.hpp"

namespace {

using baton::errc;
using baton::http_headers;

constexpr const char* tp_valid = "00-12345678901234567890123456789012-1234567890123456-01";
constexpr const char* tid = "12345678901234567890123456789012";

http_headers headers(std::initializer_list<std::pair<const char*, std::string>> fields) {
  http_headers h;
  for (const auto& [name, value] : fields) h.add(name, value);
  return h;
}

// What a W3C test service sends on: one traceparent (new parent id) and the tracestate.
struct forwarded {
  std::string traceparent;
  std::string tracestate;
  bool has_tracestate = false;
};

forwarded forward(const http_headers& in) {
  const auto extracted = baton::extract_trace_context(in);
  const baton::span_context next =
      extracted.valid() ? extracted.context.child() : baton::span_context::new_root(true);
  http_headers out;
  EXPECT_TRUE(baton::inject_trace_context(next, out));
  forwarded f;
  int traceparents = 0;
  out.for_each("traceparent", [&](std::string_view v) {
    f.traceparent = std::string(v);
    ++traceparents;
  });
  EXPECT_EQ(traceparents, 1);
  out.for_each("tracestate", [&](std::string_view v) {
    f.tracestate = std::string(v);
    f.has_tracestate = true;
  });
  EXPECT_TRUE(baton::parse_traceparent(f.traceparent)) << f.traceparent;
  return f;
}

std::string trace_of(const forwarded& f) {
  return f.traceparent.substr(3, 32);
}

TEST(W3cSuite, BothMissing) {
  const auto f = forward({});
  EXPECT_EQ(f.traceparent.substr(0, 3), "00-");
  EXPECT_FALSE(f.has_tracestate);
}

TEST(W3cSuite, TraceparentIncludedTracestateMissing) {
  const auto f = forward(headers({{"traceparent", tp_valid}}));
  EXPECT_EQ(trace_of(f), tid);
  EXPECT_NE(f.traceparent.substr(36, 16), "1234567890123456");  // new parent id
  EXPECT_FALSE(f.has_tracestate);
}

TEST(W3cSuite, TraceparentDuplicated) {
  auto in = headers({{"traceparent", "00-12345678901234567890123456789011-1234567890123456-01"},
                     {"traceparent", "00-12345678901234567890123456789012-1234567890123456-01"}});
  const auto extracted = baton::extract_trace_context(in);
  EXPECT_FALSE(extracted.valid());
  EXPECT_EQ(extracted.traceparent_error.code, errc::traceparent_conflicting_values);
  const auto f = forward(in);
  EXPECT_NE(trace_of(f), "12345678901234567890123456789011");
  EXPECT_NE(trace_of(f), tid);
}

TEST(W3cSuite, IdenticalDuplicatesAreOneValue) {
  auto in = headers({{"traceparent", tp_valid}, {"traceparent", std::string(" ") + tp_valid}});
  EXPECT_TRUE(baton::extract_trace_context(in).valid());
}

TEST(W3cSuite, TraceparentHeaderName) {
  for (const char* name : {"trace-parent", "trace.parent"}) {
    const auto f = forward(headers({{name, tp_valid}}));
    EXPECT_NE(trace_of(f), tid) << name;
  }
}

TEST(W3cSuite, TraceparentHeaderNameValidCasing) {
  for (const char* name : {"TraceParent", "TrAcEpArEnT", "TRACEPARENT"}) {
    const auto f = forward(headers({{name, tp_valid}}));
    EXPECT_EQ(trace_of(f), tid) << name;
  }
}

TEST(W3cSuite, InvalidTraceparentsStartANewTrace) {
  const char* invalid[] = {
      "00-12345678901234567890123456789012-1234567890123456-01.",
      "00-12345678901234567890123456789012-1234567890123456-01-what-the-future-will-be-like",
      "cc-12345678901234567890123456789012-1234567890123456-01.what-the-future-will-be-like",
      "ff-12345678901234567890123456789012-1234567890123456-01",
      ".0-12345678901234567890123456789012-1234567890123456-01",
      "0.-12345678901234567890123456789012-1234567890123456-01",
      "000-12345678901234567890123456789012-1234567890123456-01",
      "0000-12345678901234567890123456789012-1234567890123456-01",
      "0-12345678901234567890123456789012-1234567890123456-01",
      "00-00000000000000000000000000000000-1234567890123456-01",
      "00-.2345678901234567890123456789012-1234567890123456-01",
      "00-1234567890123456789012345678901.-1234567890123456-01",
      "00-123456789012345678901234567890123-1234567890123456-01",
      "00-1234567890123456789012345678901-1234567890123456-01",
      "00-12345678901234567890123456789012-0000000000000000-01",
      "00-12345678901234567890123456789012-.234567890123456-01",
      "00-12345678901234567890123456789012-123456789012345.-01",
      "00-12345678901234567890123456789012-12345678901234567-01",
      "00-12345678901234567890123456789012-123456789012345-01",
      "00-12345678901234567890123456789012-1234567890123456-.0",
      "00-12345678901234567890123456789012-1234567890123456-0.",
      "00-12345678901234567890123456789012-1234567890123456-001",
      "00-12345678901234567890123456789012-1234567890123456-1",
  };
  for (const char* value : invalid) {
    const auto in = headers({{"traceparent", value}, {"tracestate", "foo=1"}});
    const auto extracted = baton::extract_trace_context(in);
    EXPECT_FALSE(extracted.valid()) << value;
    EXPECT_NE(extracted.traceparent_error.code, errc::ok) << value;
    // tracestate is not even parsed without a valid traceparent.
    EXPECT_EQ(extracted.tracestate_error.code, errc::tracestate_ignored) << value;
    EXPECT_TRUE(extracted.context.tracestate.empty()) << value;
    const auto f = forward(in);
    EXPECT_NE(trace_of(f), tid) << value;
    EXPECT_FALSE(f.has_tracestate) << value;
  }
}

TEST(W3cSuite, FutureVersionAccepted) {
  for (std::string value : {"cc-12345678901234567890123456789012-1234567890123456-01",
                            "cc-12345678901234567890123456789012-1234567890123456-01-what-the-"
                            "future-will-be-like"}) {
    const auto f = forward(headers({{"traceparent", value}}));
    EXPECT_EQ(trace_of(f), tid) << value;
    EXPECT_EQ(f.traceparent.substr(0, 3), "00-");
  }
}

TEST(W3cSuite, OwsHandling) {
  for (std::string pad : {" ", "\t", " \t"}) {
    for (const std::string& value :
         {pad + tp_valid, std::string(tp_valid) + pad, pad + tp_valid + pad}) {
      EXPECT_EQ(trace_of(forward(headers({{"traceparent", value}}))), tid);
    }
  }
}

TEST(W3cSuite, TracestateIncludedTraceparentMissing) {
  const auto in = headers({{"tracestate", "foo=1,bar=2"}});
  const auto extracted = baton::extract_trace_context(in);
  EXPECT_FALSE(extracted.valid());
  EXPECT_FALSE(extracted.traceparent_found);
  EXPECT_EQ(extracted.traceparent_error.code, errc::ok);
  EXPECT_EQ(extracted.tracestate_error.code, errc::tracestate_ignored);
  EXPECT_FALSE(forward(in).has_tracestate);
}

TEST(W3cSuite, TracestateIncludedTraceparentIncluded) {
  const auto f = forward(headers({{"traceparent", tp_valid}, {"tracestate", "foo=1,bar=2"}}));
  EXPECT_EQ(trace_of(f), tid);
  EXPECT_EQ(f.tracestate, "foo=1,bar=2");
}

TEST(W3cSuite, TracestateHeaderName) {
  for (const char* name : {"trace-state", "trace.state"}) {
    const auto f = forward(headers({{"traceparent", tp_valid}, {name, "foo=1"}}));
    EXPECT_FALSE(f.has_tracestate) << name;
  }
}

TEST(W3cSuite, TracestateHeaderNameValidCasing) {
  for (const char* name : {"TraceState", "TrAcEsTaTe", "TRACESTATE"}) {
    const auto f = forward(headers({{"traceparent", tp_valid}, {name, "foo=1"}}));
    EXPECT_EQ(f.tracestate, "foo=1") << name;
  }
}

TEST(W3cSuite, TracestateEmptyHeader) {
  auto f = forward(headers({{"traceparent", tp_valid}, {"tracestate", ""}}));
  EXPECT_EQ(trace_of(f), tid);
  EXPECT_FALSE(f.has_tracestate);
  f = forward(headers({{"traceparent", tp_valid}, {"tracestate", "foo=1"}, {"tracestate", ""}}));
  EXPECT_EQ(f.tracestate, "foo=1");
  f = forward(headers({{"traceparent", tp_valid}, {"tracestate", ""}, {"tracestate", "foo=1"}}));
  EXPECT_EQ(f.tracestate, "foo=1");
}

TEST(W3cSuite, TracestateMultipleHeadersDifferentKeys) {
  const auto f = forward(headers({{"traceparent", tp_valid},
                                  {"tracestate", "foo=1,bar=2"},
                                  {"tracestate", "rojo=1,congo=2"},
                                  {"tracestate", "baz=3"}}));
  EXPECT_EQ(f.tracestate, "foo=1,bar=2,rojo=1,congo=2,baz=3");
}

TEST(W3cSuite, TracestateDuplicatedKeysKeepTheTrace) {
  auto f = forward(headers({{"traceparent", tp_valid}, {"tracestate", "foo=1,foo=2"}}));
  EXPECT_EQ(trace_of(f), tid);
  EXPECT_EQ(f.tracestate, "foo=1");
  f = forward(
      headers({{"traceparent", tp_valid}, {"tracestate", "foo=1"}, {"tracestate", "foo=2"}}));
  EXPECT_EQ(f.tracestate, "foo=1");
}

TEST(W3cSuite, TracestateInvalidDropsWholeHeaderButKeepsTraceparent) {
  const char* bad[] = {"foo =1",      "FOO=1",      "foo.bar=1", "@foo=1,bar=2",
                       "foo=bar=baz", "foo=,bar=3", "bar=2,foo"};
  for (const char* value : bad) {
    const auto in = headers({{"traceparent", tp_valid}, {"tracestate", value}});
    const auto extracted = baton::extract_trace_context(in);
    EXPECT_TRUE(extracted.valid()) << value;
    EXPECT_NE(extracted.tracestate_error.code, errc::ok) << value;
    const auto f = forward(in);
    EXPECT_EQ(trace_of(f), tid) << value;
    EXPECT_FALSE(f.has_tracestate) << value;
  }
}

TEST(W3cSuite, TracestateMemberCountLimit) {
  std::vector<std::string> lines(4);
  for (int i = 1; i <= 32; ++i) {
    auto& line = lines[static_cast<std::size_t>((i - 1) / 8)];
    if (!line.empty()) line += ",";
    line += "bar" + std::string(i < 10 ? "0" : "") + std::to_string(i) + "=" + std::to_string(i);
  }
  http_headers in;
  in.add("traceparent", tp_valid);
  for (const auto& l : lines) in.add("tracestate", l);
  auto f = forward(in);
  EXPECT_EQ(f.tracestate, lines[0] + "," + lines[1] + "," + lines[2] + "," + lines[3]);
  in.add("tracestate", "bar33=33");
  f = forward(in);
  EXPECT_FALSE(f.has_tracestate);
}

TEST(W3cSuite, RandomFlagPropagates) {
  // TraceContext2Test.test_propagates_random_flag.
  const auto f = forward(
      headers({{"traceparent", "00-12345678901234567890123456789012-1234567890123456-02"}}));
  EXPECT_EQ(trace_of(f), tid);
  EXPECT_EQ(f.traceparent.substr(53), "02");
}

TEST(W3cSuite, MultipleRequestsGetDistinctParentIds) {
  for (const auto& in :
       {headers({{"traceparent", tp_valid}}), headers({}),
        headers({{"traceparent", "00-00000000000000000000000000000000-1234567890123456-01"}})}) {
    std::set<std::string> parents;
    std::set<std::string> traces;
    for (int i = 0; i < 3; ++i) {
      const auto f = forward(in);
      parents.insert(f.traceparent.substr(36, 16));
      traces.insert(trace_of(f));
    }
    EXPECT_EQ(parents.size(), 3u);
  }
}

TEST(W3cSuite, NewTracesSetTheRandomFlag) {
  const auto f = forward({});
  EXPECT_EQ(f.traceparent.substr(53), "03");
}

TEST(Propagator, InjectNeverWritesAnInvalidContext) {
  http_headers out;
  EXPECT_FALSE(baton::inject_trace_context(baton::span_context{}, out));
  EXPECT_TRUE(out.empty());
}

TEST(Propagator, InjectReplacesExistingFieldsAnyCase) {
  http_headers out;
  out.add("TraceParent", "stale");
  out.add("traceparent", "stale2");
  out.add("x-other", "kept");
  auto ctx =
      baton::extract_trace_context(headers({{"traceparent", tp_valid}, {"tracestate", "a=1, b=2"}}))
          .context;
  ASSERT_TRUE(baton::inject_trace_context(ctx, out));
  std::vector<std::string> seen;
  for (const auto& field : out) seen.push_back(field.name + ": " + field.value);
  EXPECT_EQ(seen,
            (std::vector<std::string>{"x-other: kept", std::string("traceparent: ") + tp_valid,
                                      "tracestate: a=1,b=2"}));
}

TEST(Propagator, InjectWritesUnknownFlagsAsZeroAndKeepsRandom) {
  auto ctx =
      baton::extract_trace_context(
          headers({{"traceparent", "00-12345678901234567890123456789012-1234567890123456-ff"}}))
          .context;
  EXPECT_EQ(ctx.flags.raw(), 0xff);
  http_headers out;
  ASSERT_TRUE(baton::inject_trace_context(ctx.child(), out));
  EXPECT_EQ(out.get("traceparent").first.substr(53), "03");
}

TEST(Propagator, InjectTruncatesTracestateToBudget) {
  std::string big = "big=" + std::string(200, 'x');
  std::string ts = big;
  for (int i = 0; i < 3; ++i) ts += "," + big;  // 4 * 204 + 3 = 819
  auto ctx = baton::extract_trace_context(headers({{"traceparent", tp_valid}, {"tracestate", ts}}));
  ASSERT_TRUE(ctx.valid());
  // All members share the key "big": only the first is kept.
  EXPECT_EQ(ctx.context.tracestate.size(), 1u);
  EXPECT_EQ(ctx.tracestate_notes.dropped, 3u);
  baton::tracestate state;
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(state.put("k" + std::to_string(i), std::string(200, 'x')));
  }
  ctx.context.tracestate = state;
  http_headers out;
  baton::trace_context_options options;
  options.tracestate_max_size = 512;
  ASSERT_TRUE(baton::inject_trace_context(ctx.context, out, options));
  const auto written = out.get("tracestate").first;
  EXPECT_LE(written.size(), 512u);
  EXPECT_EQ(written, "k3=" + std::string(200, 'x') + ",k2=" + std::string(200, 'x'));
}

TEST(Propagator, ExtractReportsTracestateProblemsWithoutTouchingTraceparent) {
  const auto e = baton::extract_trace_context(
      headers({{"traceparent", tp_valid}, {"tracestate", "a=1"}, {"tracestate", "B=2"}}));
  EXPECT_TRUE(e.valid());
  EXPECT_EQ(e.traceparent.trace_id.to_hex(), tid);
  EXPECT_TRUE(e.tracestate_found);
  EXPECT_EQ(e.tracestate_error, (baton::error{errc::tracestate_invalid_key, 4}));
  EXPECT_TRUE(e.context.tracestate.empty());
  EXPECT_TRUE(e.context.remote);
}

TEST(Carrier, StdMapAndUnorderedMap) {
  std::map<std::string, std::string> m{{"Traceparent", tp_valid}, {"tracestate", "a=1"}};
  auto e = baton::extract_trace_context(m);
  ASSERT_TRUE(e.valid());
  EXPECT_EQ(e.context.tracestate.header(), "a=1");
  std::map<std::string, std::string> out{{"TRACEPARENT", "old"}};
  ASSERT_TRUE(baton::inject_trace_context(e.context.child(), out));
  EXPECT_EQ(out.count("TRACEPARENT"), 0u);
  EXPECT_EQ(out.at("traceparent").substr(0, 35), std::string(tp_valid).substr(0, 35));
  EXPECT_EQ(out.at("tracestate"), "a=1");

  std::unordered_map<std::string, std::string> u{{"traceparent", tp_valid}};
  EXPECT_TRUE(baton::extract_trace_context(u).valid());
}

TEST(Carrier, MultimapAndVectorOfPairsKeepEveryValueInOrder) {
  std::multimap<std::string, std::string> mm{
      {"traceparent", tp_valid}, {"tracestate", "a=1"}, {"tracestate", "b=2"}};
  EXPECT_EQ(baton::extract_trace_context(mm).context.tracestate.header(), "a=1,b=2");
  std::vector<std::pair<std::string, std::string>> v{
      {"tracestate", "z=0"}, {"TraceParent", tp_valid}, {"TRACESTATE", "y=9"}};
  EXPECT_EQ(baton::extract_trace_context(v).context.tracestate.header(), "z=0,y=9");
  baton::carrier_set(v, "tracestate", "new=1");
  // The entry spelled exactly "tracestate" is replaced in place; other spellings are removed.
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v.front(), (std::pair<std::string, std::string>{"tracestate", "new=1"}));
}

struct custom_carrier {
  std::vector<std::pair<std::string, std::string>> data;
  int sets = 0;
  template <class F>
  void for_each(std::string_view name, F&& visit) const {
    for (const auto& [k, v] : data) {
      if (k == name) visit(std::string_view(v));
    }
  }
  void set(std::string_view name, std::string_view value) {
    ++sets;
    data.emplace_back(name, value);
  }
};

// A carrier that decodes into a temporary for each visit: the view dies after the call.
struct decoding_carrier {
  std::vector<std::pair<std::string, std::string>> encoded;  // values stored reversed
  template <class F>
  void for_each(std::string_view name, F&& visit) const {
    for (const auto& [k, v] : encoded) {
      if (k != name) continue;
      const std::string decoded(v.rbegin(), v.rend());
      visit(std::string_view(decoded));
    }
  }
};

std::string reversed(std::string_view s) {
  return std::string(s.rbegin(), s.rend());
}

TEST(Carrier, ValuesMayBeTemporaries) {
  decoding_carrier c;
  c.encoded.emplace_back("traceparent", reversed(tp_valid));
  c.encoded.emplace_back("traceparent", reversed(std::string(" ") + tp_valid));
  c.encoded.emplace_back("tracestate", reversed("a=1"));
  const auto e = baton::extract_trace_context(c);
  ASSERT_TRUE(e.valid());
  EXPECT_EQ(e.traceparent.trace_id.to_hex(), tid);
  EXPECT_EQ(e.context.tracestate.header(), "a=1");
  c.encoded.emplace_back("traceparent", reversed(std::string(tp_valid).replace(3, 1, "9")));
  EXPECT_EQ(baton::extract_trace_context(c).traceparent_error.code,
            errc::traceparent_conflicting_values);
}

TEST(Propagator, InjectRemovesAStaleTracestate) {
  // A pass-through that re-injects into the incoming headers: the old vendor state must go.
  http_headers h =
      headers({{"traceparent", "00-00000000000000000000000000000000-1234567890123456-01"},
               {"TraceState", "congo=t61rcWkgMzE"}});
  const auto e = baton::extract_trace_context(h);
  ASSERT_FALSE(e.valid());
  ASSERT_TRUE(baton::inject_trace_context(baton::span_context::new_root(true), h));
  EXPECT_FALSE(h.get("tracestate").second);
  std::map<std::string, std::string> m{{"tracestate", "old=1"}};
  ASSERT_TRUE(baton::inject_trace_context(baton::span_context::new_root(true), m));
  EXPECT_EQ(m.count("tracestate"), 0u);
}

TEST(Carrier, CustomTypeWithMembers) {
  custom_carrier c;
  c.data.emplace_back("traceparent", tp_valid);
  auto e = baton::extract_trace_context(c);
  ASSERT_TRUE(e.valid());
  custom_carrier out;
  ASSERT_TRUE(baton::inject_trace_context(e.context, out));
  EXPECT_EQ(out.sets, 1);  // no tracestate to write
  EXPECT_EQ(out.data.at(0).second, tp_valid);
}

TEST(Carrier, HttpHeadersBasics) {
  http_headers h;
  h.add("A", "1");
  h.add("a", "2");
  h.add("b", "3");
  EXPECT_EQ(h.size(), 3u);
  EXPECT_EQ(h.get("A").first, "1");
  EXPECT_FALSE(h.get("c").second);
  std::string all;
  h.for_each("a", [&](std::string_view v) { all += v; });
  EXPECT_EQ(all, "12");
  h.set("A", "9");
  EXPECT_EQ(h.size(), 2u);
  EXPECT_EQ(h.get("a").first, "9");
  EXPECT_EQ(h.erase("B"), 1u);
  EXPECT_EQ(h.size(), 1u);
}

// A carrier that cannot erase: a stale tracestate is overwritten with an empty value.
struct no_erase_carrier {
  std::vector<std::pair<std::string, std::string>> list;
  template <class F>
  void for_each(std::string_view name, F&& visit) const {
    for (const auto& kv : list) {
      if (kv.first == name) visit(std::string_view(kv.second));
    }
  }
  void set(std::string_view name, std::string_view value) {
    for (auto& kv : list) {
      if (kv.first == name) {
        kv.second = std::string(value);
        return;
      }
    }
    list.emplace_back(name, value);
  }
};

TEST(Carrier, StaleTracestateIsBlankedWhenTheCarrierCannotErase) {
  static_assert(!baton::is_erasable_carrier_v<no_erase_carrier>);
  no_erase_carrier c;
  c.list.emplace_back("tracestate", "stale=1");
  auto ctx = baton::span_context::new_root(true);
  ASSERT_TRUE(baton::inject_trace_context(ctx, c));
  ASSERT_EQ(c.list.size(), 2u);
  EXPECT_EQ(c.list[0], (std::pair<std::string, std::string>{"tracestate", ""}));
  // Nothing stale: nothing added.
  no_erase_carrier clean;
  ASSERT_TRUE(baton::inject_trace_context(ctx, clean));
  EXPECT_EQ(clean.list.size(), 1u);
}

}  // namespace
