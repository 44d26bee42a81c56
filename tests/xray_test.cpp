// AWS X-Ray: the X-Amzn-Trace-Id codec (every example of the research notes, load balancer and
// Lambda forms, invalid cases with exact codes and offsets), the propagator over every carrier
// shape, inject golden strings and limits, round trips X-Ray <-> span_context <-> W3C, the id
// generator, and the Lambda trace header with xray-lambda precedence.
#include "baton/propagation/xray.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "baton/carrier.hpp"
#include "baton/error.hpp"
#include "baton/propagation/extracted_context.hpp"
#include "baton/propagation/trace_context.hpp"

namespace {

using baton::context_kind;
using baton::errc;
using baton::propagation_format;
using baton::sampling_decision;
using baton::xray_options;

// The examples of the AWS documentation and of the research notes.
constexpr const char* kAws =
    "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
constexpr const char* kAwsTrace = "5759e988bd862e3fe1be46a994272793";
constexpr const char* kAwsRoot = "Root=1-5759e988-bd862e3fe1be46a994272793";
constexpr const char* kAwsParent = "53995c3f42cd8ad8";
constexpr const char* kAlbFirst = "Root=1-67891233-abcdef012345678912345678";
constexpr const char* kAlbTrace = "67891233abcdef012345678912345678";
constexpr const char* kViaAlb =
    "Self=1-67891233-12456789abcdef012345678;Root=1-67891233-abcdef012345678912345678;"
    "CalledFrom=app";
constexpr const char* kLineage = "Lineage=a87bd80c:1|68fd508a:5|c512fbe3:2";
constexpr const char* kLambda =
    "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1;Lineage=a87bd80c:1|68fd508a:5|c512fbe3:2";

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
using pair_vector = std::vector<std::pair<std::string, std::string>>;

baton::trace_id tid(const char* hex) {
  return *baton::trace_id::from_hex(hex);
}
baton::span_id sid(const char* hex) {
  return *baton::span_id::from_hex(hex);
}

baton::xray_header parsed(std::string_view value, const xray_options& options = {}) {
  auto r = baton::parse_xray_header(value, options);
  EXPECT_TRUE(r.has_value()) << value << ": " << baton::to_string(r.code()) << " at "
                             << r.error().offset;
  return r ? *r : baton::xray_header{};
}

baton::error parse_error(std::string_view value, const xray_options& options = {}) {
  auto r = baton::parse_xray_header(value, options);
  EXPECT_FALSE(r.has_value()) << value;
  return r.error();
}

baton::error err(errc code, std::uint32_t offset) {
  return baton::error{code, offset};
}

baton::span_context context(const char* trace, const char* span, bool sampled) {
  baton::span_context c;
  c.trace_id = tid(trace);
  c.span_id = sid(span);
  c.flags = baton::trace_flags().with_sampled(sampled);
  return c;
}

std::vector<std::string> values_of(const baton::http_headers& h, std::string_view name) {
  std::vector<std::string> out;
  h.for_each(name, [&](std::string_view v) { out.emplace_back(v); });
  return out;
}

// ---- error codes ------------------------------------------------------------------------------

TEST(XrayErrors, EveryCodeHasItsNameAndASentence) {
  const std::pair<errc, const char*> codes[] = {
      {errc::xray_missing_root, "xray_missing_root"},
      {errc::xray_invalid_root, "xray_invalid_root"},
      {errc::xray_unsupported_root_version, "xray_unsupported_root_version"},
      {errc::xray_zero_trace_id, "xray_zero_trace_id"},
      {errc::xray_invalid_parent, "xray_invalid_parent"},
      {errc::xray_zero_parent_id, "xray_zero_parent_id"},
      {errc::xray_invalid_sampled, "xray_invalid_sampled"},
      {errc::xray_malformed_field, "xray_malformed_field"},
      {errc::xray_invalid_character, "xray_invalid_character"},
      {errc::xray_duplicate_field, "xray_duplicate_field"},
      {errc::xray_too_long, "xray_too_long"},
  };
  int value = 96;
  for (const auto& [code, name] : codes) {
    EXPECT_EQ(static_cast<int>(code), value++);
    EXPECT_EQ(baton::to_string(code), name);
    EXPECT_NE(baton::message(code), "unknown error");
    EXPECT_EQ(baton::message(code).substr(0, 6), "X-Ray ");
  }
  EXPECT_EQ(baton::message(errc::xray_missing_root), "X-Ray header has no Root field");
}

// ---- parse: valid forms -----------------------------------------------------------------------

TEST(XrayParse, AwsExample) {
  const auto h = parsed(kAws);
  EXPECT_EQ(h.trace_id.to_hex(), kAwsTrace);
  EXPECT_EQ(h.parent_id.to_hex(), kAwsParent);
  EXPECT_TRUE(h.has_parent());
  EXPECT_EQ(h.sampling, sampling_decision::sampled);
  EXPECT_EQ(h.fields, "");
}

TEST(XrayParse, LoadBalancerFirstHopIsRootOnly) {
  const auto h = parsed(kAlbFirst);
  EXPECT_EQ(h.trace_id.to_hex(), kAlbTrace);
  EXPECT_FALSE(h.has_parent());
  EXPECT_EQ(h.parent_id, baton::span_id{});
  EXPECT_EQ(h.sampling, sampling_decision::deferred);
  EXPECT_EQ(h.fields, "");
}

TEST(XrayParse, ViaLoadBalancerSelfFirstAndUnknownFieldKept) {
  const auto h = parsed(kViaAlb);
  EXPECT_EQ(h.trace_id.to_hex(), kAlbTrace);
  EXPECT_FALSE(h.has_parent());
  // Self is kept verbatim and not validated (AWS's own example has 23 hex digits).
  EXPECT_EQ(h.fields, "Self=1-67891233-12456789abcdef012345678;CalledFrom=app");
}

TEST(XrayParse, LambdaWithLineage) {
  const auto h = parsed(kLambda);
  EXPECT_EQ(h.trace_id.to_hex(), kAwsTrace);
  EXPECT_FALSE(h.has_parent());
  EXPECT_EQ(h.sampling, sampling_decision::sampled);
  EXPECT_EQ(h.fields, kLineage);
}

TEST(XrayParse, LineageVersion2) {
  const auto h = parsed(std::string(kAws) + ";Lineage=1:c512fbe3");
  EXPECT_EQ(h.fields, "Lineage=1:c512fbe3");
}

TEST(XrayParse, AnyFieldOrder) {
  const auto h = parsed(
      "Sampled=0;Lineage=x:1;Parent=53995c3f42cd8ad8;Foo=bar;Root=1-5759e988-"
      "bd862e3fe1be46a994272793");
  EXPECT_EQ(h.trace_id.to_hex(), kAwsTrace);
  EXPECT_EQ(h.parent_id.to_hex(), kAwsParent);
  EXPECT_EQ(h.sampling, sampling_decision::not_sampled);
  EXPECT_EQ(h.fields, "Lineage=x:1;Foo=bar");
}

TEST(XrayParse, KnownKeysInAnyCase) {
  const auto h = parsed(
      "root=1-5759e988-bd862e3fe1be46a994272793;PARENT=53995c3f42cd8ad8;sAmPlEd=1;"
      "LINEAGE=a:1;SELF=x");
  EXPECT_EQ(h.trace_id.to_hex(), kAwsTrace);
  EXPECT_EQ(h.parent_id.to_hex(), kAwsParent);
  EXPECT_EQ(h.sampling, sampling_decision::sampled);
  EXPECT_EQ(h.fields, "LINEAGE=a:1;SELF=x");  // preserved fields keep their spelling
}

TEST(XrayParse, WhitespaceAroundFieldsAndAroundEquals) {
  const auto h = parsed(
      " \tRoot=1-5759e988-bd862e3fe1be46a994272793 ; Parent = 53995c3f42cd8ad8\t;\tSampled= 1 "
      "; Foo = a b ;\t");
  EXPECT_EQ(h.trace_id.to_hex(), kAwsTrace);
  EXPECT_EQ(h.parent_id.to_hex(), kAwsParent);
  EXPECT_EQ(h.sampling, sampling_decision::sampled);
  EXPECT_EQ(h.fields, "Foo = a b");  // verbatim inside, SP/HTAB around the field removed
}

TEST(XrayParse, EmptyFieldsAreSkipped) {
  EXPECT_EQ(parsed(std::string(kAws) + ";").sampling, sampling_decision::sampled);
  EXPECT_EQ(parsed(std::string(";;") + kAws + ";;").parent_id.to_hex(), kAwsParent);
  EXPECT_EQ(parsed(std::string(kAwsRoot) + "; ;\t;").fields, "");
}

TEST(XrayParse, SampledForms) {
  const std::string root = kAwsRoot;
  EXPECT_EQ(parsed(root + ";Sampled=1").sampling, sampling_decision::sampled);
  EXPECT_EQ(parsed(root + ";Sampled=0").sampling, sampling_decision::not_sampled);
  EXPECT_EQ(parsed(root + ";Sampled=?").sampling, sampling_decision::deferred);
  EXPECT_EQ(parsed(root).sampling, sampling_decision::deferred);
}

TEST(XrayParse, AnyEpochIsAccepted) {
  // A zero epoch (sent by some tracers) is fine as long as the whole id is not zero.
  EXPECT_EQ(parsed("Root=1-00000000-000000000000000000000001").trace_id.to_hex(),
            "00000000000000000000000000000001");
  EXPECT_EQ(parsed("Root=1-ffffffff-000000000000000000000000").trace_id.to_hex(),
            "ffffffff000000000000000000000000");
}

TEST(XrayParse, UnknownFieldShapesArePreserved) {
  const std::string root = kAwsRoot;
  EXPECT_EQ(parsed(root + ";Foo=").fields, "Foo=");
  EXPECT_EQ(parsed(root + ";Foo=a=b").fields, "Foo=a=b");
  EXPECT_EQ(parsed(root + ";CalledFrom=app;CalledFrom=app").fields,
            "CalledFrom=app;CalledFrom=app");
  EXPECT_EQ(parsed(root + ";x-y.z~!#$%&'*+^_`|=\"q\" (p),[]{}<>/\\@:?").fields,
            "x-y.z~!#$%&'*+^_`|=\"q\" (p),[]{}<>/\\@:?");
}

TEST(XrayParse, IdenticalRepeatsOfKnownFieldsAreAccepted) {
  const auto h = parsed(std::string(kAws) + ";Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
  EXPECT_EQ(h.trace_id.to_hex(), kAwsTrace);
  EXPECT_EQ(h.sampling, sampling_decision::sampled);
}

TEST(XrayParse, ShortEpochStrictByDefaultLenientAsAnOption) {
  const char* short_epoch = "Root=1-0-0000000016764bd1ca9d3cc8;Parent=53995c3f42cd8ad8";
  EXPECT_EQ(parse_error(short_epoch), err(errc::xray_invalid_root, 8));
  xray_options lenient;
  lenient.lenient_epoch = true;
  const auto h = parsed(short_epoch, lenient);
  EXPECT_EQ(h.trace_id.to_hex(), "000000000000000016764bd1ca9d3cc8");
  EXPECT_EQ(parsed("Root=1-759e988-bd862e3fe1be46a994272793", lenient).trace_id.to_hex(),
            "0759e988bd862e3fe1be46a994272793");
  // Lenient still needs 1 to 8 digits, a '-' and exactly 24 hex digits.
  EXPECT_EQ(parse_error("Root=1--bd862e3fe1be46a994272793", lenient),
            err(errc::xray_invalid_root, 7));
  EXPECT_EQ(parse_error("Root=1-0-bd862e3fe1be46a99427279", lenient),
            err(errc::xray_invalid_root, 32));
  EXPECT_EQ(parse_error("Root=1-0-bd862e3fe1be46a9942727933", lenient),
            err(errc::xray_invalid_root, 33));
  EXPECT_EQ(parse_error("Root=1-0-000000000000000000000000", lenient),
            err(errc::xray_zero_trace_id, 5));
  EXPECT_EQ(parse_error("Root=1-123456789-bd862e3fe1be46a994272793", lenient),
            err(errc::xray_invalid_root, 15));
}

TEST(XrayParse, LengthLimitIsCheckedFirst) {
  std::string at_limit = kAws;
  at_limit += ";Foo=";
  at_limit.append(baton::xray_max_input_size - at_limit.size(), 'a');
  ASSERT_EQ(at_limit.size(), baton::xray_max_input_size);
  EXPECT_EQ(parsed(at_limit).fields.size(), baton::xray_max_input_size - 75);
  // One more byte: rejected before anything else is looked at (here a control character).
  std::string over = at_limit + "\n";
  EXPECT_EQ(parse_error(over), err(errc::xray_too_long, 1024));
}

// ---- parse: invalid forms ---------------------------------------------------------------------

TEST(XrayParse, MissingRoot) {
  EXPECT_EQ(parse_error(""), err(errc::xray_missing_root, 0));
  EXPECT_EQ(parse_error(" ;; "), err(errc::xray_missing_root, 4));
  EXPECT_EQ(parse_error("Parent=53995c3f42cd8ad8;Sampled=1"), err(errc::xray_missing_root, 33));
  EXPECT_EQ(parse_error("Self=1-67891233-12456789abcdef012345678"),
            err(errc::xray_missing_root, 39));
}

TEST(XrayParse, RootVersion) {
  EXPECT_EQ(parse_error("Root=2-5759e988-bd862e3fe1be46a994272793"),
            err(errc::xray_unsupported_root_version, 5));
  EXPECT_EQ(parse_error("Root=0-5759e988-bd862e3fe1be46a994272793"),
            err(errc::xray_unsupported_root_version, 5));
  EXPECT_EQ(parse_error("Root=11-5759e988-bd862e3fe1be46a994272793"),
            err(errc::xray_unsupported_root_version, 5));
  // Not a version at all.
  EXPECT_EQ(parse_error("Root=a-5759e988-bd862e3fe1be46a994272793"),
            err(errc::xray_invalid_root, 5));
  EXPECT_EQ(parse_error("Root=1_5759e988_bd862e3fe1be46a994272793"),
            err(errc::xray_invalid_root, 6));
  EXPECT_EQ(parse_error("Root=1"), err(errc::xray_invalid_root, 6));
  EXPECT_EQ(parse_error("Root="), err(errc::xray_invalid_root, 5));
}

TEST(XrayParse, RootShape) {
  // Offsets index the header value: the Root value starts at 5.
  EXPECT_EQ(parse_error("Root=1-5759e988-bd862e3fe1be46a99427279"),
            err(errc::xray_invalid_root, 39));  // 23 unique digits: missing one at the end
  EXPECT_EQ(parse_error("Root=1-5759e988-bd862e3fe1be46a9942727933"),
            err(errc::xray_invalid_root, 40));  // 25 unique digits
  EXPECT_EQ(parse_error("Root=1-5759E988-bd862e3fe1be46a994272793"),
            err(errc::xray_invalid_root, 11));  // uppercase epoch digit
  EXPECT_EQ(parse_error("Root=1-5759e988-bd862e3fe1be46a99427279G"),
            err(errc::xray_invalid_root, 39));
  EXPECT_EQ(parse_error("Root=1-5759e98-8bd862e3fe1be46a994272793"),
            err(errc::xray_invalid_root, 14));  // 7 epoch digits (strict)
  EXPECT_EQ(parse_error("Root=1-5759e9888-d862e3fe1be46a994272793"),
            err(errc::xray_invalid_root, 15));  // 9 epoch digits
  EXPECT_EQ(parse_error("Root=1-5759e988bd862e3fe1be46a994272793"),
            err(errc::xray_invalid_root, 15));  // W3C form: no second dash
  EXPECT_EQ(parse_error("Root=1-5759e988-bd862e3f-e1be46a994272793"),
            err(errc::xray_invalid_root, 24));
  EXPECT_EQ(parse_error("Root=5759e988bd862e3fe1be46a994272793"),
            err(errc::xray_invalid_root, 9));  // no version: digits, then no '-'
}

TEST(XrayParse, ZeroTraceId) {
  EXPECT_EQ(parse_error("Sampled=1;Root=1-00000000-000000000000000000000000"),
            err(errc::xray_zero_trace_id, 15));
}

TEST(XrayParse, Parent) {
  const std::string root = std::string(kAwsRoot) + ";Parent=";  // value at 48
  EXPECT_EQ(parse_error(root + "53995c3f42cd8ad"), err(errc::xray_invalid_parent, 63));
  EXPECT_EQ(parse_error(root + "53995c3f42cd8ad88"), err(errc::xray_invalid_parent, 64));
  EXPECT_EQ(parse_error(root + "53995C3f42cd8ad8"), err(errc::xray_invalid_parent, 53));
  EXPECT_EQ(parse_error(root + "53995c3f-2cd8ad8"), err(errc::xray_invalid_parent, 56));
  EXPECT_EQ(parse_error(root), err(errc::xray_invalid_parent, 48));
  EXPECT_EQ(parse_error(root + "0000000000000000"), err(errc::xray_zero_parent_id, 48));
}

TEST(XrayParse, Sampled) {
  const std::string root = std::string(kAwsRoot) + ";Sampled=";  // value at 49
  EXPECT_EQ(parse_error(root + "true"), err(errc::xray_invalid_sampled, 49));
  EXPECT_EQ(parse_error(root + "2"), err(errc::xray_invalid_sampled, 49));
  EXPECT_EQ(parse_error(root + "11"), err(errc::xray_invalid_sampled, 49));
  EXPECT_EQ(parse_error(root), err(errc::xray_invalid_sampled, 49));
  EXPECT_EQ(parse_error(root + "d"), err(errc::xray_invalid_sampled, 49));
}

TEST(XrayParse, MalformedFields) {
  const std::string root = std::string(kAwsRoot) + ";";  // next field at 41
  EXPECT_EQ(parse_error(root + "Foo"), err(errc::xray_malformed_field, 41));
  EXPECT_EQ(parse_error(root + "  Foo ;Sampled=1"), err(errc::xray_malformed_field, 43));
  EXPECT_EQ(parse_error(root + "=x"), err(errc::xray_malformed_field, 41));
  EXPECT_EQ(parse_error(root + " =x"), err(errc::xray_malformed_field, 42));
  EXPECT_EQ(parse_error(root + "Fo o=x"), err(errc::xray_malformed_field, 43));
  EXPECT_EQ(parse_error(root + "Fo,o=x"), err(errc::xray_malformed_field, 43));
  EXPECT_EQ(parse_error(root + "Fo\"o=x"), err(errc::xray_malformed_field, 43));
  // The first problem in reading order is the one reported.
  EXPECT_EQ(parse_error("Foo;Root=2-5759e988-bd862e3fe1be46a994272793"),
            err(errc::xray_malformed_field, 0));
}

TEST(XrayParse, ControlAndNonAsciiBytes) {
  const std::string root = std::string(kAwsRoot) + ";Foo=a";  // the byte after 'a' is at 46
  for (char c : {'\r', '\n', '\0', '\x01', '\x1f', '\x7f', '\x80', '\xff', '\t'}) {
    EXPECT_EQ(parse_error(root + c + "b"), err(errc::xray_invalid_character, 46))
        << static_cast<int>(static_cast<unsigned char>(c));
  }
  // CR LF in the middle is never taken as a field separator.
  EXPECT_EQ(parse_error(std::string(kAws) + "\r\nX-Injected: 1"),
            err(errc::xray_invalid_character, 74));
  EXPECT_EQ(parse_error(std::string("Root=1-5759e988-bd862e3fe1be46a9942727\x00"
                                    "3",
                                    40)),
            err(errc::xray_invalid_character, 38));
}

TEST(XrayParse, ConflictingRepeatsOfKnownFields) {
  EXPECT_EQ(parse_error(std::string(kAws) + ";Root=1-5759e988-bd862e3fe1be46a994272794"),
            err(errc::xray_duplicate_field, 75));
  EXPECT_EQ(parse_error(std::string(kAws) + ";Sampled=0"), err(errc::xray_duplicate_field, 75));
  EXPECT_EQ(parse_error(std::string(kAws) + ";parent=53995c3f42cd8ad9"),
            err(errc::xray_duplicate_field, 75));
}

// ---- format -----------------------------------------------------------------------------------

TEST(XrayFormat, AwsExampleRoundTrips) {
  EXPECT_EQ(baton::format_xray_header(parsed(kAws)), kAws);
}

TEST(XrayFormat, NormalizesSpellingAndWhitespace) {
  EXPECT_EQ(
      baton::format_xray_header(parsed(
          " sampled=1 ; parent = 53995c3f42cd8ad8;ROOT=1-5759e988-bd862e3fe1be46a994272793;")),
      kAws);
}

TEST(XrayFormat, RootOnlyWritesDeferredAsQuestionMarkOrNothing) {
  const auto h = parsed(kAlbFirst);
  EXPECT_EQ(baton::format_xray_header(h), std::string(kAlbFirst) + ";Sampled=?");
  xray_options omit;
  omit.omit_deferred_sampled = true;
  EXPECT_EQ(baton::format_xray_header(h, omit), kAlbFirst);
}

TEST(XrayFormat, SamplingDecisions) {
  const auto trace = tid(kAwsTrace);
  const auto parent = sid(kAwsParent);
  const std::string head = std::string(kAwsRoot) + ";Parent=53995c3f42cd8ad8;Sampled=";
  std::string out;
  baton::append_xray_header(out, trace, parent, sampling_decision::sampled);
  EXPECT_EQ(out, head + "1");
  out.clear();
  baton::append_xray_header(out, trace, parent, sampling_decision::debug);  // no debug in X-Ray
  EXPECT_EQ(out, head + "1");
  out.clear();
  baton::append_xray_header(out, trace, parent, sampling_decision::not_sampled);
  EXPECT_EQ(out, head + "0");
  out = "x:";  // appends
  baton::append_xray_header(out, trace, parent, sampling_decision::deferred);
  EXPECT_EQ(out, "x:" + head + "?");
}

TEST(XrayFormat, SelfKeptUnlessTurnedOff) {
  const auto h = parsed(std::string(kViaAlb) + ";Parent=53995c3f42cd8ad8;Sampled=1");
  EXPECT_EQ(baton::format_xray_header(h),
            "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1;"
            "Self=1-67891233-12456789abcdef012345678;CalledFrom=app");
  xray_options drop;
  drop.keep_self = false;
  EXPECT_EQ(baton::format_xray_header(h, drop),
            "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1;"
            "CalledFrom=app");
}

TEST(XrayFormat, FieldsFromElsewhereAreFiltered) {
  // format_extras::xray_fields is a plain string: anything malformed, any field baton writes
  // itself and anything with a control character is left out.
  std::string out;
  baton::append_xray_header(out, tid(kAwsTrace), sid(kAwsParent), sampling_decision::sampled,
                            " A=1 ;Root=1-00000000-000000000000000000000001;parent=1;SAMPLED=0;"
                            "no-equals;B=2\r\nX-Evil: 1;C=\x01;D=\xc3\xa9;E=3;;F=4\t");
  EXPECT_EQ(out, std::string(kAws) + ";A=1;E=3;F=4");
}

// Preserved fields are taken whole, Lineage first, then the others in order while they fit.
TEST(XrayFormat, LimitDropsWholeFieldsLineageLast) {
  const auto trace = tid(kAwsTrace);
  const auto parent = sid(kAwsParent);
  const std::string a = "A=" + std::string(98, 'a');     // 100 characters
  const std::string b = "B=" + std::string(98, 'b');     // 100
  const std::string c = "C=" + std::string(18, 'c');     // 20
  const std::string big = "Z=" + std::string(148, 'z');  // 150
  std::string out;
  // 74 + 1+40 (Lineage) + 1+100 (A) = 216; B would make 317; C fits (237).
  baton::append_xray_header(out, trace, parent, sampling_decision::sampled,
                            a + ";" + kLineage + ";" + b + ";" + c);
  EXPECT_EQ(out, std::string(kAws) + ";" + a + ";" + kLineage + ";" + c);
  EXPECT_EQ(out.size(), 237u);
  out.clear();
  // The big field comes first but Lineage is kept: 74 + 41 leaves 141, too little for 151.
  baton::append_xray_header(out, trace, parent, sampling_decision::sampled,
                            big + ";" + kLineage + ";" + c);
  EXPECT_EQ(out, std::string(kAws) + ";" + kLineage + ";" + c);
  out.clear();
  // Exactly at the limit: 74 + 1 + 181 = 256.
  const std::string exact = "X=" + std::string(179, 'x');
  baton::append_xray_header(out, trace, parent, sampling_decision::sampled, exact);
  EXPECT_EQ(out.size(), 256u);
  out.clear();
  baton::append_xray_header(out, trace, parent, sampling_decision::sampled, exact + "x");
  EXPECT_EQ(out, kAws);
  out.clear();
  // A Lineage too long for the room left is dropped too.
  baton::append_xray_header(out, trace, parent, sampling_decision::sampled,
                            "Lineage=" + std::string(180, '1') + ";" + c);
  EXPECT_EQ(out, std::string(kAws) + ";" + c);
}

TEST(XrayFormat, LimitIsClamped) {
  const auto trace = tid(kAwsTrace);
  const auto parent = sid(kAwsParent);
  xray_options opts;
  opts.max_header_size = 0;  // raised to the core: Root, Parent and Sampled are always written
  std::string out;
  baton::append_xray_header(out, trace, parent, sampling_decision::sampled, kLineage, opts);
  EXPECT_EQ(out, kAws);
  opts.max_header_size = 100000;  // lowered to what the parser reads back
  out.clear();
  const std::string huge = "H=" + std::string(2000, 'h');
  const std::string fits = "F=" + std::string(900, 'f');
  baton::append_xray_header(out, trace, parent, sampling_decision::sampled, huge + ";" + fits,
                            opts);
  EXPECT_EQ(out, std::string(kAws) + ";" + fits);
  EXPECT_TRUE(baton::parse_xray_header(out));
}

// ---- trace ids --------------------------------------------------------------------------------

TEST(XrayTraceId, W3cMapping) {
  const auto id = baton::parse_xray_trace_id("1-5759e988-bd862e3fe1be46a994272793");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->to_hex(), kAwsTrace);
  EXPECT_EQ(baton::format_xray_trace_id(tid(kAwsTrace)), "1-5759e988-bd862e3fe1be46a994272793");
  // Any W3C trace id maps, random ones included.
  EXPECT_EQ(baton::format_xray_trace_id(tid("4bf92f3577b34da6a3ce929d0e0e4736")),
            "1-4bf92f35-77b34da6a3ce929d0e0e4736");
  char buf[baton::xray_root_size];
  EXPECT_EQ(baton::format_xray_trace_id(tid(kAlbTrace), buf), buf + 35);
  EXPECT_EQ(std::string(buf, 35), "1-67891233-abcdef012345678912345678");
  EXPECT_EQ(baton::parse_xray_trace_id("1-5759e988-bd862e3fe1be46a99427279").error(),
            err(errc::xray_invalid_root, 34));
}

TEST(XrayTraceId, GeneratorPutsTheEpochFirst) {
  const auto a = baton::new_xray_trace_id(0x5759e988u);
  const auto b = baton::new_xray_trace_id(0x5759e988u);
  EXPECT_EQ(a.to_hex().substr(0, 8), "5759e988");
  EXPECT_TRUE(a.is_valid());
  EXPECT_NE(a, b);
  EXPECT_TRUE(baton::new_xray_trace_id(0).is_valid());
  EXPECT_EQ(baton::new_xray_trace_id(0).to_hex().substr(0, 8), "00000000");
  EXPECT_EQ(baton::new_xray_trace_id(0xffffffffu).to_hex().substr(0, 8), "ffffffff");
}

TEST(XrayTraceId, GeneratorReadsTheClock) {
  const auto now =
      static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
  const auto id = baton::new_xray_trace_id();
  const std::uint32_t epoch = (std::uint32_t{id.bytes()[0]} << 24) |
                              (std::uint32_t{id.bytes()[1]} << 16) |
                              (std::uint32_t{id.bytes()[2]} << 8) | std::uint32_t{id.bytes()[3]};
  EXPECT_LE(now, epoch);
  EXPECT_LE(epoch - now, 5u);
}

TEST(XrayTraceId, NewRoot) {
  const auto root = baton::new_xray_root(true, 0x67891233u);
  EXPECT_TRUE(root.is_valid());
  EXPECT_TRUE(root.flags.sampled());
  EXPECT_TRUE(root.flags.random());  // the right-most 12 bytes are random
  EXPECT_FALSE(root.remote);
  EXPECT_EQ(root.trace_id.to_hex().substr(0, 8), "67891233");
  baton::http_headers h;
  ASSERT_TRUE(baton::inject_xray(root, h));
  const std::string v = h.get("x-amzn-trace-id").first.data();
  EXPECT_EQ(v.substr(0, 16), "Root=1-67891233-");
  EXPECT_EQ(v.size(), 74u);
  EXPECT_EQ(v.substr(64), ";Sampled=1");
  EXPECT_FALSE(baton::new_xray_root(false).flags.sampled());
}

// ---- propagator: extract ----------------------------------------------------------------------

TEST(XrayPropagator, Constants) {
  EXPECT_EQ(baton::xray_propagator::format, propagation_format::xray);
  ASSERT_EQ(baton::xray_propagator::fields.size(), 1u);
  EXPECT_EQ(baton::xray_propagator::fields[0], "x-amzn-trace-id");
  EXPECT_EQ(baton::xray_propagator::cleared_fields.size(), 0u);
}

template <class Carrier>
void expect_full_aws(const Carrier& carrier) {
  const auto e = baton::xray_propagator::extract_context(carrier);
  EXPECT_EQ(e.kind, context_kind::full);
  EXPECT_TRUE(e.valid());
  EXPECT_EQ(e.format, propagation_format::xray);
  EXPECT_TRUE(e.found);
  EXPECT_EQ(e.error, baton::error{});
  EXPECT_EQ(e.context.trace_id.to_hex(), kAwsTrace);
  EXPECT_EQ(e.context.span_id.to_hex(), kAwsParent);
  EXPECT_TRUE(e.context.flags.sampled());
  EXPECT_FALSE(e.context.flags.random());
  EXPECT_TRUE(e.context.remote);
  EXPECT_EQ(e.extras.sampling, sampling_decision::sampled);
  EXPECT_EQ(e.extras.xray_fields, "");
}

TEST(XrayPropagator, ExtractFromEveryCarrierShape) {
  baton::http_headers h;
  h.add("X-Amzn-Trace-Id", kAws);
  expect_full_aws(h);

  std::map<std::string, std::string> m{{"X-AMZN-TRACE-ID", kAws}, {"other", "x"}};
  expect_full_aws(m);

  ci_multimap mm{{"x-amzn-trace-id", kAws}, {"Host", "example.com"}};
  expect_full_aws(mm);

  pair_vector v{{"host", "a"}, {"x-Amzn-Trace-id", kAws}};
  expect_full_aws(v);

  std::map<std::string, std::string> backing{{"x-amzn-trace-id", kAws}};
  auto callable = baton::make_carrier(
      [&](std::string_view name) -> std::optional<std::string> {
        auto it = backing.find(std::string(name));
        if (it == backing.end()) return std::nullopt;
        return it->second;
      },
      [&](std::string_view name, std::string_view value) {
        backing[std::string(name)] = std::string(value);
      });
  expect_full_aws(callable);
}

TEST(XrayPropagator, RootOnlyIsTraceIdOnly) {
  baton::http_headers h;
  h.add("x-amzn-trace-id", kAlbFirst);
  const auto e = baton::extract_xray(h);
  EXPECT_EQ(e.kind, context_kind::trace_id_only);
  EXPECT_FALSE(e.valid());
  EXPECT_EQ(e.error, baton::error{});
  EXPECT_EQ(e.context.trace_id.to_hex(), kAlbTrace);
  EXPECT_EQ(e.context.span_id, baton::span_id{});
  EXPECT_FALSE(e.context.flags.sampled());
  EXPECT_EQ(e.extras.sampling, sampling_decision::deferred);

  // The next span continues the same trace (no new trace is invented).
  const auto next = baton::continue_trace(e);
  EXPECT_EQ(next.trace_id, e.context.trace_id);
  EXPECT_TRUE(next.span_id.is_valid());
  EXPECT_TRUE(next.flags.sampled());

  baton::http_headers h0;
  h0.add("x-amzn-trace-id", std::string(kAlbFirst) + ";Sampled=0");
  const auto e0 = baton::extract_xray(h0);
  EXPECT_EQ(e0.kind, context_kind::trace_id_only);
  EXPECT_EQ(e0.extras.sampling, sampling_decision::not_sampled);
  EXPECT_FALSE(baton::continue_trace(e0).flags.sampled());
}

TEST(XrayPropagator, DeferredAndNotSampled) {
  baton::http_headers h;
  h.add("x-amzn-trace-id", std::string(kAwsRoot) + ";Parent=53995c3f42cd8ad8;Sampled=?");
  auto e = baton::extract_xray(h);
  EXPECT_EQ(e.kind, context_kind::full);
  EXPECT_EQ(e.extras.sampling, sampling_decision::deferred);
  EXPECT_FALSE(e.context.flags.sampled());

  h.set("x-amzn-trace-id", std::string(kAwsRoot) + ";Parent=53995c3f42cd8ad8;Sampled=0");
  e = baton::extract_xray(h);
  EXPECT_EQ(e.extras.sampling, sampling_decision::not_sampled);
  EXPECT_FALSE(e.context.flags.sampled());
}

TEST(XrayPropagator, PreservedFieldsGoToExtras) {
  baton::http_headers h;
  h.add("x-amzn-trace-id", std::string(kViaAlb) + ";Parent=53995c3f42cd8ad8;" + kLineage);
  const auto e = baton::extract_xray(h);
  EXPECT_EQ(e.kind, context_kind::full);
  EXPECT_EQ(e.extras.xray_fields,
            std::string("Self=1-67891233-12456789abcdef012345678;CalledFrom=app;") + kLineage);
}

TEST(XrayPropagator, AbsentInvalidAndConflicting) {
  baton::http_headers none;
  none.add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  auto e = baton::extract_xray(none);
  EXPECT_EQ(e.kind, context_kind::none);
  EXPECT_EQ(e.format, propagation_format::xray);
  EXPECT_FALSE(e.found);
  EXPECT_EQ(e.error, baton::error{});

  baton::http_headers bad;
  bad.add("x-amzn-trace-id", "  Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=true");
  e = baton::extract_xray(bad);
  EXPECT_EQ(e.kind, context_kind::none);
  EXPECT_TRUE(e.found);
  EXPECT_EQ(e.error, err(errc::xray_invalid_sampled, 51));  // offsets index the raw value
  EXPECT_FALSE(e.context.trace_id.is_valid());

  baton::http_headers two;
  two.add("x-amzn-trace-id", kAws);
  two.add("X-Amzn-Trace-Id", std::string(kAwsRoot) + ";Parent=53995c3f42cd8ad8;Sampled=0");
  e = baton::extract_xray(two);
  EXPECT_EQ(e.kind, context_kind::none);
  EXPECT_TRUE(e.found);
  EXPECT_EQ(e.error, err(errc::propagation_conflicting_values, 0));

  pair_vector same{{"x-amzn-trace-id", kAws}, {"X-AMZN-TRACE-ID", std::string(" ") + kAws}};
  e = baton::extract_xray(same);  // identical repeats (up to OWS) are one value
  EXPECT_EQ(e.kind, context_kind::full);

  std::map<std::string, std::string> empty{{"x-amzn-trace-id", ""}};
  e = baton::extract_xray(empty);
  EXPECT_EQ(e.kind, context_kind::none);
  EXPECT_TRUE(e.found);
  EXPECT_EQ(e.error, err(errc::xray_missing_root, 0));
}

TEST(XrayPropagator, LenientEpochThroughTheCarrier) {
  baton::http_headers h;
  h.add("x-amzn-trace-id", "Root=1-0-0000000016764bd1ca9d3cc8;Parent=53995c3f42cd8ad8;Sampled=1");
  EXPECT_EQ(baton::extract_xray(h).error, err(errc::xray_invalid_root, 8));
  xray_options lenient;
  lenient.lenient_epoch = true;
  const auto e = baton::extract_xray(h, lenient);
  EXPECT_EQ(e.kind, context_kind::full);
  EXPECT_EQ(e.context.trace_id.to_hex(), "000000000000000016764bd1ca9d3cc8");
}

// ---- propagator: inject -----------------------------------------------------------------------

TEST(XrayPropagator, InjectGolden) {
  baton::http_headers h;
  EXPECT_TRUE(baton::xray_propagator::inject(context(kAwsTrace, kAwsParent, true), h));
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h.begin()->name, "x-amzn-trace-id");
  EXPECT_EQ(h.begin()->value, kAws);
}

