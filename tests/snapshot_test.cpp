// Context snapshots: golden bytes and tokens (a format change must show up here), round trips,
// make_snapshot's policy and limits, the text-map form, and every decode error.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "baton/carrier.hpp"
#include "baton/detail/base64url.hpp"
#include "baton/detail/crc32c.hpp"
#include "baton/detail/wire.hpp"
#include "baton/snapshot.hpp"
#include "baton/span_record_codec.hpp"

namespace {

std::string from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
    out.push_back(static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
  }
  return out;
}

// Deterministic test data: n bytes from a linear congruential generator started at `seed`.
std::string pseudo_random_bytes(std::size_t n, std::uint32_t seed) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    seed = seed * 1103515245u + 12345u;
    out.push_back(static_cast<char>(seed >> 16));
  }
  return out;
}

std::string to_hex(std::string_view bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(digits[u >> 4]);
    out.push_back(digits[u & 15]);
  }
  return out;
}

baton::span_context golden_context() {
  baton::span_context c;
  c.trace_id = *baton::trace_id::from_hex("4bf92f3577b34da6a3ce929d0e0e4736");
  c.span_id = *baton::span_id::from_hex("00f067aa0ba902b7");
  c.flags = baton::trace_flags(0x03);
  c.tracestate = *baton::tracestate::parse("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  c.remote = true;
  return c;
}

baton::context_snapshot golden_snapshot() {
  return {golden_context(),
          baton::baggage::parse("triggeredAt=1750000000000,userId=alice;p,note=a%20b")};
}

// The golden snapshot of docs/snapshots.md, checked against an independent CRC-32C and
// base64url (Python) when it was made.
constexpr std::string_view golden_hex =
    "627463017a"                                                  // "btc", v1, payload 122
    "011a4bf92f3577b34da6a3ce929d0e0e473600f067aa0ba902b70301"    // context, remote
    "0227726f6a6f3d303066303637616130626139303262372c636f6e676f"  // tracestate
    "3d7436317263576b674d7a45"
    "033374726967676572656441743d313735303030303030303030302c"  // baggage
    "7573657249643d616c6963653b702c6e6f74653d6125323062"
    "c8013873";  // CRC-32C
constexpr std::string_view golden_token =
    "bc1.YnRjAXoBGkv5LzV3s02mo86SnQ4ORzYA8GeqC6kCtwMBAidyb2pvPTAwZjA2N2FhMGJhOTAyYjcsY29uZ289dD"
    "YxcmNXa2dNekUDM3RyaWdnZXJlZEF0PTE3NTAwMDAwMDAwMDAsdXNlcklkPWFsaWNlO3Asbm90ZT1hJTIwYsgBOHM";

constexpr std::string_view minimal_hex =
    "627463011c011a4bf92f3577b34da6a3ce929d0e0e473600f067aa0ba902b7030096d75045";
constexpr std::string_view minimal_token = "bc1.YnRjARwBGkv5LzV3s02mo86SnQ4ORzYA8GeqC6kCtwMAltdQRQ";

// A binary form around `payload` with a correct length and checksum (for hand-made inputs).
std::string frame(std::string_view payload, char kind = 'c', std::uint8_t version = 1) {
  std::string out = "bt";
  out.push_back(kind);
  out.push_back(static_cast<char>(version));
  std::uint8_t len[10];
  const std::uint8_t* end = baton::detail::put_varint(len, payload.size());
  out.append(reinterpret_cast<const char*>(len), static_cast<std::size_t>(end - len));
  out.append(payload.data(), payload.size());
  std::uint8_t crc[4];
  baton::detail::put_u32le(
      crc, baton::detail::crc32c(reinterpret_cast<const std::uint8_t*>(out.data()), out.size()));
  out.append(reinterpret_cast<const char*>(crc), 4);
  return out;
}

// The context field of the golden snapshot (26 bytes, remote bit set), with its tag and length.
std::string context_field(std::uint8_t bits = 1) {
  std::string f = from_hex("011a4bf92f3577b34da6a3ce929d0e0e473600f067aa0ba902b703");
  f.push_back(static_cast<char>(bits));
  return f;
}

std::string field(std::uint8_t tag, std::string_view value) {
  std::string f(1, static_cast<char>(tag));
  f.push_back(static_cast<char>(value.size()));  // short values only
  f.append(value.data(), value.size());
  return f;
}

baton::error binary_error(std::string_view bytes, const baton::snapshot_limits& limits = {}) {
  return baton::decode_binary(bytes, limits).error();
}

baton::error token_error(std::string_view token, const baton::snapshot_limits& limits = {}) {
  return baton::decode_token(token, limits).error();
}

baton::error err(baton::errc code, std::uint32_t offset) {
  return {code, offset};
}

// ---- Building blocks -------------------------------------------------------------------------

TEST(SnapshotWire, Crc32cCheckValue) {
  const std::string_view s = "123456789";
  EXPECT_EQ(baton::detail::crc32c(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()),
            0xE3069283u);
  // Continuation: crc(a + b) == crc(b, crc(a)), across the 8-byte fast path.
  const std::string_view long_text = "The quick brown fox jumps over the lazy dog";
  const auto* p = reinterpret_cast<const std::uint8_t*>(long_text.data());
  EXPECT_EQ(baton::detail::crc32c(p, long_text.size()), 0x22620404u);
  EXPECT_EQ(baton::detail::crc32c(p + 13, long_text.size() - 13, baton::detail::crc32c(p, 13)),
            0x22620404u);
  EXPECT_EQ(baton::detail::crc32c(p, 0), 0u);
  EXPECT_EQ(baton::detail::crc32c_portable(p, long_text.size()), 0x22620404u);
}

TEST(SnapshotWire, Crc32cImplementationsAgree) {
  // The instruction path (when the CPU has it) against the table path, every length and
  // alignment up to 300 bytes, and continued CRCs.
  const std::string data = pseudo_random_bytes(310, 12345);
  const auto* p = reinterpret_cast<const std::uint8_t*>(data.data());
  for (std::size_t offset = 0; offset < 8; ++offset) {
    for (std::size_t n = 0; n <= 300; ++n) {
      ASSERT_EQ(baton::detail::crc32c(p + offset, n), baton::detail::crc32c_portable(p + offset, n))
          << offset << " " << n;
    }
  }
  EXPECT_EQ(baton::detail::crc32c(p + 100, 50, baton::detail::crc32c(p, 100)),
            baton::detail::crc32c_portable(p, 150));
}

TEST(SnapshotWire, Base64urlRfc4648Vectors) {
  const std::vector<std::pair<std::string, std::string>> vectors = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},          {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}, {"\xfb\xff\xbf", "-_-_"}};
  for (const auto& [bytes, text] : vectors) {
    std::string out(baton::detail::base64url_encoded_size(bytes.size()), '\0');
    baton::detail::base64url_encode(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                    bytes.size(), out.data());
    EXPECT_EQ(out, text);
    std::string in_place = bytes;
    in_place.resize(text.size());
    baton::detail::base64url_encode_in_place(in_place.data(), bytes.size());
    EXPECT_EQ(in_place, text);
    std::size_t n = 0;
    ASSERT_TRUE(baton::detail::base64url_decoded_size(text.size(), n));
    std::string back(n, '\0');
    EXPECT_EQ(baton::detail::base64url_decode(text.data(), text.size(),
                                              reinterpret_cast<std::uint8_t*>(back.data())),
              text.size());
    EXPECT_EQ(back, bytes);
  }
  std::size_t n = 0;
  EXPECT_FALSE(baton::detail::base64url_decoded_size(5, n));
  std::uint8_t buf[8];
  EXPECT_EQ(baton::detail::base64url_decode("Zh", 2, buf), 1u);   // spare bits not zero
  EXPECT_EQ(baton::detail::base64url_decode("Zm9", 3, buf), 2u);  // spare bits not zero
  EXPECT_EQ(baton::detail::base64url_decode("Zm+v", 4, buf), 2u);
  EXPECT_EQ(baton::detail::base64url_decode("Zm9vY=", 6, buf), 5u);
}

