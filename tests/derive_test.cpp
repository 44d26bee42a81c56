// derive.hpp and detail/siphash.hpp: the SipHash core against the reference vectors, and the
// published derivation vectors of docs/derivation.md (also recomputed by
// tools/derive_vectors.py, an independent implementation of the spec).
#include "baton/derive.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>

namespace {

using baton::derivation_key;
using baton::derivation_namespace;

std::string hex(const unsigned char* p, std::size_t n) {
  static const char digits[] = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    s += digits[p[i] >> 4];
    s += digits[p[i] & 15];
  }
  return s;
}

struct reference_input {
  unsigned char key[16];
  unsigned char message[64];
  reference_input() {
    for (int i = 0; i < 16; ++i) key[i] = static_cast<unsigned char>(i);
    for (int i = 0; i < 64; ++i) message[i] = static_cast<unsigned char>(i);
  }
};

// SipHash-2-4 reference vectors (key 00..0f, message 00 01 02 ... of length n), 64-bit output
// as the integer whose little-endian bytes the reference code writes.
TEST(SipHash, Reference64BitVectors) {
  const reference_input in;
  const std::pair<std::size_t, std::uint64_t> vectors[] = {
      {0, 0x726fdb47dd0e0e31ull},  {1, 0x74f839c593dc67fdull},  {2, 0x0d6c8009d9a94f5aull},
      {7, 0xab0200f58b01d137ull},  {8, 0x93f5f5799a932462ull},  {15, 0xa129ca6149be45e5ull},
      {16, 0x3f2acc7f57c29bdbull}, {63, 0x958a324ceb064572ull},
  };
  for (const auto& [n, want] : vectors) {
    EXPECT_EQ(baton::detail::siphash_64(in.key, in.message, n), want) << n;
  }
}

TEST(SipHash, Reference128BitVectors) {
  const reference_input in;
  const std::pair<std::size_t, const char*> vectors[] = {
      {0, "a3817f04ba25a8e66df67214c7550293"},  {1, "da87c1d86b99af44347659119b22fc45"},
      {2, "8177228da4a45dc7fca38bdef60affe4"},  {8, "3b62a9ba6258f5610f83e264f31497b4"},
      {15, "5493e99933b0a8117e08ec0f97cfc3d9"}, {63, "5150d1772f50834a503e069a973fbd7c"},
  };
  for (const auto& [n, want] : vectors) {
    unsigned char out[16];
    baton::detail::siphash_128(in.key, in.message, n, out);
    EXPECT_EQ(hex(out, 16), want) << n;
  }
}

// SipHash-1-3 is the same code with other round counts; CPython 3.11+ hashes bytes with it, so
// `PYTHONHASHSEED=0 python3 -c 'print(hash(b"abcdefgh"))'` (zero key, signed) is a reference.
TEST(SipHash, OneThreeMatchesCPythonBytesHash) {
  const unsigned char zero_key[16] = {};
  EXPECT_EQ(static_cast<std::int64_t>(
                baton::detail::siphash_64<baton::detail::siphash13>(zero_key, "a", 1)),
            4644417185603328019ll);
  EXPECT_EQ(static_cast<std::int64_t>(
                baton::detail::siphash_64<baton::detail::siphash13>(zero_key, "abcdefgh", 8)),
            4574395652268504554ll);
  const std::string longer = "hello world, this is longer than 16";
  EXPECT_EQ(static_cast<std::int64_t>(baton::detail::siphash_64<baton::detail::siphash13>(
                zero_key, longer.data(), longer.size())),
            -614878979505188855ll);
}

TEST(SipHash, AnyChunkingGivesTheSameTag) {
  const reference_input in;
  for (std::size_t n = 0; n <= 64; ++n) {
    const std::uint64_t whole = baton::detail::siphash_64(in.key, in.message, n);
    for (std::size_t cut1 = 0; cut1 <= n; ++cut1) {
      for (std::size_t cut2 = cut1; cut2 <= n; cut2 += 3) {
        baton::detail::siphash24 h(in.key, false);
        h.update(in.message, cut1);
        h.update(in.message + cut1, cut2 - cut1);
        h.update(nullptr, 0);
        h.update(in.message + cut2, n - cut2);
        ASSERT_EQ(h.finish64(), whole) << n << ' ' << cut1 << ' ' << cut2;
      }
    }
  }
}

// ---- the published vectors (docs/derivation.md) --------------------------------------------

constexpr std::string_view exec_id = "3f2b8c1e-9a4d-4f6b-8e2a-7c5d1b0e9f43";
constexpr std::string_view step = "invoiceCustomer/emailCustomerInvoice";
// "ex\u00e9cution-" followed by two CJK characters, as UTF-8.
const std::string nonascii_exec =
    "ex\xc3\xa9"
    "cution-\xe6\xad\xa5\xe9\xaa\xa4";
