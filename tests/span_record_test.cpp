// span_record: open / child / close / cover semantics, limits, and the record's binary form and
// token (golden bytes, round trips, every record-specific decode error).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "baton/detail/crc32c.hpp"
#include "baton/detail/wire.hpp"
#include "baton/span_record.hpp"
#include "baton/span_record_codec.hpp"

namespace {

using baton::errc;
using baton::span_record;

std::string from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
    out.push_back(static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
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

baton::span_id sid(std::string_view hex) {
  return *baton::span_id::from_hex(hex);
}

baton::span_context parent_context() {
  baton::span_context c;
  c.trace_id = *baton::trace_id::from_hex("4bf92f3577b34da6a3ce929d0e0e4736");
  c.span_id = sid("00f067aa0ba902b7");
  c.flags = baton::trace_flags(0x03);
  c.tracestate = *baton::tracestate::parse("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  c.remote = true;
  return c;
}

constexpr std::uint64_t t0 = 1750000000000000000ull;

span_record golden_record() {
  span_record r =
      *span_record::open("invoiceCustomer", parent_context(), sid("53995c3f42cd8ad8"), t0);
  r.kind = baton::span_kind::server;
  r.set_attribute("customer.id", "c-42");
  r.set_attribute("retries", 3);
  r.set_attribute("ratio", 0.5);
  r.set_attribute("paid", true);
  r.add_link(parent_context(), {{"link.kind", "trigger"}});
  r.set_status(baton::span_status_code::error, "card declined");
  EXPECT_TRUE(r.close(t0 + 326000000));
  r.emitted = true;
  return r;
}

// Checked against an independent CRC-32C and base64url (Python) when it was made.
constexpr std::string_view golden_hex =
    "627473019d02"                                              // "bts", v1, payload 285
    "011a4bf92f3577b34da6a3ce929d0e0e473653995c3f42cd8ad80301"  // identity, emitted
    "020800f067aa0ba902b7"                                      // parent span id
    "03110200"
    "00ef64ba3f491880"
    "5d5d78ba3f491804"                                            // server, start, end
    "0f696e766f696365437573746f6d6572"                            // name
    "0527726f6a6f3d303066303637616130626139303262372c636f6e676f"  // tracestate
    "3d7436317263576b674d7a45"
    "060e0263617264206465636c696e6564"          // status error
    "08120b637573746f6d65722e69640104632d3432"  // customer.id = "c-42"
    "0811077265747269657302"
    "0300000000000000"  // retries = 3
    "080f05726174696f03"
    "000000000000e03f"  // ratio = 0.5
    "08070470616964"
    "040109"  // paid = true; link:
    "574bf92f3577b34da6a3ce929d0e0e473600f067aa0ba902b70301"
    "27726f6a6f3d303066303637616130626139303262372c636f6e676f3d7436317263576b674d7a45"
    "0001096c696e6b2e6b696e6401077472696767657215"
    "9c09c4";  // (the last byte of the link, then the CRC-32C)

constexpr std::string_view golden_token =
    "bs1.YnRzAZ0CARpL-"
    "S81d7NNpqPOkp0ODkc2U5lcP0LNitgDAQIIAPBnqgupArcDEQIAAO9kuj9JGIBdXXi6P0kYBA9pbnZ"
    "vaWNlQ3VzdG9tZXIFJ3Jvam89MDBmMDY3YWEwYmE5MDJiNyxjb25nbz10NjFyY1drZ016RQYOAmNhcmQgZGVjbGluZWQIE"
    "g"
    "tjdXN0b21lci5pZAEEYy00MggRB3JldHJpZXMCAwAAAAAAAAAIDwVyYXRpbwMAAAAAAADgPwgHBHBhaWQEAQlXS_kvNXez"
    "TaajzpKdDg5HNgDwZ6oLqQK3AwEncm9qbz0wMGYwNjdhYTBiYTkwMmI3LGNvbmdvPXQ2MXJjV2tnTXpFAAEJbGluay5raW"
    "5kAQd0cmlnZ2VyFZwJxA";

std::string frame(std::string_view payload) {
  std::string out = "bts";
  out.push_back(1);
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

std::string field(std::uint8_t tag, std::string_view value) {
  std::string f(1, static_cast<char>(tag));
  f.push_back(static_cast<char>(value.size()));  // short values only
  f.append(value.data(), value.size());
  return f;
}

// Identity (tag 1, at offset 5 of a frame, value at 7) and timing (tag 3, at 33, value at 35).
const std::string identity = from_hex("011a4bf92f3577b34da6a3ce929d0e0e473653995c3f42cd8ad80300");
std::string timing(std::uint8_t kind = 1, std::uint64_t start = 5, std::uint64_t end = 0) {
  std::string v(1, static_cast<char>(kind));
  for (int i = 0; i < 8; ++i) v.push_back(static_cast<char>(start >> (8 * i)));
  for (int i = 0; i < 8; ++i) v.push_back(static_cast<char>(end >> (8 * i)));
  return field(3, v);
}

baton::error decode_error(std::string_view bytes, const baton::span_record_limits& limits = {}) {
  return baton::decode_span_binary(bytes, limits).error();
}

baton::error err(errc code, std::uint32_t offset) {
  return {code, offset};
}

// ---- attribute_value ---------------------------------------------------------------------------

TEST(AttributeValue, TypesAndAccessors) {
  const baton::attribute_value s("text"), i(42), u(7u), d(0.25), f(1.5f), b(false), n;
  EXPECT_EQ(s.type(), baton::attribute_type::string);
  EXPECT_EQ(s.as_string(), "text");
  EXPECT_EQ(s.as_int64(), 0);
  EXPECT_EQ(i.type(), baton::attribute_type::int64);
  EXPECT_EQ(i.as_int64(), 42);
  EXPECT_EQ(u.as_int64(), 7);
  EXPECT_EQ(d.type(), baton::attribute_type::float64);
  EXPECT_EQ(d.as_double(), 0.25);
  EXPECT_EQ(f.as_double(), 1.5);
  EXPECT_EQ(b.type(), baton::attribute_type::boolean);
  EXPECT_FALSE(b.as_bool());
  EXPECT_EQ(n.type(), baton::attribute_type::string);
  EXPECT_EQ(n.as_string(), "");
  EXPECT_EQ(baton::attribute_value(std::string("x")), baton::attribute_value("x"));
  EXPECT_EQ(baton::attribute_value(static_cast<const char*>(nullptr)).as_string(), "");
  EXPECT_EQ(baton::attribute_value(std::numeric_limits<std::uint64_t>::max()).as_int64(), -1);
  EXPECT_NE(baton::attribute_value(1), baton::attribute_value(1.0));
  EXPECT_NE(baton::attribute_value(1), baton::attribute_value(true));
  // Doubles compare by bits: what was stored comes back, NaN included.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(baton::attribute_value(nan), baton::attribute_value(nan));
  EXPECT_NE(baton::attribute_value(0.0), baton::attribute_value(-0.0));
  EXPECT_EQ(baton::attribute_value::from_double_bits(0x3fe0000000000000ull).as_double(), 0.5);
}

TEST(AttributeValue, TruncatesAtACharacterBoundary) {
  baton::attribute_value v("a\xC3\xA9\xE2\x82\xAC");  // a, e-acute (2 bytes), euro (3 bytes)
  v.truncate(5);
  EXPECT_EQ(v.as_string(), "a\xC3\xA9");
  v.truncate(2);
  EXPECT_EQ(v.as_string(), "a");
  baton::attribute_value bad("\x80\x80\x80\x80\x80");  // not UTF-8: cut at the limit
  bad.truncate(2);
  EXPECT_EQ(bad.as_string(), "\x80\x80");
}

// ---- open / child ------------------------------------------------------------------------------

TEST(SpanRecord, OpenFromAParent) {
  auto r = span_record::open("step", parent_context(), sid("1111111111111111"), t0,
                             baton::span_kind::client);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->name, "step");
  EXPECT_EQ(r->trace_id, parent_context().trace_id);
  EXPECT_EQ(r->span_id, sid("1111111111111111"));
  EXPECT_EQ(r->parent_span_id, parent_context().span_id);
  EXPECT_EQ(r->flags, parent_context().flags);
  EXPECT_EQ(r->tracestate, parent_context().tracestate);
  EXPECT_EQ(r->kind, baton::span_kind::client);
  EXPECT_EQ(r->start_time_unix_nano, t0);
  EXPECT_TRUE(r->is_open());
  EXPECT_FALSE(r->is_closed());
  EXPECT_FALSE(r->is_root());
  EXPECT_EQ(r->duration_unix_nano(), 0u);
  const baton::span_context c = r->context();
  EXPECT_EQ(c.span_id, r->span_id);
  EXPECT_FALSE(c.remote);
  EXPECT_EQ(c.tracestate, parent_context().tracestate);

  EXPECT_EQ(span_record::open("x", baton::span_context{}, sid("1111111111111111"), t0).code(),
            errc::span_record_invalid_parent);
  EXPECT_EQ(span_record::open("x", parent_context(), baton::span_id{}, t0).code(),
            errc::span_record_zero_id);
}

TEST(SpanRecord, OpenRoot) {
  const auto trace = *baton::trace_id::from_hex("0af7651916cd43dd8448eb211c80319c");
  auto r =
      span_record::open_root("root", trace, sid("b7ad6b7169203331"), baton::trace_flags(0x01), t0);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->is_root());
  EXPECT_FALSE(r->parent_span_id.is_valid());
  EXPECT_EQ(r->kind, baton::span_kind::internal);
  EXPECT_TRUE(r->tracestate.empty());
  EXPECT_EQ(span_record::open_root("x", baton::trace_id{}, sid("b7ad6b7169203331"),
                                   baton::trace_flags(1), t0)
                .code(),
            errc::span_record_zero_id);
  EXPECT_EQ(span_record::open_root("x", trace, baton::span_id{}, baton::trace_flags(1), t0).code(),
            errc::span_record_zero_id);
}

TEST(SpanRecord, NameIsCutToTheLimit) {
  baton::span_limits limits;
  limits.max_name_size = 4;
  auto r = span_record::open("ab\xE2\x82\xAC", parent_context(), sid("1111111111111111"), t0,
                             baton::span_kind::internal, limits);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->name, "ab");
}

TEST(SpanRecord, ChildrenOnlyWhileOpen) {
  span_record parent = *span_record::open("parent", parent_context(), sid("1111111111111111"), t0);
  auto cc = parent.child_context(sid("2222222222222222"));
  ASSERT_TRUE(cc);
  EXPECT_EQ(cc->trace_id, parent.trace_id);
  EXPECT_EQ(cc->span_id, sid("2222222222222222"));
  EXPECT_EQ(cc->flags, parent.flags);
  EXPECT_FALSE(cc->remote);
  EXPECT_EQ(parent.child_context(baton::span_id{}).code(), errc::span_record_zero_id);

  auto child = parent.child("child", sid("3333333333333333"), t0 + 5, baton::span_kind::producer);
  ASSERT_TRUE(child);
  EXPECT_EQ(child->parent_span_id, parent.span_id);
  EXPECT_EQ(child->kind, baton::span_kind::producer);
  EXPECT_TRUE(parent.is_parent_of(*child));
  EXPECT_FALSE(child->is_parent_of(parent));

  ASSERT_TRUE(parent.close(t0 + 10));
  EXPECT_EQ(parent.child_context(sid("2222222222222222")).code(), errc::span_record_closed);
  EXPECT_EQ(parent.child("late", sid("4444444444444444"), t0 + 20).code(),
            errc::span_record_closed);
}

// ---- attributes, links, status ------------------------------------------------------------------

TEST(SpanRecord, AttributesWithinLimits) {
  baton::span_limits limits;
  limits.max_attributes = 2;
  limits.max_key_size = 4;
  limits.max_string_value_size = 3;
  span_record r = *span_record::open("x", parent_context(), sid("1111111111111111"), t0);
  EXPECT_TRUE(r.set_attribute("a", "abcdef", limits));
  EXPECT_TRUE(r.set_attribute("b", 1, limits));
  EXPECT_FALSE(r.set_attribute("c", 2, limits));        // a third key
  EXPECT_TRUE(r.set_attribute("b", 2.5, limits));       // replacing is always allowed
  EXPECT_FALSE(r.set_attribute("", 1, limits));         // empty key
  EXPECT_FALSE(r.set_attribute("toolong", 1, limits));  // key over max_key_size
  ASSERT_EQ(r.attributes.size(), 2u);
  EXPECT_EQ(r.attributes[0], (baton::attribute{"a", "abc"}));
  EXPECT_EQ(r.attributes[1], (baton::attribute{"b", 2.5}));
  EXPECT_EQ(r.dropped_attributes_count, 3u);
  ASSERT_NE(r.find_attribute("b"), nullptr);
  EXPECT_EQ(r.find_attribute("b")->value.as_double(), 2.5);
  EXPECT_EQ(r.find_attribute("c"), nullptr);
}

TEST(SpanRecord, LinksWithinLimits) {
  baton::span_limits limits;
  limits.max_links = 1;
  limits.max_link_attributes = 1;
  span_record r = *span_record::open("x", parent_context(), sid("1111111111111111"), t0);
  EXPECT_FALSE(r.add_link(baton::span_context{}, {}, limits));  // not valid
  EXPECT_TRUE(r.add_link(parent_context(), {{"a", 1}, {"b", 2}, {"a", 3}}, limits));
  const std::vector<baton::attribute> attrs = {{"x", "y"}};
  EXPECT_FALSE(r.add_link(parent_context(), attrs, limits));  // over max_links
  ASSERT_EQ(r.links.size(), 1u);
  EXPECT_EQ(r.links[0].context, parent_context());
  ASSERT_EQ(r.links[0].attributes.size(), 1u);
  EXPECT_EQ(r.links[0].attributes[0], (baton::attribute{"a", 3}));
  EXPECT_EQ(r.links[0].dropped_attributes_count, 1u);
  EXPECT_EQ(r.dropped_links_count, 2u);
}

TEST(SpanRecord, StatusRules) {
  span_record r = *span_record::open("x", parent_context(), sid("1111111111111111"), t0);
  r.set_status(baton::span_status_code::unset, "ignored");
  EXPECT_EQ(r.status, baton::span_status{});
  baton::span_limits limits;
  limits.max_status_message_size = 4;
  r.set_status(baton::span_status_code::error, "timeout", limits);
  EXPECT_EQ(r.status.code, baton::span_status_code::error);
  EXPECT_EQ(r.status.message, "time");
  r.set_status(baton::span_status_code::ok, "dropped");  // ok keeps no message
  EXPECT_EQ(r.status.code, baton::span_status_code::ok);
  EXPECT_EQ(r.status.message, "");
  r.set_status(baton::span_status_code::error, "too late");  // ok is final
  EXPECT_EQ(r.status.code, baton::span_status_code::ok);
}

// ---- close / cover -----------------------------------------------------------------------------

TEST(SpanRecord, CloseErrors) {
  span_record r = *span_record::open("x", parent_context(), sid("1111111111111111"), t0);
  EXPECT_EQ(r.close(0).code(), errc::span_record_zero_end_time);
  EXPECT_EQ(r.close(t0 - 1).code(), errc::span_record_end_before_start);
  EXPECT_TRUE(r.is_open());
  ASSERT_TRUE(r.close(t0));  // zero duration is allowed
  EXPECT_TRUE(r.is_closed());
  EXPECT_EQ(r.close(t0 + 1).code(), errc::span_record_closed);
  EXPECT_EQ(r.end_time_unix_nano, t0);
}

TEST(SpanRecord, CloseCoversChildren) {
  // The Depot folder: a parent opened in one step, children in later steps, closed last.
  span_record parent =
      *span_record::open("invoiceCustomer", parent_context(), sid("1111111111111111"), t0 + 100);
  span_record early = *parent.child("compute", sid("2222222222222222"), t0 + 50);  // clock skew
  span_record late = *parent.child("email", sid("3333333333333333"), t0 + 200);
  ASSERT_TRUE(early.close(t0 + 150));
  ASSERT_TRUE(late.close(t0 + 400));
  ASSERT_TRUE(parent.close(t0 + 300, early, late));
  EXPECT_EQ(parent.start_time_unix_nano, t0 + 50);
  EXPECT_EQ(parent.end_time_unix_nano, t0 + 400);
  EXPECT_EQ(parent.duration_unix_nano(), 350u);

  // An open child counts with its start; a stranger fails the close and changes nothing.
  span_record p2 = *span_record::open("p", parent_context(), sid("4444444444444444"), t0);
  span_record open_child = *p2.child("c", sid("5555555555555555"), t0 + 900);
  span_record stranger = *span_record::open("s", parent_context(), sid("6666666666666666"), t0 - 5);
  EXPECT_EQ(p2.close(t0 + 10, open_child, stranger).error(), err(errc::span_record_not_child, 1));
  EXPECT_TRUE(p2.is_open());
  EXPECT_EQ(p2.start_time_unix_nano, t0);
  ASSERT_TRUE(p2.close(t0 + 10, open_child));
  EXPECT_EQ(p2.end_time_unix_nano, t0 + 900);
  EXPECT_EQ(p2.close(t0 + 20, open_child).code(), errc::span_record_closed);

  span_record p3 = *span_record::open("p", parent_context(), sid("7777777777777777"), t0);
  const span_record* none[] = {&open_child};
  EXPECT_EQ(p3.close_covering(0, none, 0).code(), errc::span_record_zero_end_time);
  EXPECT_EQ(p3.close_covering(t0 - 1, none, 0).code(), errc::span_record_end_before_start);
}

TEST(SpanRecord, Cover) {
  span_record parent = *span_record::open("p", parent_context(), sid("1111111111111111"), t0 + 100);
  span_record child = *parent.child("c", sid("2222222222222222"), t0 + 50);
  ASSERT_TRUE(child.close(t0 + 500));
  ASSERT_TRUE(parent.cover(child));  // open: only the start moves
  EXPECT_EQ(parent.start_time_unix_nano, t0 + 50);
  EXPECT_TRUE(parent.is_open());
  ASSERT_TRUE(parent.close(t0 + 200));
  ASSERT_TRUE(parent.cover(child));  // closed: the end moves too
  EXPECT_EQ(parent.end_time_unix_nano, t0 + 500);
  span_record open_child =
      *span_record::open("c2", parent.context(), sid("3333333333333333"), t0 + 700);
  ASSERT_TRUE(parent.cover(open_child));
  EXPECT_EQ(parent.end_time_unix_nano, t0 + 700);
  EXPECT_EQ(parent.cover(parent).code(), errc::span_record_not_child);
}

TEST(SpanRecord, ValueSemantics) {
  const span_record a = golden_record();
  span_record b = a;
  EXPECT_EQ(a, b);
  b.emitted = false;
  EXPECT_NE(a, b);
  b = a;
  b.links[0].attributes[0].value = "other";
  EXPECT_NE(a, b);
  b = a;
  b.status.message = "x";
  EXPECT_NE(a, b);
}

// ---- Encoding ----------------------------------------------------------------------------------

TEST(SpanRecordCodec, GoldenBinaryAndToken) {
  const span_record r = golden_record();
  EXPECT_EQ(to_hex(baton::encode_span_binary(r)), golden_hex);
  EXPECT_EQ(baton::span_binary_size(r), golden_hex.size() / 2);
  EXPECT_EQ(baton::encode_span_token(r), golden_token);
  EXPECT_EQ(baton::span_token_size(r), golden_token.size());
  auto b = baton::decode_span_binary(from_hex(golden_hex));
  ASSERT_TRUE(b) << baton::to_string(b.code());
  EXPECT_EQ(*b, r);
  auto t = baton::decode_span_token(golden_token);
  ASSERT_TRUE(t) << baton::to_string(t.code());
  EXPECT_EQ(*t, r);
  EXPECT_EQ(t->duration_unix_nano(), 326000000u);
  std::string out = "prefix:";
  baton::append_span_token(r, out);
  EXPECT_EQ(out, "prefix:" + std::string(golden_token));
  std::string bin;
  baton::append_span_binary(r, bin);
  EXPECT_EQ(to_hex(bin), golden_hex);
}

TEST(SpanRecordCodec, RoundTrips) {
  std::vector<span_record> records;
  records.push_back(*span_record::open_root("", baton::trace_id::random(), baton::span_id::random(),
                                            baton::trace_flags(0xff), 0,
                                            baton::span_kind::unspecified));
  span_record r = golden_record();
  r.dropped_attributes_count = 7;
  r.dropped_links_count = 0xffffffffu;
  r.set_attribute("nan", std::numeric_limits<double>::quiet_NaN());
  r.set_attribute("neg", std::numeric_limits<std::int64_t>::min());
  r.set_attribute("empty", "");
  r.set_attribute("utf8", "\xE2\x82\xAC");
  r.add_link(baton::span_context::new_root(false));
  records.push_back(r);
  span_record ok = *span_record::open("ok", parent_context(), sid("1111111111111111"), t0);
  ok.set_status(baton::span_status_code::ok);
  records.push_back(ok);
  ok.status.message = "hand-set message on ok";  // kept too: decoders do not judge it
  records.push_back(ok);
  for (const span_record& x : records) {
    auto t = baton::decode_span_token(baton::encode_span_token(x));
    ASSERT_TRUE(t) << baton::to_string(t.code()) << " at " << t.error().offset;
    EXPECT_EQ(*t, x);
    auto b = baton::decode_span_binary(baton::encode_span_binary(x));
    ASSERT_TRUE(b);
    EXPECT_EQ(*b, x);
  }
}

TEST(SpanRecordCodec, MaximalRecordWithinDefaults) {
  // Every record the mutators can build under the default limits decodes with the defaults.
  const baton::span_limits limits;
  span_record r =
      *span_record::open(std::string(2000, 'n'), parent_context(), sid("1111111111111111"), t0);
  std::string ts;
  for (int i = 0; i < 32; ++i) {
    if (i != 0) ts += ',';
    std::string key = "k" + std::to_string(i);
    key.resize(256, 'x');
    ts += key + "=" + std::string(256, 'v');
  }
  baton::span_context big = parent_context();
  big.tracestate = *baton::tracestate::parse(ts);
  r.tracestate = big.tracestate;
  for (int i = 0; i < 40; ++i) {
    std::string key = std::to_string(i);
    key.resize(limits.max_key_size, 'k');
    r.set_attribute(key, std::string(5000, 'v'));
  }
  std::vector<baton::attribute> link_attrs;
  for (int i = 0; i < 16; ++i) {
    std::string key = std::to_string(i);
    key.resize(limits.max_key_size, 'k');
    link_attrs.push_back({key, std::string(limits.max_string_value_size, 'v')});
  }
  for (int i = 0; i < 40; ++i) r.add_link(big, link_attrs);
  r.set_status(baton::span_status_code::error, std::string(2000, 'm'));
  EXPECT_EQ(r.attributes.size(), 32u);
  EXPECT_EQ(r.links.size(), 32u);
  const std::string bin = baton::encode_span_binary(r);
  EXPECT_LT(bin.size(), baton::span_record_limits{}.max_bytes);
  auto back = baton::decode_span_binary(bin);
  ASSERT_TRUE(back) << baton::to_string(back.code());
  EXPECT_EQ(*back, r);
}

// ---- Decode errors -----------------------------------------------------------------------------

TEST(SpanRecordDecode, HandMadeFrameDecodes) {
  auto r = baton::decode_span_binary(frame(identity + timing()));
  ASSERT_TRUE(r) << baton::to_string(r.code());
  EXPECT_EQ(r->start_time_unix_nano, 5u);
  EXPECT_TRUE(r->is_open());
  EXPECT_TRUE(r->is_root());
}

TEST(SpanRecordDecode, RequiredAndOrderedFields) {
  EXPECT_EQ(decode_error(frame(identity)), err(errc::snapshot_missing_field, 33));
  EXPECT_EQ(decode_error(frame(timing())), err(errc::snapshot_missing_field, 24));
  EXPECT_EQ(decode_error(frame(timing() + identity)), err(errc::snapshot_duplicate_field, 24));
  EXPECT_EQ(decode_error(frame(identity + timing() + timing())),
            err(errc::snapshot_duplicate_field, 52));
  EXPECT_EQ(decode_error(frame(identity + timing() + field(0x0a, "x"))),
            err(errc::snapshot_unknown_field, 52));
  // Attributes and links repeat, but only consecutively.
  const std::string attr = field(8, from_hex("0161020100000000000000"));
  EXPECT_TRUE(baton::decode_span_binary(frame(identity + timing() + attr + attr)));
}

TEST(SpanRecordDecode, IdentityTimingParent) {
  std::string id = identity;
  id[27] = 0x02;  // unknown record bit
  EXPECT_EQ(decode_error(frame(id + timing())), err(errc::snapshot_invalid_field, 32));
  id = identity;
  id.replace(2, 16, std::string(16, '\0'));
  EXPECT_EQ(decode_error(frame(id + timing())), err(errc::snapshot_zero_trace_id, 7));
  id = identity;
  id.replace(18, 8, std::string(8, '\0'));
  EXPECT_EQ(decode_error(frame(id + timing())), err(errc::snapshot_zero_span_id, 23));
  EXPECT_EQ(decode_error(frame(identity.substr(0, 27).replace(1, 1, "\x19") + timing())),
            err(errc::snapshot_invalid_field, 5));
  EXPECT_EQ(decode_error(frame(identity + timing(6))), err(errc::snapshot_invalid_field, 35));
  EXPECT_EQ(decode_error(frame(identity + timing(1, 10, 9))),
            err(errc::snapshot_invalid_field, 44));
  EXPECT_EQ(decode_error(frame(identity + field(3, "\x01"))),
            err(errc::snapshot_invalid_field, 33));
  EXPECT_EQ(decode_error(frame(identity + field(2, std::string(8, '\0')) + timing())),
            err(errc::snapshot_zero_span_id, 35));
  EXPECT_EQ(decode_error(frame(identity + field(2, "1234567") + timing())),
            err(errc::snapshot_invalid_field, 33));
}

TEST(SpanRecordDecode, NameTracestateStatusDropped) {
  const std::string base = identity + timing();  // fields from offset 52, values from 54
  baton::span_record_limits limits;
  limits.span.max_name_size = 3;
  EXPECT_EQ(decode_error(frame(base + field(4, "name")), limits),
            err(errc::snapshot_too_large, 54));
  EXPECT_EQ(decode_error(frame(base + field(4, ""))), err(errc::snapshot_invalid_field, 52));
  EXPECT_EQ(decode_error(frame(base + field(5, "a=1,A=2"))),
            err(errc::snapshot_invalid_tracestate, 58));
  limits = {};
  limits.max_tracestate_size = 2;
  EXPECT_EQ(decode_error(frame(base + field(5, "a=1")), limits), err(errc::snapshot_too_large, 54));
  EXPECT_EQ(decode_error(frame(base + field(6, ""))), err(errc::snapshot_invalid_field, 52));
  EXPECT_EQ(decode_error(frame(base + field(6, "\x03"))), err(errc::snapshot_invalid_field, 54));
  EXPECT_EQ(decode_error(frame(base + field(6, std::string(1, '\0')))),
            err(errc::snapshot_invalid_field, 54));
  limits = {};
  limits.span.max_status_message_size = 2;
  EXPECT_EQ(decode_error(frame(base + field(6,
                                            "\x02"
                                            "abc")),
                         limits),
            err(errc::snapshot_too_large, 54));
  EXPECT_EQ(decode_error(frame(base + field(7, std::string(2, '\0')))),
            err(errc::snapshot_invalid_field, 54));
  EXPECT_EQ(decode_error(frame(base + field(7, "\x01\x01\x01"))),
            err(errc::snapshot_invalid_field, 54));
  EXPECT_EQ(decode_error(frame(base + field(7, "\x01"))), err(errc::snapshot_invalid_field, 55));
  EXPECT_EQ(decode_error(frame(base + field(7, from_hex("ffffffff1f00")))),
            err(errc::snapshot_invalid_field, 54));
}

TEST(SpanRecordDecode, Attributes) {
  const std::string base = identity + timing();  // attribute value at 54
  auto attr = [&](std::string_view v) { return frame(base + field(8, v)); };
  EXPECT_TRUE(baton::decode_span_binary(attr(from_hex("01610401"))));
  EXPECT_EQ(decode_error(attr(from_hex("00"))), err(errc::snapshot_invalid_field, 54));
  EXPECT_EQ(decode_error(attr(from_hex("01610402"))), err(errc::snapshot_invalid_field, 57));
  EXPECT_EQ(decode_error(attr(from_hex("01610501"))), err(errc::snapshot_invalid_field, 56));
  EXPECT_EQ(decode_error(attr(from_hex("016102000000"))), err(errc::snapshot_invalid_field, 57));
  EXPECT_EQ(decode_error(attr(from_hex("0161010561"))), err(errc::snapshot_invalid_field, 57));
  EXPECT_EQ(decode_error(attr(from_hex("0161040100"))), err(errc::snapshot_invalid_field, 58));
  EXPECT_EQ(decode_error(attr(from_hex("0561"))), err(errc::snapshot_invalid_field, 54));
  baton::span_record_limits limits;
  limits.span.max_key_size = 1;
  EXPECT_EQ(decode_error(attr(from_hex("0261620401")), limits), err(errc::snapshot_too_large, 54));
  limits = {};
  limits.span.max_string_value_size = 1;
  EXPECT_EQ(decode_error(attr(from_hex("016101026263")), limits),
            err(errc::snapshot_too_large, 57));
  limits = {};
  limits.span.max_attributes = 1;
  const std::string a = field(8, from_hex("01610401"));
  EXPECT_EQ(decode_error(frame(base + a + a), limits), err(errc::snapshot_too_large, 58));
}

TEST(SpanRecordDecode, Links) {
  const std::string base = identity + timing();  // link value at 54
  const std::string ctx = from_hex("4bf92f3577b34da6a3ce929d0e0e473600f067aa0ba902b70300");
  auto link = [&](std::string_view rest) {
    return frame(base + field(9, ctx + std::string(rest)));
  };
  EXPECT_TRUE(baton::decode_span_binary(link(from_hex("000000"))));
  EXPECT_TRUE(baton::decode_span_binary(link(from_hex("03613d31000101610401"))));
  std::string bad = ctx;
  bad[25] = 2;
  EXPECT_EQ(decode_error(frame(base + field(9, bad + from_hex("000000")))),
            err(errc::snapshot_invalid_field, 79));
  bad = ctx;
  bad.replace(16, 8, std::string(8, '\0'));
  EXPECT_EQ(decode_error(frame(base + field(9, bad + from_hex("000000")))),
            err(errc::snapshot_zero_span_id, 70));
  EXPECT_EQ(decode_error(frame(base + field(9, ctx.substr(0, 20)))),
            err(errc::snapshot_invalid_field, 54));
  EXPECT_EQ(decode_error(link(from_hex("0341"))), err(errc::snapshot_invalid_field, 80));
  EXPECT_EQ(decode_error(link(from_hex("03413d31") + from_hex("0000"))),
            err(errc::snapshot_invalid_tracestate, 81));
  EXPECT_EQ(decode_error(link(from_hex("00000001"))), err(errc::snapshot_invalid_field, 83));
  EXPECT_EQ(decode_error(link(from_hex("00000000"))), err(errc::snapshot_invalid_field, 83));
  EXPECT_EQ(decode_error(link(from_hex("0000"))), err(errc::snapshot_invalid_field, 82));
  baton::span_record_limits limits;
  limits.span.max_link_attributes = 0;
  EXPECT_EQ(decode_error(link(from_hex("0000010161040100")), limits),
            err(errc::snapshot_too_large, 82));
  limits = {};
  limits.span.max_links = 0;
  EXPECT_EQ(decode_error(link(from_hex("000000")), limits), err(errc::snapshot_too_large, 52));
}

TEST(SpanRecordDecode, TokenErrors) {
  EXPECT_EQ(baton::decode_span_token("bc1." + std::string(golden_token.substr(4))).error(),
            err(errc::snapshot_wrong_kind, 1));
  EXPECT_EQ(baton::decode_span_token("bs2.").error(), err(errc::snapshot_unsupported_version, 2));
  EXPECT_EQ(baton::decode_span_token(golden_token.substr(0, 100)).error(),
            err(errc::snapshot_truncated, 100));
  baton::span_record_limits limits;
  limits.max_bytes = 100;
  EXPECT_EQ(baton::decode_span_token(golden_token, limits).error(),
            err(errc::snapshot_too_large, 4));
  std::string t(golden_token);
  t[50] = t[50] == 'x' ? 'y' : 'x';
  EXPECT_EQ(baton::decode_span_token(t).code(), errc::snapshot_bad_checksum);
}

}  // namespace