TEST(SnapshotWire, Base64urlErrorsAtEveryPosition) {
  // Every length up to 100 characters (through the 8-character steps and the tails), each with
  // one character spoiled at every position: the error is that character's index.
  std::string bytes;
  for (int i = 0; i < 80; ++i) bytes.push_back(static_cast<char>(i * 37 + 11));
  for (std::size_t n = 0; n <= 75; ++n) {
    std::string text(baton::detail::base64url_encoded_size(n), '\0');
    baton::detail::base64url_encode(reinterpret_cast<const std::uint8_t*>(bytes.data()), n,
                                    text.data());
    for (std::size_t bad = 0; bad <= text.size(); ++bad) {
      std::string t = text;
      if (bad < t.size()) t[bad] = bad % 3 == 0 ? '+' : bad % 3 == 1 ? '\x80' : '=';
      std::uint8_t out[80] = {};
      ASSERT_EQ(baton::detail::base64url_decode(t.data(), t.size(), out), bad) << n;
      if (bad == t.size()) {
        EXPECT_EQ(std::string(reinterpret_cast<const char*>(out), n), bytes.substr(0, n));
      }
    }
  }
}

TEST(SnapshotWire, Base64urlImplementationsAgree) {
  // The SSSE3 path (when the CPU has it) against the portable one: every length up to 200
  // bytes, and for a few lengths every byte value at every position of the text (each character
  // of the alphabet decodes to its value; any other is reported where it is).
  const std::string bytes = pseudo_random_bytes(200, 777);
  const auto* in = reinterpret_cast<const std::uint8_t*>(bytes.data());
  for (std::size_t n = 0; n <= 200; ++n) {
    std::string a(baton::detail::base64url_encoded_size(n), '\0');
    std::string b = a;
    baton::detail::base64url_encode(in, n, a.data());
    baton::detail::base64url_encode_portable(in, n, b.data());
    ASSERT_EQ(a, b) << n;
    std::uint8_t out[216] = {};
    ASSERT_EQ(baton::detail::base64url_decode(a.data(), a.size(), out), a.size()) << n;
    ASSERT_EQ(std::string(reinterpret_cast<const char*>(out), n), bytes.substr(0, n)) << n;
  }
  for (const std::size_t n : {30u, 33u, 47u, 100u}) {
    std::string text(baton::detail::base64url_encoded_size(n), '\0');
    baton::detail::base64url_encode_portable(in, n, text.data());
    for (std::size_t at = 0; at < text.size(); ++at) {
      for (int c = 0; c < 256; ++c) {
        std::string t = text;
        t[at] = static_cast<char>(c);
        std::uint8_t a[120] = {}, b[120] = {};
        const std::size_t got = baton::detail::base64url_decode(t.data(), t.size(), a);
        ASSERT_EQ(got, baton::detail::base64url_decode_portable(t.data(), t.size(), b))
            << n << " " << at << " " << c;
        if (got == t.size()) {
          ASSERT_EQ(std::memcmp(a, b, n), 0) << n << " " << at << " " << c;
        }
      }
    }
  }
}