TEST(XrayPropagator, InjectSamplingFollowsTheContract) {
  const std::string head = std::string(kAwsRoot) + ";Parent=53995c3f42cd8ad8;Sampled=";
  auto sampled_with = [&](bool sampled, sampling_decision d) {
    baton::format_extras extras;
    extras.sampling = d;
    std::map<std::string, std::string> m;
    EXPECT_TRUE(baton::inject_xray(context(kAwsTrace, kAwsParent, sampled), m, extras));
    return m.at("x-amzn-trace-id").substr(head.size());
  };
  EXPECT_EQ(sampled_with(true, sampling_decision::sampled), "1");
  EXPECT_EQ(sampled_with(true, sampling_decision::deferred), "1");  // the local decision wins
  EXPECT_EQ(sampled_with(true, sampling_decision::not_sampled), "1");
  EXPECT_EQ(sampled_with(true, sampling_decision::debug), "1");  // X-Ray has no debug
  EXPECT_EQ(sampled_with(false, sampling_decision::deferred), "?");
  EXPECT_EQ(sampled_with(false, sampling_decision::not_sampled), "0");
  EXPECT_EQ(sampled_with(false, sampling_decision::sampled), "0");
  EXPECT_EQ(sampled_with(false, sampling_decision::debug), "0");

  // Deferred without Sampled=? for receivers that drop such headers.
  xray_options omit;
  omit.omit_deferred_sampled = true;
  baton::http_headers h;
  baton::format_extras deferred;
  deferred.sampling = sampling_decision::deferred;
  EXPECT_TRUE(baton::inject_xray(context(kAwsTrace, kAwsParent, false), h, deferred, omit));
  EXPECT_EQ(values_of(h, "x-amzn-trace-id"),
            std::vector<std::string>{std::string(kAwsRoot) + ";Parent=53995c3f42cd8ad8"});
}

