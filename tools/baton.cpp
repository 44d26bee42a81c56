// baton: inspect, normalize and create W3C trace context headers from the command line.
// A thin shell over the library: it reads an HTTP-style header block, extracts with the
// propagators and prints what they found.
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include "baton/baton.hpp"
#include "baton/detail/json.hpp"

namespace {

constexpr int exit_ok = 0;
constexpr int exit_no_context = 1;
constexpr int exit_usage = 2;

// A header block is small; anything this large is hostile or a mistake.
constexpr std::size_t max_input_bytes = 16u << 20;

constexpr std::string_view main_help =
    "usage: baton <command> [options]\n"
    "\n"
    "Inspect and forward W3C trace context (traceparent, tracestate) and baggage.\n"
    "\n"
    "commands:\n"
    "  inspect   read a header block on stdin, print what it carries as one JSON line\n"
    "  inject    read a header block on stdin, print the normalized headers to forward\n"
    "  new       print a fresh traceparent value\n"
    "\n"
    "options:\n"
    "  -h, --help     show this help (or 'baton <command> --help')\n"
    "  --version      print the baton version\n"
    "\n"
    "example:\n"
    "  printf 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\\n' "
    "| baton inspect\n"
    "\n"
    "exit status: 0 a valid traceparent was extracted (or created), 1 none was, 2 usage error\n";

constexpr std::string_view inspect_help =
    "usage: baton inspect < headers\n"
    "\n"
    "Reads 'Name: value' lines from stdin (names case-insensitive, a name may repeat; stops\n"
    "at a blank line or end of input) and prints one JSON object on one line:\n"
    "  {\"traceparent\":{\"version\",\"trace_id\",\"span_id\",\"flags\",\"sampled\",\"random\"}"
    " or null,\n"
    "   \"tracestate\":[{\"key\",\"value\"}...],\"baggage\":[{\"key\",\"value\",\"properties\"}"
    "...],\n"
    "   \"errors\":[{\"header\",\"code\",\"message\"}...]}\n"
    "Every header present but rejected, wholly or in part, adds an entry to \"errors\".\n"
    "\n"
    "example:\n"
    "  printf 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\\n"
    "tracestate: rojo=00f067aa0ba902b7\\n' | baton inspect\n"
    "\n"
    "exit status: 0 a valid traceparent was extracted, 1 none was, 2 usage error\n";

constexpr std::string_view inject_help =
    "usage: baton inject < headers\n"
    "\n"
    "Reads a header block like 'baton inspect' and prints, one 'name: value' line each, the\n"
    "normalized headers a pass-through service would forward: traceparent (version 00,\n"
    "unknown flags cleared), tracestate (canonical, when not empty) and baggage (normalized,\n"
    "when not empty). Nothing invalid is ever written.\n"
    "\n"
    "example:\n"
    "  printf 'TraceParent: cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-ff-x\\n"
    "tracestate: a=1 , ,b=2\\n' | baton inject\n"
    "  prints: traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03\n"
    "          tracestate: a=1,b=2\n"
    "\n"
    "exit status: 0 a valid traceparent was extracted, 1 none was, 2 usage error\n";

constexpr std::string_view new_help =
    "usage: baton new [--sampled | --not-sampled]\n"
    "\n"
    "Prints a traceparent value for a new trace: random trace-id and parent-id, the random\n"
    "flag set (Level 2), sampled unless --not-sampled is given.\n"
    "\n"
    "example:\n"
    "  baton new --not-sampled\n"
    "  prints e.g. 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-02\n"
    "\n"
    "exit status: 0, or 2 on a usage error\n";

int usage_error(std::string_view what) {
  std::cerr << "baton: " << what << "\n(see 'baton --help')\n";
  return exit_usage;
}

bool is_help(std::string_view arg) {
  return arg == "-h" || arg == "--help";
}

// Reads 'Name: value' lines until a blank line or EOF. Lines without ':' are skipped. Returns
// false if the input is over max_input_bytes; memory stays bounded by that limit.
bool read_header_block(std::istream& in, baton::http_headers& headers) {
  std::string block;
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    block.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (block.size() > max_input_bytes) return false;
  }
  std::string_view rest(block);
  while (!rest.empty()) {
    const std::size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    headers.add(line.substr(0, colon), baton::detail::trim_ows(line.substr(colon + 1)));
  }
  return true;
}

// Writes the command's output; a write error (a full disk, a closed pipe) is a failure, not
// silent success.
int emit(const std::string& text, int status) {
  std::cout << text;
  std::cout.flush();
  if (!std::cout) {
    std::cerr << "baton: cannot write the output\n";
    return exit_usage;
  }
  return status;
}

void append_hex_byte(std::string& out, std::uint8_t byte) {
  out.push_back(baton::detail::hex_chars[byte >> 4]);
  out.push_back(baton::detail::hex_chars[byte & 0xf]);
}

// One entry of "errors". `count` is how many members the problem dropped (baggage reports
// several of a kind at once); the message says where the first one was.
void append_error(std::string& out, bool& first, std::string_view header, baton::error err,
                  std::uint32_t count = 1) {
  out.append(first ? "{" : ",{");
  first = false;
  out.append("\"header\":");
  baton::detail::append_json_string(out, header);
  out.append(",\"code\":");
  baton::detail::append_json_string(out, baton::to_string(err.code));
  std::string message(err.message());
  if (err.code != baton::errc::traceparent_conflicting_values &&
      err.code != baton::errc::tracestate_ignored) {
    message += count > 1 ? " (" + std::to_string(count) + " members, first at byte "
                         : std::string(" (at byte ");
    message += std::to_string(err.offset) + ")";
  }
  out.append(",\"message\":");
  baton::detail::append_json_string(out, message);
  out.push_back('}');
}

