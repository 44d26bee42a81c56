// Fuzzes the X-Amzn-Trace-Id codec. The input is one header value. Checks:
//   - parse_xray_header (strict and lenient epoch) agrees with a slow, literal reading of the
//     rules on acceptance, ids, sampling and the preserved fields;
//   - errors carry an X-Ray code (or the length code) and an offset inside the input;
//   - whatever is accepted formats to printable ASCII only (never CR/LF or another control
//     character), within the size limit, and parses back to the same header; formatting is
//     idempotent;
//   - the propagator and the Lambda reader agree with the codec, and inject writes what the
//     codec formats.
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "baton/carrier.hpp"
#include "baton/propagation/xray.hpp"

namespace {

bool lower_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

bool all_lower_hex(std::string_view s) {
  for (char c : s) {
    if (!lower_hex(c)) return false;
  }
  return true;
}

bool tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

struct reference_header {
  std::string trace_hex;
  std::string parent_hex;  // empty when absent
  char sampled = 0;        // 0 when absent
  std::string fields;
};

bool reference_root(const std::string& v, bool lenient, std::string& trace_hex) {
  if (v.size() < 4 || v[0] != '1' || v[1] != '-') return false;
  const std::size_t second = v.find('-', 2);
  if (second == std::string::npos) return false;
  const std::string epoch = v.substr(2, second - 2);
  const std::string unique = v.substr(second + 1);
  if (!all_lower_hex(epoch) || !all_lower_hex(unique) || unique.size() != 24) return false;
  if (epoch.size() != 8 && !(lenient && !epoch.empty() && epoch.size() < 8)) return false;
  trace_hex = std::string(8 - epoch.size(), '0') + epoch + unique;
  return trace_hex.find_first_not_of('0') != std::string::npos;
}

// The rules of docs/formats.md, read literally with std::string and no cleverness.
bool reference_parse(std::string_view input, bool lenient, reference_header& out) {
  if (input.size() > baton::xray_max_input_size) return false;
  std::vector<std::string> parts;
  std::string current;
  for (char c : input) {
    if (c == ';') {
      parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(current);
  bool seen[3] = {false, false, false};
  std::string values[3];
  for (std::string part : parts) {
    while (!part.empty() && (part.front() == ' ' || part.front() == '\t')) part.erase(0, 1);
    while (!part.empty() && (part.back() == ' ' || part.back() == '\t')) part.pop_back();
    if (part.empty()) continue;
    for (char c : part) {
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) {
        return false;
      }
    }
    const std::size_t eq = part.find('=');
    if (eq == std::string::npos) return false;
    std::string key = part.substr(0, eq);
    while (!key.empty() && key.back() == ' ') key.pop_back();
    if (key.empty()) return false;
    for (char c : key) {
      if (!tchar(c)) return false;
    }
    std::string value = part.substr(eq + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    const std::string k = lower(key);
    int slot = -1;
    if (k == "root") slot = 0;
    if (k == "parent") slot = 1;
    if (k == "sampled") slot = 2;
    if (slot < 0) {
      if (!out.fields.empty()) out.fields += ';';
      out.fields += part;
      continue;
    }
    const auto s = static_cast<std::size_t>(slot);
    if (seen[s]) {
      if (values[s] != value) return false;
      continue;
    }
    seen[s] = true;
    values[s] = value;
    if (slot == 0 && !reference_root(value, lenient, out.trace_hex)) return false;
    if (slot == 1) {
      if (value.size() != 16 || !all_lower_hex(value) || value == "0000000000000000") {
        return false;
      }
      out.parent_hex = value;
    }
    if (slot == 2) {
      if (value != "1" && value != "0" && value != "?") return false;
      out.sampled = value[0];
    }
  }
  return seen[0];
}

void check_against_reference(std::string_view input, bool lenient,
                             const baton::result<baton::xray_header>& got) {
  reference_header ref;
  const bool accepted = reference_parse(input, lenient, ref);
  assert(accepted == got.has_value());
  if (!accepted) return;
  const baton::xray_header& h = *got;
  assert(h.trace_id.to_hex() == ref.trace_hex);
  assert(h.has_parent() == !ref.parent_hex.empty());
  if (h.has_parent()) assert(h.parent_id.to_hex() == ref.parent_hex);
  const baton::sampling_decision expected = ref.sampled == '1' ? baton::sampling_decision::sampled
                                            : ref.sampled == '0'
                                                ? baton::sampling_decision::not_sampled
                                                : baton::sampling_decision::deferred;
  assert(h.sampling == expected);
  assert(h.fields == ref.fields);
}

bool printable(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) return false;
  }
  return true;
}

bool is_xray_code(baton::errc code) {
  const auto v = static_cast<int>(code);
  return v >= 96 && v <= 111;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  baton::xray_options lenient_options;
  lenient_options.lenient_epoch = true;
  const auto strict = baton::parse_xray_header(input);
  const auto lenient = baton::parse_xray_header(input, lenient_options);
  check_against_reference(input, false, strict);
  check_against_reference(input, true, lenient);

  for (const auto* r : {&strict, &lenient}) {
    if (*r) continue;
    assert(is_xray_code(r->code()));
    assert(r->error().offset <= size);
    assert((r->code() == baton::errc::xray_too_long) == (size > baton::xray_max_input_size));
  }
  // Lenient accepts a superset, with the same result where both accept.
  if (strict) assert(lenient && *lenient == *strict);
  if (lenient && !strict) assert(strict.code() == baton::errc::xray_invalid_root);

  // A Root value alone, through the trace id helpers.
  if (size >= baton::xray_root_size) {
    const auto id = baton::parse_xray_trace_id(input.substr(0, baton::xray_root_size));
    if (id) assert(baton::format_xray_trace_id(*id) == input.substr(0, baton::xray_root_size));
  }

  if (!lenient) {
    baton::http_headers carrier;
    carrier.add("X-Amzn-Trace-Id", input);
    const auto e = baton::xray_propagator::extract_context(carrier, lenient_options);
    assert(e.kind == baton::context_kind::none);
    assert(e.found);
    assert(e.error == lenient.error());
    return 0;
  }
  const baton::xray_header& h = *lenient;
  assert(h.trace_id.is_valid());
  assert(printable(h.fields));
  assert(h.fields.size() <= size);

  // Everything kept, up to the parser's own limit: parses back to the same header.
  baton::xray_options faithful;
  faithful.keep_self = true;
  faithful.max_header_size = baton::xray_max_input_size;
  const std::string full = baton::format_xray_header(h, faithful);
  assert(printable(full));
  assert(full.size() <= baton::xray_max_input_size);
  const auto again = baton::parse_xray_header(full);
  assert(again);
  assert(again->trace_id == h.trace_id && again->parent_id == h.parent_id);
  assert(again->sampling == h.sampling);
  const std::size_t core = full.size() - (again->fields.empty() ? 0 : again->fields.size() + 1);
  if (h.fields.empty() || core + 1 + h.fields.size() <= baton::xray_max_input_size) {
    assert(again->fields == h.fields);
    assert(full.size() == core + (h.fields.empty() ? 0 : 1 + h.fields.size()));
  } else {
    assert(again->fields.size() < h.fields.size());
  }
  assert(baton::format_xray_header(*again, faithful) == full);

  // The defaults: at most 256 characters, no Self, idempotent.
  const std::string sent = baton::format_xray_header(h);
  assert(printable(sent));
  assert(sent.size() <= baton::xray_max_header_size);
  const auto sent_back = baton::parse_xray_header(sent);
  assert(sent_back);
  assert(sent_back->trace_id == h.trace_id && sent_back->parent_id == h.parent_id);
  assert(baton::format_xray_header(*sent_back) == sent);

  // The propagator reads what the codec reads and writes what the codec writes.
  baton::http_headers carrier;
  carrier.add("X-Amzn-Trace-Id", input);
  const auto e = baton::xray_propagator::extract_context(carrier, lenient_options);
  assert(e.found && e.error == baton::error{});
  assert(e.kind ==
         (h.has_parent() ? baton::context_kind::full : baton::context_kind::trace_id_only));
  assert(e.context.trace_id == h.trace_id && e.context.span_id == h.parent_id);
  assert(e.extras.sampling == h.sampling && e.extras.xray_fields == h.fields);
  if (e.valid()) {
    baton::http_headers out;
    assert(baton::xray_propagator::inject(e.context, out, e.extras));
    assert(out.size() == 1);
    assert(out.get("x-amzn-trace-id").first == sent);
  }
  const auto from_lambda = baton::extract_lambda_trace_header(input, lenient_options);
  assert(from_lambda.kind == e.kind && from_lambda.context == e.context);
  assert(from_lambda.format == baton::propagation_format::xray_lambda);
  return 0;
}