TEST(XrayPropagator, InjectNeverWritesAnInvalidContext) {
  baton::http_headers h;
  h.add("X-Amzn-Trace-Id", "old");
  baton::span_context no_span = context(kAwsTrace, kAwsParent, true);
  no_span.span_id = baton::span_id{};
  EXPECT_FALSE(baton::inject_xray(no_span, h));
  baton::span_context no_trace = context(kAwsTrace, kAwsParent, true);
  no_trace.trace_id = baton::trace_id{};
  EXPECT_FALSE(baton::inject_xray(no_trace, h));
  EXPECT_FALSE(baton::inject_xray(baton::span_context{}, h));
  ASSERT_EQ(h.size(), 1u);  // untouched
  EXPECT_EQ(h.begin()->name, "X-Amzn-Trace-Id");
  EXPECT_EQ(h.begin()->value, "old");
}

TEST(XrayPropagator, InjectReplacesInEveryCarrierShapeAndRepeatsAreIdempotent) {
  const auto c = context(kAwsTrace, kAwsParent, true);
  {
    baton::http_headers h;
    h.add("X-Amzn-Trace-Id", "stale");
    h.add("x-amzn-trace-id", "stale2");
    EXPECT_TRUE(baton::inject_xray(c, h));
    EXPECT_TRUE(baton::inject_xray(c, h));
    EXPECT_EQ(values_of(h, "x-amzn-trace-id"), std::vector<std::string>{kAws});
    EXPECT_EQ(h.begin()->name, "x-amzn-trace-id");
  }
  {
    std::map<std::string, std::string> m{{"X-Amzn-Trace-Id", "stale"}, {"a", "b"}};
    EXPECT_TRUE(baton::inject_xray(c, m));
    EXPECT_TRUE(baton::inject_xray(c, m));
    EXPECT_EQ(m, (std::map<std::string, std::string>{{"a", "b"}, {"x-amzn-trace-id", kAws}}));
  }
  {
    ci_multimap mm{{"X-AMZN-TRACE-ID", "stale"}, {"X-Amzn-Trace-Id", "stale2"}};
    EXPECT_TRUE(baton::inject_xray(c, mm));
    EXPECT_TRUE(baton::inject_xray(c, mm));
    ASSERT_EQ(mm.size(), 1u);
    EXPECT_EQ(mm.begin()->first, "x-amzn-trace-id");
    EXPECT_EQ(mm.begin()->second, kAws);
  }
  {
    // Another spelling is removed and the field appended; the exact name is replaced in place.
    pair_vector v{{"X-Amzn-Trace-Id", "stale"}, {"host", "h"}};
    EXPECT_TRUE(baton::inject_xray(c, v));
    EXPECT_TRUE(baton::inject_xray(c, v));
    EXPECT_EQ(v, (pair_vector{{"host", "h"}, {"x-amzn-trace-id", kAws}}));
    pair_vector exact{{"x-amzn-trace-id", "stale"}, {"host", "h"}};
    EXPECT_TRUE(baton::inject_xray(c, exact));
    EXPECT_EQ(exact, (pair_vector{{"x-amzn-trace-id", kAws}, {"host", "h"}}));
  }
  {
    std::map<std::string, std::string> backing;
    int sets = 0;
    auto callable = baton::make_carrier(nullptr, [&](std::string_view name, std::string_view v) {
      ++sets;
      backing[std::string(name)] = std::string(v);
    });
    EXPECT_TRUE(baton::inject_xray(c, callable));
    EXPECT_EQ(sets, 1);
    EXPECT_EQ(backing, (std::map<std::string, std::string>{{"x-amzn-trace-id", kAws}}));
  }
}

