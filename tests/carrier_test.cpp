// Carrier adapters: every ready-made carrier shape, the singleton field policy, and the
// environment carrier.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "baton/carrier.hpp"
#include "baton/env_carrier.hpp"
#include "baton/propagation/baggage.hpp"
#include "baton/propagation/trace_context.hpp"

namespace {

constexpr const char* kTraceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

// The shape of cpp-httplib's Headers: a multimap with a case-insensitive comparator.
struct ci_less {
  bool operator()(const std::string& a, const std::string& b) const {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
      return std::tolower(static_cast<unsigned char>(x)) <
             std::tolower(static_cast<unsigned char>(y));
    });
  }
};
using ci_multimap = std::multimap<std::string, std::string, ci_less>;

template <class C>
std::vector<std::string> all_values(const C& carrier, std::string_view name) {
  std::vector<std::string> out;
  baton::carrier_for_each(carrier, name, [&](std::string_view v) { out.emplace_back(v); });
  return out;
}

using strings = std::vector<std::string>;

TEST(Carrier, StdMapIsReadCaseInsensitivelyAndSetReplaces) {
  std::map<std::string, std::string> m{{"Traceparent", kTraceparent}, {"other", "x"}};
  EXPECT_EQ(all_values(m, "traceparent"), strings{kTraceparent});
  baton::carrier_set(m, "traceparent", "v2");
  // The old spelling is gone, the new name is lowercase, nothing was appended.
  EXPECT_EQ(m.size(), 2u);
  EXPECT_EQ(m.count("Traceparent"), 0u);
  EXPECT_EQ(m.at("traceparent"), "v2");
  EXPECT_TRUE(baton::carrier_erase(m, "TRACEPARENT"));
  EXPECT_EQ(m.size(), 1u);
}

TEST(Carrier, UnorderedMap) {
  std::unordered_map<std::string, std::string> m{{"TRACESTATE", "a=1"}};
  EXPECT_EQ(all_values(m, "tracestate"), strings{"a=1"});
  baton::carrier_set(m, "tracestate", "b=2");
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(m.at("tracestate"), "b=2");
}

TEST(Carrier, CaseInsensitiveMultimapKeepsEveryLineInOrder) {
  ci_multimap h;
  h.emplace("TraceState", "a=1");
  h.emplace("content-type", "text/plain");
  h.emplace("tracestate", "b=2");
  h.emplace("TRACESTATE", "c=3");
  EXPECT_EQ(all_values(h, "tracestate"), (strings{"a=1", "b=2", "c=3"}));
  baton::carrier_set(h, "tracestate", "z=9");
  EXPECT_EQ(h.count("tracestate"), 1u);
  EXPECT_EQ(h.find("tracestate")->first, "tracestate");
  EXPECT_EQ(h.size(), 2u);
}

TEST(Carrier, VectorOfPairs) {
  std::vector<std::pair<std::string, std::string>> v{
      {"baggage", "a=1"}, {"X-Other", "1"}, {"Baggage", "b=2"}};
  EXPECT_EQ(all_values(v, "baggage"), (strings{"a=1", "b=2"}));
  baton::carrier_set(v, "baggage", "c=3");
  // Replaced in place (no allocation on a reused carrier); the other spelling is removed.
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0], (std::pair<std::string, std::string>{"baggage", "c=3"}));
  EXPECT_EQ(v[1], (std::pair<std::string, std::string>{"X-Other", "1"}));
  std::vector<std::pair<std::string, std::string>> entries;
  EXPECT_TRUE(baton::carrier_visit_all(
      v, [&](std::string_view n, std::string_view val) { entries.emplace_back(n, val); }));
  EXPECT_EQ(entries, v);
}

TEST(Carrier, CallablePairForAnyFramework) {
  std::map<std::string, std::string> store{{"traceparent", kTraceparent}};
  int gets = 0;
  auto carrier = baton::make_carrier(
      [&](std::string_view name) -> std::optional<std::string> {
        ++gets;
        auto it = store.find(std::string(name));
        if (it == store.end()) return std::nullopt;
        return it->second;
      },
      [&](std::string_view name, std::string_view value) { store[std::string(name)] = value; });
  const auto got = baton::extract_trace_context(carrier);
  EXPECT_TRUE(got.valid());
  EXPECT_EQ(got.context.span_id.to_hex(), "00f067aa0ba902b7");
  EXPECT_GE(gets, 1);
  EXPECT_TRUE(baton::inject_trace_context(got.context.child(), carrier));
  EXPECT_EQ(store.at("traceparent").substr(0, 36), "00-4bf92f3577b34da6a3ce929d0e0e4736-");
  // No eraser was given: erasing is reported as unsupported.
  EXPECT_FALSE(baton::carrier_erase(carrier, "tracestate"));
}

