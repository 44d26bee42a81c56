// B3 single and multi: the codec's valid and invalid examples with exact codes and offsets, the
// propagators over every kind of carrier, precedence, repeats, inject golden strings and round
// trips across formats.
#include "baton/propagation/b3.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "baton/carrier.hpp"
#include "baton/propagation/trace_context.hpp"

namespace {

using baton::b3_header;
using baton::context_kind;
using baton::errc;
using baton::http_headers;
using baton::propagation_format;
using baton::sampling_decision;

constexpr const char* tid128 = "80f198ee56343ba864fe8b2a57d3eff7";
constexpr const char* tid64 = "80f198ee56343ba8";
constexpr const char* sid = "e457b5a2e4d86bd1";
constexpr const char* pid = "05e3ac9a4f6e3b90";

std::string cat(std::initializer_list<std::string> parts) {
  std::string s;
  for (const std::string& p : parts) s += p;
  return s;
}

baton::trace_id tid(const std::string& hex) {
  return *baton::trace_id::from_hex(hex.size() == 16 ? "0000000000000000" + hex : hex);
}
baton::span_id spid(const char* hex) {
  return *baton::span_id::from_hex(hex);
}

void expect_error(std::string_view value, errc code, std::uint32_t offset) {
  const auto r = baton::parse_b3_single(value);
  ASSERT_FALSE(r) << value;
  EXPECT_EQ(r.error().code, code) << value << ": " << baton::to_string(r.error().code);
  EXPECT_EQ(r.error().offset, offset) << value;
  // The reference walk names the same problem (it is what the fast path falls back to).
  const std::string_view t = baton::detail::trim_ows(value);
  const std::size_t base = t.empty() ? 0 : static_cast<std::size_t>(t.data() - value.data());
  const baton::error slow = baton::detail::diagnose_b3_single(t.data(), t.size(), base);
  if (!t.empty()) {
    EXPECT_EQ(slow, r.error()) << value;
  }
}

// A case-insensitive multimap, the shape of cpp-httplib's Headers.
struct ci_less {
  bool operator()(const std::string& a, const std::string& b) const {
    const std::size_t n = a.size() < b.size() ? a.size() : b.size();
    for (std::size_t i = 0; i < n; ++i) {
      const auto x = static_cast<unsigned char>(a[i] | (a[i] >= 'A' && a[i] <= 'Z' ? 0x20 : 0));
      const auto y = static_cast<unsigned char>(b[i] | (b[i] >= 'A' && b[i] <= 'Z' ? 0x20 : 0));
      if (x != y) return x < y;
    }
    return a.size() < b.size();
  }
};
using ci_multimap = std::multimap<std::string, std::string, ci_less>;
using pair_vector = std::vector<std::pair<std::string, std::string>>;

// ---------------------------------------------------------------------------------------------
// parse_b3_single: valid

TEST(B3Single, Full128WithParent) {
  const auto r = baton::parse_b3_single(cat({tid128, "-", sid, "-1-", pid}));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->trace_id, tid(tid128));
  EXPECT_FALSE(r->trace_id_64);
  EXPECT_EQ(r->span_id, spid(sid));
  EXPECT_EQ(r->sampling, sampling_decision::sampled);
  EXPECT_EQ(r->parent_span_id, spid(pid));
  EXPECT_FALSE(r->sampling_only());
}

TEST(B3Single, SixtyFourBitDeferredIsLeftPadded) {
  const auto r = baton::parse_b3_single(cat({tid64, "-", sid}));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->trace_id.to_hex(), "000000000000000080f198ee56343ba8");
  EXPECT_TRUE(r->trace_id_64);
  EXPECT_EQ(r->sampling, sampling_decision::deferred);
  EXPECT_FALSE(r->parent_span_id.is_valid());
}

TEST(B3Single, SamplingStates) {
  EXPECT_EQ(baton::parse_b3_single(cat({tid128, "-", sid, "-0"}))->sampling,
            sampling_decision::not_sampled);
  EXPECT_EQ(baton::parse_b3_single(cat({tid128, "-", sid, "-1"}))->sampling,
            sampling_decision::sampled);
  EXPECT_EQ(baton::parse_b3_single(cat({tid128, "-", sid, "-d"}))->sampling,
            sampling_decision::debug);
  EXPECT_EQ(baton::parse_b3_single(cat({tid64, "-", sid, "-d-", pid}))->sampling,
            sampling_decision::debug);
}

TEST(B3Single, SamplingOnly) {
  const std::pair<const char*, sampling_decision> cases[] = {{"0", sampling_decision::not_sampled},
                                                             {"1", sampling_decision::sampled},
                                                             {"d", sampling_decision::debug},
                                                             {" \t1 ", sampling_decision::sampled}};
  for (const auto& [value, decision] : cases) {
    const auto r = baton::parse_b3_single(value);
    ASSERT_TRUE(r) << value;
    EXPECT_TRUE(r->sampling_only());
    EXPECT_EQ(r->sampling, decision);
    EXPECT_FALSE(r->span_id.is_valid());
  }
}