TEST(XrayPropagator, InjectReemitsPreservedFieldsSelfIncluded) {
  baton::format_extras extras;
  extras.sampling = sampling_decision::sampled;
  extras.xray_fields =
      std::string("Self=1-67891233-12456789abcdef012345678;") + kLineage + ";CalledFrom=app";
  baton::http_headers h;
  EXPECT_TRUE(baton::inject_xray(context(kAwsTrace, kAwsParent, true), h, extras));
  EXPECT_EQ(values_of(h, "x-amzn-trace-id"),
            std::vector<std::string>{std::string(kAws) + ";" + extras.xray_fields});
  xray_options drop;
  drop.keep_self = false;
  EXPECT_TRUE(baton::inject_xray(context(kAwsTrace, kAwsParent, true), h, extras, drop));
  EXPECT_EQ(values_of(h, "x-amzn-trace-id"),
            std::vector<std::string>{std::string(kAws) + ";" + kLineage + ";CalledFrom=app"});
}

TEST(XrayPropagator, InjectNeverWritesControlCharacters) {
  baton::format_extras extras;
  extras.xray_fields = "A=1\r\nSet-Cookie: x=1;B=\n;C=3;D=\x7f;Lineage=1:ab\x00z";
  extras.xray_fields.push_back('\0');
  extras.xray_fields += ";E=5";
  baton::http_headers h;
  EXPECT_TRUE(baton::inject_xray(context(kAwsTrace, kAwsParent, true), h, extras));
  const std::string v = values_of(h, "x-amzn-trace-id").at(0);
  EXPECT_EQ(v, std::string(kAws) + ";C=3;E=5");
  for (char ch : v) EXPECT_TRUE(ch >= 0x20 && ch <= 0x7e);
}

