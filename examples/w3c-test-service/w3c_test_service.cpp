// A service for the W3C Trace Context test harness (github.com/w3c/trace-context, test/), and an
// example of baton in an HTTP service: extract the incoming context, start this service's span,
// and give every outgoing call its own child span.
//
// Protocol: the harness POSTs a JSON array of {"url": ..., "arguments": [...]} (to any path,
// /test by convention). For each element, in order, the service POSTs JSON(arguments) to url
// (`[]` when arguments is missing) carrying one traceparent and, when there is one, the
// tracestate; only then does it answer 200 {}. A body that is not such an array gets 400 and a
// JSON error, before any callback is sent.
//
//   w3c_test_service [--host ADDR] PORT     PORT 0 picks a free port
//
// It prints "listening on PORT" (flushed) once it accepts connections, and exits 0 on SIGINT or
// SIGTERM.
#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <baton/baton.hpp>
#include <chrono>
#include <cstddef>
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace {

// Limits: the harness sends a few hundred bytes; anything far beyond is not a test.
constexpr std::size_t max_body_size = 1024 * 1024;
constexpr int max_json_depth = 32;          // dump() recurses, so nesting is bounded
constexpr std::size_t max_callbacks = 256;  // each may take a timeout: bound the whole request
constexpr time_t callback_timeout_s = 5;    // the harness waits 5 s for everything

// Where one callback goes: an http:// URL split for httplib::Client(host, port), which (unlike
// the URL constructor) cannot throw on a bad port or scheme.
struct callback_target {
  std::string host;  // without brackets for IPv6 literals
  int port = 80;
  std::string path;  // origin-form, "/" at least
};

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// Accepts http://host[:port][/path][?query] with a registered name, IPv4 or [IPv6] host. The
// path goes into the request line as is, so it must be visible ASCII (no spaces, no CR/LF).
std::optional<callback_target> parse_callback_url(std::string_view url) {
  constexpr std::string_view scheme = "http://";
  if (url.size() < scheme.size() || url.substr(0, scheme.size()) != scheme) return std::nullopt;
  url.remove_prefix(scheme.size());
  const std::size_t hash = url.find('#');
  if (hash != std::string_view::npos) url = url.substr(0, hash);
  const std::size_t path_start = url.find_first_of("/?");
  std::string_view authority = url.substr(0, path_start);
  const std::string_view path =
      path_start == std::string_view::npos ? std::string_view() : url.substr(path_start);

  callback_target target;
  std::string_view host;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(1, close - 1);
    for (const char c : host) {
      if (!(c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
            (c >= 'A' && c <= 'F'))) {
        return std::nullopt;
      }
    }
    authority.remove_prefix(close + 1);
  } else {
    const std::size_t colon = authority.find(':');
    host = authority.substr(0, colon);
    for (const char c : host) {
      if (!is_host_char(c)) return std::nullopt;
    }
    authority.remove_prefix(host.size());
  }
  if (host.empty()) return std::nullopt;
  target.host = std::string(host);

  if (!authority.empty()) {  // ":port"
    if (authority.front() != ':' || authority.size() < 2 || authority.size() > 6) {
      return std::nullopt;
    }
    int port = 0;
    for (const char c : authority.substr(1)) {
      if (c < '0' || c > '9') return std::nullopt;
      port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) return std::nullopt;
    target.port = port;
  }

  for (const char c : path) {
    if (c <= ' ' || c > '~') return std::nullopt;
  }
  target.path = path.empty() || path.front() != '/' ? "/" + std::string(path) : std::string(path);
  return target;
}

struct callback {
  callback_target target;
  std::string url;   // as received, for messages
  std::string body;  // JSON(arguments)
};

void answer(httplib::Response& response, int status, const std::string& json) {
  response.status = status;
  response.set_content(json, "application/json");
}

void answer_error(httplib::Response& response, const std::string& message) {
  answer(response, 400, nlohmann::json{{"error", message}}.dump());
}

// Validates the whole request before sending anything: a malformed one gets 400 and no
// callbacks. Returns the error message, or an empty string and the callbacks.
std::string parse_callbacks(const std::string& text, std::vector<callback>& out) {
  bool too_deep = false;
  const nlohmann::json::parser_callback_t limit_depth =
      [&too_deep](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
        if (depth > max_json_depth) too_deep = true;
        return !too_deep;  // stop building values once the limit is passed
      };
  const nlohmann::json actions = nlohmann::json::parse(text, limit_depth, false);
  if (too_deep) return "JSON nested deeper than " + std::to_string(max_json_depth) + " levels";
  if (actions.is_discarded()) return "the body is not valid JSON";
  if (!actions.is_array()) return "expected a JSON array of {\"url\", \"arguments\"} objects";
  if (actions.size() > max_callbacks) {
    return "more than " + std::to_string(max_callbacks) + " elements";
  }

  for (std::size_t i = 0; i < actions.size(); ++i) {
    const nlohmann::json& action = actions[i];
    const std::string where = "element " + std::to_string(i) + ": ";
    if (!action.is_object()) return where + "not an object";
    const auto url = action.find("url");
    if (url == action.end() || !url->is_string()) return where + "\"url\" must be a string";
    const auto arguments = action.find("arguments");
    if (arguments != action.end() && !arguments->is_array()) {
      return where + "\"arguments\" must be an array";
    }

    callback next;
    next.url = url->get<std::string>();
    std::optional<callback_target> target = parse_callback_url(next.url);
    if (!target) return where + "\"url\" must be an http://host[:port]/path URL";
    next.target = std::move(*target);
    // The harness reads every callback body as JSON: never send an empty one. The parser has
    // already checked the UTF-8, so dump() has nothing to replace.
    next.body = arguments == action.end()
                    ? std::string("[]")
                    : arguments->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out.push_back(std::move(next));
  }
  return {};
}

