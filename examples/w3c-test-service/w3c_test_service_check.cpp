// Checks w3c_test_service from outside, as the W3C harness does: starts the service on a free
// port, runs a local server that records the callbacks, sends test requests, and checks every
// callback's headers and body exactly. The headers are checked by hand here, not with baton, so
// a baton bug cannot hide itself.
//
//   w3c_test_service_check PATH_TO_w3c_test_service
//
// Exits 0 when every check passes. The service is stopped at the end (SIGTERM, then SIGKILL),
// and also when this program dies (PR_SET_PDEATHSIG) or runs too long (alarm).
#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

constexpr unsigned watchdog_s = 90;

volatile sig_atomic_t service_pid = 0;  // read by the watchdog signal handler

void on_watchdog(int) {
  if (service_pid > 0) kill(service_pid, SIGKILL);
  static const char message[] = "w3c_test_service_check: timed out\n";
  (void)!write(2, message, sizeof message - 1);
  _exit(3);
}

int failures = 0;
std::string current_case;

void check(bool ok, const std::string& what) {
  if (ok) return;
  ++failures;
  std::cerr << "FAIL [" << current_case << "] " << what << '\n';
}

template <class A, class B>
void check_eq(const A& actual, const B& expected, const std::string& what) {
  if (actual == expected) return;
  ++failures;
  std::cerr << "FAIL [" << current_case << "] " << what << ": got '" << actual << "', expected '"
            << expected << "'\n";
}

bool iequals(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// The service process.

struct service_process {
  pid_t pid = 0;
  int port = 0;
};

// Starts `path 0` with stdout on a pipe and reads its "listening on PORT" line.
bool start_service(const char* path, service_process& out) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return false;
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(126);
    dup2(pipe_fds[1], 1);
    char* const argv[] = {const_cast<char*>(path), const_cast<char*>("0"), nullptr};
    execv(path, argv);
    _exit(127);
  }
  close(pipe_fds[1]);
  out.pid = pid;
  service_pid = pid;

  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (line.find('\n') == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{pipe_fds[0], POLLIN, 0};
    if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    char buffer[256];
    const ssize_t n = read(pipe_fds[0], buffer, sizeof buffer);
    if (n <= 0) break;
    line.append(buffer, static_cast<std::size_t>(n));
  }
  close(pipe_fds[0]);  // the service's later stdout writes (there are none) would get EPIPE
  const std::string prefix = "listening on ";
  if (line.compare(0, prefix.size(), prefix) != 0) {
    std::cerr << "w3c_test_service_check: unexpected first line from the service: '" << line
              << "'\n";
    return false;
  }
  out.port = std::atoi(line.c_str() + prefix.size());
  return out.port > 0 && out.port < 65536;
}

