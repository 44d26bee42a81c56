// Runs the built `baton` binary on inputs and compares exact stdout and exit codes: the output
// of `baton inspect` is a contract scripts rely on (docs/tool.md).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <string>

#ifndef BATON_TOOL_PATH
#error "BATON_TOOL_PATH must name the baton binary"
#endif

namespace {

struct run_result {
  std::string out;
  int status = -1;
};

run_result run(const std::string& args, const std::string& input) {
  static int counter = 0;
  const std::string path = testing::TempDir() + "baton_tool_input_" + std::to_string(getpid()) +
                           "_" + std::to_string(++counter) +
                           ".txt";  // CTest runs tests as parallel processes
  {
    std::ofstream f(path, std::ios::binary);
    f << input;
  }
  const std::string command =
      std::string("'") + BATON_TOOL_PATH + "' " + args + " < '" + path + "' 2>/dev/null";
  run_result r;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return r;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) r.out.append(buf, n);
  const int status = pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::remove(path.c_str());
  return r;
}

constexpr const char* tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(Tool, InspectSpecExample) {
  const auto r = run("inspect", std::string("traceparent: ") + tp +
                                    "\ntracestate: rojo=00f067aa0ba902b7,congo=t61rcWkgMzE\n");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(
      r.out,
      "{\"traceparent\":{\"version\":\"00\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\","
      "\"span_id\":\"00f067aa0ba902b7\",\"flags\":\"01\",\"sampled\":true,\"random\":false},"
      "\"tracestate\":[{\"key\":\"rojo\",\"value\":\"00f067aa0ba902b7\"},{\"key\":\"congo\","
      "\"value\":\"t61rcWkgMzE\"}],\"baggage\":[],\"errors\":[]}\n");
}

TEST(Tool, InspectNothing) {
  const auto r = run("inspect", "");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "{\"traceparent\":null,\"tracestate\":[],\"baggage\":[],\"errors\":[]}\n");
}

TEST(Tool, InspectInvalidTraceparentIgnoresTracestate) {
  const auto r = run("inspect",
                     "TraceParent: 00-4BF92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n"
                     "tracestate: a=1\r\n");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out,
            "{\"traceparent\":null,\"tracestate\":[],\"baggage\":[],\"errors\":[{\"header\":"
            "\"traceparent\",\"code\":\"traceparent_invalid_trace_id\",\"message\":\"trace-id is "
            "not 32 lowercase hex digits (at byte 4)\"},{\"header\":\"tracestate\",\"code\":"
            "\"tracestate_ignored\",\"message\":\"tracestate ignored because there is no valid "
            "traceparent\"}]}\n");
}

TEST(Tool, InspectFutureVersionAndRawFlags) {
  const auto r =
      run("inspect", "traceparent: cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-fe-next\n");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(
      r.out,
      "{\"traceparent\":{\"version\":\"cc\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\","
      "\"span_id\":\"00f067aa0ba902b7\",\"flags\":\"fe\",\"sampled\":false,\"random\":true},"
      "\"tracestate\":[],\"baggage\":[],\"errors\":[]}\n");
}

TEST(Tool, InspectReportsTracestateProblems) {
  auto r = run("inspect",
               std::string("traceparent: ") + tp + "\ntracestate: a=1,b=2\ntracestate: a=3\n");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(
      r.out,
      "{\"traceparent\":{\"version\":\"00\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\","
      "\"span_id\":\"00f067aa0ba902b7\",\"flags\":\"01\",\"sampled\":true,\"random\":false},"
      "\"tracestate\":[{\"key\":\"a\",\"value\":\"1\"},{\"key\":\"b\",\"value\":\"2\"}],"
      "\"baggage\":[],\"errors\":[{\"header\":\"tracestate\",\"code\":\"tracestate_duplicate_"
      "key\",\"message\":\"tracestate key repeated; the first member is kept (at byte 8)\"}]}\n");
  r = run("inspect", std::string("traceparent: ") + tp + "\ntracestate: a=1,B=2\n");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("\"tracestate\":[],"), std::string::npos);
  EXPECT_NE(r.out.find("{\"header\":\"tracestate\",\"code\":\"tracestate_invalid_key\""),
            std::string::npos);
}