TEST(B3Single, OwsTrimmedAndZeroParentIsAbsent) {
  const auto r = baton::parse_b3_single(cat({"  ", tid64, "-", sid, "-1-0000000000000000\t"}));
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->parent_span_id.is_valid());
  EXPECT_EQ(r->sampling, sampling_decision::sampled);
}

TEST(B3Single, LongestValue) {
  const std::string v = cat({tid128, "-", sid, "-1-", pid});
  EXPECT_EQ(v.size(), baton::b3_single_max_size);
  EXPECT_TRUE(baton::parse_b3_single(v));
}

// ---------------------------------------------------------------------------------------------
// parse_b3_single: invalid, with codes and offsets

TEST(B3Single, Empty) {
  expect_error("", errc::b3_empty, 0);
  expect_error("  ", errc::b3_empty, 2);
}

TEST(B3Single, TooLong) {
  expect_error(cat({tid128, "-", sid, "-1-", pid, "-"}), errc::b3_too_long, 68);
  expect_error(cat({" ", tid128, tid128, tid128, "-", sid}), errc::b3_too_long, 69);
}

TEST(B3Single, BadSamplingOnly) {
  expect_error("2", errc::b3_invalid_sampling, 0);
  expect_error("D", errc::b3_invalid_sampling, 0);
  expect_error("-", errc::b3_invalid_sampling, 0);
  expect_error("true", errc::b3_invalid_trace_id, 0);
}

TEST(B3Single, TraceIdWidth) {
  expect_error(cat({"80f198ee56343ba864fe", "-", sid}), errc::b3_invalid_trace_id, 20);  // 20 hex
  expect_error(cat({tid128, "a-", sid}), errc::b3_invalid_trace_id, 32);                 // 33
  expect_error(cat({"80f198ee5634", "-", sid}), errc::b3_invalid_trace_id, 12);
  expect_error(cat({"-", sid}), errc::b3_invalid_trace_id, 0);
  expect_error("not-a-tumor", errc::b3_invalid_trace_id, 0);
  expect_error("b970dafd-0d95-40aa-95d8-1d8725aebe40", errc::b3_invalid_trace_id, 8);
}

TEST(B3Single, UppercaseRejected) {
  expect_error(cat({"80F198EE56343BA864FE8B2A57D3EFF7-", sid, "-1"}), errc::b3_invalid_trace_id, 2);
  expect_error(cat({tid128, "-E457b5a2e4d86bd1"}), errc::b3_invalid_span_id, 33);
  expect_error(cat({tid64, "-", sid, "-1-05E3ac9a4f6e3b90"}), errc::b3_invalid_parent_span_id, 38);
}

TEST(B3Single, ZeroIds) {
  expect_error(cat({"00000000000000000000000000000000-", sid, "-1"}), errc::b3_zero_trace_id, 0);
  expect_error(cat({"0000000000000000-", sid}), errc::b3_zero_trace_id, 0);
  expect_error(cat({tid128, "-0000000000000000-1"}), errc::b3_zero_span_id, 33);
}

TEST(B3Single, MissingOrShortSpanId) {
  expect_error(tid64, errc::b3_missing_span_id, 16);
  expect_error(tid128, errc::b3_missing_span_id, 32);
  expect_error(cat({tid64, "-"}), errc::b3_invalid_span_id, 17);
  expect_error(cat({tid64, "-e457b5a2e4d86bd"}), errc::b3_invalid_span_id, 32);
  expect_error(cat({tid64, "-", sid, "a"}), errc::b3_invalid_span_id, 33);
  expect_error(cat({tid64, "-", sid, "_1"}), errc::b3_invalid_span_id, 33);
}

TEST(B3Single, SamplingSlot) {
  // trace-span-parent: the third field must be the sampling state.
  expect_error(cat({tid128, "-", sid, "-", pid}), errc::b3_invalid_sampling, 50);
  expect_error(cat({tid128, "-", sid, "-true"}), errc::b3_invalid_sampling, 50);
  expect_error(cat({tid128, "-", sid, "-2"}), errc::b3_invalid_sampling, 50);
  expect_error(cat({tid128, "-", sid, "-"}), errc::b3_invalid_sampling, 50);
  expect_error(cat({tid128, "-", sid, "-10"}), errc::b3_invalid_sampling, 50);
  expect_error(cat({tid64, "-", sid, "-D"}), errc::b3_invalid_sampling, 34);
}

TEST(B3Single, ParentSlot) {
  expect_error(cat({tid64, "-", sid, "-1-"}), errc::b3_invalid_parent_span_id, 36);
  expect_error(cat({tid64, "-", sid, "-1-05e3ac9a4f6e3b9"}), errc::b3_invalid_parent_span_id, 51);
  expect_error(cat({tid64, "-", sid, "-1-", pid, "0"}), errc::b3_invalid_parent_span_id, 52);
  expect_error(cat({tid64, "-", sid, "-1-", pid, "x"}), errc::b3_invalid_parent_span_id, 52);
  // Five fields (Brave's old trailing debug flag is not B3).
  expect_error(cat({tid64, "-", sid, "-1-", pid, "-1"}), errc::b3_too_many_fields, 52);
}