TEST(SnapshotWire, VarintsAreMinimal) {
  std::uint8_t buf[10];
  EXPECT_EQ(baton::detail::put_varint(buf, 300) - buf, 2);
  EXPECT_EQ(buf[0], 0xac);
  EXPECT_EQ(buf[1], 0x02);
  std::size_t pos = 0;
  std::uint64_t v = 0;
  EXPECT_EQ(baton::detail::get_varint(buf, 2, pos, 1000, v), baton::errc::ok);
  EXPECT_EQ(v, 300u);
  const std::uint8_t overlong[] = {0x80, 0x00};
  pos = 0;
  EXPECT_EQ(baton::detail::get_varint(overlong, 2, pos, 1000, v),
            baton::errc::snapshot_invalid_field);
  pos = 0;
  EXPECT_EQ(baton::detail::get_varint(buf, 2, pos, 299, v), baton::errc::snapshot_invalid_field);
  pos = 0;
  EXPECT_EQ(baton::detail::get_varint(buf, 1, pos, 1000, v), baton::errc::snapshot_truncated);
  const std::uint8_t too_wide[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
  pos = 0;
  EXPECT_EQ(baton::detail::get_varint(too_wide, 10, pos, UINT64_MAX, v),
            baton::errc::snapshot_invalid_field);
  const std::uint8_t max64[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
  pos = 0;
  EXPECT_EQ(baton::detail::get_varint(max64, 10, pos, UINT64_MAX, v), baton::errc::ok);
  EXPECT_EQ(v, UINT64_MAX);
}

// ---- Golden outputs ----------------------------------------------------------------------------

TEST(Snapshot, GoldenBinary) {
  const baton::context_snapshot s = golden_snapshot();
  EXPECT_EQ(to_hex(baton::encode_binary(s)), golden_hex);
  EXPECT_EQ(baton::binary_size(s), golden_hex.size() / 2);
  auto back = baton::decode_binary(from_hex(golden_hex));
  ASSERT_TRUE(back) << baton::to_string(back.code());
  EXPECT_EQ(*back, s);
  EXPECT_EQ(back->context.tracestate.header(), "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  EXPECT_EQ(back->baggage.get("triggeredAt"), std::optional<std::string_view>("1750000000000"));
  EXPECT_EQ(back->baggage.get("note"), std::optional<std::string_view>("a b"));
  EXPECT_TRUE(back->context.remote);
  EXPECT_EQ(back->context.flags.raw(), 0x03);
}

TEST(Snapshot, GoldenToken) {
  const baton::context_snapshot s = golden_snapshot();
  EXPECT_EQ(baton::encode_token(s), golden_token);
  EXPECT_EQ(baton::token_size(s), golden_token.size());
  auto back = baton::decode_token(golden_token);
  ASSERT_TRUE(back) << baton::to_string(back.code());
  EXPECT_EQ(*back, s);
}

TEST(Snapshot, GoldenMinimal) {
  baton::context_snapshot s{golden_context(), {}};
  s.context.tracestate.clear();
  s.context.remote = false;
  EXPECT_EQ(to_hex(baton::encode_binary(s)), minimal_hex);
  EXPECT_EQ(baton::encode_token(s), minimal_token);
  auto back = baton::decode_token(minimal_token);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, s);
}

TEST(Snapshot, AppendKeepsWhatIsThere) {
  std::string out = "token=";
  baton::append_token(golden_snapshot(), out);
  EXPECT_EQ(out, "token=" + std::string(golden_token));
  std::string bin = "x";
  baton::append_binary(golden_snapshot(), bin);
  EXPECT_EQ(to_hex(bin), "78" + std::string(golden_hex));
}

TEST(Snapshot, TokenUsesOnlySafeCharacters) {
  for (char c : golden_token) {
    const bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.';
    EXPECT_TRUE(safe) << c;
  }
}

// ---- Round trips -------------------------------------------------------------------------------

TEST(Snapshot, RoundTripsEveryFlagByteAndShape) {
  for (int flags = 0; flags < 256; flags += 17) {
    for (bool remote : {false, true}) {
      baton::context_snapshot s{golden_context(), {}};
      s.context.flags = baton::trace_flags(static_cast<std::uint8_t>(flags));
      s.context.remote = remote;
      if (flags % 2 == 0) s.baggage = baton::baggage::parse("k=%E2%82%AC;p=%2C;q,k2=");
      auto t = baton::decode_token(baton::encode_token(s));
      ASSERT_TRUE(t) << baton::to_string(t.code());
      EXPECT_EQ(*t, s);
      auto b = baton::decode_binary(baton::encode_binary(s));
      ASSERT_TRUE(b);
      EXPECT_EQ(*b, s);
    }
  }
}

TEST(Snapshot, RoundTripsLargestDefaults) {
  // The largest tracestate and a 64-member, ~8 KB baggage: the defaults accept them.
  baton::context_snapshot s{golden_context(), {}};
  std::string ts;
  for (int i = 0; i < 32; ++i) {
    if (i != 0) ts += ',';
    std::string key = "k" + std::to_string(i);
    key.resize(256, 'x');
    ts += key + "=" + std::string(256, 'v');
  }
  s.context.tracestate = *baton::tracestate::parse(ts);
  EXPECT_EQ(s.context.tracestate.header().size(), baton::snapshot_limits::largest_tracestate);
  std::string bg;
  for (int i = 0; i < 64; ++i) {
    if (i != 0) bg += ',';
    bg += "key" + std::to_string(100 + i) + "=" + std::string(120, 'a');
  }
  s.baggage = baton::baggage::parse(bg);
  ASSERT_EQ(s.baggage.size(), 64u);
  const std::string token = baton::encode_token(s);
  EXPECT_GT(token.size(), 512u);  // decoded on the heap
  auto back = baton::decode_token(token);
  ASSERT_TRUE(back) << baton::to_string(back.code());
  EXPECT_EQ(*back, s);
}

// ---- make_snapshot ------------------------------------------------------------------------------

TEST(MakeSnapshot, BaggagePolicies) {
  const baton::baggage b = baton::baggage::parse("a=1,b=2,c=3");
  auto all = baton::make_snapshot(golden_context(), b);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->baggage, b);
  EXPECT_EQ(all->context, golden_context());

  baton::snapshot_options none;
  none.baggage = baton::baggage_policy::none;
  auto no = baton::make_snapshot(golden_context(), b, none);
  ASSERT_TRUE(no);
  EXPECT_TRUE(no->baggage.empty());

  const std::vector<std::string_view> keys = {"c", "a"};
  auto some = baton::make_snapshot(golden_context(), b, baton::snapshot_options::allow(keys));
  ASSERT_TRUE(some);
  EXPECT_EQ(some->baggage.header(), "a=1,c=3");
}

TEST(MakeSnapshot, CutsToTheLimits) {
  baton::snapshot_options o;
  o.limits.baggage.max_members = 2;
  auto s = baton::make_snapshot(golden_context(), baton::baggage::parse("a=1,b=2,c=3"), o);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->baggage.header(), "a=1,b=2");

  o = {};
  o.limits.baggage.max_bytes = 7;  // "a=1,c=3": the long b is dropped whole
  s = baton::make_snapshot(golden_context(), baton::baggage::parse("a=1,b=22222,c=3"), o);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->baggage.header(), "a=1,c=3");

  // tracestate: whole members, long ones first, never under 512 characters.
  baton::span_context c = golden_context();
  std::string ts = "big=" + std::string(200, 'b');
  for (int i = 0; i < 20; ++i) ts += ",m" + std::to_string(i) + "=" + std::string(30, 'v');
  c.tracestate = *baton::tracestate::parse(ts);
  ASSERT_GT(c.tracestate.header().size(), 512u);
  o = {};
  o.limits.max_tracestate_size = 600;
  s = baton::make_snapshot(c, {}, o);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->context.tracestate.header(), c.tracestate.header(600));
  EXPECT_FALSE(s->context.tracestate.contains("big"));
  o.limits.max_tracestate_size = 100;  // under the W3C floor: nothing can be kept
  s = baton::make_snapshot(c, {}, o);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->context.tracestate.empty());
}