// POSTs one callback; returns the HTTP status, or 0 when no answer came.
int send_callback(const callback& call, const baton::span_context& span) {
  // A fresh header map per call, so exactly one traceparent goes out (inject replaces).
  httplib::Headers headers;
  baton::inject_trace_context(span, headers);
  httplib::Client client(call.target.host, call.target.port);
  client.set_connection_timeout(callback_timeout_s);
  client.set_read_timeout(callback_timeout_s);
  client.set_write_timeout(callback_timeout_s);
  const httplib::Result result =
      client.Post(call.target.path, headers, call.body, "application/json");
  return result ? result->status : 0;
}

void handle(const httplib::Request& request, httplib::Response& response) {
  std::vector<callback> callbacks;
  const std::string problem = parse_callbacks(request.body, callbacks);
  if (!problem.empty()) {
    answer_error(response, problem);
    return;
  }

  // httplib::Headers is a std::multimap with a case-insensitive comparator, and baton reads it
  // as a carrier as is: every header line counts, in the order received (repeated traceparent
  // lines must agree, repeated tracestate lines are joined). cpp-httplib 0.11 drops lines with
  // an empty value and percent-decodes values (`a%41` arrives as `aA`) before baton sees them.
  const baton::trace_context_extraction incoming = baton::extract_trace_context(request.headers);
  // This service's span: the same trace (flags, random bit included, and tracestate carried),
  // or a new trace, sampled, with the random flag, when nothing valid came in.
  const baton::span_context server_span =
      incoming.valid() ? incoming.context.child() : baton::span_context::new_root(/*sampled=*/true);

  for (const callback& call : callbacks) {
    // Each outgoing call is a span of its own: a new span id, sent as the parent-id.
    const int status = send_callback(call, server_span.child());
    if (status < 200 || status > 299) {
      std::cerr << "w3c_test_service: callback to " << call.url << ": "
                << (status == 0 ? std::string("no answer") : "status " + std::to_string(status))
                << '\n';
    }
  }
  answer(response, 200, "{}");
}

void print_usage(std::ostream& out) {
  out << "usage: w3c_test_service [--host ADDR] PORT\n"
         "  Serves the W3C Trace Context test harness protocol on ADDR:PORT (default ADDR\n"
         "  127.0.0.1). PORT 0 picks a free port. Prints \"listening on PORT\" once ready;\n"
         "  exits on SIGINT or SIGTERM.\n";
}

std::optional<int> parse_port(std::string_view text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  int port = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    port = port * 10 + (c - '0');
  }
  if (port > 65535) return std::nullopt;
  return port;
}

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  std::optional<int> port;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      print_usage(std::cout);
      return 0;
    }
    if (arg == "--host" && i + 1 < argc) {
      host = argv[++i];
      continue;
    }
    const std::optional<int> parsed = port ? std::nullopt : parse_port(arg);  // one PORT only
    if (!parsed) {
      std::cerr << "w3c_test_service: unexpected argument '" << arg << "'\n";
      print_usage(std::cerr);
      return 2;
    }
    port = parsed;
  }
  if (!port) {
    print_usage(std::cerr);
    return 2;
  }

  // SIGINT/SIGTERM are taken by one thread that stops the server, so the process ends cleanly
  // (and sanitizers get to report). Blocked before any thread starts, so all inherit the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a peer that hangs up must not kill the service

  httplib::Server server;
  server.set_payload_max_length(max_body_size);  // larger bodies get 413
  server.set_read_timeout(callback_timeout_s);
  server.set_write_timeout(callback_timeout_s);
  server.set_keep_alive_timeout(1);  // an idle connection delays shutdown by at most this
  server.Post(".*", handle);

  int bound = *port;
  if (bound == 0) {
    bound = server.bind_to_any_port(host);
  } else if (!server.bind_to_port(host, bound)) {
    bound = -1;
  }
  if (bound <= 0) {
    std::cerr << "w3c_test_service: cannot listen on " << host << ':' << *port << '\n';
    return 1;
  }

  std::atomic<bool> listen_returned{false};
  std::thread stopper([&] {
    int received = 0;
    sigwait(&stop_signals, &received);
    // stop() only acts on a running server: wait for listen_after_bind() to start.
    while (!server.is_running() && !listen_returned.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    server.stop();
  });

  std::cout << "listening on " << bound << std::endl;
  const bool listened = server.listen_after_bind();
  listen_returned.store(true);
  if (!listened) kill(getpid(), SIGTERM);  // wakes the stopper, which is still waiting
  stopper.join();
  return listened ? 0 : 1;
}