TEST(B3Single, ControlCharacters) {
  expect_error(cat({tid64, "-", sid, "\r\n"}), errc::b3_invalid_span_id, 33);
  expect_error(std::string_view("1\0", 2), errc::b3_invalid_trace_id, 1);
}

// ---------------------------------------------------------------------------------------------
// format_b3_single

TEST(B3Single, FormatGolden) {
  b3_header h;
  h.trace_id = tid(tid128);
  h.span_id = spid(sid);
  EXPECT_EQ(baton::format_b3_single(h), cat({tid128, "-", sid}));
  h.sampling = sampling_decision::sampled;
  EXPECT_EQ(baton::format_b3_single(h), cat({tid128, "-", sid, "-1"}));
  h.sampling = sampling_decision::not_sampled;
  h.parent_span_id = spid(pid);
  EXPECT_EQ(baton::format_b3_single(h), cat({tid128, "-", sid, "-0-", pid}));
  h.sampling = sampling_decision::debug;
  EXPECT_EQ(baton::format_b3_single(h), cat({tid128, "-", sid, "-d-", pid}));
  // No slot for a parent without a decision.
  h.sampling = sampling_decision::deferred;
  EXPECT_EQ(baton::format_b3_single(h), cat({tid128, "-", sid}));
}

TEST(B3Single, FormatWidth) {
  b3_header h;
  h.trace_id = tid(tid64);
  h.span_id = spid(sid);
  h.sampling = sampling_decision::sampled;
  EXPECT_EQ(baton::format_b3_single(h), cat({"0000000000000000", tid64, "-", sid, "-1"}));
  h.trace_id_64 = true;
  EXPECT_EQ(baton::format_b3_single(h), cat({tid64, "-", sid, "-1"}));
  // Never drops bits: a 128-bit id stays 128 bits.
  h.trace_id = tid(tid128);
  EXPECT_EQ(baton::format_b3_single(h), cat({tid128, "-", sid, "-1"}));
}

TEST(B3Single, FormatSamplingOnly) {
  b3_header h;
  h.sampling = sampling_decision::not_sampled;
  EXPECT_EQ(baton::format_b3_single(h), "0");
  h.sampling = sampling_decision::sampled;
  EXPECT_EQ(baton::format_b3_single(h), "1");
  h.sampling = sampling_decision::debug;
  EXPECT_EQ(baton::format_b3_single(h), "d");
  h.sampling = sampling_decision::deferred;
  EXPECT_EQ(baton::format_b3_single(h), "");
}

TEST(B3Single, RoundTripKeepsWidthAndDebug) {
  for (const std::string& v :
       {cat({tid64, "-", sid}), cat({tid64, "-", sid, "-d"}), cat({tid128, "-", sid, "-0-", pid}),
        cat({tid64, "-", sid, "-1-", pid}), std::string("d"), std::string("0")}) {
    const auto r = baton::parse_b3_single(v);
    ASSERT_TRUE(r) << v;
    EXPECT_EQ(baton::format_b3_single(*r), v);
  }
}

// ---------------------------------------------------------------------------------------------
// parse_b3_multi

baton::b3_multi_fields multi(std::optional<std::string_view> trace,
                             std::optional<std::string_view> span,
                             std::optional<std::string_view> sampled = std::nullopt,
                             std::optional<std::string_view> flags = std::nullopt,
                             std::optional<std::string_view> parent = std::nullopt) {
  baton::b3_multi_fields f;
  f.trace_id = trace;
  f.span_id = span;
  f.sampled = sampled;
  f.flags = flags;
  f.parent_span_id = parent;
  return f;
}

TEST(B3Multi, Valid) {
  const auto r = baton::parse_b3_multi(multi(tid128, sid, "1", std::nullopt, pid));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->trace_id, tid(tid128));
  EXPECT_EQ(r->span_id, spid(sid));
  EXPECT_EQ(r->parent_span_id, spid(pid));
  EXPECT_EQ(r->sampling, sampling_decision::sampled);
  const auto r64 = baton::parse_b3_multi(multi(tid64, " e457b5a2e4d86bd1 "));
  ASSERT_TRUE(r64);
  EXPECT_TRUE(r64->trace_id_64);
  EXPECT_EQ(r64->trace_id, tid(tid64));
  EXPECT_EQ(r64->sampling, sampling_decision::deferred);
}

TEST(B3Multi, LegacyTrueFalseReadLeniently) {
  EXPECT_EQ(baton::parse_b3_multi(multi(tid64, sid, "true"))->sampling, sampling_decision::sampled);
  EXPECT_EQ(baton::parse_b3_multi(multi(tid64, sid, "True"))->sampling, sampling_decision::sampled);
  EXPECT_EQ(baton::parse_b3_multi(multi(tid64, sid, "false"))->sampling,
            sampling_decision::not_sampled);
  EXPECT_EQ(baton::parse_b3_multi(multi(tid64, sid, "FALSE"))->sampling,
            sampling_decision::not_sampled);
  EXPECT_EQ(baton::parse_b3_multi(multi(tid64, sid, "0"))->sampling,
            sampling_decision::not_sampled);
}

