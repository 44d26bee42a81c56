// Fuzzes parse_traceparent against a direct reading of the W3C rules, and checks that anything
// accepted formats to a value that parses back to the same ids and known flags.
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "baton/carrier.hpp"
#include "baton/detail/hex.hpp"
#include "baton/propagation/trace_context.hpp"
#include "baton/traceparent.hpp"

namespace {

bool lower_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

bool all_hex(std::string_view s) {
  for (char c : s) {
    if (!lower_hex(c)) return false;
  }
  return true;
}

bool all_zero(std::string_view s) {
  return s.find_first_not_of('0') == std::string_view::npos;
}

// The spec, read literally and slowly.
bool reference_accepts(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.size() < 55) return false;
  const std::string_view version = s.substr(0, 2);
  if (!all_hex(version) || version == "ff") return false;
  if (s[2] != '-' || s[35] != '-' || s[52] != '-') return false;
  const std::string_view trace = s.substr(3, 32), parent = s.substr(36, 16),
                         flags = s.substr(53, 2);
  if (!all_hex(trace) || !all_hex(parent) || !all_hex(flags)) return false;
  if (all_zero(trace) || all_zero(parent)) return false;
  if (version == "00") return s.size() == 55;
  return s.size() == 55 || s[55] == '-';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // The SIMD/SWAR hex decoder agrees with the portable table decoder.
  if (size >= 32) {
    std::uint8_t fast[16], slow[16];
    const bool fast_ok = baton::detail::decode_hex<16>(input.data(), fast);
    const bool slow_ok = baton::detail::decode_hex_portable(input.data(), 16, slow);
    assert(fast_ok == slow_ok);
    assert(!fast_ok || std::memcmp(fast, slow, 16) == 0);
    char text_fast[32], text_slow[32];
    baton::detail::encode_hex<16>(data, text_fast);
    baton::detail::encode_hex_portable(data, 16, text_slow);
    assert(std::memcmp(text_fast, text_slow, 32) == 0);
  }
  const auto parsed = baton::parse_traceparent(input);
  assert(parsed.has_value() == reference_accepts(input));
  if (!parsed) {
    assert(parsed.code() != baton::errc::ok);
    assert(parsed.error().offset <= size);
    return 0;
  }
  const baton::traceparent& tp = *parsed;
  assert(tp.trace_id.is_valid() && tp.parent_id.is_valid());

  // Round trip: written as version 00 with unknown flags cleared, and that parses back.
  char text[baton::traceparent_size];
  baton::format_traceparent(tp, text);
  const std::string_view written(text, sizeof text);
  for (char c : written) assert(c == '-' || lower_hex(c));
  const auto again = baton::parse_traceparent(written);
  assert(again.has_value());
  assert(again->version == 0);
  assert(again->trace_id == tp.trace_id);
  assert(again->parent_id == tp.parent_id);
  assert(again->flags.raw() == tp.flags.wire_value());
  assert(baton::format_traceparent(*again) == written);

  // The propagator agrees with the codec, and re-injects the same text.
  baton::http_headers in;
  in.add("traceparent", input);
  const auto extracted = baton::extract_trace_context(in);
  assert(extracted.valid());
  baton::http_headers out;
  assert(baton::inject_trace_context(extracted.context, out));
  assert(out.get("traceparent").first == written);
  return 0;
}