// Limits above the baggage defaults (64 members, 8192 bytes) are the caller's: the cut list is
// not cut again to the defaults when it is parsed back.
TEST(MakeSnapshot, CutsToLimitsAboveTheBaggageDefaults) {
  baton::baggage b;
  for (int i = 0; i < 150; ++i) ASSERT_TRUE(b.set("k" + std::to_string(i), "v"));
  baton::snapshot_options o;
  o.limits.baggage.max_members = 100;
  o.limits.baggage.max_bytes = 100000;
  auto s = baton::make_snapshot(golden_context(), b, o);
  ASSERT_TRUE(s);
  ASSERT_EQ(s->baggage.size(), 100u);
  EXPECT_EQ(s->baggage.header(o.limits.baggage), b.header(o.limits.baggage));
  EXPECT_EQ(*s->baggage.get("k99"), "v");
  EXPECT_FALSE(s->baggage.get("k100"));

  o.limits.baggage.max_members = 1000;
  o.limits.baggage.max_bytes = 9000;  // over 8192: every entry of a 9000-byte list is kept
  baton::baggage big;
  for (int i = 0; i < 9; ++i) ASSERT_TRUE(big.set("b" + std::to_string(i), std::string(990, 'x')));
  ASSERT_GT(big.byte_size(), 8192u);
  ASSERT_LE(big.header(o.limits.baggage).size(), 9000u);
  o.limits.max_bytes = std::size_t{1} << 20;
  s = baton::make_snapshot(golden_context(), big, o);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->baggage.size(), 9u);
}

TEST(MakeSnapshot, Errors) {
  baton::span_context c = golden_context();
  c.trace_id = {};
  EXPECT_EQ(baton::make_snapshot(c).code(), baton::errc::snapshot_zero_trace_id);
  c = golden_context();
  c.span_id = {};
  EXPECT_EQ(baton::make_snapshot(c).code(), baton::errc::snapshot_zero_span_id);
  baton::snapshot_options o;
  o.limits.max_bytes = 40;
  EXPECT_EQ(baton::make_snapshot(golden_context(), {}, o).code(), baton::errc::snapshot_too_large);
}

// ---- Text map -------------------------------------------------------------------------------

TEST(SnapshotTextMap, WritesTheW3cFields) {
  std::map<std::string, std::string> carrier;
  ASSERT_TRUE(baton::encode_text_map(golden_snapshot(), carrier));
  const std::map<std::string, std::string> expected = {
      {"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03"},
      {"tracestate", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"},
      {"baggage", "triggeredAt=1750000000000,userId=alice;p,note=a%20b"}};
  EXPECT_EQ(carrier, expected);
  auto back = baton::decode_text_map(carrier);
  ASSERT_TRUE(back) << baton::to_string(back.code());
  EXPECT_EQ(*back, golden_snapshot());
}

TEST(SnapshotTextMap, WhatW3cCannotCarry) {
  baton::context_snapshot s{golden_context(), {}};
  s.context.flags = baton::trace_flags(0x81);  // unknown bit 0x80 is sent as 0
  s.context.remote = false;
  s.context.tracestate.clear();
  baton::http_headers h;
  h.add("tracestate", "stale=1");
  h.add("baggage", "stale=1");
  ASSERT_TRUE(baton::encode_text_map(s, h));
  auto back = baton::decode_text_map(h);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->context.flags.raw(), 0x01);
  EXPECT_TRUE(back->context.remote);
  EXPECT_TRUE(back->context.tracestate.empty());  // the stale fields were removed
  EXPECT_TRUE(back->baggage.empty());

  baton::context_snapshot invalid;
  std::map<std::string, std::string> m;
  EXPECT_FALSE(baton::encode_text_map(invalid, m));
  EXPECT_TRUE(m.empty());
}