TEST(B3Multi, FlagsOnlyOneMeansDebug) {
  EXPECT_EQ(baton::parse_b3_multi(multi(tid64, sid, std::nullopt, "1"))->sampling,
            sampling_decision::debug);
  // Debug wins over an explicit x-b3-sampled.
  EXPECT_EQ(baton::parse_b3_multi(multi(tid64, sid, "0", "1"))->sampling, sampling_decision::debug);
  // zipkin4net's bitfield 6 (and anything else) is ignored.
  EXPECT_EQ(baton::parse_b3_multi(multi(tid64, sid, "1", "6"))->sampling,
            sampling_decision::sampled);
  EXPECT_EQ(baton::parse_b3_multi(multi(tid64, sid, std::nullopt, "6"))->sampling,
            sampling_decision::deferred);
  EXPECT_EQ(baton::parse_b3_multi(multi(tid64, sid, std::nullopt, "0"))->sampling,
            sampling_decision::deferred);
}

TEST(B3Multi, SamplingOnly) {
  const auto r = baton::parse_b3_multi(multi(std::nullopt, std::nullopt, "0"));
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->sampling_only());
  EXPECT_EQ(r->sampling, sampling_decision::not_sampled);
  EXPECT_EQ(baton::parse_b3_multi(multi(std::nullopt, std::nullopt, std::nullopt, "1"))->sampling,
            sampling_decision::debug);
}

TEST(B3Multi, Invalid) {
  auto expect = [](const baton::b3_multi_fields& f, errc code, std::uint32_t offset) {
    const auto r = baton::parse_b3_multi(f);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, code) << baton::to_string(r.error().code);
    EXPECT_EQ(r.error().offset, offset);
  };
  expect(multi(tid64, sid, "2"), errc::b3_invalid_sampling, 0);
  expect(multi(tid64, sid, " yes"), errc::b3_invalid_sampling, 1);
  expect(multi(tid64, sid, ""), errc::b3_invalid_sampling, 0);
  expect(multi(tid64, sid, "d"), errc::b3_invalid_sampling, 0);
  expect(multi(std::nullopt, sid), errc::b3_missing_trace_id, 0);
  expect(multi(std::nullopt, std::nullopt, "1", std::nullopt, pid), errc::b3_missing_trace_id, 0);
  expect(multi(tid64, std::nullopt), errc::b3_missing_span_id, 0);
  expect(multi("80F198EE56343BA8", sid), errc::b3_invalid_trace_id, 2);
  expect(multi("80f198ee56343ba864fe", sid), errc::b3_invalid_trace_id, 20);
  expect(multi(" 80f198ee56343ba8-", sid), errc::b3_invalid_trace_id, 17);
  expect(multi("", sid), errc::b3_invalid_trace_id, 0);
  expect(multi("0000000000000000", sid), errc::b3_zero_trace_id, 0);
  expect(multi(tid64, "e457b5a2e4d86bd"), errc::b3_invalid_span_id, 15);
  expect(multi(tid64, "e457b5a2e4d86bd1e"), errc::b3_invalid_span_id, 16);
  expect(multi(tid64, "  0000000000000000"), errc::b3_zero_span_id, 2);
  expect(multi(tid64, sid, "1", std::nullopt, "05e3"), errc::b3_invalid_parent_span_id, 4);
}

TEST(B3Multi, ZeroParentIsAbsent) {
  const auto r = baton::parse_b3_multi(multi(tid64, sid, "1", std::nullopt, "0000000000000000"));
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->parent_span_id.is_valid());
}

// ---------------------------------------------------------------------------------------------
// Extraction over carriers

TEST(B3Extract, SingleOverHttpHeaders) {
  http_headers h;
  h.add("B3", cat({tid64, "-", sid, "-d-", pid}));
  const baton::extracted_context x = baton::b3_propagator::extract_context(h);
  EXPECT_EQ(x.kind, context_kind::full);
  EXPECT_TRUE(x.valid());
  EXPECT_EQ(x.format, propagation_format::b3);
  EXPECT_TRUE(x.found);
  EXPECT_EQ(x.error, baton::error{});
  EXPECT_EQ(x.context.trace_id, tid(tid64));
  EXPECT_EQ(x.context.span_id, spid(sid));
  EXPECT_TRUE(x.context.flags.sampled());
  EXPECT_FALSE(x.context.flags.random());
  EXPECT_TRUE(x.context.remote);
  EXPECT_EQ(x.extras.sampling, sampling_decision::debug);
  EXPECT_TRUE(x.extras.trace_id_64);
  EXPECT_EQ(x.extras.parent_span_id, spid(pid));
}

TEST(B3Extract, Absent) {
  http_headers h;
  h.add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  const auto x = baton::b3multi_propagator::extract_context(h);
  EXPECT_EQ(x.kind, context_kind::none);
  EXPECT_FALSE(x.found);
  EXPECT_EQ(x.error.code, errc::ok);
}