const std::string raw_step("step\x00\xff\xfe/\x80", 9);  // not UTF-8, with a NUL
const std::string long_exec(300, 'x');

derivation_namespace key_00_0f() {
  derivation_namespace ns;
  for (std::size_t i = 0; i < 16; ++i) ns.key[i] = static_cast<std::uint8_t>(i);
  return ns;
}

std::string span(const derivation_key& k) {
  return baton::derive_span_id(k).to_hex();
}
std::string span(const derivation_namespace& ns, const derivation_key& k) {
  return baton::derive_span_id(ns, k).to_hex();
}

TEST(Derive, NamespaceVectors) {
  EXPECT_EQ(hex(derivation_namespace::from_name("").key.data(), 16),
            "774f8d5568d56d6b18a8f00a9c28e369");  // N1
  EXPECT_EQ(hex(derivation_namespace::from_name("billing").key.data(), 16),
            "a0d584737a1ec9ad14cb6fa16dd0285c");  // N2
  EXPECT_EQ(derivation_namespace{}.key, (std::array<std::uint8_t, 16>{}));
  EXPECT_NE(derivation_namespace::from_name("billing"), derivation_namespace{});
}

TEST(Derive, SpanIdVectors) {
  EXPECT_EQ(span({"", "", 0, 0, ""}), "d4481fe7fa92135b");             // S1
  EXPECT_EQ(span({exec_id, step}), "48a82b447c8456e8");                // S2
  EXPECT_EQ(span({exec_id, step, 0, 0, "span"}), "48a82b447c8456e8");  // S2
  EXPECT_EQ(span({exec_id, step, 1, 0}), "8e30bb31a8c3708f");          // S3
  EXPECT_EQ(span({exec_id, step, 0, 2}), "f527ad5b8c1c40aa");          // S4
  EXPECT_EQ(span({exec_id, step, 3, 1, baton::derivation_role::parent}),
            "cd124c68f48d37f8");                                                           // S5
  EXPECT_EQ(span({exec_id, "", 0, 0, baton::derivation_role::boot}), "3bb05bc440032ab6");  // S6
  EXPECT_EQ(span({nonascii_exec, raw_step}), "5431eb688fe2f41e");                          // S7
  EXPECT_EQ(span({long_exec, step}), "def16b2f7bc0d281");                                  // S8
  EXPECT_EQ(span({exec_id, step, 0xffffffffu, 0x80000000u}), "eb0c5018240458c4");          // S9
  EXPECT_EQ(span(key_00_0f(), {exec_id, step}), "eb6a9df69d597511");                       // S10
  EXPECT_EQ(span(derivation_namespace::from_name("billing"), {exec_id, step}),
            "efe0dc27ef2270ea");                     // S11
  EXPECT_EQ(span({"ab", "c"}), "68489005807e56f8");  // S12
  EXPECT_EQ(span({"a", "bc"}), "9dd3bf4b3e7765cc");  // S13
}

TEST(Derive, TraceIdVectors) {
  EXPECT_EQ(baton::derive_trace_id("").to_hex(), "2db3538df5c6ab716dd6628b30b432f8");       // T1
  EXPECT_EQ(baton::derive_trace_id(exec_id).to_hex(), "80203a57c20282bce82a2cb86bdcf950");  // T2
  EXPECT_EQ(baton::derive_trace_id(exec_id, "trace").to_hex(),
            "80203a57c20282bce82a2cb86bdcf950");  // T2
  EXPECT_EQ(baton::derive_trace_id(exec_id, "generation-2").to_hex(),
            "98349110c1427d5781939c4db65b2d1c");  // T3
  EXPECT_EQ(baton::derive_trace_id(nonascii_exec).to_hex(),
            "e078076403e53d2b168e5d8faa0710d7");  // T4
  EXPECT_EQ(baton::derive_trace_id(long_exec).to_hex(),
            "f62b1ac96c0b559fff96f4539b04b8e9");  // T5
  EXPECT_EQ(baton::derive_trace_id(derivation_namespace::from_name("billing"), exec_id).to_hex(),
            "7897ea825a183a0fc06a79ab6cb01ec1");  // T6
}