TEST(SnapshotTextMap, IsStrict) {
  using map = std::map<std::string, std::string>;
  const std::string tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  EXPECT_EQ(baton::decode_text_map(map{}).error(),
            err(baton::errc::snapshot_missing_traceparent, 0));
  EXPECT_EQ(baton::decode_text_map(map{{"baggage", "a=1"}}).code(),
            baton::errc::snapshot_missing_traceparent);
  EXPECT_EQ(baton::decode_text_map(map{{"traceparent", tp.substr(0, 54)}}).error(),
            err(baton::errc::traceparent_invalid_length, 54));
  EXPECT_EQ(baton::decode_text_map(map{{"traceparent", tp}, {"tracestate", "a=1,B=2"}}).error(),
            err(baton::errc::tracestate_invalid_key, 4));
  EXPECT_EQ(baton::decode_text_map(map{{"traceparent", tp}, {"tracestate", "a=1,a=2"}}).error(),
            err(baton::errc::tracestate_duplicate_key, 4));
  EXPECT_EQ(baton::decode_text_map(map{{"traceparent", tp}, {"baggage", "a=1,b c=2"}}).error(),
            err(baton::errc::baggage_invalid_key, 6));
  baton::snapshot_limits limits;
  limits.baggage.max_members = 1;
  EXPECT_EQ(baton::decode_text_map(map{{"traceparent", tp}, {"baggage", "a=1,b=2"}}, limits).code(),
            baton::errc::snapshot_too_large);
  limits = {};
  limits.max_tracestate_size = 3;
  EXPECT_EQ(
      baton::decode_text_map(map{{"traceparent", tp}, {"tracestate", "a=1,b=2"}}, limits).code(),
      baton::errc::snapshot_too_large);
  limits = {};
  limits.max_bytes = 40;
  EXPECT_EQ(baton::decode_text_map(map{{"traceparent", tp}, {"baggage", "a=1"}}, limits).code(),
            baton::errc::snapshot_too_large);
}

// ---- Decode errors: the envelope ---------------------------------------------------------------

TEST(SnapshotDecode, EveryPrefixIsTruncated) {
  const std::string bytes = from_hex(golden_hex);
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    const baton::error e = binary_error(std::string_view(bytes).substr(0, n));
    EXPECT_EQ(e.code, baton::errc::snapshot_truncated) << n;
    EXPECT_EQ(e.offset, n);
  }
}

TEST(SnapshotDecode, Magic) {
  std::string b = from_hex(minimal_hex);
  b[0] = 'B';
  EXPECT_EQ(binary_error(b), err(baton::errc::snapshot_bad_magic, 0));
  b = from_hex(minimal_hex);
  b[1] = 'x';
  EXPECT_EQ(binary_error(b), err(baton::errc::snapshot_bad_magic, 1));
  b = from_hex(minimal_hex);
  b[2] = 'q';
  EXPECT_EQ(binary_error(b), err(baton::errc::snapshot_bad_magic, 2));
  b = from_hex(minimal_hex);
  b[3] = 0;
  EXPECT_EQ(binary_error(b), err(baton::errc::snapshot_bad_magic, 3));
}

TEST(SnapshotDecode, KindAndVersion) {
  std::string b = from_hex(minimal_hex);
  b[2] = 's';
  EXPECT_EQ(binary_error(b), err(baton::errc::snapshot_wrong_kind, 2));
  b = from_hex(minimal_hex);
  b[3] = 2;  // checked before the checksum: a later version may change everything after it
  EXPECT_EQ(binary_error(b), err(baton::errc::snapshot_unsupported_version, 3));
  // A span record is not a context snapshot, and the other way round.
  baton::span_record r =
      *baton::span_record::open("x", golden_context(), baton::span_id::random(), 1);
  EXPECT_EQ(binary_error(baton::encode_span_binary(r)), err(baton::errc::snapshot_wrong_kind, 2));
  EXPECT_EQ(baton::decode_span_binary(from_hex(minimal_hex)).error(),
            err(baton::errc::snapshot_wrong_kind, 2));
}

TEST(SnapshotDecode, ChecksumTrailingAndSize) {
  std::string b = from_hex(minimal_hex);
  b[10] = static_cast<char>(b[10] ^ 0x40);
  EXPECT_EQ(binary_error(b), err(baton::errc::snapshot_bad_checksum, 33));
  b = from_hex(minimal_hex);
  b[b.size() - 1] = static_cast<char>(b[b.size() - 1] ^ 1);
  EXPECT_EQ(binary_error(b), err(baton::errc::snapshot_bad_checksum, 33));
  b = from_hex(minimal_hex) + "x";
  EXPECT_EQ(binary_error(b), err(baton::errc::snapshot_trailing_bytes, 37));
  baton::snapshot_limits limits;
  limits.max_bytes = 36;
  EXPECT_EQ(binary_error(from_hex(minimal_hex), limits), err(baton::errc::snapshot_too_large, 4));
  limits.max_bytes = 37;
  EXPECT_TRUE(baton::decode_binary(from_hex(minimal_hex), limits));
  // A length that claims more than the limit fails before anything is read or allocated.
  EXPECT_EQ(binary_error(from_hex("62746301ffffffff0f")), err(baton::errc::snapshot_too_large, 4));
  EXPECT_EQ(binary_error(from_hex("6274630180")), err(baton::errc::snapshot_truncated, 5));
  EXPECT_EQ(binary_error(from_hex("627463018000")), err(baton::errc::snapshot_invalid_field, 4));
}

// ---- Decode errors: fields ---------------------------------------------------------------------

TEST(SnapshotDecode, HandMadeFrameMatchesTheEncoder) {
  EXPECT_EQ(to_hex(frame(context_field(0))), minimal_hex);
}