TEST(B3Extract, SamplingOnlyKinds) {
  for (const auto& [value, decision] :
       std::vector<std::pair<const char*, sampling_decision>>{{"0", sampling_decision::not_sampled},
                                                              {"1", sampling_decision::sampled},
                                                              {"d", sampling_decision::debug}}) {
    http_headers h;
    h.add("b3", value);
    const auto x = baton::b3_propagator::extract_context(h);
    EXPECT_EQ(x.kind, context_kind::sampling_only) << value;
    EXPECT_FALSE(x.valid());
    EXPECT_EQ(x.extras.sampling, decision);
    EXPECT_EQ(x.context.flags.sampled(), decision != sampling_decision::not_sampled);
    EXPECT_FALSE(x.context.trace_id.is_valid());
    // The decision is honored when the trace continues.
    const baton::span_context next = baton::continue_trace(x, true);
    EXPECT_TRUE(next.is_valid());
    EXPECT_EQ(next.flags.sampled(), decision != sampling_decision::not_sampled);
  }
}

TEST(B3Extract, MultiWithMixedCaseNames) {
  http_headers h;
  h.add("X-B3-TraceId", tid128);
  h.add("X-B3-SpanId", sid);
  h.add("X-B3-ParentSpanId", pid);
  h.add("X-B3-Sampled", "true");
  const auto x = baton::b3_propagator::extract_context(h);
  EXPECT_EQ(x.kind, context_kind::full);
  EXPECT_EQ(x.format, propagation_format::b3multi);
  EXPECT_EQ(x.context.trace_id, tid(tid128));
  EXPECT_FALSE(x.extras.trace_id_64);
  EXPECT_EQ(x.extras.sampling, sampling_decision::sampled);
  EXPECT_EQ(x.extras.parent_span_id, spid(pid));
  EXPECT_TRUE(x.context.flags.sampled());
}

TEST(B3Extract, MultiSamplingOnlyAndFlagsDebug) {
  http_headers h;
  h.add("x-b3-sampled", "0");
  auto x = baton::b3multi_propagator::extract_context(h);
  EXPECT_EQ(x.kind, context_kind::sampling_only);
  EXPECT_EQ(x.extras.sampling, sampling_decision::not_sampled);
  EXPECT_FALSE(x.context.flags.sampled());

  http_headers d;
  d.add("x-b3-traceid", tid64);
  d.add("x-b3-spanid", sid);
  d.add("x-b3-flags", "1");
  x = baton::b3multi_propagator::extract_context(d);
  EXPECT_EQ(x.kind, context_kind::full);
  EXPECT_EQ(x.extras.sampling, sampling_decision::debug);
  EXPECT_TRUE(x.context.flags.sampled());

  // Flags 6 alone: present, nothing usable, no error.
  http_headers six;
  six.add("x-b3-flags", "6");
  x = baton::b3multi_propagator::extract_context(six);
  EXPECT_EQ(x.kind, context_kind::none);
  EXPECT_TRUE(x.found);
  EXPECT_EQ(x.error.code, errc::ok);
}

TEST(B3Extract, SingleWinsOverMulti) {
  http_headers h;
  h.add("x-b3-traceid", "1111111111111111");
  h.add("x-b3-spanid", "2222222222222222");
  h.add("x-b3-sampled", "0");
  h.add("b3", cat({tid128, "-", sid, "-1"}));
  const auto x = baton::b3multi_propagator::extract_context(h);
  EXPECT_EQ(x.format, propagation_format::b3);
  EXPECT_EQ(x.context.trace_id, tid(tid128));
  EXPECT_EQ(x.extras.sampling, sampling_decision::sampled);
  // Even a sampling-only single header wins.
  http_headers s;
  s.add("x-b3-traceid", tid64);
  s.add("x-b3-spanid", sid);
  s.add("b3", "0");
  const auto y = baton::b3_propagator::extract_context(s);
  EXPECT_EQ(y.kind, context_kind::sampling_only);
  EXPECT_EQ(y.format, propagation_format::b3);
}

TEST(B3Extract, InvalidSingleFallsBackToMulti) {
  http_headers h;
  h.add("b3", cat({tid128, "-", sid, "-true"}));
  h.add("x-b3-traceid", tid64);
  h.add("x-b3-spanid", sid);
  h.add("x-b3-sampled", "1");
  const auto x = baton::b3_propagator::extract_context(h);
  EXPECT_EQ(x.kind, context_kind::full);
  EXPECT_EQ(x.format, propagation_format::b3multi);
  // The rejected single header is still reported beside the context from x-b3-*.
  EXPECT_EQ(x.error.code, errc::b3_invalid_sampling);
  EXPECT_EQ(x.context.trace_id, tid(tid64));
}