TEST(Tool, InspectConflictingTraceparents) {
  const auto r = run("inspect", std::string("traceparent: ") + tp +
                                    "\ntraceparent: "
                                    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b8-01\n");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("\"code\":\"traceparent_conflicting_values\",\"message\":\"more than one "
                       "different traceparent value\"}"),
            std::string::npos)
      << r.out;
}

TEST(Tool, InspectEscapesJsonStrings) {
  // tracestate values may hold '"' and '\'.
  const auto r = run("inspect", std::string("traceparent: ") + tp + "\ntracestate: k=a\"b\\c\n");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("{\"key\":\"k\",\"value\":\"a\\\"b\\\\c\"}"), std::string::npos) << r.out;
}

TEST(Tool, InspectStopsAtBlankLineAndSkipsLinesWithoutColon) {
  const auto r = run("inspect", std::string("GET / HTTP/1.1\nhost: x\ntraceparent: ") + tp +
                                    "\n\ntracestate: a=1\n");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("\"tracestate\":[],"), std::string::npos) << r.out;
}

TEST(Tool, InspectBaggage) {
  const auto r = run("inspect",
                     "baggage: userId=alice;p=v;q,serverNode=DF%2028\n"
                     "Baggage: emoji=%F0%9F%98%80, bad key=1,k=%zz,plus=a+b\n");
  EXPECT_EQ(r.status, 1);  // no traceparent: baggage is reported all the same
  EXPECT_EQ(
      r.out,
      "{\"traceparent\":null,\"tracestate\":[],\"baggage\":[{\"key\":\"userId\",\"value\":"
      "\"alice\",\"properties\":[{\"key\":\"p\",\"value\":\"v\"},{\"key\":\"q\",\"value\":"
      "null}]},{\"key\":\"serverNode\",\"value\":\"DF 28\",\"properties\":[]},{\"key\":"
      "\"emoji\",\"value\":\"\xF0\x9F\x98\x80\",\"properties\":[]},{\"key\":\"plus\",\"value\":"
      "\"a+b\",\"properties\":[]}],\"errors\":[{\"header\":\"baggage\",\"code\":"
      "\"baggage_invalid_key\",\"message\":\"baggage key is not a token (at byte 62)\"},"
      "{\"header\":\"baggage\",\"code\":\"baggage_invalid_percent_encoding\",\"message\":"
      "\"baggage value has a malformed %-escape (at byte 70)\"}]}\n");
}

TEST(Tool, InspectBaggageOverTheLimitsCountsWhatWasDropped) {
  std::string input;
  for (int line = 0; line < 3; ++line) {
    input += "baggage: ";
    for (int i = 0; i < 30; ++i) {
      input += (i ? "," : "") + std::string("k") + std::to_string(line * 30 + i) + "=v";
    }
    input += "\n";
  }
  const auto r = run("inspect", input);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("{\"key\":\"k63\",\"value\":\"v\",\"properties\":[]}],\"errors\""),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("\"k64\""), std::string::npos);
  EXPECT_NE(r.out.find("\"code\":\"baggage_too_many_members\",\"message\":\"baggage members "
                       "over the member limit were dropped (26 members, first at byte "),
            std::string::npos)
      << r.out;
}

TEST(Tool, InjectNormalizes) {
  auto r = run("inject",
               "TraceParent: cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-ff-x\n"
               "tracestate: a=1 , ,b=2\nx-other: y\n");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out,
            "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03\n"
            "tracestate: a=1,b=2\n");
  r = run("inject", "baggage: k = v%2Cw ; p ;q=1%3B,bad key=2\nbaggage: e=%C3%A9,x=a+b\n");
  EXPECT_EQ(r.status, 1);  // baggage is forwarded even without a valid traceparent
  EXPECT_EQ(r.out, "baggage: k=v%2Cw;p;q=1%3B,e=%C3%A9,x=a+b\n");
  r = run("inject", std::string("traceparent: ") + tp + "\n");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, std::string("traceparent: ") + tp + "\n");
}