TEST(SnapshotDecode, FieldRules) {
  const std::string ctx = context_field();
  const std::string ts = field(2, "a=1");
  const std::string bg = field(3, "k=v");
  ASSERT_TRUE(baton::decode_binary(frame(ctx + ts + bg)));
  // Missing, repeated, out of order, unknown, tag 0.
  EXPECT_EQ(binary_error(frame(ts)), err(baton::errc::snapshot_missing_field, 10));
  EXPECT_EQ(binary_error(frame(ctx + ctx)), err(baton::errc::snapshot_duplicate_field, 33));
  EXPECT_EQ(binary_error(frame(ctx + bg + ts)), err(baton::errc::snapshot_duplicate_field, 38));
  EXPECT_EQ(binary_error(frame(ctx + field(0x10, "x"))),
            err(baton::errc::snapshot_unknown_field, 33));
  EXPECT_EQ(binary_error(frame(ctx + field(0x7f, ""))),
            err(baton::errc::snapshot_unknown_field, 33));
  EXPECT_EQ(binary_error(frame(ctx + field(0, "x"))), err(baton::errc::snapshot_invalid_field, 33));
  // Unknown tags from 0x80 up are skipped (repeated too), still in ascending order.
  auto skipped = baton::decode_binary(
      frame(ctx + ts + field(0x80, "new") + field(0x80, "") + field(0xff, "later")));
  ASSERT_TRUE(skipped) << baton::to_string(skipped.code());
  EXPECT_EQ(skipped->context.tracestate.header(), "a=1");
  EXPECT_EQ(binary_error(frame(ctx + field(0x80, "new") + ts)),
            err(baton::errc::snapshot_duplicate_field, 38));
  // A field longer than the payload; an overlong length.
  EXPECT_EQ(binary_error(frame(ctx + "\x02\x09"
                                     "a=1")),
            err(baton::errc::snapshot_invalid_field, 34));
  EXPECT_EQ(binary_error(frame(ctx + std::string("\x02\x83\x00", 3) + "a=1")),
            err(baton::errc::snapshot_invalid_field, 34));
}

TEST(SnapshotDecode, ContextField) {
  std::string ctx = context_field();
  EXPECT_EQ(binary_error(frame(ctx.substr(0, 27).replace(1, 1, "\x19"))),
            err(baton::errc::snapshot_invalid_field, 5));
  EXPECT_EQ(binary_error(frame(context_field(0x02))), err(baton::errc::snapshot_invalid_field, 32));
  std::string zero = ctx;
  zero.replace(2, 16, std::string(16, '\0'));
  EXPECT_EQ(binary_error(frame(zero)), err(baton::errc::snapshot_zero_trace_id, 7));
  zero = ctx;
  zero.replace(18, 8, std::string(8, '\0'));
  EXPECT_EQ(binary_error(frame(zero)), err(baton::errc::snapshot_zero_span_id, 23));
}

TEST(SnapshotDecode, TracestateField) {
  const std::string ctx = context_field();
  EXPECT_EQ(binary_error(frame(ctx + field(2, ""))), err(baton::errc::snapshot_invalid_field, 35));
  EXPECT_EQ(binary_error(frame(ctx + field(2, "a=1,B=2"))),
            err(baton::errc::snapshot_invalid_tracestate, 39));
  EXPECT_EQ(binary_error(frame(ctx + field(2, "a=1,a=2"))),
            err(baton::errc::snapshot_invalid_tracestate, 39));
  EXPECT_EQ(binary_error(frame(ctx + field(2, "a=1, b=2"))),  // valid, not canonical
            err(baton::errc::snapshot_invalid_tracestate, 35));
  baton::snapshot_limits limits;
  limits.max_tracestate_size = 6;
  EXPECT_EQ(binary_error(frame(ctx + field(2, "a=1,b=2")), limits),
            err(baton::errc::snapshot_too_large, 35));
}

TEST(SnapshotDecode, BaggageField) {
  const std::string ctx = context_field();
  EXPECT_EQ(binary_error(frame(ctx + field(3, ""))), err(baton::errc::snapshot_invalid_field, 35));
  EXPECT_EQ(binary_error(frame(ctx + field(3, "a=1,b c=2"))),
            err(baton::errc::snapshot_invalid_baggage, 41));
  EXPECT_EQ(binary_error(frame(ctx + field(3, "a=1,a=2"))),
            err(baton::errc::snapshot_invalid_baggage, 39));
  // Valid baggage that is not what header() writes: OWS, lowercase escape, needless escape,
  // ill-formed UTF-8.
  EXPECT_EQ(binary_error(frame(ctx + field(3, "a=1, b=2"))),
            err(baton::errc::snapshot_invalid_baggage, 39));
  EXPECT_EQ(binary_error(frame(ctx + field(3, "a=%2c"))),
            err(baton::errc::snapshot_invalid_baggage, 39));
  EXPECT_EQ(binary_error(frame(ctx + field(3, "a=%41"))),
            err(baton::errc::snapshot_invalid_baggage, 37));
  EXPECT_EQ(binary_error(frame(ctx + field(3, "a=%FF"))),
            err(baton::errc::snapshot_invalid_baggage, 38));
  baton::snapshot_limits limits;
  limits.baggage.max_members = 1;
  EXPECT_EQ(binary_error(frame(ctx + field(3, "a=1,b=2")), limits),
            err(baton::errc::snapshot_too_large, 39));
  limits = {};
  limits.baggage.max_bytes = 6;
  EXPECT_EQ(binary_error(frame(ctx + field(3, "a=1,b=2")), limits),
            err(baton::errc::snapshot_too_large, 35));
}