TEST(XrayPropagator, InjectRespectsTheLimit) {
  baton::format_extras extras;
  extras.xray_fields = "A=" + std::string(150, 'a') + ";" + kLineage + ";B=" + std::string(20, 'b');
  baton::http_headers h;
  EXPECT_TRUE(baton::inject_xray(context(kAwsTrace, kAwsParent, true), h, extras));
  const std::string v = values_of(h, "x-amzn-trace-id").at(0);
  EXPECT_EQ(v, std::string(kAws) + ";" + kLineage + ";B=" + std::string(20, 'b'));
  EXPECT_LE(v.size(), baton::xray_max_header_size);
  xray_options wide;
  wide.max_header_size = 512;
  EXPECT_TRUE(baton::inject_xray(context(kAwsTrace, kAwsParent, true), h, extras, wide));
  EXPECT_EQ(values_of(h, "x-amzn-trace-id").at(0), std::string(kAws) + ";" + extras.xray_fields);
}

// ---- round trips ------------------------------------------------------------------------------

TEST(XrayRoundTrip, SameContextReinjectsByteForByte) {
  const std::string in = std::string(kAws) + ";" + kLineage + ";CalledFrom=app;Foo=a b=c";
  baton::http_headers h;
  h.add("X-Amzn-Trace-Id", in);
  const auto e = baton::extract_xray(h);
  ASSERT_TRUE(e.valid());
  baton::http_headers out;
  ASSERT_TRUE(baton::inject_xray(e.context, out, e.extras));
  EXPECT_EQ(values_of(out, "x-amzn-trace-id"), std::vector<std::string>{in});
}

