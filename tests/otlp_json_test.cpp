// otlp_json.hpp: closed span records as an OTLP/JSON ExportTraceServiceRequest, checked field by
// field against the OTLP JSON mapping with exact strings (docs/otlp_json.md): lowerCamelCase
// keys, lowercase hex ids, enums as integers, int64/fixed64 as decimal strings, doubles as JSON
// numbers or "NaN"/"Infinity"/"-Infinity", defaults omitted. Also the JSON helpers it adds to
// detail/json.hpp, the sinks and the error codes.
#include "baton/otlp_json.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace {

using baton::attribute;
using baton::errc;
using baton::span_kind;
using baton::span_record;
using baton::span_status_code;

baton::trace_id tid(std::string_view hex) {
  return *baton::trace_id::from_hex(hex);
}
baton::span_id sid(std::string_view hex) {
  return *baton::span_id::from_hex(hex);
}

#define SCOPE_JSON "{\"name\":\"baton\",\"version\":\"" BATON_VERSION_STRING "\"}"

// A root server span with every field kind: tracestate, all attribute types, dropped counts,
// a remote and a local link (one with tracestate and attributes), an error status with message.
span_record full_root() {
  span_record r = *span_record::open_root("GET /checkout", tid("4bf92f3577b34da6a3ce929d0e0e4736"),
                                          sid("00f067aa0ba902b7"), baton::trace_flags(0x03),
                                          1700000000000000000ull, span_kind::server);
  r.tracestate = *baton::tracestate::parse("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  r.set_attribute("http.request.method", "GET");
  r.set_attribute("http.response.status_code", 500);
  r.set_attribute("ratio", 0.25);
  r.set_attribute("retry", true);
  r.set_attribute("cached", false);
  r.set_attribute("delta", -42);
  r.dropped_attributes_count = 2;
  baton::span_context remote{tid("0af7651916cd43dd8448eb211c80319c"),
                             sid("b7ad6b7169203331"),
                             baton::trace_flags(0x01),
                             {},
                             true};
  r.add_link(remote, {attribute{"messaging.system", "sqs"}});
  baton::span_context local{tid("4bf92f3577b34da6a3ce929d0e0e4736"), sid("1111111111111111"),
                            baton::trace_flags(0x03),
                            *baton::tracestate::parse("congo=t61rcWkgMzE"), false};
  r.add_link(local);
  r.dropped_links_count = 1;
  r.set_status(span_status_code::error, "upstream \"timeout\"");
  EXPECT_TRUE(r.close(1700000000123456789ull));
  return r;
}

const char* const full_root_json =
    "{\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"spanId\":\"00f067aa0ba902b7\","
    "\"traceState\":\"rojo=00f067aa0ba902b7,congo=t61rcWkgMzE\",\"name\":\"GET /checkout\","
    "\"kind\":2,\"startTimeUnixNano\":\"1700000000000000000\","
    "\"endTimeUnixNano\":\"1700000000123456789\",\"attributes\":["
    "{\"key\":\"http.request.method\",\"value\":{\"stringValue\":\"GET\"}},"
    "{\"key\":\"http.response.status_code\",\"value\":{\"intValue\":\"500\"}},"
    "{\"key\":\"ratio\",\"value\":{\"doubleValue\":0.25}},"
    "{\"key\":\"retry\",\"value\":{\"boolValue\":true}},"
    "{\"key\":\"cached\",\"value\":{\"boolValue\":false}},"
    "{\"key\":\"delta\",\"value\":{\"intValue\":\"-42\"}}],"
    "\"droppedAttributesCount\":2,\"links\":["
    "{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"b7ad6b7169203331\","
    "\"attributes\":[{\"key\":\"messaging.system\",\"value\":{\"stringValue\":\"sqs\"}}],"
    "\"flags\":769},"  // 0x301: sampled, has-is-remote, is-remote
    "{\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"spanId\":\"1111111111111111\","
    "\"traceState\":\"congo=t61rcWkgMzE\",\"flags\":259}],"  // 0x103: local
    "\"droppedLinksCount\":1,"
    "\"status\":{\"message\":\"upstream \\\"timeout\\\"\",\"code\":2},\"flags\":3}";

// A child (internal, not sampled, status ok): parentSpanId present, no attributes or links.
span_record plain_child() {
  const baton::span_context parent{tid("4bf92f3577b34da6a3ce929d0e0e4736"),
                                   sid("00f067aa0ba902b7"),
                                   baton::trace_flags(0x00),
                                   {},
                                   false};
  span_record r = *span_record::open("computeCustomerInvoice", parent, sid("2222222222222222"),
                                     1700000000000000100ull);
  r.set_status(span_status_code::ok, "dropped: ok has no message");
  EXPECT_TRUE(r.close(1700000000000000200ull));
  return r;
}

const char* const plain_child_json =
    "{\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"spanId\":\"2222222222222222\","
    "\"parentSpanId\":\"00f067aa0ba902b7\",\"name\":\"computeCustomerInvoice\",\"kind\":1,"
    "\"startTimeUnixNano\":\"1700000000000000100\",\"endTimeUnixNano\":\"1700000000000000200\","
    "\"status\":{\"code\":1},\"flags\":0}";

baton::otlp_resource checkout_resource() {
  return {"checkout", {{"service.version", "1.2.3"}, {"host.cpus", 8}}};
}

std::string request(const std::string& resource_attrs, const std::string& spans,
                    const std::string& scope = SCOPE_JSON) {
  return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[" + resource_attrs +
         "]},\"scopeSpans\":[{\"scope\":" + scope + ",\"spans\":[" + spans + "]}]}]}";
}

const std::string checkout_attrs =
    "{\"key\":\"service.name\",\"value\":{\"stringValue\":\"checkout\"}},"
    "{\"key\":\"service.version\",\"value\":{\"stringValue\":\"1.2.3\"}},"
    "{\"key\":\"host.cpus\",\"value\":{\"intValue\":\"8\"}}";

TEST(OtlpJson, FullRootSpanFieldByField) {
  const auto json = baton::to_otlp_json(full_root(), checkout_resource());
  ASSERT_TRUE(json);
  EXPECT_EQ(*json, request(checkout_attrs, full_root_json));
}

TEST(OtlpJson, ChildSpanOmitsDefaults) {
  const auto json = baton::to_otlp_json(plain_child(), checkout_resource());
  ASSERT_TRUE(json);
  EXPECT_EQ(*json, request(checkout_attrs, plain_child_json));
}

TEST(OtlpJson, BatchIsOneRequestWithEverySpanInOrder) {
  const std::vector<span_record> batch{full_root(), plain_child()};
  const auto json = baton::to_otlp_json(batch, checkout_resource());
  ASSERT_TRUE(json);
  EXPECT_EQ(*json, request(checkout_attrs, std::string(full_root_json) + "," + plain_child_json));
  EXPECT_EQ(json->find('\n'), std::string::npos);  // one log line
  // The pointer overload and append_otlp_json give the same text; append keeps what was there.
  EXPECT_EQ(*baton::to_otlp_json(batch.data(), batch.size(), checkout_resource()), *json);
  std::string out = "prefix ";
  ASSERT_TRUE(baton::append_otlp_json(out, batch, checkout_resource()));
  EXPECT_EQ(out, "prefix " + *json);
}

TEST(OtlpJson, EmptyBatchIsAValidEmptyRequest) {
  const auto json = baton::to_otlp_json(std::vector<span_record>{}, checkout_resource());
  ASSERT_TRUE(json);
  EXPECT_EQ(*json, request(checkout_attrs, ""));
}

TEST(OtlpJson, ResourceServiceNameRules) {
  const span_record r = plain_child();
  // No service name anywhere: the OTel default.
  EXPECT_EQ(*baton::to_otlp_json(r),
            request("{\"key\":\"service.name\",\"value\":{\"stringValue\":\"unknown_service\"}}",
                    plain_child_json));
  // Taken from the attributes when service_name is empty, and written first.
  baton::otlp_resource from_attrs{"", {{"a", "1"}, {"service.name", "billing"}}};
  EXPECT_EQ(*baton::to_otlp_json(r, from_attrs),
            request("{\"key\":\"service.name\",\"value\":{\"stringValue\":\"billing\"}},"
                    "{\"key\":\"a\",\"value\":{\"stringValue\":\"1\"}}",
                    plain_child_json));
  // service_name wins over an attribute of the same key, which is not repeated.
  baton::otlp_resource both{"checkout", {{"service.name", "billing"}}};
  EXPECT_EQ(*baton::to_otlp_json(r, both),
            request("{\"key\":\"service.name\",\"value\":{\"stringValue\":\"checkout\"}}",
                    plain_child_json));
}

TEST(OtlpJson, ScopeFieldsOmittedWhenEmpty) {
  const span_record r = plain_child();
  const baton::otlp_resource res{"s", {}};
  const std::string attrs = "{\"key\":\"service.name\",\"value\":{\"stringValue\":\"s\"}}";
  EXPECT_EQ(*baton::to_otlp_json(r, res, {"durable", ""}),
            request(attrs, plain_child_json, "{\"name\":\"durable\"}"));
  EXPECT_EQ(*baton::to_otlp_json(r, res, {"", "2.0"}),
            request(attrs, plain_child_json, "{\"version\":\"2.0\"}"));
  EXPECT_EQ(*baton::to_otlp_json(r, res, {"", ""}), request(attrs, plain_child_json, "{}"));
}

TEST(OtlpJson, EveryKindAndStatusIsAnInteger) {
  span_record r = plain_child();
  const std::pair<span_kind, const char*> kinds[] = {
      {span_kind::unspecified, "\"kind\":0,"}, {span_kind::internal, "\"kind\":1,"},
      {span_kind::server, "\"kind\":2,"},      {span_kind::client, "\"kind\":3,"},
      {span_kind::producer, "\"kind\":4,"},    {span_kind::consumer, "\"kind\":5,"}};
  for (const auto& [kind, text] : kinds) {
    r.kind = kind;
    EXPECT_NE(baton::to_otlp_json(r)->find(text), std::string::npos) << text;
  }
  r.status = {};
  EXPECT_EQ(baton::to_otlp_json(r)->find("\"status\""), std::string::npos);  // unset: omitted
  r.status = {span_status_code::error, ""};
  EXPECT_NE(baton::to_otlp_json(r)->find(",\"status\":{\"code\":2},"), std::string::npos);
}

TEST(OtlpJson, StringsAreEscapedAndAlwaysValidUtf8) {
  span_record r = plain_child();
  // Quote, backslash, newline, tab, U+0001, DEL, a stray 0xFF, then a valid U+00E9.
  r.name = "a\"b\\c\n\t\x01\x7f\xff\xc3\xa9";
  r.attributes = {attribute{"k\r", std::string("v\0w", 3)}, attribute{"\xe2\x82", "\xed\xa0\x80"}};
  const std::string json = *baton::to_otlp_json(r);
  EXPECT_NE(json.find("\"name\":\"a\\\"b\\\\c\\n\\t\\u0001\\u007f\xef\xbf\xbd\xc3\xa9\","),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("{\"key\":\"k\\r\",\"value\":{\"stringValue\":\"v\\u0000w\"}}"),
            std::string::npos);
  // A truncated 3-byte sequence is one U+FFFD; an encoded surrogate is three.
  EXPECT_NE(json.find("{\"key\":\"\xef\xbf\xbd\",\"value\":{\"stringValue\":"
                      "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"}}"),
            std::string::npos);
  EXPECT_EQ(json.find('\n'), std::string::npos);
  EXPECT_TRUE(baton::detail::utf8_valid(json.data(), json.size()));
}

TEST(OtlpJson, SixtyFourBitExtremes) {
  span_record r = plain_child();
  r.start_time_unix_nano = 1;
  r.end_time_unix_nano = std::numeric_limits<std::uint64_t>::max();
  r.attributes = {attribute{"min", std::numeric_limits<std::int64_t>::min()},
                  attribute{"max", std::numeric_limits<std::int64_t>::max()}, attribute{"zero", 0},
                  attribute{"big_unsigned", std::uint64_t{1} << 63}};
  r.dropped_attributes_count = std::numeric_limits<std::uint32_t>::max();
  const std::string json = *baton::to_otlp_json(r);
  EXPECT_NE(json.find("\"startTimeUnixNano\":\"1\",\"endTimeUnixNano\":\"18446744073709551615\""),
            std::string::npos);
  EXPECT_NE(json.find("\"attributes\":["
                      "{\"key\":\"min\",\"value\":{\"intValue\":\"-9223372036854775808\"}},"
                      "{\"key\":\"max\",\"value\":{\"intValue\":\"9223372036854775807\"}},"
                      "{\"key\":\"zero\",\"value\":{\"intValue\":\"0\"}},"
                      // uint64 above INT64_MAX wraps, as a protobuf int64 field would
                      "{\"key\":\"big_unsigned\",\"value\":{\"intValue\":\"-9223372036854775808\"}}"
                      "],\"droppedAttributesCount\":4294967295,"),
            std::string::npos)
      << json;
}

TEST(OtlpJson, DoublesAsNumbersOrSpecialStrings) {
  const std::pair<double, const char*> cases[] = {
      {0.25, "0.25"},
      {-0.0, "-0"},
      {1.0, "1"},
      {0.1, "0.1"},
      {1e300, "1e+300"},
      {5e-324, "5e-324"},
      {-123456.789, "-123456.789"},
      {std::numeric_limits<double>::quiet_NaN(), "\"NaN\""},
      {std::numeric_limits<double>::infinity(), "\"Infinity\""},
      {-std::numeric_limits<double>::infinity(), "\"-Infinity\""},
  };
  for (const auto& [value, text] : cases) {
    span_record r = plain_child();
    r.attributes = {attribute{"d", value}};
    EXPECT_NE(baton::to_otlp_json(r)->find(
                  std::string("{\"key\":\"d\",\"value\":{\"doubleValue\":") + text + "}}"),
              std::string::npos)
        << text;
  }
}

TEST(OtlpJson, OpenRecordIsRejectedAndNothingIsWritten) {
  const std::vector<span_record> batch{plain_child(), plain_child(), plain_child()};
  std::vector<span_record> with_open = batch;
  with_open[2].end_time_unix_nano = 0;
  std::string out = "keep";
  const baton::result<void> r = baton::append_otlp_json(out, with_open);
  EXPECT_EQ(r.code(), errc::otlp_open_span);
  EXPECT_EQ(r.error().offset, 2u);  // index of the record
  EXPECT_EQ(out, "keep");
  EXPECT_EQ(baton::to_otlp_json(with_open[2]).code(), errc::otlp_open_span);
}

TEST(OtlpJson, ZeroIdsAreRejected) {
  span_record r = plain_child();
  r.span_id = baton::span_id();
  EXPECT_EQ(baton::to_otlp_json(r).code(), errc::otlp_zero_id);
  r = plain_child();
  r.trace_id = baton::trace_id();
  EXPECT_EQ(baton::to_otlp_json(r).code(), errc::otlp_zero_id);
  r = plain_child();
  r.links.push_back(baton::span_link{});  // a link with an all-zero context
  const std::vector<span_record> batch{plain_child(), r};
  const auto bad = baton::to_otlp_json(batch);
  EXPECT_EQ(bad.code(), errc::otlp_zero_id);
  EXPECT_EQ(bad.error().offset, 1u);
}

TEST(OtlpJson, EndBeforeStartIsRejected) {
  span_record r = plain_child();
  r.end_time_unix_nano = r.start_time_unix_nano - 1;  // built by hand: close() would refuse it
  EXPECT_EQ(baton::to_otlp_json(r).code(), errc::otlp_end_before_start);
  const std::vector<span_record> batch{plain_child(), plain_child(), r};
  std::string out = "keep";
  const baton::result<void> bad = baton::append_otlp_json(out, batch);
  EXPECT_EQ(bad.code(), errc::otlp_end_before_start);
  EXPECT_EQ(bad.error().offset, 2u);
  EXPECT_EQ(out, "keep");
  r.end_time_unix_nano = r.start_time_unix_nano;  // zero length is fine
  EXPECT_TRUE(baton::to_otlp_json(r));
}

TEST(OtlpJson, ErrorCodesHaveNamesAndMessages) {
  EXPECT_EQ(static_cast<int>(errc::otlp_open_span), 192);
  EXPECT_EQ(static_cast<int>(errc::otlp_zero_id), 193);
  EXPECT_EQ(static_cast<int>(errc::otlp_write_failed), 194);
  EXPECT_EQ(baton::to_string(errc::otlp_open_span), "otlp_open_span");
  EXPECT_EQ(baton::to_string(errc::otlp_zero_id), "otlp_zero_id");
  EXPECT_EQ(baton::to_string(errc::otlp_write_failed), "otlp_write_failed");
  EXPECT_EQ(baton::message(errc::otlp_open_span),
            "span record is still open; only closed records are encoded");
  EXPECT_EQ(baton::message(errc::otlp_zero_id),
            "span record or link has an all-zero trace id or span id");
  EXPECT_EQ(baton::message(errc::otlp_write_failed), "writing the encoded spans failed");
  EXPECT_EQ(static_cast<int>(errc::otlp_end_before_start), 195);
  EXPECT_EQ(baton::to_string(errc::otlp_end_before_start), "otlp_end_before_start");
  EXPECT_EQ(baton::message(errc::otlp_end_before_start), "span record ends before it starts");
}

// ---- sinks ----------------------------------------------------------------------------------

TEST(OtlpJsonSink, OneLinePerCallToAnOstream) {
  std::ostringstream stream;
  baton::otlp_json_line_sink sink(baton::otlp_ostream_writer{&stream}, checkout_resource());
  ASSERT_TRUE(sink(full_root()));
  ASSERT_TRUE(sink(std::vector<span_record>{plain_child(), plain_child()}));
  EXPECT_EQ(stream.str(),
            request(checkout_attrs, full_root_json) + "\n" +
                request(checkout_attrs, std::string(plain_child_json) + "," + plain_child_json) +
                "\n");
  // An open record: error, nothing written.
  span_record open = plain_child();
  open.end_time_unix_nano = 0;
  EXPECT_EQ(sink(open).code(), errc::otlp_open_span);
  EXPECT_EQ(
      stream.str().size(),
      request(checkout_attrs, full_root_json).size() + 1 +
          request(checkout_attrs, std::string(plain_child_json) + "," + plain_child_json).size() +
          1);
}

TEST(OtlpJsonSink, WritesToAFile) {
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  baton::otlp_json_line_sink sink(baton::otlp_file_writer{file}, checkout_resource());
  ASSERT_TRUE(sink(plain_child()));
  std::rewind(file);
  char buf[1024] = {};
  const std::size_t n = std::fread(buf, 1, sizeof buf - 1, file);
  std::fclose(file);
  EXPECT_EQ(std::string(buf, n), request(checkout_attrs, plain_child_json) + "\n");
}

TEST(OtlpJsonSink, CallableWritersAndFailedWrites) {
  std::vector<std::string> lines;
  baton::otlp_json_line_sink collect([&](std::string_view line) { lines.emplace_back(line); });
  ASSERT_TRUE(collect(plain_child()));
  ASSERT_TRUE(collect(plain_child()));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], lines[1]);
  EXPECT_EQ(lines[0].back(), '\n');
  EXPECT_EQ(lines[0].find('\n'), lines[0].size() - 1);

  baton::otlp_json_line_sink failing([](std::string_view) { return false; });
  EXPECT_EQ(failing(plain_child()).code(), errc::otlp_write_failed);

  // fwrite to a stream opened read-only writes nothing: the sink reports it.
  std::FILE* read_only = std::fopen("/dev/null", "r");
  ASSERT_NE(read_only, nullptr);
  baton::otlp_json_line_sink to_read_only(baton::otlp_file_writer{read_only});
  EXPECT_EQ(to_read_only(plain_child()).code(), errc::otlp_write_failed);
  std::fclose(read_only);
}

// ---- detail/json.hpp number helpers ------------------------------------------------------------

TEST(JsonNumbers, IntegersAndDoubles) {
  std::string out;
  baton::detail::append_json_uint(out, 0);
  out += ' ';
  baton::detail::append_json_uint(out, std::numeric_limits<std::uint64_t>::max());
  out += ' ';
  baton::detail::append_json_int(out, std::numeric_limits<std::int64_t>::min());
  out += ' ';
  baton::detail::append_json_int(out, -1);
  out += ' ';
  baton::detail::append_json_double(out, 2.5);
  out += ' ';
  baton::detail::append_json_double(out, 1e21);
  EXPECT_EQ(out, "0 18446744073709551615 -9223372036854775808 -1 2.5 1e+21");
}

TEST(JsonNumbers, LongPlainRunsAndEscapesMix) {
  std::string long_plain(1000, 'a');
  std::string out;
  baton::detail::append_json_string(out, long_plain + "\"" + long_plain);
  EXPECT_EQ(out, "\"" + long_plain + "\\\"" + long_plain + "\"");
}

}  // namespace