TEST(B3Extract, BothInvalidReportsTheSingleHeader) {
  http_headers h;
  h.add("b3", cat({tid128, "-", sid, "-true"}));
  h.add("x-b3-traceid", tid64);
  const auto x = baton::b3_propagator::extract_context(h);
  EXPECT_EQ(x.kind, context_kind::none);
  EXPECT_TRUE(x.found);
  EXPECT_EQ(x.format, propagation_format::b3);
  EXPECT_EQ(x.error, (baton::error{errc::b3_invalid_sampling, 50}));

  http_headers m;
  m.add("x-b3-traceid", tid64);
  m.add("x-b3-spanid", sid);
  m.add("x-b3-sampled", "yes");
  const auto y = baton::b3_propagator::extract_context(m);
  EXPECT_EQ(y.kind, context_kind::none);
  EXPECT_EQ(y.format, propagation_format::b3multi);
  EXPECT_EQ(y.error, (baton::error{errc::b3_invalid_sampling, 0}));
}

TEST(B3Extract, Repeats) {
  const std::string v = cat({tid64, "-", sid, "-1"});
  http_headers same;
  same.add("b3", v);
  same.add("B3", " " + v);
  EXPECT_EQ(baton::b3_propagator::extract_context(same).kind, context_kind::full);

  http_headers differ;
  differ.add("b3", v);
  differ.add("b3", "0");
  auto x = baton::b3_propagator::extract_context(differ);
  EXPECT_EQ(x.kind, context_kind::none);
  EXPECT_EQ(x.error.code, errc::propagation_conflicting_values);

  // The multi headers still rescue a conflicting single header.
  differ.add("x-b3-traceid", tid64);
  differ.add("x-b3-spanid", sid);
  x = baton::b3_propagator::extract_context(differ);
  EXPECT_EQ(x.kind, context_kind::full);
  EXPECT_EQ(x.format, propagation_format::b3multi);

  http_headers multi_same;
  multi_same.add("x-b3-traceid", tid64);
  multi_same.add("x-b3-traceid", tid64);
  multi_same.add("x-b3-spanid", sid);
  EXPECT_EQ(baton::b3_propagator::extract_context(multi_same).kind, context_kind::full);

  http_headers multi_differ;
  multi_differ.add("x-b3-traceid", tid64);
  multi_differ.add("x-b3-spanid", sid);
  multi_differ.add("x-b3-sampled", "1");
  multi_differ.add("x-b3-sampled", "0");
  x = baton::b3_propagator::extract_context(multi_differ);
  EXPECT_EQ(x.kind, context_kind::none);
  EXPECT_EQ(x.format, propagation_format::b3multi);
  EXPECT_EQ(x.error.code, errc::propagation_conflicting_values);
}

template <class Carrier>
void check_adapter(Carrier& carrier) {
  const auto x = baton::b3_propagator::extract_context(carrier);
  ASSERT_EQ(x.kind, context_kind::full);
  EXPECT_EQ(x.format, propagation_format::b3multi);
  EXPECT_EQ(x.context.trace_id, tid(tid64));
  EXPECT_EQ(x.extras.sampling, sampling_decision::sampled);

  // Re-emit as the single header: x-b3-* are removed, b3 keeps the 64-bit width.
  ASSERT_TRUE(baton::b3_propagator::inject(x.context, carrier, x.extras));
  std::vector<std::string> b3;
  baton::carrier_for_each(carrier, "b3", [&](std::string_view v) { b3.emplace_back(v); });
  EXPECT_EQ(b3, std::vector<std::string>{cat({tid64, "-", sid, "-1"})});
  int stale = 0;
  for (std::string_view name : baton::b3_propagator::cleared_fields) {
    baton::carrier_for_each(carrier, name, [&](std::string_view) { ++stale; });
  }
  EXPECT_EQ(stale, 0);

  // And back to multi: b3 is removed.
  ASSERT_TRUE(baton::b3multi_propagator::inject(x.context, carrier, x.extras));
  int singles = 0;
  baton::carrier_for_each(carrier, "b3", [&](std::string_view) { ++singles; });
  EXPECT_EQ(singles, 0);
  std::string trace;
  baton::carrier_get_first(carrier, "x-b3-traceid", [&](std::string_view v) { trace = v; });
  EXPECT_EQ(trace, tid64);
}

TEST(B3Extract, StdMap) {
  std::map<std::string, std::string> m{
      {"X-B3-TraceId", tid64}, {"X-B3-SpanId", sid}, {"X-B3-Sampled", "1"}, {"other", "x"}};
  check_adapter(m);
  EXPECT_EQ(m.count("other"), 1u);
}

TEST(B3Extract, CaseInsensitiveMultimap) {
  ci_multimap m{{"X-B3-TraceId", tid64}, {"x-b3-spanid", sid}, {"X-B3-SAMPLED", "1"}};
  check_adapter(m);
}

TEST(B3Extract, VectorOfPairs) {
  pair_vector v{{"x-b3-traceid", tid64}, {"x-b3-spanid", sid}, {"x-b3-sampled", "1"}};
  check_adapter(v);
}

TEST(B3Extract, CallableCarrier) {
  std::map<std::string, std::string> store{
      {"x-b3-traceid", tid64}, {"x-b3-spanid", sid}, {"x-b3-sampled", "1"}};
  auto carrier = baton::make_carrier(
      [&](std::string_view name) -> const std::string* {
        const auto it = store.find(std::string(name));
        return it == store.end() ? nullptr : &it->second;
      },
      [&](std::string_view name, std::string_view value) {
        store[std::string(name)] = std::string(value);
      },
      [&](std::string_view name) { store.erase(std::string(name)); });
  check_adapter(carrier);
  EXPECT_EQ(store.count("b3"), 0u);
  EXPECT_EQ(store.at("x-b3-sampled"), "1");
}