// Opens one {"key":...,"value":... object of a list (the caller closes it); value may be null.
void open_key_value(std::string& out, bool& first, std::string_view key,
                    std::optional<std::string_view> value) {
  out.append(first ? "{\"key\":" : ",{\"key\":");
  first = false;
  baton::detail::append_json_string(out, key);
  out.append(",\"value\":");
  if (value) {
    baton::detail::append_json_string(out, *value);
  } else {
    out.append("null");
  }
}

void append_baggage(std::string& out, const baton::baggage& entries) {
  bool first_entry = true;
  for (const auto& entry : entries) {
    open_key_value(out, first_entry, entry.key, entry.value);
    out.append(",\"properties\":[");
    bool first_property = true;
    for (const baton::baggage_property& property : entry.properties) {
      open_key_value(out, first_property, property.key, property.value);
      out.push_back('}');
    }
    out.append("]}");
  }
}

int run_inspect(const baton::http_headers& headers) {
  const baton::trace_context_extraction tc = baton::extract_trace_context(headers);
  const baton::baggage_extraction bg = baton::extract_baggage(headers);
  std::string out = "{\"traceparent\":";
  if (tc.valid()) {
    // Show the header as received: its version and raw flags byte.
    const baton::traceparent& tp = tc.traceparent;
    out.append("{\"version\":\"");
    append_hex_byte(out, tp.version);
    out.append("\",\"trace_id\":\"");
    out.append(tp.trace_id.to_hex());
    out.append("\",\"span_id\":\"");
    out.append(tp.parent_id.to_hex());
    out.append("\",\"flags\":\"");
    append_hex_byte(out, tp.flags.raw());
    out.append("\",\"sampled\":");
    out.append(tp.flags.sampled() ? "true" : "false");
    out.append(",\"random\":");
    out.append(tp.flags.random() ? "true" : "false");
    out.push_back('}');
  } else {
    out.append("null");
  }
  out.append(",\"tracestate\":[");
  bool first = true;
  for (const auto& member : tc.context.tracestate) {
    open_key_value(out, first, member.key, member.value);
    out.push_back('}');
  }
  out.append("],\"baggage\":[");
  append_baggage(out, bg.baggage);
  out.append("],\"errors\":[");
  first = true;
  if (tc.traceparent_error.code != baton::errc::ok) {
    append_error(out, first, "traceparent", tc.traceparent_error);
  }
  if (tc.tracestate_error.code != baton::errc::ok) {
    append_error(out, first, "tracestate", tc.tracestate_error);
  }
  if (tc.tracestate_notes.dropped != 0) {
    append_error(out, first, "tracestate", tc.tracestate_notes.first, tc.tracestate_notes.dropped);
  }
  for (const baton::baggage_issue& issue : bg.report) {
    append_error(out, first, "baggage", issue.error(), issue.count);
  }
  out.append("]}\n");
  return emit(out, tc.valid() ? exit_ok : exit_no_context);
}

int run_inject(const baton::http_headers& headers) {
  const baton::trace_context_extraction tc = baton::extract_trace_context(headers);
  baton::http_headers forward;
  baton::inject_trace_context(tc.context, forward);
  baton::inject_baggage(baton::extract_baggage(headers).baggage, forward);
  std::string out;
  for (const auto& field : forward) {
    out.append(field.name);
    out.append(": ");
    out.append(field.value);
    out.push_back('\n');
  }
  return emit(out, tc.valid() ? exit_ok : exit_no_context);
}

int run_new(bool sampled) {
  const baton::span_context root = baton::span_context::new_root(sampled);
  return emit(baton::format_traceparent(root.to_traceparent()) + "\n", exit_ok);
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  if (argc < 2) {
    std::cerr << main_help;
    return exit_usage;
  }
  const std::string_view command = argv[1];
  if (is_help(command) || command == "--version") {
    if (argc > 2) return usage_error(std::string("unexpected argument: ") + argv[2]);
    return emit(is_help(command) ? std::string(main_help)
                                 : std::string("baton ") + baton::version_string + "\n",
                exit_ok);
  }

  if (command == "inspect" || command == "inject") {
    for (int i = 2; i < argc; ++i) {
      if (is_help(argv[i])) {
        return emit(std::string(command == "inspect" ? inspect_help : inject_help), exit_ok);
      }
      return usage_error(std::string("unknown option for ") + std::string(command) + ": " +
                         argv[i]);
    }
    baton::http_headers headers;
    if (!read_header_block(std::cin, headers)) return usage_error("input is over 16 MiB");
    return command == "inspect" ? run_inspect(headers) : run_inject(headers);
  }

  if (command == "new") {
    bool sampled = true;
    for (int i = 2; i < argc; ++i) {
      const std::string_view arg = argv[i];
      if (is_help(arg)) return emit(std::string(new_help), exit_ok);
      if (arg == "--sampled") {
        sampled = true;
      } else if (arg == "--not-sampled") {
        sampled = false;
      } else {
        return usage_error(std::string("unknown option for new: ") + std::string(arg));
      }
    }
    return run_new(sampled);
  }

  return usage_error(std::string("unknown command: ") + std::string(command));
}