TEST(XrayRoundTrip, ChildKeepsTraceLineageAndUnknownFields) {
  baton::http_headers h;
  h.add("x-amzn-trace-id", std::string("Self=1-67891233-12456789abcdef012345678;") + kLambda +
                               ";Parent=53995c3f42cd8ad8;CalledFrom=app");
  const auto e = baton::extract_xray(h);
  ASSERT_TRUE(e.valid());
  const auto child = e.context.child(sid("00f067aa0ba902b7"));
  baton::http_headers out;
  ASSERT_TRUE(baton::inject_xray(child, out, e.extras));
  EXPECT_EQ(values_of(out, "x-amzn-trace-id"),
            std::vector<std::string>{std::string(kAwsRoot) + ";Parent=00f067aa0ba902b7;Sampled=1;" +
                                     "Self=1-67891233-12456789abcdef012345678;" + kLineage +
                                     ";CalledFrom=app"});
}

TEST(XrayRoundTrip, DeferredStaysDeferred) {
  baton::http_headers h;
  h.add("x-amzn-trace-id", std::string(kAwsRoot) + ";Parent=53995c3f42cd8ad8;Sampled=?");
  const auto e = baton::extract_xray(h);
  baton::http_headers out;
  ASSERT_TRUE(baton::inject_xray(e.context, out, e.extras));
  EXPECT_EQ(values_of(out, "x-amzn-trace-id"),
            std::vector<std::string>{std::string(kAwsRoot) + ";Parent=53995c3f42cd8ad8;Sampled=?"});
}