TEST(B3Extract, CallableCarrierWithoutEraser) {
  std::map<std::string, std::string> store{{"x-b3-traceid", tid64}, {"x-b3-spanid", sid}};
  auto carrier = baton::make_carrier(
      [&](std::string_view name) -> const std::string* {
        const auto it = store.find(std::string(name));
        return it == store.end() ? nullptr : &it->second;
      },
      [&](std::string_view name, std::string_view value) {
        store[std::string(name)] = std::string(value);
      });
  const auto x = baton::b3_propagator::extract_context(carrier);
  ASSERT_TRUE(x.valid());
  EXPECT_EQ(x.extras.sampling, sampling_decision::deferred);
  ASSERT_TRUE(baton::b3_propagator::inject(x.context, carrier, x.extras));
  EXPECT_EQ(store.at("b3"), cat({tid64, "-", sid}));
  EXPECT_EQ(store.count("x-b3-traceid"), 1u);  // cannot erase: left as is
}

// ---------------------------------------------------------------------------------------------
// Inject

baton::span_context context(bool sampled, const char* trace = tid128) {
  baton::span_context c;
  c.trace_id = tid(trace);
  c.span_id = spid(sid);
  c.flags = baton::trace_flags().with_sampled(sampled);
  return c;
}

std::string single_after_inject(const baton::span_context& c, const baton::format_extras& e) {
  http_headers h;
  EXPECT_TRUE(baton::b3_propagator::inject(c, h, e));
  EXPECT_EQ(h.size(), 1u);
  return std::string(h.get("b3").first);
}

TEST(B3Inject, SingleGolden) {
  baton::format_extras e;
  EXPECT_EQ(single_after_inject(context(true), e), cat({tid128, "-", sid, "-1"}));
  // Default extras: the sampled bit is written as is.
  EXPECT_EQ(single_after_inject(context(false), e), cat({tid128, "-", sid, "-0"}));
  // Not sampled locally and undecided upstream: the decision stays with the receiver.
  e.sampling = sampling_decision::deferred;
  EXPECT_EQ(single_after_inject(context(false), e), cat({tid128, "-", sid}));
  e.sampling = sampling_decision::not_sampled;
  EXPECT_EQ(single_after_inject(context(false), e), cat({tid128, "-", sid, "-0"}));
  e.sampling = sampling_decision::sampled;
  EXPECT_EQ(single_after_inject(context(false), e), cat({tid128, "-", sid, "-0"}));
  e.sampling = sampling_decision::debug;
  EXPECT_EQ(single_after_inject(context(true), e), cat({tid128, "-", sid, "-d"}));
  // A local "no" beats an upstream debug.
  EXPECT_EQ(single_after_inject(context(false), e), cat({tid128, "-", sid, "-0"}));
  // The parent span id is never written.
  e.parent_span_id = spid(pid);
  EXPECT_EQ(single_after_inject(context(true), e), cat({tid128, "-", sid, "-d"}));
}

TEST(B3Inject, Width) {
  baton::format_extras e;
  e.trace_id_64 = true;
  EXPECT_EQ(single_after_inject(context(true, tid64), e), cat({tid64, "-", sid, "-1"}));
  EXPECT_EQ(single_after_inject(context(true, tid128), e), cat({tid128, "-", sid, "-1"}));
  e.trace_id_64 = false;
  EXPECT_EQ(single_after_inject(context(true, tid64), e),
            cat({"0000000000000000", tid64, "-", sid, "-1"}));
}

TEST(B3Inject, MultiGolden) {
  http_headers h;
  h.add("X-B3-ParentSpanId", pid);
  h.add("x-b3-flags", "1");
  h.add("b3", "1");
  baton::format_extras e;
  e.trace_id_64 = true;
  ASSERT_TRUE(baton::b3multi_propagator::inject(context(true, tid64), h, e));
  std::vector<std::pair<std::string, std::string>> fields;
  for (const auto& f : h) fields.emplace_back(f.name, f.value);
  const std::vector<std::pair<std::string, std::string>> want{
      {"x-b3-traceid", tid64}, {"x-b3-spanid", sid}, {"x-b3-sampled", "1"}};
  EXPECT_EQ(fields, want);

  e.sampling = sampling_decision::debug;
  ASSERT_TRUE(baton::b3multi_propagator::inject(context(true, tid64), h, e));
  fields.clear();
  for (const auto& f : h) fields.emplace_back(f.name, f.value);
  const std::vector<std::pair<std::string, std::string>> debug{
      {"x-b3-traceid", tid64}, {"x-b3-spanid", sid}, {"x-b3-flags", "1"}};
  EXPECT_EQ(fields, debug);

  e.sampling = sampling_decision::deferred;
  ASSERT_TRUE(baton::b3multi_propagator::inject(context(false, tid64), h, e));
  fields.clear();
  for (const auto& f : h) fields.emplace_back(f.name, f.value);
  const std::vector<std::pair<std::string, std::string>> deferred{{"x-b3-traceid", tid64},
                                                                  {"x-b3-spanid", sid}};
  EXPECT_EQ(fields, deferred);

  e.sampling = sampling_decision::not_sampled;
  ASSERT_TRUE(baton::b3multi_propagator::inject(context(false, tid64), h, e));
  EXPECT_EQ(h.get("x-b3-sampled").first, "0");
}