// SIGTERM, then waits up to 10 s for a clean exit (status 0); SIGKILL otherwise.
bool stop_service(const service_process& service) {
  kill(service.pid, SIGTERM);
  int status = 0;
  for (int i = 0; i < 1000; ++i) {
    const pid_t done = waitpid(service.pid, &status, WNOHANG);
    if (done == service.pid) {
      service_pid = 0;
      return WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(service.pid, SIGKILL);
  waitpid(service.pid, &status, 0);
  service_pid = 0;
  return false;
}

struct finished_run {
  int status = -1;  // exit status, -1 when killed or not started
  std::string out, err;
};

// Runs `path args...` to completion (it must not wait for input) and captures its output.
finished_run run_to_completion(const char* path, std::vector<std::string> args) {
  finished_run run;
  int out_fds[2], err_fds[2];
  if (pipe2(out_fds, O_CLOEXEC) != 0) return run;
  if (pipe2(err_fds, O_CLOEXEC) != 0) {
    close(out_fds[0]);
    close(out_fds[1]);
    return run;
  }
  std::vector<char*> argv{const_cast<char*>(path)};
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    dup2(out_fds[1], 1);
    dup2(err_fds[1], 2);
    execv(path, argv.data());
    _exit(127);
  }
  close(out_fds[1]);
  close(err_fds[1]);
  if (pid > 0) {
    pollfd fds[2] = {{out_fds[0], POLLIN, 0}, {err_fds[0], POLLIN, 0}};
    std::string* sinks[2] = {&run.out, &run.err};
    int open_fds = 2;
    while (open_fds > 0 && poll(fds, 2, 20000) > 0) {
      for (int i = 0; i < 2; ++i) {
        if (fds[i].fd < 0 || fds[i].revents == 0) continue;
        char buffer[4096];
        const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
        if (n > 0) {
          sinks[i]->append(buffer, static_cast<std::size_t>(n));
        } else {
          fds[i].fd = -1;  // poll ignores negative descriptors
          --open_fds;
        }
      }
    }
    int status = 0;
    if (open_fds > 0) kill(pid, SIGKILL);  // still writing after 20 s: hung
    waitpid(pid, &status, 0);
    if (WIFEXITED(status)) run.status = WEXITSTATUS(status);
  }
  close(out_fds[0]);
  close(err_fds[0]);
  return run;
}

void check_command_line(const char* path) {
  const std::string usage = "usage: w3c_test_service [--host ADDR] PORT\n";
  current_case = "--help";
  finished_run run = run_to_completion(path, {"--help"});
  check_eq(run.status, 0, "exit status");
  check(run.out.compare(0, usage.size(), usage) == 0, "usage on stdout: " + run.out);
  check_eq(run.err, std::string(), "stderr");

  const std::vector<std::vector<std::string>> bad = {
      {}, {"65536"}, {"-1"}, {"80x"}, {"1", "2"}, {"--host"}, {"--nope", "1"}};
  for (const std::vector<std::string>& args : bad) {
    current_case = "bad command line:";
    for (const std::string& arg : args) current_case += " '" + arg + "'";
    run = run_to_completion(path, args);
    check_eq(run.status, 2, "exit status");
    check(run.err.find(usage) != std::string::npos, "usage on stderr: " + run.err);
    check_eq(run.out, std::string(), "stdout");
  }
}

// ---------------------------------------------------------------------------------------------
// The local server that plays the harness's callback endpoint.

struct recorded_call {
  std::string path;
  std::vector<std::pair<std::string, std::string>> headers;  // every line, as received
  std::string body;

  std::vector<std::string> values(const std::string& name) const {
    std::vector<std::string> out;
    for (const auto& h : headers) {
      if (iequals(h.first, name)) out.push_back(h.second);
    }
    return out;
  }
  std::vector<std::string> names(const std::string& name) const {
    std::vector<std::string> out;
    for (const auto& h : headers) {
      if (iequals(h.first, name)) out.push_back(h.first);
    }
    return out;
  }
};

class recorder {
 public:
  bool start() {
    server_.Post(".*", [this](const httplib::Request& request, httplib::Response& response) {
      recorded_call call;
      call.path = request.path;
      call.headers.assign(request.headers.begin(), request.headers.end());
      call.body = request.body;
      {
        const std::lock_guard<std::mutex> lock(mutex_);
        calls_.push_back(std::move(call));
      }
      response.set_content("{}", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) return false;
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    return true;
  }
  void stop() {
    while (thread_.joinable() && !server_.is_running()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  int port() const { return port_; }
  std::vector<recorded_call> take() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return std::exchange(calls_, {});
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<recorded_call> calls_;
  int port_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Requests to the service and checks of the callbacks.

struct exchange {
  int status = 0;  // 0: no answer
  std::string body;
  std::string content_type;
  std::vector<recorded_call> calls;
};

exchange post_test(int service_port, recorder& callbacks, const httplib::Headers& headers,
                   const std::string& body) {
  httplib::Client client("127.0.0.1", service_port);
  client.set_connection_timeout(10);
  client.set_read_timeout(20);
  client.set_write_timeout(10);
  exchange out;
  const httplib::Result result = client.Post("/test", headers, body, "application/json");
  if (result) {
    out.status = result->status;
    out.body = result->body;
    out.content_type = result->get_header_value("Content-Type");
  }
  // The service answers only after its callbacks got their answers, so all are recorded.
  out.calls = callbacks.take();
  return out;
}

std::string callback_url(const recorder& callbacks, const std::string& name, std::size_t i) {
  return "http://127.0.0.1:" + std::to_string(callbacks.port()) + "/" + name + "." +
         std::to_string(i);
}

// The harness's request body: one element per entry of `arguments` (nullptr: no "arguments").
std::string actions_body(const recorder& callbacks, const std::string& name,
                         const std::vector<const char*>& arguments) {
  std::string body = "[";
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    if (i != 0) body += ", ";
    body += "{\"url\": \"" + callback_url(callbacks, name, i) + "\"";
    if (arguments[i] != nullptr) body += ", \"arguments\": " + std::string(arguments[i]);
    body += "}";
  }
  return body + "]";
}

struct traceparent_fields {
  std::string version, trace_id, parent_id, flags;
};

bool is_lower_hex(const std::string& s) {
  for (const char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool all_zero(const std::string& s) {
  return s.find_first_not_of('0') == std::string::npos;
}

// Splits a version-00 traceparent and checks its syntax: 2-32-16-2 lowercase hex, non-zero ids.
bool split_traceparent(const std::string& value, traceparent_fields& out) {
  if (value.size() != 55 || value[2] != '-' || value[35] != '-' || value[52] != '-') return false;
  out = {value.substr(0, 2), value.substr(3, 32), value.substr(36, 16), value.substr(53, 2)};
  return is_lower_hex(out.version) && is_lower_hex(out.trace_id) && is_lower_hex(out.parent_id) &&
         is_lower_hex(out.flags) && !all_zero(out.trace_id) && !all_zero(out.parent_id);
}

struct expected_callbacks {
  std::string name;                  // callback paths are /name.0, /name.1, ...
  std::vector<std::string> bodies;   // one per callback, in order
  std::string trace_id;              // empty: a new trace is expected
  std::vector<std::string> foreign;  // trace/parent ids the output must not reuse
  std::string flags;
  std::string tracestate;  // empty: no tracestate line expected
};

// Checks the answer and every callback; returns the trace id the callbacks carried.
std::string check_callbacks(const exchange& got, const expected_callbacks& want) {
  check_eq(got.status, 200, "status");
  check_eq(got.body, std::string("{}"), "response body");
  check_eq(got.content_type, std::string("application/json"), "response content type");
  check_eq(got.calls.size(), want.bodies.size(), "number of callbacks");

  std::set<std::string> parent_ids;
  std::string trace_id;
  for (std::size_t i = 0; i < got.calls.size() && i < want.bodies.size(); ++i) {
    const recorded_call& call = got.calls[i];
    const std::string at = "callback " + std::to_string(i);
    check_eq(call.path, "/" + want.name + "." + std::to_string(i), at + " path (order)");
    check_eq(call.body, want.bodies[i], at + " body");
    check_eq(call.values("content-type").size(), std::size_t{1}, at + " content-type lines");
    if (!call.values("content-type").empty()) {
      check_eq(call.values("content-type")[0], std::string("application/json"),
               at + " content-type");
    }

    const std::vector<std::string> parents = call.values("traceparent");
    check_eq(parents.size(), std::size_t{1}, at + " traceparent lines");
    if (parents.size() != 1) continue;
    check_eq(call.names("traceparent")[0], std::string("traceparent"), at + " name is lowercase");
    traceparent_fields tp;
    check(split_traceparent(parents[0], tp), at + " traceparent syntax: '" + parents[0] + "'");
    check_eq(tp.version, std::string("00"), at + " version");
    if (want.trace_id.empty()) {
      if (i == 0) trace_id = tp.trace_id;
      check_eq(tp.trace_id, trace_id, at + " one new trace per request");
    } else {
      check_eq(tp.trace_id, want.trace_id, at + " trace id");
      trace_id = tp.trace_id;
    }
    for (const std::string& id : want.foreign) {
      check(tp.trace_id != id && tp.parent_id != id, at + " reuses the incoming id " + id);
    }
    check(parent_ids.insert(tp.parent_id).second, at + " parent-id repeats " + tp.parent_id);
    check_eq(tp.flags, want.flags, at + " flags");

    const std::vector<std::string> states = call.values("tracestate");
    if (want.tracestate.empty()) {
      check_eq(states.size(), std::size_t{0}, at + " tracestate lines");
    } else {
      check_eq(states.size(), std::size_t{1}, at + " tracestate lines");
      if (!states.empty()) {
        check_eq(call.names("tracestate")[0], std::string("tracestate"), at + " name lowercase");
        check_eq(states[0], want.tracestate, at + " tracestate");
      }
    }
  }
  return trace_id;
}

const std::string trace_a = "4bf92f3577b34da6a3ce929d0e0e4736";
const std::string parent_a = "00f067aa0ba902b7";
const std::string trace_b = "0af7651916cd43dd8448eb211c80319c";
const std::string parent_b = "b7ad6b7169203331";

std::string traceparent(const std::string& version, const std::string& trace,
                        const std::string& parent, const std::string& flags) {
  return version + "-" + trace + "-" + parent + "-" + flags;
}

void run_cases(int port, recorder& rec) {
  // Continue a trace: same trace id, new parent-id per callback, flags and tracestate carried
  // (canonical form), bodies are the arguments as JSON ("[]" when arguments is missing).
  current_case = "continue";
  {
    const exchange got = post_test(
        port, rec,
        {{"traceparent", traceparent("00", trace_a, parent_a, "01")},
         {"tracestate", "foo=1 , bar=2"}},
        actions_body(rec, "continue",
                     {"[]", R"([1, "x", {"a": null}, [true, false], -2.5, "h\u00e9"])", nullptr}));
    check_callbacks(got, {"continue",
                          {"[]", "[1,\"x\",{\"a\":null},[true,false],-2.5,\"h\xc3\xa9\"]", "[]"},
                          trace_a,
                          {parent_a},
                          "01",
                          "foo=1,bar=2"});
  }

  // Flags: the sampled and random bits are copied; bits version 00 does not define are not.
  const std::pair<const char*, const char*> flag_cases[] = {
      {"00", "00"}, {"01", "01"}, {"02", "02"}, {"03", "03"}, {"09", "01"}, {"fe", "02"}};
  for (const auto& flags : flag_cases) {
    current_case = std::string("flags ") + flags.first;
    const exchange got =
        post_test(port, rec, {{"traceparent", traceparent("00", trace_a, parent_a, flags.first)}},
                  actions_body(rec, "flags", {"[]", "[]"}));
    check_callbacks(got, {"flags", {"[]", "[]"}, trace_a, {parent_a}, flags.second, ""});
  }

  // Every header line counts, names in any case: tracestate lines are joined in order.
  current_case = "header lines";
  {
    const exchange got = post_test(port, rec,
                                   {{"TRACEPARENT", traceparent("00", trace_a, parent_a, "01")},
                                    {"TraceState", "foo=1"},
                                    {"tracestate", "bar=2,\tbaz=3 "},
                                    {"tRaCeStAtE", "rojo=00f067aa0ba902b7"}},
                                   actions_body(rec, "lines", {"[]"}));
    check_callbacks(
        got,
        {"lines", {"[]"}, trace_a, {parent_a}, "01", "foo=1,bar=2,baz=3,rojo=00f067aa0ba902b7"});
  }

  // Identical repeated traceparent lines (OWS aside) are one value.
  current_case = "repeated identical traceparent";
  {
    const exchange got =
        post_test(port, rec,
                  {{"traceparent", traceparent("00", trace_a, parent_a, "01")},
                   {"TraceParent", " " + traceparent("00", trace_a, parent_a, "01") + "\t"}},
                  actions_body(rec, "same", {"[]"}));
    check_callbacks(got, {"same", {"[]"}, trace_a, {parent_a}, "01", ""});
  }

  // A future version is read by the version 00 rules and answered with version 00.
  current_case = "future version";
  {
    const exchange got = post_test(
        port, rec,
        {{"traceparent", traceparent("cc", trace_a, parent_a, "01") + "-what-the-future"}},
        actions_body(rec, "future", {"[]"}));
    check_callbacks(got, {"future", {"[]"}, trace_a, {parent_a}, "01", ""});
  }

  // Valid traceparent, invalid tracestate: the trace continues, the whole tracestate is dropped.
  current_case = "invalid tracestate";
  {
    const exchange got = post_test(port, rec,
                                   {{"traceparent", traceparent("00", trace_a, parent_a, "00")},
                                    {"tracestate", "foo=1,@bar=2"}},
                                   actions_body(rec, "badstate", {"[]"}));
    check_callbacks(got, {"badstate", {"[]"}, trace_a, {parent_a}, "00", ""});
  }

  // No usable traceparent: a new trace (sampled, random flag), shared by the request's
  // callbacks, with new parent-ids; an incoming tracestate is not forwarded.
  struct new_trace_case {
    const char* name;
    httplib::Headers headers;
  };
  const new_trace_case new_trace_cases[] = {
      {"missing", {{"tracestate", "foo=1"}}},
      {"zero trace id",
       {{"traceparent", traceparent("00", std::string(32, '0'), parent_a, "01")},
        {"tracestate", "foo=1"}}},
      {"zero parent id", {{"traceparent", traceparent("00", trace_a, std::string(16, '0'), "01")}}},
      {"uppercase hex",
       {{"traceparent", traceparent("00", "4BF92F3577B34DA6A3CE929D0E0E4736", parent_a, "01")}}},
      {"version ff", {{"traceparent", traceparent("ff", trace_a, parent_a, "01")}}},
      {"version 00 too long", {{"traceparent", traceparent("00", trace_a, parent_a, "01") + "."}}},
      {"conflicting lines",
       {{"traceparent", traceparent("00", trace_a, parent_a, "01")},
        {"TraceParent", traceparent("00", trace_b, parent_b, "01")},
        {"tracestate", "foo=1"}}},
      {"misspelled name", {{"trace-parent", traceparent("00", trace_a, parent_a, "01")}}},
  };
  std::set<std::string> new_trace_ids;
  for (const new_trace_case& c : new_trace_cases) {
    current_case = std::string("new trace: ") + c.name;
    const exchange got =
        post_test(port, rec, c.headers, actions_body(rec, "new", {"[]", "[]", "[]"}));
    const std::string id = check_callbacks(
        got, {"new", {"[]", "[]", "[]"}, "", {trace_a, parent_a, trace_b, parent_b}, "03", ""});
    check(new_trace_ids.insert(id).second, "new trace id repeats across requests: " + id);
  }

  // Nothing to call back: still 200 {}.
  current_case = "empty array";
  check_callbacks(post_test(port, rec, {}, "[]"), {"none", {}, "", {}, "", ""});

  // A callback that fails is logged and skipped; the next one is still made.
  current_case = "unreachable callback";
  {
    int closed_port = 0;
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0) {
      closed_port = ntohs(address.sin_port);
    }
    if (fd >= 0) close(fd);  // nothing listens there now
    check(closed_port != 0, "could not find a closed port");
    const std::string body = "[{\"url\": \"http://127.0.0.1:" + std::to_string(closed_port) +
                             "/gone\", \"arguments\": []}, {\"url\": \"" +
                             callback_url(rec, "after", 1) + "\", \"arguments\": [2]}]";
    const exchange got =
        post_test(port, rec, {{"traceparent", traceparent("00", trace_a, parent_a, "01")}}, body);
    check_eq(got.status, 200, "status");
    check_eq(got.body, std::string("{}"), "response body");
    check_eq(got.calls.size(), std::size_t{1}, "number of callbacks");
    if (got.calls.size() == 1) {
      check_eq(got.calls[0].path, std::string("/after.1"), "path");
      check_eq(got.calls[0].body, std::string("[2]"), "body");
    }
  }

  // Malformed requests: 400 with a JSON error, and no callback at all (not even for the valid
  // elements before the bad one).
  const std::string good_url = callback_url(rec, "never", 0);
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  std::string too_many = "[";
  for (int i = 0; i < 257; ++i)
    too_many += (i == 0 ? "{\"url\": \"" : ", {\"url\": \"") + good_url + "\"}";
  too_many += "]";
  const std::string malformed[] = {
      "",
      "not json",
      "{}",
      "[1]",
      "[{\"url\": \"" + good_url + "\"",
      "[{\"arguments\": []}]",
      "[{\"url\": 5}]",
      "[{\"url\": \"" + good_url + "\", \"arguments\": {}}]",
      "[{\"url\": \"" + good_url + "\"}, 7]",
      "[{\"url\": \"ftp://127.0.0.1/x\"}]",
      "[{\"url\": \"http://127.0.0.1:70000/x\"}]",
      "[{\"url\": \"http://127.0.0.1:99999999999999999999/x\"}]",
      "[{\"url\": \"http://user@127.0.0.1/x\"}]",
      "[{\"url\": \"http:///x\"}]",
      "[{\"url\": \"http://127.0.0.1/a b\"}]",
      "[{\"url\": \"http://127.0.0.1/a\\r\\nX-Injected: 1\"}]",
      "[{\"url\": \"" + good_url + "\", \"arguments\": [\"\xff\"]}]",
      "[{\"url\": \"" + good_url + "\", \"arguments\": " + deep + "}]",
      deep,
      too_many,
  };
  for (std::size_t i = 0; i < std::size(malformed); ++i) {
    current_case = "malformed " + std::to_string(i);
    const exchange got = post_test(port, rec, {}, malformed[i]);
    check_eq(got.status, 400, "status");
    check_eq(got.content_type, std::string("application/json"), "content type");
    const nlohmann::json error = nlohmann::json::parse(got.body, nullptr, false);
    check(error.is_object() && error.size() == 1 && error.contains("error") &&
              error["error"].is_string() && !error["error"].get<std::string>().empty(),
          "error body: " + got.body);
    check_eq(got.calls.size(), std::size_t{0}, "callbacks");
  }

  // Bodies beyond 1 MiB are refused before they are read.
  current_case = "body too large";
  {
    const exchange got = post_test(port, rec, {}, "[" + std::string(1024 * 1024, ' ') + "]");
    check_eq(got.status, 413, "status");
    check_eq(got.calls.size(), std::size_t{0}, "callbacks");
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: w3c_test_service_check PATH_TO_w3c_test_service\n";
    return 2;
  }
  signal(SIGALRM, on_watchdog);
  signal(SIGPIPE, SIG_IGN);
  alarm(watchdog_s);

  check_command_line(argv[1]);

  service_process service;
  if (!start_service(argv[1], service)) {
    if (service.pid > 0) stop_service(service);
    std::cerr << "w3c_test_service_check: the service did not start\n";
    return 1;
  }
  recorder rec;
  if (!rec.start()) {
    stop_service(service);
    std::cerr << "w3c_test_service_check: cannot start the callback server\n";
    return 1;
  }

  run_cases(service.port, rec);

  current_case = "shutdown";
  rec.stop();
  check(stop_service(service), "the service did not exit with status 0 on SIGTERM");
  alarm(0);
  if (failures != 0) {
    std::cerr << failures << " check(s) failed\n";
    return 1;
  }
  std::cout << "all checks passed\n";
  return 0;
}