TEST(Derive, XRayTraceIdVectors) {
  EXPECT_EQ(baton::derive_xray_trace_id(exec_id, 1700000000).to_hex(),
            "6553f100aae22d80ba94fec7d54819ad");  // X1
  EXPECT_EQ(baton::derive_xray_trace_id(exec_id, 0).to_hex(),
            "00000000aae22d80ba94fec7d54819ad");  // X2
  EXPECT_EQ(baton::derive_xray_trace_id(exec_id, 0xffffffffu).to_hex(),
            "ffffffffaae22d80ba94fec7d54819ad");  // X3
  EXPECT_EQ(baton::derive_xray_trace_id(key_00_0f(), exec_id, 1700000000).to_hex(),
            "6553f100fef065ebaf744402f2955241");  // X4
  // The X-Ray text form is "1-" + first 8 hex + "-" + last 24 hex.
  const std::string h = baton::derive_xray_trace_id(exec_id, 1700000000).to_hex();
  EXPECT_EQ("1-" + h.substr(0, 8) + "-" + h.substr(8), "1-6553f100-aae22d80ba94fec7d54819ad");
}

TEST(Derive, EveryFieldChangesTheId) {
  const derivation_key base{exec_id, step, 1, 1, "span"};
  std::set<std::string> seen{span(base)};
  seen.insert(span({"3f2b8c1e-9a4d-4f6b-8e2a-7c5d1b0e9f44", step, 1, 1, "span"}));
  seen.insert(span({exec_id, "invoiceCustomer/emailCustomerInvoicE", 1, 1, "span"}));
  seen.insert(span({exec_id, step, 2, 1, "span"}));
  seen.insert(span({exec_id, step, 1, 2, "span"}));
  seen.insert(span({exec_id, step, 1, 1, "spaN"}));
  seen.insert(span(derivation_namespace::from_name("x"), base));
  EXPECT_EQ(seen.size(), 7u);
  // Span, trace and X-Ray derivations of the same text are unrelated (domain bytes).
  EXPECT_NE(baton::derive_trace_id(exec_id).to_hex().substr(8),
            baton::derive_xray_trace_id(exec_id, 0).to_hex().substr(8));
}

TEST(Derive, SameKeyAlwaysSameId) {
  const derivation_key k{exec_id, step, 5, 3, "parent"};
  const baton::span_id first = baton::derive_span_id(k);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(baton::derive_span_id(k), first);
  EXPECT_TRUE(first.is_valid());
  // Copies of the strings (other addresses) give the same id.
  const std::string e(exec_id), s(step), r("parent");
  EXPECT_EQ(baton::derive_span_id({e, s, 5, 3, r}), first);
}

// The message written out by hand (docs/derivation.md) and hashed in one call equals what the
// hasher computes from the fields, joined word by word, for every field alignment.
void put_u32(std::string& m, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) m.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void put_field(std::string& m, std::string_view f) {
  put_u32(m, static_cast<std::uint32_t>(f.size()));
  m.append(f);
}

TEST(Derive, FieldsJoinedWordByWordEqualTheWrittenOutMessage) {
  const derivation_namespace zero_ns;
  const unsigned char* zero_key = zero_ns.key.data();
  for (std::size_t n = 0; n <= 90; ++n) {
    for (std::size_t role_size = 0; role_size <= 9; ++role_size) {
      const std::string e(n, 'e'), s(n % 17, 's'), r(role_size, 'r');
      const derivation_key k{e, s, 7, 1, r};
      std::string m = "\x01";
      put_field(m, e);
      put_field(m, s);
      put_u32(m, 7);
      put_u32(m, 1);
      put_field(m, r);
      unsigned char bytes[8];
      baton::detail::store_le64(
          bytes, baton::detail::siphash_64<baton::detail::siphash13>(zero_key, m.data(), m.size()));
      baton::detail::derive_make_nonzero(bytes);
      ASSERT_EQ(baton::derive_span_id(k), baton::span_id::from_bytes(bytes))
          << n << ' ' << role_size;

      std::string t = "\x02";
      put_field(t, e);
      put_field(t, r);
      unsigned char tbytes[16];
      baton::detail::siphash_128<baton::detail::siphash13>(zero_key, t.data(), t.size(), tbytes);
      baton::detail::derive_make_nonzero(tbytes);
      ASSERT_EQ(baton::derive_trace_id(e, r), baton::trace_id::from_bytes(tbytes)) << n;
    }
  }
}

TEST(Derive, AllZeroOutputGetsItsLastByteSet) {
  unsigned char zero8[8] = {};
  baton::detail::derive_make_nonzero(zero8);
  EXPECT_EQ(hex(zero8, 8), "0000000000000001");
  unsigned char zero16[16] = {};
  baton::detail::derive_make_nonzero(zero16);
  EXPECT_EQ(hex(zero16, 16), "00000000000000000000000000000001");
  unsigned char some[8] = {0, 0, 0, 0, 0, 0, 0x80, 0};
  baton::detail::derive_make_nonzero(some);
  EXPECT_EQ(hex(some, 8), "0000000000008000");  // unchanged
}

TEST(Derive, RandomIdsStayAvailable) {
  EXPECT_TRUE(baton::span_id::random().is_valid());
  EXPECT_NE(baton::span_id::random(), baton::span_id::random());
}

}  // namespace
