#include "baton/traceparent.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <string_view>

namespace {

using baton::errc;
using baton::parse_traceparent;

constexpr std::string_view spec_example = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
constexpr std::string_view tid = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr std::string_view pid = "00f067aa0ba902b7";

std::string make(std::string_view version, std::string_view trace, std::string_view parent,
                 std::string_view flags) {
  return std::string(version) + "-" + std::string(trace) + "-" + std::string(parent) + "-" +
         std::string(flags);
}

struct expected_error {
  errc code;
  std::uint32_t offset;
};

expected_error fail(std::string_view input) {
  auto r = parse_traceparent(input);
  EXPECT_FALSE(r.has_value()) << input;
  return {r.code(), r.error().offset};
}

TEST(Traceparent, ParsesSpecExample) {
  auto r = parse_traceparent(spec_example);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->version, 0);
  EXPECT_EQ(r->trace_id.to_hex(), tid);
  EXPECT_EQ(r->parent_id.to_hex(), pid);
  EXPECT_EQ(r->flags.raw(), 0x01);
  EXPECT_TRUE(r->flags.sampled());
  EXPECT_FALSE(r->flags.random());
  EXPECT_EQ(baton::format_traceparent(*r), spec_example);
}

TEST(Traceparent, SpecExampleNotSampled) {
  auto r = parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->flags.sampled());
  EXPECT_EQ(baton::format_traceparent(*r),
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
}

TEST(Traceparent, FlagsRoundTripKnownBitsAndClearUnknownOnes) {
  struct {
    const char* in;
    std::uint8_t raw;
    bool sampled, random;
    const char* out;
  } cases[] = {
      {"00", 0x00, false, false, "00"}, {"01", 0x01, true, false, "01"},
      {"02", 0x02, false, true, "02"},  {"03", 0x03, true, true, "03"},
      {"ff", 0xff, true, true, "03"},   {"fc", 0xfc, false, false, "00"},
      {"09", 0x09, true, false, "01"},  {"a2", 0xa2, false, true, "02"},
  };
  for (const auto& c : cases) {
    auto r = parse_traceparent(make("00", tid, pid, c.in));
    ASSERT_TRUE(r) << c.in;
    EXPECT_EQ(r->flags.raw(), c.raw) << c.in;
    EXPECT_EQ(r->flags.sampled(), c.sampled) << c.in;
    EXPECT_EQ(r->flags.random(), c.random) << c.in;
    EXPECT_EQ(baton::format_traceparent(*r), make("00", tid, pid, c.out)) << c.in;
  }
}

TEST(Traceparent, TrimsOnlySpaceAndTab) {
  for (const char* pad : {" ", "\t", "  \t ", "\t\t"}) {
    const std::string s = pad + std::string(spec_example) + pad;
    auto r = parse_traceparent(s);
    ASSERT_TRUE(r) << "pad " << static_cast<int>(pad[0]);
    EXPECT_EQ(baton::format_traceparent(*r), spec_example);
  }
  // Nothing else is whitespace: CR, LF, VT, FF, NBSP make the value invalid.
  for (const char* bad : {"\r", "\n", "\r\n", "\v", "\f", "\xc2\xa0"}) {
    EXPECT_FALSE(parse_traceparent(std::string(spec_example) + bad)) << "suffix";
    EXPECT_FALSE(parse_traceparent(bad + std::string(spec_example))) << "prefix";
  }
}

TEST(Traceparent, ErrorOffsetsCountFromTheUntrimmedInput) {
  auto e = fail("  00-4BF92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  EXPECT_EQ(e.code, errc::traceparent_invalid_trace_id);
  EXPECT_EQ(e.offset, 2u + 4u);
}

TEST(Traceparent, Version00MustBeExactly55Characters) {
  // W3C test_traceparent_version_0x00: extra characters after version 00 are invalid.
  auto e = fail(std::string(spec_example) + ".");
  EXPECT_EQ(e.code, errc::traceparent_invalid_length);
  EXPECT_EQ(e.offset, 55u);
  e = fail(std::string(spec_example) + "-what-the-future-will-be-like");
  EXPECT_EQ(e.code, errc::traceparent_invalid_length);
  EXPECT_EQ(e.offset, 55u);
  e = fail(spec_example.substr(0, 54));
  EXPECT_EQ(e.code, errc::traceparent_invalid_length);
  EXPECT_EQ(e.offset, 54u);
}

TEST(Traceparent, HigherVersionParsedByVersion00Rules) {
  // W3C test_traceparent_version_0xcc.
  auto r = parse_traceparent(make("cc", tid, pid, "01"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->version, 0xcc);
  EXPECT_EQ(baton::format_traceparent(*r), spec_example);  // always written as version 00

  r = parse_traceparent(make("cc", tid, pid, "01") + "-what-the-future-will-be-like");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->trace_id.to_hex(), tid);
  EXPECT_EQ(baton::format_traceparent(*r), spec_example);

  r = parse_traceparent(make("01", tid, pid, "03") + "-");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->flags.raw(), 0x03);

  auto e = fail(make("cc", tid, pid, "01") + ".what-the-future-will-be-like");
  EXPECT_EQ(e.code, errc::traceparent_invalid_delimiter);
  EXPECT_EQ(e.offset, 55u);
  e = fail(make("cc", tid, pid, "0"));  // shorter than 55
  EXPECT_EQ(e.code, errc::traceparent_invalid_length);
  // A future version still needs its first 55 characters to follow the version-00 layout.
  e = fail(make("cc", tid, pid, "011"));
  EXPECT_EQ(e.code, errc::traceparent_invalid_flags);
  EXPECT_EQ(e.offset, 55u);
}