TEST(Carrier, W3CExtractParsesTracestateFromAVisitorOfTemporariesInOnePass) {
  // Values handed to the visitor die with the call: the extract parses each tracestate value as
  // it is handed over (one pass over the carrier) and keeps no view.
  int tracestate_visits = 0;
  auto carrier = baton::make_carrier(
      [&](std::string_view name, auto&& visit) {
        if (name == "traceparent") visit(std::string(kTraceparent));
        if (name == "tracestate") {
          ++tracestate_visits;
          visit(std::string("rojo=00f067aa0ba902b7"));
          visit(std::string("congo=t61rcWkgMzE,rojo=1"));
        }
      },
      nullptr);
  const auto got = baton::extract_trace_context(carrier);
  ASSERT_TRUE(got.valid());
  EXPECT_TRUE(got.tracestate_found);
  EXPECT_EQ(got.tracestate_error.code, baton::errc::ok);
  EXPECT_EQ(got.context.tracestate.header(), "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  EXPECT_EQ(got.tracestate_notes.dropped, 1u);  // the repeated rojo, at offset 40 of the join
  EXPECT_EQ(got.tracestate_notes.first.offset, 40u);
  EXPECT_EQ(tracestate_visits, 1);

  // Without a traceparent the tracestate is found, reported as ignored and never parsed.
  tracestate_visits = 0;
  auto orphan = baton::make_carrier(
      [&](std::string_view name, auto&& visit) {
        if (name == "tracestate") {
          ++tracestate_visits;
          visit(std::string("rojo=1"));
        }
      },
      nullptr);
  const auto none = baton::extract_trace_context(orphan);
  EXPECT_FALSE(none.valid());
  EXPECT_TRUE(none.tracestate_found);
  EXPECT_EQ(none.tracestate_error.code, baton::errc::tracestate_ignored);
  EXPECT_TRUE(none.context.tracestate.empty());
  EXPECT_EQ(tracestate_visits, 1);
}

TEST(Carrier, CallableGetterForms) {
  // Visitor-style getter: every value.
  auto multi = baton::make_carrier(
      [](std::string_view name, auto&& visit) {
        if (name == "tracestate") {
          visit("a=1");
          visit("b=2");
        }
      },
      nullptr);
  EXPECT_EQ(all_values(multi, "tracestate"), (strings{"a=1", "b=2"}));
  static_assert(!baton::is_writable_carrier_v<decltype(multi)>);
  // Pointer getter: null is absent.
  const std::string stored = "v";
  auto ptr = baton::make_carrier(
      [&](std::string_view name) -> const std::string* { return name == "k" ? &stored : nullptr; },
      nullptr);
  EXPECT_EQ(all_values(ptr, "k"), strings{"v"});
  EXPECT_EQ(all_values(ptr, "j"), strings{});
  // Text getter: empty is absent.
  auto text = baton::make_carrier(
      [](std::string_view name) { return name == "k" ? std::string("v") : std::string(); },
      nullptr);
  EXPECT_EQ(all_values(text, "k"), strings{"v"});
  EXPECT_EQ(all_values(text, "x"), strings{});
}

TEST(Carrier, ExactKeysUsesKeyedLookup) {
  std::map<std::string, std::string> m{{"traceparent", kTraceparent}, {"Traceparent", "other"}};
  // Exact: only the lowercase spelling is seen.
  EXPECT_EQ(all_values(baton::exact_keys(m), "traceparent"), strings{kTraceparent});
  // Default: both spellings, so the differing repeat is caught.
  EXPECT_EQ(baton::read_singleton_field(m, "traceparent").presence(),
            baton::field_presence::conflicting);
}

TEST(Carrier, SingletonPolicy) {
  baton::http_headers h;
  EXPECT_EQ(baton::read_singleton_field(h, "b3").presence(), baton::field_presence::absent);
  h.add("b3", " 1 ");
  h.add("B3", "1");
  auto f = baton::read_singleton_field(h, "b3");
  EXPECT_EQ(f.presence(), baton::field_presence::present);
  EXPECT_EQ(f.value(), " 1 ");  // untrimmed: offsets index it
  EXPECT_EQ(f.count(), 2u);
  h.add("b3", "0");
  f = baton::read_singleton_field(h, "b3");
  EXPECT_TRUE(f.conflicting());
  EXPECT_TRUE(f.found());
  EXPECT_FALSE(f.present());
}

struct member_get_carrier {
  std::map<std::string, std::string> m;
  std::optional<std::string_view> get(std::string_view name) const {
    auto it = m.find(std::string(name));
    if (it == m.end()) return std::nullopt;
    return std::string_view(it->second);
  }
  void set(std::string_view name, std::string_view value) { m[std::string(name)] = value; }
};

TEST(Carrier, MemberGetAndSet) {
  member_get_carrier c{{{"traceparent", kTraceparent}}};
  EXPECT_TRUE(baton::extract_trace_context(c).valid());
  static_assert(baton::is_readable_carrier_v<member_get_carrier>);
  static_assert(baton::is_writable_carrier_v<member_get_carrier>);
  static_assert(!baton::is_erasable_carrier_v<member_get_carrier>);
  static_assert(!baton::is_enumerable_carrier_v<member_get_carrier>);
}

TEST(Carrier, CompileTimeChecks) {
  static_assert(baton::is_readable_carrier_v<std::map<std::string, std::string>>);
  static_assert(baton::is_writable_carrier_v<std::map<std::string, std::string>>);
  static_assert(baton::is_enumerable_carrier_v<ci_multimap>);
  static_assert(baton::is_readable_carrier_v<baton::http_headers>);
  static_assert(baton::is_enumerable_carrier_v<baton::http_headers>);
  // A container of views can be read but never written (it would keep dangling pointers).
  using views = std::vector<std::pair<std::string_view, std::string_view>>;
  static_assert(baton::is_readable_carrier_v<views>);
  static_assert(!baton::is_writable_carrier_v<views>);
  static_assert(!baton::is_readable_carrier_v<int>);
  static_assert(!baton::is_readable_carrier_v<std::vector<std::string>>);
#if defined(__cpp_concepts) && __cpp_concepts >= 201907L
  static_assert(baton::readable_carrier<ci_multimap>);
  static_assert(!baton::writable_carrier<views>);
#endif
}

TEST(Carrier, RetriedInjectNeverDuplicates) {
  ci_multimap h;
  const auto ctx = baton::span_context::new_root(true);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(baton::inject_trace_context(ctx, h));
  EXPECT_EQ(h.count("traceparent"), 1u);
}

// ---- environment carrier

TEST(Environment, FromEnvpSkipsMalformedEntries) {
  const char* envp[] = {"PATH=/bin",
                        "TRACEPARENT="
                        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                        "NOEQUALS",
                        "=C:=C:\\",
                        "EMPTY=",
                        nullptr};
  const auto env = baton::environment::from_envp(envp);
  // Windows' hidden per-drive entries ("=C:=C:\\") keep their leading '=' in the name.
  EXPECT_EQ(env.size(), 4u);
  EXPECT_EQ(env.get("=C:").value_or(""), "C:\\");
  EXPECT_EQ(env.get("EMPTY").value_or("x"), "");
  EXPECT_FALSE(env.get("NOEQUALS").has_value());
  EXPECT_EQ(baton::environment::from_envp(nullptr).size(), 0u);
}

TEST(Environment, ExtractAndInjectIntoAChildBlock) {
  const char* envp[] = {"HOME=/root",
                        "TRACEPARENT="
                        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                        "TRACESTATE=rojo=00f067aa0ba902b7",
                        "BAGGAGE=user=alice",
                        "tracestate=lower",
                        nullptr};
  const auto parent = baton::environment::from_envp(envp);
  const auto in = baton::extract_trace_context(baton::env_reader(parent));
  ASSERT_TRUE(in.valid());
  EXPECT_EQ(in.context.tracestate.header(), "rojo=00f067aa0ba902b7");  // TRACESTATE only
  EXPECT_EQ(baton::extract_baggage(baton::env_reader(parent)).baggage.header(), "user=alice");

  baton::environment child = parent;  // the parent's copy is never changed
  auto writer = baton::env_writer(child);
  baton::span_context next = in.context.child(baton::span_id::from_hex("b7ad6b7169203331").value());
  next.tracestate = {};
  ASSERT_TRUE(baton::inject_trace_context(next, writer));
  EXPECT_EQ(child.get("TRACEPARENT").value_or(""),
            "00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01");
  EXPECT_FALSE(child.get("TRACESTATE").has_value());  // stale vendor state removed
  EXPECT_EQ(parent.get("TRACEPARENT").value_or(""),
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

  auto block = child.to_block();
  std::vector<std::string> lines;
  for (char* const* p = block.envp(); *p != nullptr; ++p) lines.emplace_back(*p);
  // Replaced in place, TRACESTATE removed, the lowercase name (another variable) left alone.
  EXPECT_EQ(lines, (strings{"HOME=/root",
                            "TRACEPARENT=00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01",
                            "BAGGAGE=user=alice", "tracestate=lower"}));
}

TEST(Environment, RefusesControlCharactersAndMapsNames) {
  baton::environment env;
  EXPECT_FALSE(env.set("TRACEPARENT", "a\r\nb"));
  EXPECT_FALSE(env.set("A=B", "x"));
  EXPECT_FALSE(env.set("", "x"));
  EXPECT_TRUE(env.set("X", std::string(baton::environment::max_value_size, 'a')));
  EXPECT_FALSE(env.set("Y", std::string(baton::environment::max_value_size + 1, 'a')));
  EXPECT_EQ(baton::environment_name("traceparent"), "TRACEPARENT");
  EXPECT_EQ(baton::environment_name("x-b3-traceid"), "X_B3_TRACEID");
  EXPECT_EQ(baton::environment_name("uber-trace-id"), "UBER_TRACE_ID");
  auto w = baton::env_writer(env);
  baton::carrier_set(w, "x-amzn-trace-id", "Root=1-5759e988-bd862e3fe1be46a994272793");
  EXPECT_EQ(env.get("X_AMZN_TRACE_ID").value_or(""), "Root=1-5759e988-bd862e3fe1be46a994272793");
  EXPECT_TRUE(baton::carrier_erase(w, "x-amzn-trace-id"));
  EXPECT_FALSE(env.get("X_AMZN_TRACE_ID").has_value());
}

TEST(Environment, SnapshotCopiesTheProcessEnvironment) {
  const auto env = baton::environment::snapshot();
  // PATH is set in every test runner we use; the copy must see it.
  const char* path = std::getenv("PATH");
  if (path != nullptr) {
    EXPECT_EQ(env.get("PATH").value_or(""), path);
  }
  EXPECT_GT(env.size(), 0u);
}

// Review findings: comparators that are function pointers or hold state, C-string getters.
bool ci_less_fn(const std::string& a, const std::string& b) {
  return ci_less{}(a, b);
}

TEST(Carrier, ComparatorObjectsAreAskedNotDefaultConstructed) {
  using fn_map =
      std::multimap<std::string, std::string, bool (*)(const std::string&, const std::string&)>;
  fn_map m(&ci_less_fn);
  for (int i = 0; i < 40; ++i) m.emplace("x-filler-" + std::to_string(i), "v");
  m.emplace("TraceParent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  EXPECT_TRUE(baton::extract_trace_context(m).valid());  // more than 32 entries: equal_range
  using f_map = std::multimap<std::string, std::string,
                              std::function<bool(const std::string&, const std::string&)>>;
  f_map fm(ci_less{});
  fm.emplace("tracestate", "a=1");
  EXPECT_EQ(all_values(fm, "TRACESTATE"), strings{"a=1"});
}

TEST(Carrier, CStringGetter) {
  auto c = baton::make_carrier(
      [](std::string_view name) -> const char* {
        return name == "traceparent" ? "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
                                     : nullptr;
      },
      nullptr);
  EXPECT_TRUE(baton::extract_trace_context(c).valid());
  EXPECT_EQ(all_values(c, "tracestate"), strings{});
}

TEST(Carrier, ManyRepeatsAreRemovedInOnePass) {
  std::vector<std::pair<std::string, std::string>> v;
  for (int i = 0; i < 50000; ++i) v.emplace_back(i % 2 ? "Baggage" : "other", "x");
  baton::carrier_set(v, "baggage", "k=v");
  EXPECT_EQ(v.size(), 25001u);
  EXPECT_EQ(all_values(v, "baggage"), strings{"k=v"});
  baton::http_headers h;
  for (int i = 0; i < 50000; ++i) h.add("uberctx-k", "x");
  EXPECT_EQ(h.erase("UBERCTX-K"), 50000u);
}

TEST(Environment, BlockIsMoveOnlyAndRefusedValuesDoNotInheritTheParents) {
  static_assert(!std::is_copy_constructible_v<baton::environment::block>);
  static_assert(std::is_nothrow_move_constructible_v<baton::environment::block>);
  baton::environment parent;
  ASSERT_TRUE(parent.set("BAGGAGE", "user=parent-secret"));
  baton::environment child = parent;
  auto w = baton::env_writer(child);
  baton::carrier_set(w, "baggage", std::string(baton::environment::max_value_size + 1, 'a'));
  EXPECT_FALSE(child.get("BAGGAGE").has_value());
  auto moved = std::move(parent).to_block();
  auto other = std::move(moved);
  EXPECT_EQ(std::string(other.envp()[0]), "BAGGAGE=user=parent-secret");
}

}  // namespace