TEST(Tool, InjectWritesNothingInvalid) {
  const auto r = run("inject",
                     "traceparent: 00-00000000000000000000000000000000-00f067aa0ba902b7-01\n"
                     "tracestate: a=1\nbaggage: ,bad key=1\n");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
}

TEST(Tool, NewPrintsAFreshTraceparent) {
  const std::regex shape("00-[0-9a-f]{32}-[0-9a-f]{16}-0[23]\n");
  auto r = run("new", "");
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(std::regex_match(r.out, shape)) << r.out;
  EXPECT_EQ(r.out.substr(53), "03\n");
  r = run("new --not-sampled", "");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out.substr(53), "02\n");
  r = run("new --sampled", "");
  EXPECT_EQ(r.out.substr(53), "03\n");
  EXPECT_NE(run("new", "").out, run("new", "").out);
  EXPECT_EQ(run("new --bogus", "").status, 2);
}

TEST(Tool, InputOverTheLimitIsAUsageError) {
  std::string big((16u << 20) + 1, 'a');
  auto r = run("inspect", big);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  big.pop_back();  // exactly 16 MiB, no newline: accepted
  r = run("inspect", big);
  EXPECT_EQ(r.status, 1);
}

TEST(Tool, AWriteErrorIsNotSuccess) {
  const std::string command = std::string("'") + BATON_TOOL_PATH + "' new > /dev/full 2>/dev/null";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
}

TEST(Tool, HelpAndUsageErrors) {
  auto r = run("--help", "");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out.rfind("usage: baton <command>", 0), 0u);
  for (const char* cmd : {"inspect", "inject", "new", "env", "snapshot"}) {
    r = run(std::string(cmd) + " --help", "");
    EXPECT_EQ(r.status, 0) << cmd;
    EXPECT_EQ(r.out.rfind(std::string("usage: baton ") + cmd, 0), 0u) << cmd;
    EXPECT_NE(r.out.find("example:"), std::string::npos) << cmd;
  }
  EXPECT_EQ(run("", "").status, 2);
  EXPECT_EQ(run("frobnicate", "").status, 2);
  EXPECT_EQ(run("inspect --bogus", "").status, 2);
  EXPECT_EQ(run("--version extra", "").status, 2);
  EXPECT_EQ(run("--help extra", "").status, 2);
  r = run("--version", "");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out.rfind("baton 0.", 0), 0u);
}

// ---- --from / --to / env (issue 4)

constexpr const char* xray_lineage =
    "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;"
    "Lineage=a87bd80c:1|68fd508a:5";

TEST(Tool, InspectFromXrayMapsToW3CAndKeepsLineage) {
  const auto r = run("inspect --from xray,w3c", std::string("X-Amzn-Trace-Id: ") + xray_lineage +
                                                    "\ntraceparent: " + tp + "\n");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(
      r.out,
      "{\"traceparent\":{\"version\":\"00\",\"trace_id\":\"5759e988bd862e3fe1be46a994272793\","
      "\"span_id\":\"53995c3f42cd8ad8\",\"flags\":\"01\",\"sampled\":true,\"random\":false},"
      "\"tracestate\":[],\"baggage\":[],\"errors\":[],\"source\":\"xray\",\"kind\":\"full\","
      "\"sampling\":\"sampled\",\"extras\":{\"trace_id\":\"5759e988bd862e3fe1be46a994272793\","
      "\"trace_id_64\":false,\"debug\":false,\"parent_span_id\":null,\"xray_fields\":"
      "\"Lineage=a87bd80c:1|68fd508a:5\",\"lineage\":\"a87bd80c:1|68fd508a:5\"},\"links\":[{"
      "\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"span_id\":\"00f067aa0ba902b7\","
      "\"sampled\":true}]}\n");
}

TEST(Tool, InspectFromW3CFirstKeepsTracestateAndLinksXray) {
  const auto r = run("inspect --from w3c,xray",
                     std::string("traceparent: ") + tp +
                         "\ntracestate: a=1\nx-amzn-trace-id: " + xray_lineage + "\n");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("\"tracestate\":[{\"key\":\"a\",\"value\":\"1\"}]"), std::string::npos);
  EXPECT_NE(r.out.find("\"source\":\"w3c\""), std::string::npos);
  EXPECT_NE(r.out.find("\"links\":[{\"trace_id\":\"5759e988bd862e3fe1be46a994272793\""),
            std::string::npos);
}