TEST(B3Inject, SingleRemovesMultiAndReplaces) {
  http_headers h;
  h.add("b3", "0");
  h.add("b3", "1");
  h.add("X-B3-TraceId", tid64);
  h.add("X-B3-SpanId", sid);
  h.add("X-B3-ParentSpanId", pid);
  h.add("X-B3-Sampled", "1");
  h.add("X-B3-Flags", "1");
  h.add("other", "kept");
  ASSERT_TRUE(baton::b3_propagator::inject(context(true), h));
  ASSERT_TRUE(baton::b3_propagator::inject(context(true), h));  // a retry adds nothing
  std::vector<std::pair<std::string, std::string>> fields;
  for (const auto& f : h) fields.emplace_back(f.name, f.value);
  const std::vector<std::pair<std::string, std::string>> want{
      {"other", "kept"}, {"b3", cat({tid128, "-", sid, "-1"})}};
  EXPECT_EQ(fields, want);
}

TEST(B3Inject, InvalidContextLeavesCarrierUntouched) {
  http_headers h;
  h.add("b3", "keep");
  baton::span_context zero;
  EXPECT_FALSE(baton::b3_propagator::inject(zero, h));
  EXPECT_FALSE(baton::b3multi_propagator::inject(zero, h));
  baton::span_context half = context(true);
  half.span_id = baton::span_id();
  EXPECT_FALSE(baton::b3_propagator::inject(half, h));
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h.get("b3").first, "keep");
}

TEST(B3Inject, FieldsAreLowercase) {
  for (std::string_view f : baton::b3_propagator::fields) {
    for (char c : f) EXPECT_FALSE(c >= 'A' && c <= 'Z');
  }
  for (std::string_view f : baton::b3multi_propagator::fields) {
    for (char c : f) EXPECT_FALSE(c >= 'A' && c <= 'Z');
  }
  EXPECT_EQ(baton::b3multi_propagator::cleared_fields[1], "b3");
  EXPECT_EQ(baton::b3_propagator::format, propagation_format::b3);
  EXPECT_EQ(baton::b3multi_propagator::format, propagation_format::b3multi);
}

// ---------------------------------------------------------------------------------------------
// Round trips

TEST(B3RoundTrip, ExtractInjectReemitsTheSameValue) {
  for (const std::string& v : {cat({tid64, "-", sid}), cat({tid64, "-", sid, "-d"}),
                               cat({tid64, "-", sid, "-0"}), cat({tid128, "-", sid, "-1"})}) {
    http_headers in;
    in.add("b3", v);
    const auto x = baton::b3_propagator::extract_context(in);
    ASSERT_TRUE(x.valid()) << v;
    http_headers out;
    ASSERT_TRUE(baton::b3_propagator::inject(x.context, out, x.extras));
    EXPECT_EQ(out.get("b3").first, v);
  }
}

TEST(B3RoundTrip, MultiDebugSurvivesAHop) {
  http_headers in;
  in.add("x-b3-traceid", tid128);
  in.add("x-b3-spanid", sid);
  in.add("x-b3-flags", "1");
  const auto x = baton::b3multi_propagator::extract_context(in);
  ASSERT_TRUE(x.valid());
  const baton::span_context child = x.context.child();
  http_headers out;
  ASSERT_TRUE(baton::b3multi_propagator::inject(child, out, x.extras));
  EXPECT_EQ(out.get("x-b3-flags").first, "1");
  EXPECT_FALSE(out.get("x-b3-sampled").second);
  EXPECT_EQ(out.get("x-b3-traceid").first, tid128);
}

TEST(B3RoundTrip, ToW3C) {
  http_headers in;
  in.add("b3", cat({tid64, "-", sid, "-1"}));
  const auto x = baton::b3_propagator::extract_context(in);
  ASSERT_TRUE(x.valid());
  http_headers out;
  ASSERT_TRUE(baton::inject_trace_context(x.context, out));
  EXPECT_EQ(out.get("traceparent").first, cat({"00-0000000000000000", tid64, "-", sid, "-01"}));
  // And back: W3C has no width, so the id is 128 bits from here on.
  const auto w = baton::trace_context_propagator::extract_context(out);
  ASSERT_TRUE(w.valid());
  http_headers b3;
  ASSERT_TRUE(baton::b3_propagator::inject(w.context, b3, w.extras));
  EXPECT_EQ(b3.get("b3").first, cat({"0000000000000000", tid64, "-", sid, "-1"}));
}

}  // namespace