TEST(XrayRoundTrip, LoadBalancerRootOnlyContinuesTheTrace) {
  baton::http_headers h;
  h.add("x-amzn-trace-id", kViaAlb);
  const auto e = baton::extract_xray(h);
  ASSERT_EQ(e.kind, context_kind::trace_id_only);
  const auto next = baton::continue_trace(e, false);
  baton::http_headers out;
  ASSERT_TRUE(baton::inject_xray(next, out, e.extras));
  const std::string v = values_of(out, "x-amzn-trace-id").at(0);
  EXPECT_EQ(v, "Root=1-67891233-abcdef012345678912345678;Parent=" + next.span_id.to_hex() +
                   ";Sampled=?;Self=1-67891233-12456789abcdef012345678;CalledFrom=app");
}

TEST(XrayRoundTrip, W3cToXray) {
  baton::http_headers in;
  in.add("traceparent", "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01");
  const auto w3c = baton::trace_context_propagator::extract_context(in);
  ASSERT_TRUE(w3c.valid());
  baton::http_headers out;
  ASSERT_TRUE(baton::inject_xray(w3c.context, out, w3c.extras));
  EXPECT_EQ(values_of(out, "x-amzn-trace-id"), std::vector<std::string>{kAws});

  in.set("traceparent", "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-00");
  const auto unsampled = baton::trace_context_propagator::extract_context(in);
  ASSERT_TRUE(baton::inject_xray(unsampled.context, out, unsampled.extras));
  EXPECT_EQ(values_of(out, "x-amzn-trace-id"),
            std::vector<std::string>{std::string(kAwsRoot) + ";Parent=53995c3f42cd8ad8;Sampled=0"});
}

