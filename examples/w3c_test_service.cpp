// A service for the W3C Trace Context test harness (github.com/w3c/trace-context, test/), and an
// example of baton in an HTTP service: extract the incoming context, start this service's span,
// and give every outgoing call its own child span.
//
// The harness POSTs a JSON array of {"url": ..., "arguments": [...]} to any path. For each
// element the service POSTs JSON(arguments) to url, carrying traceparent/tracestate, and only
// then answers 200 {}.
//
//   w3c_test_service [port]      (default 5000; listens on 127.0.0.1)
#include <httplib.h>

#include <baton/baton.hpp>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

namespace {

// POST body to an absolute http:// URL with the given headers. Returns the HTTP status (0 when
// the request failed).
int post(const std::string& url, const httplib::Headers& headers, const std::string& body) {
  const std::size_t scheme = url.find("://");
  const std::size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  const std::string origin = url.substr(0, slash);
  const std::string path = slash == std::string::npos ? "/" : url.substr(slash);
  httplib::Client client(origin);
  const httplib::Result result = client.Post(path, headers, body, "application/json");
  return result ? result->status : 0;
}

void handle(const httplib::Request& request, httplib::Response& response) {
  const nlohmann::json actions = nlohmann::json::parse(request.body, nullptr, false);
  if (!actions.is_array()) {
    response.status = 400;
    response.set_content(R"({"error":"expected a JSON array"})", "application/json");
    return;
  }

  // httplib::Headers is a std::multimap with case-insensitive names: baton reads it as a
  // carrier as is, seeing every header line (repeated traceparent or tracestate lines
  // included, in the order received). Headers of other frameworks: copy them into a
  // baton::http_headers, or specialize baton::carrier_traits (see baton/carrier.hpp).
  const baton::trace_context_extraction incoming = baton::extract_trace_context(request.headers);
  const baton::span_context server_span = incoming.valid()
                                              ? incoming.context.child()  // same trace, new span id
                                              : baton::span_context::new_root(/*sampled=*/true);

  for (const nlohmann::json& action : actions) {
    if (!action.is_object() || !action.contains("url") || !action["url"].is_string()) continue;
    const std::string url = action["url"].get<std::string>();
    const nlohmann::json arguments = action.value("arguments", nlohmann::json::array());

    // Each outgoing call is a span of its own: a new span id, sent as the parent-id.
    httplib::Headers outgoing;
    baton::inject_trace_context(server_span.child(), outgoing);
    const int status = post(url, outgoing, arguments.dump());
    if (status != 200) std::cerr << "callback to " << url << " answered " << status << '\n';
  }
  response.set_content("{}", "application/json");
}

}  // namespace

int main(int argc, char** argv) {
  const int port = argc > 1 ? std::atoi(argv[1]) : 5000;
  httplib::Server server;
  server.Post(".*", handle);
  std::cout << "w3c_test_service listening on http://127.0.0.1:" << port << "/test" << std::endl;
  if (!server.listen("127.0.0.1", port)) {
    std::cerr << "cannot listen on 127.0.0.1:" << port << '\n';
    return 1;
  }
}