// The one-pass decoder of canonical baggage (the common case of a baggage field) must accept
// exactly the canonical texts it is meant for, as the general parser reads them, and leave every
// other text to the general parser and comparison (whose errors the test above checks).
TEST(SnapshotDecode, CanonicalBaggageFastPath) {
  const auto canonical_by_parser = [](std::string_view text) {
    baton::baggage_report report;
    baton::baggage b = baton::baggage::parse(text, {}, &report);
    return report.empty() && baton::detail::baggage_mismatch(b, text) == std::string_view::npos;
  };
  const auto fast = [](std::string_view text, std::size_t max_members = 64) {
    baton::baggage out;
    return baton::detail::baggage_decode_canonical(text, max_members, out)
               ? std::optional<baton::baggage>(std::move(out))
               : std::nullopt;
  };
  const std::vector<std::string> accepted = {
      "a=1",
      "userId=alice,serverNode=DF%2028,triggeredAt=1750000000000",
      "k=",  // an empty value
      "k=v;p",
      "k=v;p=",  // a property with an empty value
      "k=v;p=1;q;r=%2C%3B,k2=x=y",
      "emoji=%F0%9F%98%80,e=%C3%A9",
      "sym=!#$&'()*+-./:<=>?@[]^_`{|}~",
      "ctl=%00%09%0A%0D%20%22%25%2C%3B%5C%7F",
  };
  for (const std::string& text : accepted) {
    ASSERT_TRUE(canonical_by_parser(text)) << text;
    const std::optional<baton::baggage> b = fast(text);
    ASSERT_TRUE(b.has_value()) << text;
    EXPECT_EQ(*b, baton::baggage::parse(text)) << text;
    EXPECT_EQ(b->header(), text);
  }
  const baton::baggage props = *fast("k=v;p=;q");
  const baton::baggage::entry e = *props.begin();
  ASSERT_EQ(e.properties.size(), 2u);
  auto prop = e.properties.begin();
  EXPECT_EQ((*prop).key, "p");
  EXPECT_EQ((*prop).value, std::optional<std::string_view>(""));
  ++prop;
  EXPECT_EQ((*prop).key, "q");
  EXPECT_FALSE((*prop).value.has_value());

  // Not canonical: left to the general parser, which finds the problem.
  const std::vector<std::string> not_canonical = {
      "a=1, b=2", "a=1 ",  " a=1",        "a=1,", ",a=1", "a=1,,b=2", "a=%2c", "a=%41",
      "a=%FF",    "a=%C3", "a=%ED%A0%80", "a=%",  "a=%2", "a=1,a=2",  "a=1;",  "a=1;;p",
      "a=1; p",   "a",     "a=b c",       "a=\"", "=1",   "a=1;=2",   "a=1\n",
  };
  for (const std::string& text : not_canonical) {
    EXPECT_FALSE(fast(text).has_value()) << text;
    EXPECT_FALSE(canonical_by_parser(text)) << text;
  }
  EXPECT_FALSE(fast("").has_value());  // an empty field is snapshot_invalid_field
  // Canonical but outside the fast path: more members than allowed (the general parser reports
  // snapshot_too_large), more than 16 entries or 1 KiB (the general parser accepts them).
  EXPECT_FALSE(fast("a=1,b=2", 1).has_value());
  std::string many;
  for (int i = 0; i < 17; ++i) many += (i ? ",k" : "k") + std::to_string(i) + "=v";
  EXPECT_FALSE(fast(many).has_value());
  EXPECT_TRUE(canonical_by_parser(many));
  const std::string long_value = "k=" + std::string(1100, 'v');
  EXPECT_FALSE(fast(long_value).has_value());
  EXPECT_TRUE(canonical_by_parser(long_value));
  // Both paths give the same snapshot.
  for (const std::string& text : {many, long_value, accepted[1]}) {
    baton::span_context c;
    c.trace_id = *baton::trace_id::from_hex("4bf92f3577b34da6a3ce929d0e0e4736");
    c.span_id = *baton::span_id::from_hex("00f067aa0ba902b7");
    const baton::context_snapshot s{c, baton::baggage::parse(text)};
    auto back = baton::decode_token(baton::encode_token(s));
    ASSERT_TRUE(back) << baton::to_string(back.code());
    EXPECT_EQ(*back, s);
    EXPECT_EQ(back->baggage.header(), text);
  }
}

// The same for tracestate: the one-pass reader takes canonical Level 2 lists of up to 8
// members, as the general parser reads them, and leaves everything else to it.
TEST(SnapshotDecode, CanonicalTracestateFastPath) {
  const auto canonical_by_parser = [](std::string_view text) {
    baton::tracestate_notes notes;
    const auto ts = baton::tracestate::parse(text, {}, &notes);
    return ts && notes.dropped == 0 && ts->header() == text;
  };
  const auto fast = [](std::string_view text) {
    baton::tracestate out;
    return baton::detail::tracestate_decode_canonical(text, out)
               ? std::optional<baton::tracestate>(std::move(out))
               : std::nullopt;
  };
  const std::string v256(256, 'v'), k256 = "k" + std::string(255, 'z');
  const std::vector<std::string> accepted = {
      "a=1",
      "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE",
      "k= leading space kept",
      "0k=digit first",
      "tenant@system=x,a_b-c*d/e=!\"#$%&'()*+-./:;<>?@[\\]^_`{|}~",
      "k=" + v256,
      k256 + "=v",
      "a=1,b=2,c=3,d=4,e=5,f=6,g=7,h=8",
  };
  for (const std::string& text : accepted) {
    ASSERT_TRUE(canonical_by_parser(text)) << text;
    const std::optional<baton::tracestate> ts = fast(text);
    ASSERT_TRUE(ts.has_value()) << text;
    EXPECT_EQ(*ts, *baton::tracestate::parse(text)) << text;
    EXPECT_EQ(ts->header(), text);
    ASSERT_EQ(ts->size(), baton::tracestate::parse(text)->size());
    for (std::size_t i = 0; i < ts->size(); ++i) {
      EXPECT_EQ((*ts)[i], (*baton::tracestate::parse(text))[i]) << text << " " << i;
    }
  }
  EXPECT_EQ(fast("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")->get("congo"),
            std::optional<std::string_view>("t61rcWkgMzE"));

  const std::vector<std::string> not_canonical = {
      "a=1, b=2",
      "a=1 ",
      " a=1",
      "a=1,",
      ",a=1",
      "a=1,,b=2",
      "a=1,a=2",
      "A=1",
      "_a=1",
      "a",
      "a=",
      "a==1",
      "a=1\t",
      "a=\x7f",
      "a=b,c",
      "=1",
      "k=" + v256 + "v",
      k256 + "z=v",
  };
  for (const std::string& text : not_canonical) {
    EXPECT_FALSE(fast(text).has_value()) << text;
    EXPECT_FALSE(canonical_by_parser(text)) << text;
  }
  EXPECT_FALSE(fast("").has_value());  // an empty field is snapshot_invalid_field
  // Canonical but over 8 members: the general parser accepts it, and both paths agree.
  const std::string nine = "a=1,b=2,c=3,d=4,e=5,f=6,g=7,h=8,i=9";
  EXPECT_FALSE(fast(nine).has_value());
  EXPECT_TRUE(canonical_by_parser(nine));
  for (const std::string& text : {nine, accepted[1]}) {
    baton::span_context c;
    c.trace_id = *baton::trace_id::from_hex("4bf92f3577b34da6a3ce929d0e0e4736");
    c.span_id = *baton::span_id::from_hex("00f067aa0ba902b7");
    c.tracestate = *baton::tracestate::parse(text);
    const baton::context_snapshot s{c, {}};
    auto back = baton::decode_token(baton::encode_token(s));
    ASSERT_TRUE(back) << baton::to_string(back.code());
    EXPECT_EQ(*back, s);
    EXPECT_EQ(back->context.tracestate.header(), text);
  }
}