TEST(XrayRoundTrip, XrayToW3c) {
  baton::http_headers in;
  in.add("x-amzn-trace-id", std::string(kAws) + ";" + kLineage);
  const auto e = baton::extract_xray(in);
  ASSERT_TRUE(e.valid());
  baton::http_headers out;
  ASSERT_TRUE(baton::inject_trace_context(e.context, out));
  EXPECT_EQ(values_of(out, "traceparent"),
            std::vector<std::string>{"00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01"});
  // And back: the ids survive the trip through W3C; Lineage travels in the extras.
  const auto back = baton::trace_context_propagator::extract_context(out);
  baton::http_headers again;
  ASSERT_TRUE(baton::inject_xray(back.context, again, e.extras));
  EXPECT_EQ(values_of(again, "x-amzn-trace-id"),
            std::vector<std::string>{std::string(kAws) + ";" + kLineage});
}

// ---- Lambda -----------------------------------------------------------------------------------

TEST(XrayLambda, TraceHeader) {
  const std::string lambda =
      std::string(kAwsRoot) + ";Parent=53995c3f42cd8ad8;Sampled=1;" + kLineage;
  auto e = baton::extract_lambda_trace_header(lambda);
  EXPECT_EQ(e.kind, context_kind::full);
  EXPECT_EQ(e.format, propagation_format::xray_lambda);
  EXPECT_TRUE(e.found);
  EXPECT_TRUE(e.context.remote);
  EXPECT_EQ(e.extras.xray_fields, kLineage);

  e = baton::extract_lambda_trace_header(kLambda);  // no Parent: trace id only
  EXPECT_EQ(e.kind, context_kind::trace_id_only);

  e = baton::extract_lambda_trace_header(" \t");
  EXPECT_EQ(e.kind, context_kind::none);
  EXPECT_FALSE(e.found);
  EXPECT_EQ(e.error, baton::error{});
  EXPECT_EQ(e.format, propagation_format::xray_lambda);

  e = baton::extract_lambda_trace_header("Root=1-5759e988");
  EXPECT_EQ(e.kind, context_kind::none);
  EXPECT_TRUE(e.found);
  EXPECT_EQ(e.error, err(errc::xray_invalid_root, 15));
}

constexpr const char* kLambdaFull =
    "Root=1-65f0a1b2-0123456789abcdef01234567;Parent=1111111111111111;Sampled=1";

baton::http_headers with_xray(const std::string& value) {
  baton::http_headers h;
  h.add("x-amzn-trace-id", value);
  return h;
}

TEST(XrayLambda, RequestWinsWhenFull) {
  const auto e = baton::extract_xray_lambda(with_xray(kAws), kLambdaFull);
  EXPECT_EQ(e.kind, context_kind::full);
  EXPECT_EQ(e.format, propagation_format::xray);
  EXPECT_EQ(e.context.trace_id.to_hex(), kAwsTrace);
}

TEST(XrayLambda, LambdaHeaderWhenTheRequestHasNoFullContext) {
  const baton::http_headers sources[] = {baton::http_headers{}, with_xray(kAlbFirst),
                                         with_xray("Root=garbage")};
  for (const auto& request : sources) {
    const auto e = baton::extract_xray_lambda(request, kLambdaFull);
    EXPECT_EQ(e.kind, context_kind::full);
    EXPECT_EQ(e.format, propagation_format::xray_lambda);
    EXPECT_EQ(e.context.trace_id.to_hex(), "65f0a1b20123456789abcdef01234567");
    EXPECT_EQ(e.context.span_id.to_hex(), "1111111111111111");
  }
  // A Root-only Lambda header also beats a Root-only request.
  const auto e = baton::extract_xray_lambda(with_xray(kAlbFirst), kLambda);
  EXPECT_EQ(e.kind, context_kind::trace_id_only);
  EXPECT_EQ(e.format, propagation_format::xray_lambda);
  EXPECT_EQ(e.context.trace_id.to_hex(), kAwsTrace);
}

TEST(XrayLambda, NeverReplacesSomethingWithNothing) {
  // The request's trace-id-only context stays when the Lambda header is unusable.
  auto e = baton::extract_xray_lambda(with_xray(kAlbFirst), "Root=1-bad");
  EXPECT_EQ(e.kind, context_kind::trace_id_only);
  EXPECT_EQ(e.format, propagation_format::xray);
  e = baton::extract_xray_lambda(with_xray(kAws), "");
  EXPECT_EQ(e.kind, context_kind::full);
  // Both unusable: the request's reason when it had the field, else the Lambda header's.
  e = baton::extract_xray_lambda(with_xray("Sampled=1"), "Root=1-bad");
  EXPECT_EQ(e.kind, context_kind::none);
  EXPECT_EQ(e.format, propagation_format::xray);
  EXPECT_EQ(e.error, err(errc::xray_missing_root, 9));
  e = baton::extract_xray_lambda(baton::http_headers{}, "Root=1-bad");
  EXPECT_EQ(e.kind, context_kind::none);
  EXPECT_EQ(e.format, propagation_format::xray_lambda);
  EXPECT_EQ(e.error, err(errc::xray_invalid_root, 10));
  e = baton::extract_xray_lambda(baton::http_headers{}, "");
  EXPECT_EQ(e.kind, context_kind::none);
  EXPECT_FALSE(e.found);
}

#if defined(__unix__) || defined(__APPLE__)
TEST(XrayLambda, EnvironmentIsReadOnce) {
  ::setenv("_X_AMZN_TRACE_ID", kLambdaFull, 1);
  const std::string first = baton::read_lambda_trace_header_once();
  ::setenv("_X_AMZN_TRACE_ID", kAws, 1);
  // Whatever this process saw at the first call stays (another test may have called it first).
  EXPECT_EQ(baton::read_lambda_trace_header_once(), first);
  ::unsetenv("_X_AMZN_TRACE_ID");
  EXPECT_EQ(baton::read_lambda_trace_header_once(), first);
  if (!first.empty()) {
    EXPECT_EQ(first, kLambdaFull);
    EXPECT_EQ(baton::extract_lambda_trace_header(first).kind, context_kind::full);
  }
}
#endif

}  // namespace
