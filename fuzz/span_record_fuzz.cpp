// Fuzzes the span record decoders. Input: one mode byte, then bytes. Mode bit 0 set: the bytes
// are a payload, framed with a correct length and checksum (to reach the fields); clear: the
// bytes are the whole binary form. Bit 1: decode as a token (the framed bytes in base64url).
// Bit 2 picks small limits. Checks:
//   - errors point inside the input;
//   - whatever decodes re-encodes (binary and token) to a form that decodes to the same record
//     and encodes to itself; it is the input itself unless the input had skipped fields;
//   - a decoded record respects the limits it was decoded with, and the record operations
//     keep their promises on it (child while open, close errors, cover).
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "baton/span_record_codec.hpp"
#include "snapshot_fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string binary = (mode & 1) != 0 ? fuzz::frame('s', rest) : std::string(rest);
  const bool as_token = (mode & 2) != 0;
  const std::string input = as_token ? fuzz::tokenize('s', binary) : binary;
  baton::span_record_limits limits;
  if ((mode & 4) != 0) {
    limits.max_bytes = 300;
    limits.max_tracestate_size = 30;
    limits.span.max_name_size = 8;
    limits.span.max_attributes = 3;
    limits.span.max_links = 2;
    limits.span.max_link_attributes = 2;
    limits.span.max_key_size = 5;
    limits.span.max_string_value_size = 6;
    limits.span.max_status_message_size = 4;
  }

  const auto decoded =
      as_token ? baton::decode_span_token(input, limits) : baton::decode_span_binary(input, limits);
  if (!decoded) {
    assert(decoded.error().offset <= input.size());
    return 0;
  }
  const baton::span_record& r = *decoded;
  assert(r.trace_id.is_valid() && r.span_id.is_valid());
  assert(r.is_open() || r.end_time_unix_nano >= r.start_time_unix_nano);
  assert(r.name.size() <= limits.span.max_name_size);
  assert(r.attributes.size() <= limits.span.max_attributes);
  assert(r.links.size() <= limits.span.max_links);
  for (const auto& a : r.attributes) {
    assert(!a.key.empty() && a.key.size() <= limits.span.max_key_size);
    assert(a.value.as_string().size() <= limits.span.max_string_value_size);
  }

  const std::string bin = baton::encode_span_binary(r);
  assert(bin.size() == baton::span_binary_size(r));
  assert(bin == binary || bin.size() < binary.size());
  const auto twice = baton::decode_span_binary(bin, limits);
  assert(twice.has_value() && *twice == r);
  assert(baton::encode_span_binary(*twice) == bin);
  const std::string token = baton::encode_span_token(r);
  assert(token == fuzz::tokenize('s', bin));
  const auto from_token = baton::decode_span_token(token, limits);
  assert(from_token.has_value() && *from_token == r);

  // Operations on whatever came back.
  baton::span_record copy = r;
  assert(copy.child_context(r.span_id).has_value() == r.is_open());
  if (r.is_open()) {
    auto c = copy.child("child", r.span_id, r.start_time_unix_nano / 2 + 1);
    assert(c.has_value() && copy.is_parent_of(*c));
    assert(c->close(c->start_time_unix_nano + 1).has_value());
    const std::uint64_t end = r.start_time_unix_nano == 0 ? 1 : r.start_time_unix_nano;
    assert(copy.close(end, *c).has_value());
    assert(copy.start_time_unix_nano <= c->start_time_unix_nano);
    assert(copy.end_time_unix_nano >= end && copy.end_time_unix_nano >= c->end_time_unix_nano);
    assert(!copy.child("late", r.span_id, end).has_value());
  } else {
    assert(copy.close(r.end_time_unix_nano).code() == baton::errc::span_record_closed);
  }
  return 0;
}