// ---- Decode errors: tokens ---------------------------------------------------------------------

TEST(SnapshotToken, Prefix) {
  const std::string rest(minimal_token.substr(4));
  EXPECT_EQ(token_error(""), err(baton::errc::snapshot_truncated, 0));
  EXPECT_EQ(token_error("b"), err(baton::errc::snapshot_truncated, 1));
  EXPECT_EQ(token_error("bc1"), err(baton::errc::snapshot_truncated, 3));
  EXPECT_EQ(token_error("xc1." + rest), err(baton::errc::snapshot_bad_magic, 0));
  EXPECT_EQ(token_error("bx1." + rest), err(baton::errc::snapshot_bad_magic, 1));
  EXPECT_EQ(token_error("bs1." + rest), err(baton::errc::snapshot_wrong_kind, 1));
  EXPECT_EQ(token_error("bc." + rest), err(baton::errc::snapshot_bad_magic, 2));
  EXPECT_EQ(token_error("bc01." + rest), err(baton::errc::snapshot_bad_magic, 2));
  EXPECT_EQ(token_error("bc1-" + rest), err(baton::errc::snapshot_bad_magic, 3));
  EXPECT_EQ(token_error("bc2." + rest), err(baton::errc::snapshot_unsupported_version, 2));
  EXPECT_EQ(token_error("bc10." + rest), err(baton::errc::snapshot_unsupported_version, 2));
}

TEST(SnapshotToken, Base64) {
  const std::string t(minimal_token);
  EXPECT_EQ(token_error(t + "="), err(baton::errc::snapshot_invalid_base64, 54));
  EXPECT_EQ(token_error(t.substr(0, 10) + "+" + t.substr(11)),
            err(baton::errc::snapshot_invalid_base64, 10));
  EXPECT_EQ(token_error(t.substr(0, 10) + " " + t.substr(11)),
            err(baton::errc::snapshot_invalid_base64, 10));
  // 37 bytes: the last character carries 4 spare bits, which must be zero.
  std::string spare = t;
  spare.back() = 'R';
  EXPECT_EQ(token_error(spare), err(baton::errc::snapshot_invalid_base64, 53));
  EXPECT_EQ(token_error(t + "AAA"), err(baton::errc::snapshot_invalid_base64, 56));  // 53 chars
}

TEST(SnapshotToken, BinaryErrorsPointIntoTheToken) {
  std::string t(minimal_token);
  t[20] = t[20] == 'A' ? 'B' : 'A';  // a payload byte: the checksum no longer matches
  EXPECT_EQ(token_error(t), err(baton::errc::snapshot_bad_checksum, 4 + 11 * 4 + 0));
  EXPECT_EQ(token_error(minimal_token.substr(0, 52)), err(baton::errc::snapshot_truncated, 52));
  baton::snapshot_limits limits;
  limits.max_bytes = 36;
  EXPECT_EQ(token_error(minimal_token, limits), err(baton::errc::snapshot_too_large, 4));
  // Decoded bytes over the limit are refused from the token's length alone.
  EXPECT_EQ(token_error("bc1." + std::string(100000, 'A')),
            err(baton::errc::snapshot_too_large, 4));
  EXPECT_EQ(token_error("bc1."), err(baton::errc::snapshot_truncated, 4));
}

TEST(SnapshotErrors, NamesAndMessages) {
  for (int code = 160; code <= 191; ++code) {
    const auto e = static_cast<baton::errc>(code);
    if (baton::to_string(e) == "unknown") continue;
    EXPECT_NE(baton::message(e), "unknown error") << code;
    const std::error_code ec = e;
    EXPECT_EQ(ec.category().name(), std::string("baton"));
  }
  EXPECT_EQ(baton::to_string(baton::errc::snapshot_bad_checksum), "snapshot_bad_checksum");
  EXPECT_EQ(baton::to_string(baton::errc::span_record_not_child), "span_record_not_child");
  EXPECT_EQ(static_cast<int>(baton::errc::snapshot_missing_traceparent), 176);
  EXPECT_EQ(static_cast<int>(baton::errc::span_record_not_child), 185);
}

}  // namespace
