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
    "            (--from/--to convert between w3c, xray, b3, b3multi and jaeger)\n"
    "  env       print 'export TRACEPARENT=...' lines for a child process\n"
    "  snapshot  turn a header block into a snapshot token, or a token back into headers\n"
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
    "usage: baton inspect [--from FORMATS] < headers\n"
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
    "--from FORMATS  comma list of w3c, xray, b3 (single or multi), b3multi, jaeger, tried in\n"
    "                order (the first valid context wins; default w3c). With --from, the\n"
    "                object also has \"source\", \"kind\", \"sampling\", \"extras\" and\n"
    "                \"links\" (see docs/tool.md); ids are shown as W3C ids.\n"
    "\n"
    "example:\n"
    "  printf 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\\n"
    "tracestate: rojo=00f067aa0ba902b7\\n' | baton inspect\n"
    "\n"
    "exit status: 0 a valid traceparent was extracted, 1 none was, 2 usage error\n";

constexpr std::string_view inject_help =
    "usage: baton inject [--from FORMATS] [--to FORMATS] < headers\n"
    "\n"
    "Reads a header block like 'baton inspect' and prints, one 'name: value' line each, the\n"
    "normalized headers a pass-through service would forward: traceparent (version 00,\n"
    "unknown flags cleared), tracestate (canonical, when not empty) and baggage (normalized,\n"
    "when not empty). Nothing invalid is ever written.\n"
    "\n"
    "--from FORMATS  formats to read, tried in order (default w3c; see 'baton inspect --help')\n"
    "--to FORMATS    formats to write: w3c, xray, b3 (single header), b3multi, jaeger\n"
    "                (default w3c). X-Ray Lineage, B3 debug and 64-bit widths are kept.\n"
    "\n"
    "example:\n"
    "  printf 'TraceParent: cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-ff-x\\n"
    "tracestate: a=1 , ,b=2\\n' | baton inject\n"
    "  prints: traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03\n"
    "          tracestate: a=1,b=2\n"
    "\n"
    "exit status: 0 a valid traceparent was extracted, 1 none was, 2 usage error\n";

constexpr std::string_view env_help =
    "usage: baton env [--from FORMATS] [--to FORMATS] < headers\n"
    "       baton env --new [--sampled | --not-sampled]\n"
    "\n"
    "Prints shell lines that hand the context to a child process through environment\n"
    "variables (TRACEPARENT, TRACESTATE, BAGGAGE; X_AMZN_TRACE_ID, B3, UBER_TRACE_ID... with\n"
    "--to): 'export NAME='value'' for each variable written, 'unset NAME' for each one the\n"
    "formats use but have nothing for, so a stale value is never inherited. Reads a header\n"
    "block like 'baton inspect', or makes a new trace with --new.\n"
    "\n"
    "example:\n"
    "  eval \"$(baton env --new)\" && ./batch-job\n"
    "\n"
    "exit status: 0 a valid context was written, 1 none was, 2 usage error\n";

constexpr std::string_view snapshot_help =
    "usage: baton snapshot [--from FORMATS] < headers\n"
    "       baton snapshot --decode TOKEN\n"
    "\n"
    "Prints the context read from a header block (as 'baton inject' reads it, with its W3C\n"
    "baggage) as one snapshot token: text that a durable step can store and that is safe\n"
    "unescaped in JSON strings, header values, environment variables and URLs\n"
    "(docs/snapshots.md). --decode checks a token and prints the header block it holds\n"
    "(traceparent, tracestate, baggage), or the reason it is rejected on stderr.\n"
    "\n"
    "example:\n"
    "  printf 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\\n' "
    "| baton snapshot\n"
    "\n"
    "exit status: 0 a token was made or decoded, 1 no valid context / invalid token, 2 usage "
    "error\n";

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