TEST(Traceparent, VersionRules) {
  auto e = fail(make("ff", tid, pid, "01"));  // test_traceparent_version_0xff
  EXPECT_EQ(e.code, errc::traceparent_forbidden_version);
  EXPECT_EQ(e.offset, 0u);
  e = fail(make(".0", tid, pid, "01"));  // test_traceparent_version_illegal_characters
  EXPECT_EQ(e.code, errc::traceparent_invalid_version);
  EXPECT_EQ(e.offset, 0u);
  e = fail(make("0.", tid, pid, "01"));
  EXPECT_EQ(e.code, errc::traceparent_invalid_version);
  EXPECT_EQ(e.offset, 1u);
  e = fail(make("000", tid, pid, "01"));  // test_traceparent_version_too_long
  EXPECT_EQ(e.code, errc::traceparent_invalid_version);
  EXPECT_EQ(e.offset, 2u);
  e = fail(make("0000", tid, pid, "01"));
  EXPECT_EQ(e.code, errc::traceparent_invalid_version);
  e = fail(make("0", tid, pid, "01"));  // test_traceparent_version_too_short
  EXPECT_EQ(e.code, errc::traceparent_invalid_version);
  EXPECT_EQ(e.offset, 1u);
  e = fail(make("0A", tid, pid, "01"));  // uppercase version
  EXPECT_EQ(e.code, errc::traceparent_invalid_version);
  EXPECT_EQ(e.offset, 1u);
}

TEST(Traceparent, TraceIdRules) {
  auto e = fail(make("00", "00000000000000000000000000000000", pid, "01"));
  EXPECT_EQ(e.code, errc::traceparent_zero_trace_id);
  EXPECT_EQ(e.offset, 3u);
  e = fail(make("00", ".4bf92f3577b34da6a3ce929d0e0e473", pid, "01"));
  EXPECT_EQ(e.code, errc::traceparent_invalid_trace_id);
  EXPECT_EQ(e.offset, 3u);
  e = fail(make("00", "4bf92f3577b34da6a3ce929d0e0e473.", pid, "01"));
  EXPECT_EQ(e.code, errc::traceparent_invalid_trace_id);
  EXPECT_EQ(e.offset, 34u);
  e = fail(make("00", "4bf92f3577b34da6a3ce929d0e0e47366", pid, "01"));  // 33 hex
  EXPECT_EQ(e.code, errc::traceparent_invalid_trace_id);
  EXPECT_EQ(e.offset, 35u);
  e = fail(make("00", "4bf92f3577b34da6a3ce929d0e0e473", pid, "01"));  // 31 hex
  EXPECT_EQ(e.code, errc::traceparent_invalid_trace_id);
  EXPECT_EQ(e.offset, 34u);
  e = fail(make("00", "4BF92F3577B34DA6A3CE929D0E0E4736", pid, "01"));  // uppercase
  EXPECT_EQ(e.code, errc::traceparent_invalid_trace_id);
  EXPECT_EQ(e.offset, 4u);
  e = fail(make("00", "4bf92f3577b34da6a3ce929d0e0e473G", pid, "01"));
  EXPECT_EQ(e.code, errc::traceparent_invalid_trace_id);
  EXPECT_EQ(e.offset, 34u);
}

TEST(Traceparent, ParentIdRules) {
  auto e = fail(make("00", tid, "0000000000000000", "01"));
  EXPECT_EQ(e.code, errc::traceparent_zero_parent_id);
  EXPECT_EQ(e.offset, 36u);
  e = fail(make("00", tid, ".0f067aa0ba902b7", "01"));
  EXPECT_EQ(e.code, errc::traceparent_invalid_parent_id);
  EXPECT_EQ(e.offset, 36u);
  e = fail(make("00", tid, "00f067aa0ba902b.", "01"));
  EXPECT_EQ(e.code, errc::traceparent_invalid_parent_id);
  EXPECT_EQ(e.offset, 51u);
  e = fail(make("00", tid, "00f067aa0ba902b77", "01"));  // 17 hex
  EXPECT_EQ(e.code, errc::traceparent_invalid_parent_id);
  EXPECT_EQ(e.offset, 52u);
  e = fail(make("00", tid, "00f067aa0ba902b", "01"));  // 15 hex
  EXPECT_EQ(e.code, errc::traceparent_invalid_parent_id);
  EXPECT_EQ(e.offset, 51u);
  e = fail(make("00", tid, "00F067AA0BA902B7", "01"));
  EXPECT_EQ(e.code, errc::traceparent_invalid_parent_id);
  EXPECT_EQ(e.offset, 38u);
}