TEST(Tool, InspectPartialContexts) {
  auto r =
      run("inspect --from xray", "x-amzn-trace-id: Root=1-67891233-abcdef012345678912345678\n");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(
      r.out,
      "{\"traceparent\":null,\"tracestate\":[],\"baggage\":[],\"errors\":[],\"source\":"
      "\"xray\",\"kind\":\"trace_id_only\",\"sampling\":\"deferred\",\"extras\":{\"trace_id\":"
      "\"67891233abcdef012345678912345678\",\"trace_id_64\":false,\"debug\":false,"
      "\"parent_span_id\":null,\"xray_fields\":null,\"lineage\":null},\"links\":[]}\n");
  r = run("inspect --from b3", "b3: d\n");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("\"kind\":\"sampling_only\",\"sampling\":\"debug\""), std::string::npos);
}

TEST(Tool, InspectB3DebugAnd64BitIds) {
  const auto r =
      run("inspect --from b3", "b3: 80f198ee56343ba8-e457b5a2e4d86bd1-d-05e3ac9a4f6e3b90\n");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(
      r.out,
      "{\"traceparent\":{\"version\":\"00\",\"trace_id\":\"000000000000000080f198ee56343ba8\","
      "\"span_id\":\"e457b5a2e4d86bd1\",\"flags\":\"01\",\"sampled\":true,\"random\":false},"
      "\"tracestate\":[],\"baggage\":[],\"errors\":[],\"source\":\"b3\",\"kind\":\"full\","
      "\"sampling\":\"debug\",\"extras\":{\"trace_id\":\"000000000000000080f198ee56343ba8\","
      "\"trace_id_64\":true,\"debug\":true,\"parent_span_id\":\"05e3ac9a4f6e3b90\","
      "\"xray_fields\":null,\"lineage\":null},\"links\":[]}\n");
}

TEST(Tool, InspectReportsOtherFormatsErrors) {
  const auto r = run("inspect --from jaeger,b3", "uber-trace-id: 1:2:3\nb3: 0\n");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("\"errors\":[{\"header\":\"uber-trace-id\",\"code\":\"jaeger_"),
            std::string::npos);
  EXPECT_NE(r.out.find("\"kind\":\"sampling_only\""), std::string::npos);
}

TEST(Tool, InjectConvertsBetweenFormats) {
  auto r = run("inject --from xray --to b3,jaeger,xray",
               std::string("x-amzn-trace-id: ") + xray_lineage + "\nbaggage: k=v\n");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out,
            "b3: 5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-1\n"
            "uber-trace-id: 5759e988bd862e3fe1be46a994272793:53995c3f42cd8ad8:0:1\n"
            "uberctx-k: v\n"  // Jaeger carries baggage as uberctx- fields
            "x-amzn-trace-id: Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;"
            "Sampled=1;Lineage=a87bd80c:1|68fd508a:5\n");
  // 64-bit B3 stays 64-bit; W3C output pads it and carries baggage.
  r = run("inject --from b3multi --to b3multi,w3c",
          "X-B3-TraceId: 80f198ee56343ba8\nX-B3-SpanId: e457b5a2e4d86bd1\nX-B3-Sampled: true\n"
          "baggage: k=v\n");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out,
            "x-b3-traceid: 80f198ee56343ba8\nx-b3-spanid: e457b5a2e4d86bd1\nx-b3-sampled: 1\n"
            "traceparent: 00-000000000000000080f198ee56343ba8-e457b5a2e4d86bd1-01\n"
            "baggage: k=v\n");
  // Nothing valid: nothing written.
  r = run("inject --from xray --to w3c",
          "x-amzn-trace-id: Root=1-67891233-abcdef012345678912345678\n");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
}