// --from / --to: the tool's format names, mapped to propagator list entries. W3C baggage is
// always read and, when w3c is written, written.
bool parse_formats(std::string_view list, bool output, baton::propagator_list& out,
                   std::string& bad) {
  while (true) {
    const std::size_t comma = list.find(',');
    const std::string_view name = baton::detail::trim_ows(list.substr(0, comma));
    if (name == "w3c") {
      out.add(baton::propagator_name::tracecontext);
    } else if (name == "xray") {
      out.add(baton::propagator_name::xray);
    } else if (name == "b3") {
      out.add(baton::propagator_name::b3);
    } else if (name == "b3multi") {
      // On input both names read both encodings; on output b3multi writes x-b3-*.
      out.add(output ? baton::propagator_name::b3multi : baton::propagator_name::b3);
    } else if (name == "jaeger") {
      out.add(baton::propagator_name::jaeger);
    } else {
      bad = std::string(name);
      return false;
    }
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return true;
}

// The header name an issue of `format` is about, for "errors".
std::string_view header_of(baton::propagation_format format) {
  switch (format) {
    case baton::propagation_format::w3c:
      return "traceparent";
    case baton::propagation_format::b3:
      return "b3";
    case baton::propagation_format::b3multi:
      return "x-b3-*";
    case baton::propagation_format::jaeger:
      return "uber-trace-id";
    case baton::propagation_format::xray:
      return "x-amzn-trace-id";
    case baton::propagation_format::xray_lambda:
      return "_X_AMZN_TRACE_ID";
    case baton::propagation_format::none:
      break;
  }
  return "context";
}

void append_null_or_string(std::string& out, std::string_view value, bool present) {
  if (present) {
    baton::detail::append_json_string(out, value);
  } else {
    out.append("null");
  }
}

// The keys --from adds at the end of the inspect object (docs/tool.md).
void append_source_keys(std::string& out, const baton::propagation_extraction& r) {
  const baton::extracted_context& c = r.context;
  out.append(",\"source\":");
  append_null_or_string(out, baton::to_string(c.format), c.kind != baton::context_kind::none);
  out.append(",\"kind\":");
  baton::detail::append_json_string(out, baton::to_string(c.kind));
  out.append(",\"sampling\":");
  append_null_or_string(out, baton::to_string(c.extras.sampling),
                        c.kind != baton::context_kind::none);
  out.append(",\"extras\":{\"trace_id\":");
  append_null_or_string(out, c.context.trace_id.to_hex(), c.context.trace_id.is_valid());
  out.append(",\"trace_id_64\":");
  out.append(c.extras.trace_id_64 ? "true" : "false");
  out.append(",\"debug\":");
  out.append(c.extras.debug() ? "true" : "false");
  out.append(",\"parent_span_id\":");
  append_null_or_string(out, c.extras.parent_span_id.to_hex(), c.extras.parent_span_id.is_valid());
  out.append(",\"xray_fields\":");
  append_null_or_string(out, c.extras.xray_fields, !c.extras.xray_fields.empty());
  std::string_view lineage;
  bool has_lineage = false;
  std::string_view fields = c.extras.xray_fields;
  while (!fields.empty()) {
    const std::size_t semi = fields.find(';');
    const std::string_view field = baton::detail::trim_ows(fields.substr(0, semi));
    if (field.size() > 8 && baton::detail::iequals_ascii(field.substr(0, 8), "lineage=")) {
      lineage = field.substr(8);
      has_lineage = true;
    }
    if (semi == std::string_view::npos) break;
    fields.remove_prefix(semi + 1);
  }
  out.append(",\"lineage\":");
  append_null_or_string(out, lineage, has_lineage);
  out.append("},\"links\":[");
  bool first = true;
  for (const baton::span_context& link : r.links) {
    out.append(first ? "{" : ",{");
    first = false;
    out.append("\"trace_id\":\"");
    out.append(link.trace_id.to_hex());
    out.append("\",\"span_id\":\"");
    out.append(link.span_id.to_hex());
    out.append("\",\"sampled\":");
    out.append(link.flags.sampled() ? "true" : "false");
    out.push_back('}');
  }
  out.push_back(']');
}

int run_inspect(const baton::http_headers& headers, const baton::propagator_list* from) {
  const baton::trace_context_extraction tc = baton::extract_trace_context(headers);
  const baton::baggage_extraction bg = baton::extract_baggage(headers);
  // With --from, the chosen context may come from another format; W3C's own details
  // (tracestate problems, the version as received) are shown when W3C is read.
  std::optional<baton::propagation_extraction> multi;
  if (from != nullptr) {
    baton::propagator_list with_baggage = *from;  // W3C baggage always; uberctx- with jaeger
    with_baggage.add(baton::propagator_name::baggage);
    multi = with_baggage.extract(headers);
  }
  const bool w3c_read = from == nullptr || from->has(baton::propagator_name::tracecontext);
  const bool w3c_won =
      from == nullptr || (multi->context.format == baton::propagation_format::w3c && tc.valid());
  const bool valid = from == nullptr ? tc.valid() : multi->valid();
  std::string out = "{\"traceparent\":";
  if (from != nullptr && valid && !w3c_won) {
    // Another format's context, shown as the traceparent a W3C hop would receive.
    const baton::span_context& c = multi->context.context;
    out.append("{\"version\":\"00\",\"trace_id\":\"");
    out.append(c.trace_id.to_hex());
    out.append("\",\"span_id\":\"");
    out.append(c.span_id.to_hex());
    out.append("\",\"flags\":\"");
    append_hex_byte(out, c.flags.raw());
    out.append("\",\"sampled\":");
    out.append(c.flags.sampled() ? "true" : "false");
    out.append(",\"random\":");
    out.append(c.flags.random() ? "true" : "false");
    out.push_back('}');
  } else if (tc.valid() && w3c_read) {
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
  const baton::tracestate& state =
      w3c_won && w3c_read ? tc.context.tracestate
                          : (multi ? multi->context.context.tracestate : tc.context.tracestate);
  for (const auto& member : state) {
    open_key_value(out, first, member.key, member.value);
    out.push_back('}');
  }
  out.append("],\"baggage\":[");
  append_baggage(out, multi ? multi->baggage : bg.baggage);
  out.append("],\"errors\":[");
  first = true;
  if (w3c_read) {
    if (tc.traceparent_error.code != baton::errc::ok) {
      append_error(out, first, "traceparent", tc.traceparent_error);
    }
    if (tc.tracestate_error.code != baton::errc::ok) {
      append_error(out, first, "tracestate", tc.tracestate_error);
    }
    if (tc.tracestate_notes.dropped != 0) {
      append_error(out, first, "tracestate", tc.tracestate_notes.first,
                   tc.tracestate_notes.dropped);
    }
  }
  if (multi) {
    for (const baton::format_issue& issue : multi->issues) {
      if (issue.format == baton::propagation_format::w3c) continue;  // reported above
      append_error(out, first, header_of(issue.format), issue.error);
    }
  }
  for (const baton::baggage_issue& issue : multi ? multi->baggage_report : bg.report) {
    append_error(out, first, "baggage", issue.error(), issue.count);
  }
  out.push_back(']');
  if (multi) append_source_keys(out, *multi);
  out.append("}\n");
  return emit(out, valid ? exit_ok : exit_no_context);
}

// What inject and env write: the context read with `from` (W3C by default), passed through
// unchanged (same ids: the tool has no span of its own), with its format extras.
struct pass_through {
  baton::span_context context;
  baton::format_extras extras;
  baton::baggage baggage;
};

pass_through read_context(const baton::http_headers& headers, const baton::propagator_list& from) {
  baton::propagator_list with_baggage = from;
  with_baggage.add(baton::propagator_name::baggage);
  baton::propagation_extraction r = with_baggage.extract(headers);
  pass_through p;
  if (r.valid()) {
    p.context = std::move(r.context.context);
    p.extras = std::move(r.context.extras);
  }
  p.baggage = std::move(r.baggage);
  return p;
}

int run_inject(const baton::http_headers& headers, const baton::propagator_list& from,
               const baton::propagator_list& to) {
  const pass_through p = read_context(headers, from);
  baton::http_headers forward;
  baton::propagator_list writer = to;
  if (writer.has(baton::propagator_name::tracecontext)) writer.add(baton::propagator_name::baggage);
  writer.inject(p.context, forward, p.extras, &p.baggage);
  std::string out;
  for (const auto& field : forward) {
    out.append(field.name);
    out.append(": ");
    out.append(field.value);
    out.push_back('\n');
  }
  return emit(out, p.context.is_valid() ? exit_ok : exit_no_context);
}

// Single-quotes a value for POSIX shells ('\'' closes, escapes and reopens).
void append_shell_quoted(std::string& out, std::string_view value) {
  out.push_back('\'');
  for (const char c : value) {
    if (c == '\'') {
      out.append("'\\''");
    } else {
      out.push_back(c);
    }
  }
  out.push_back('\'');
}

int run_env(const pass_through& p, const baton::propagator_list& to) {
  baton::environment env;
  auto writer = baton::env_writer(env);
  baton::propagator_list list = to;
  if (list.has(baton::propagator_name::tracecontext)) list.add(baton::propagator_name::baggage);
  list.inject(p.context, writer, p.extras, &p.baggage);
  std::string out;
  for (const auto& entry : env) {
    out.append("export ");
    out.append(entry.name);
    out.push_back('=');
    append_shell_quoted(out, entry.value);
    out.push_back('\n');
  }
  // Every variable the formats use but did not write is unset, so a child never inherits a
  // stale one from this shell.
  for (std::string_view field : list.fields()) {
    const std::string name = baton::environment_name(field);
    if (!env.get(name)) out.append("unset ").append(name).append("\n");
  }
  return emit(out, p.context.is_valid() ? exit_ok : exit_no_context);
}

int run_snapshot_encode(const pass_through& p) {
  const baton::result<baton::context_snapshot> s = baton::make_snapshot(p.context, p.baggage);
  if (!s) {
    std::cerr << "baton: no valid context to snapshot\n";
    return exit_no_context;
  }
  return emit(baton::encode_token(*s) + "\n", exit_ok);
}

int run_snapshot_decode(std::string_view token) {
  const baton::result<baton::context_snapshot> s = baton::decode_token(token);
  if (!s) {
    std::cerr << "baton: invalid token: " << baton::to_string(s.error().code) << ": "
              << s.error().message() << " (at byte " << s.error().offset << ")\n";
    return exit_no_context;
  }
  baton::http_headers headers;
  baton::encode_text_map(*s, headers);
  std::string out;
  for (const auto& field : headers) {
    out.append(field.name).append(": ").append(field.value).push_back('\n');
  }
  return emit(out, exit_ok);
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

  if (command == "inspect" || command == "inject" || command == "env") {
    baton::propagator_list from, to;
    bool from_given = false, to_given = false, make_new = false, sampled = true;
    for (int i = 2; i < argc; ++i) {
      const std::string_view arg = argv[i];
      if (is_help(arg)) {
        return emit(std::string(command == "inspect"  ? inspect_help
                                : command == "inject" ? inject_help
                                                      : env_help),
                    exit_ok);
      }
      const bool takes_to = command != "inspect";
      if ((arg == "--from" || (arg == "--to" && takes_to)) && i + 1 < argc) {
        const bool is_from = arg == "--from";
        std::string bad;
        if ((is_from && from_given) || (!is_from && to_given)) {
          return usage_error(std::string(arg) + " given twice");
        }
        if (!parse_formats(argv[++i], !is_from, is_from ? from : to, bad)) {
          return usage_error("unknown format '" + bad +
                             "' (known: w3c, xray, b3, b3multi, jaeger)");
        }
        (is_from ? from_given : to_given) = true;
        continue;
      }
      if (command == "env" && arg == "--new") {
        make_new = true;
        continue;
      }
      if (command == "env" && (arg == "--sampled" || arg == "--not-sampled")) {
        sampled = arg == "--sampled";
        continue;
      }
      return usage_error(std::string("unknown option for ") + std::string(command) + ": " +
                         std::string(arg));
    }
    if (!from_given) from.add(baton::propagator_name::tracecontext);
    if (!to_given) to.add(baton::propagator_name::tracecontext);
    if (command == "env" && make_new) {
      if (from_given) return usage_error("--new and --from exclude each other");
      pass_through p;
      // X-Ray consumers expect the epoch in a trace id's first 8 hex digits.
      const bool xray = to.has(baton::propagator_name::xray);
      p.context = xray ? baton::new_xray_root(sampled) : baton::span_context::new_root(sampled);
      return run_env(p, to);
    }
    baton::http_headers headers;
    if (!read_header_block(std::cin, headers)) return usage_error("input is over 16 MiB");
    if (command == "inspect") return run_inspect(headers, from_given ? &from : nullptr);
    if (command == "inject") return run_inject(headers, from, to);
    return run_env(read_context(headers, from), to);
  }

  if (command == "snapshot") {
    baton::propagator_list from;
    bool from_given = false;
    std::optional<std::string_view> token;
    for (int i = 2; i < argc; ++i) {
      const std::string_view arg = argv[i];
      if (is_help(arg)) return emit(std::string(snapshot_help), exit_ok);
      if (arg == "--decode" && i + 1 < argc && !token) {
        token = std::string_view(argv[++i]);
      } else if (arg == "--from" && i + 1 < argc && !from_given) {
        std::string bad;
        if (!parse_formats(argv[++i], false, from, bad)) {
          return usage_error("unknown format '" + bad +
                             "' (known: w3c, xray, b3, b3multi, jaeger)");
        }
        from_given = true;
      } else {
        return usage_error(std::string("unknown option for snapshot: ") + std::string(arg));
      }
    }
    if (token && from_given) return usage_error("--decode and --from exclude each other");
    if (token) return run_snapshot_decode(*token);
    if (!from_given) from.add(baton::propagator_name::tracecontext);
    baton::http_headers headers;
    if (!read_header_block(std::cin, headers)) return usage_error("input is over 16 MiB");
    return run_snapshot_encode(read_context(headers, from));
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