TEST(Traceparent, FlagsRules) {
  auto e = fail(make("00", tid, pid, ".0"));
  EXPECT_EQ(e.code, errc::traceparent_invalid_flags);
  EXPECT_EQ(e.offset, 53u);
  e = fail(make("00", tid, pid, "0."));
  EXPECT_EQ(e.code, errc::traceparent_invalid_flags);
  EXPECT_EQ(e.offset, 54u);
  e = fail(make("00", tid, pid, "001"));
  EXPECT_EQ(e.code, errc::traceparent_invalid_flags);
  EXPECT_EQ(e.offset, 55u);
  e = fail(make("00", tid, pid, "1"));
  EXPECT_EQ(e.code, errc::traceparent_invalid_length);
  EXPECT_EQ(e.offset, 54u);
  e = fail(make("00", tid, pid, "0F"));
  EXPECT_EQ(e.code, errc::traceparent_invalid_flags);
  EXPECT_EQ(e.offset, 54u);
}

TEST(Traceparent, DelimiterRules) {
  std::string s(spec_example);
  for (std::size_t at : {2u, 35u, 52u}) {
    std::string bad = s;
    bad[at] = '_';
    auto e = fail(bad);
    EXPECT_EQ(e.code, errc::traceparent_invalid_delimiter) << at;
    EXPECT_EQ(e.offset, at);
  }
}

TEST(Traceparent, EmptyAndShortInputs) {
  auto e = fail("");
  EXPECT_EQ(e.code, errc::traceparent_invalid_length);
  EXPECT_EQ(e.offset, 0u);
  e = fail(" \t ");
  EXPECT_EQ(e.code, errc::traceparent_invalid_length);
  e = fail("0");
  EXPECT_EQ(e.code, errc::traceparent_invalid_length);
  EXPECT_EQ(e.offset, 1u);
  e = fail("00");
  EXPECT_EQ(e.code, errc::traceparent_invalid_length);
  e = fail("00-");
  EXPECT_EQ(e.code, errc::traceparent_invalid_length);
  EXPECT_EQ(e.offset, 3u);
  e = fail("00-4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(e.code, errc::traceparent_invalid_length);
  EXPECT_EQ(e.offset, 35u);
}

TEST(Traceparent, EmbeddedNulAndHighBytesAreInvalid) {
  std::string s(spec_example);
  s[10] = '\0';
  EXPECT_EQ(fail(s).code, errc::traceparent_invalid_trace_id);
  s = std::string(spec_example);
  s[40] = static_cast<char>(0xe9);
  EXPECT_EQ(fail(s).code, errc::traceparent_invalid_parent_id);
}

TEST(Traceparent, EveryByteAtEveryPositionMatchesAReferenceRule) {
  // Exhaustive single-byte substitution against a direct reading of the spec's ABNF.
  const std::string base(spec_example);
  for (std::size_t pos = 0; pos < base.size(); ++pos) {
    for (int c = 0; c < 256; ++c) {
      std::string s = base;
      s[pos] = static_cast<char>(c);
      bool expect;
      const bool is_hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      if (pos == 2 || pos == 35 || pos == 52) {
        expect = c == '-';
      } else if (pos == 0 || pos == 1) {
        expect = is_hex && !(s[0] == 'f' && s[1] == 'f');
      } else {
        expect = is_hex;
      }
      // Leading or trailing SP/HTAB replacing the first/last character shortens the value.
      if ((pos == 0 || pos == base.size() - 1) && (c == ' ' || c == '\t')) expect = false;
      EXPECT_EQ(parse_traceparent(s).has_value(), expect) << "pos " << pos << " byte " << c;
    }
  }
}

TEST(Traceparent, FormatWritesExactly55BytesAndReturnsEnd) {
  auto tp = *parse_traceparent(spec_example);
  char buf[64];
  std::memset(buf, '#', sizeof buf);
  char* end = baton::format_traceparent(tp, buf);
  EXPECT_EQ(end, buf + baton::traceparent_size);
  EXPECT_EQ(std::string_view(buf, 55), spec_example);
  EXPECT_EQ(buf[55], '#');
}

TEST(Traceparent, ParseFormatRoundTripOnRandomIds) {
  for (int i = 0; i < 1000; ++i) {
    baton::traceparent tp{0, baton::trace_id::random(), baton::span_id::random(),
                          baton::trace_flags(static_cast<std::uint8_t>(i & 3))};
    const std::string text = baton::format_traceparent(tp);
    auto back = parse_traceparent(text);
    ASSERT_TRUE(back) << text;
    EXPECT_EQ(*back, tp);
  }
}

}  // namespace