TEST(Tool, EnvPrintsExportsAndUnsets) {
  auto r = run("env", std::string("traceparent: ") + tp + "\ntracestate: k=it's\nbaggage: a=1\n");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, std::string("export TRACEPARENT='") + tp +
                       "'\nexport TRACESTATE='k=it'\\''s'\nexport BAGGAGE='a=1'\n");
  r = run("env --to w3c,xray", std::string("traceparent: ") + tp + "\n");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, std::string("export TRACEPARENT='") + tp +
                       "'\nexport X_AMZN_TRACE_ID='Root=1-4bf92f35-77b34da6a3ce929d0e0e4736;"
                       "Parent=00f067aa0ba902b7;Sampled=1'\nunset TRACESTATE\nunset BAGGAGE\n");
  r = run("env", "");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "unset TRACEPARENT\nunset TRACESTATE\nunset BAGGAGE\n");
  r = run("env --new --not-sampled", "");
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(
      std::regex_match(r.out, std::regex("export TRACEPARENT='00-[0-9a-f]{32}-[0-9a-f]{16}-02'\n"
                                         "unset TRACESTATE\nunset BAGGAGE\n")))
      << r.out;
}

TEST(Tool, FormatOptionUsageErrors) {
  EXPECT_EQ(run("inspect --from bogus", "").status, 2);
  EXPECT_EQ(run("inspect --to w3c", "").status, 2);
  EXPECT_EQ(run("inspect --from", "").status, 2);
  EXPECT_EQ(run("inject --from w3c --from xray", "").status, 2);
  EXPECT_EQ(run("env --new --from w3c", "").status, 2);
  EXPECT_EQ(run("new --from w3c", "").status, 2);
}

// ---- snapshot (issue 5)

TEST(Tool, SnapshotTokenRoundTrip) {
  const std::string headers = std::string("traceparent: ") + tp +
                              "\ntracestate: rojo=00f067aa0ba902b7,congo=t61rcWkgMzE\n"
                              "baggage: userId=alice,serverNode=DF%2028;p=1\n";
  const auto r = run("snapshot", headers);
  EXPECT_EQ(r.status, 0);
  // The token is the documented binary form (docs/snapshots.md) in base64url.
  EXPECT_EQ(r.out,
            "bc1.YnRjAWoBGkv5LzV3s02mo86SnQ4ORzYA8GeqC6kCtwEBAidyb2pvPTAwZjA2N2FhMGJhOTAyYjcsY29u"
            "Z289dDYxcmNXa2dNekUDI3VzZXJJZD1hbGljZSxzZXJ2ZXJOb2RlPURGJTIwMjg7cD0x7us6gA\n");
  const std::string token = r.out.substr(0, r.out.size() - 1);
  const auto back = run("snapshot --decode " + token, "");
  EXPECT_EQ(back.status, 0);
  EXPECT_EQ(back.out, headers);
}

TEST(Tool, SnapshotRejectsBadTokensAndMissingContext) {
  EXPECT_EQ(run("snapshot", "").status, 1);
  EXPECT_EQ(run("snapshot", "").out, "");
  auto r = run("snapshot --decode bc1.AAAA", "");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  // One changed character: the checksum catches it.
  r = run(
      "snapshot --decode bc1.YnRjAWoBGkv5LzV3s02mo86SnQ4ORzYA8GeqC6kCtwEBAidyb2pvPTAwZjA2N2FhMG"
      "JhOTAyYjcsB29uZ289dDYxcmNXa2dNekUDI3VzZXJJZD1hbGljZSxzZXJ2ZXJOb2RlPURGJTIwMjg7cD0x7us6gA",
      "");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(run("snapshot --decode", "").status, 2);
  EXPECT_EQ(run("snapshot --decode x --from w3c", "").status, 2);
  EXPECT_EQ(run("snapshot --bogus", "").status, 2);
  // Other formats: the X-Ray context becomes a W3C snapshot.
  r = run("snapshot --from xray",
          "x-amzn-trace-id: "
          "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1\n");
  EXPECT_EQ(r.status, 0);
  const auto back = run("snapshot --decode " + r.out.substr(0, r.out.size() - 1), "");
  EXPECT_EQ(back.out, "traceparent: 00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01\n");
}

}  // namespace
