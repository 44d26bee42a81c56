// Fuzzes decode_binary (context snapshots). Input: one mode byte, then bytes. Mode bit 0 set:
// the bytes are a payload, framed with a correct length and checksum (to reach the fields);
// clear: the bytes are the whole binary form. Bit 1 picks small limits. Checks:
//   - errors point inside the input;
//   - whatever decodes re-encodes to a form that decodes to the same value and encodes to
//     itself; it is the input itself unless the input had fields a decoder skips (the format
//     has one encoding per value);
//   - the token and text-map forms carry the same value (text map: what W3C can carry);
//   - both CRC-32C implementations agree on the input.
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "baton/detail/crc32c.hpp"
#include "baton/snapshot.hpp"
#include "snapshot_fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string input = (mode & 1) != 0 ? fuzz::frame('c', rest) : std::string(rest);
  baton::snapshot_limits limits;
  if ((mode & 2) != 0) {
    limits.max_bytes = 200;
    limits.max_tracestate_size = 40;
    limits.baggage.max_members = 3;
    limits.baggage.max_bytes = 40;
  }

  // The CRC-32C instruction path (when the CPU has it) agrees with the table path.
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(input.data());
  assert(baton::detail::crc32c(bytes, input.size()) ==
         baton::detail::crc32c_portable(bytes, input.size()));

  const auto decoded = baton::decode_binary(input, limits);
  if (!decoded) {
    assert(decoded.error().offset <= input.size());
    assert(baton::to_string(decoded.code()).substr(0, 9) == "snapshot_");
    return 0;
  }
  const baton::context_snapshot& s = *decoded;
  assert(s.is_valid());

  const std::string again = baton::encode_binary(s);
  assert(again.size() == baton::binary_size(s));
  assert(again == input || again.size() < input.size());
  const auto twice = baton::decode_binary(again, limits);
  assert(twice.has_value() && *twice == s);
  assert(baton::encode_binary(*twice) == again);

  const std::string token = baton::encode_token(s);
  assert(token == fuzz::tokenize('c', again));
  const auto from_token = baton::decode_token(token, limits);
  assert(from_token.has_value() && *from_token == s);

  std::map<std::string, std::string> carrier;
  assert(baton::encode_text_map(s, carrier));
  const auto from_map = baton::decode_text_map(carrier, limits);
  assert(from_map.has_value());
  assert(from_map->context.trace_id == s.context.trace_id);
  assert(from_map->context.span_id == s.context.span_id);
  assert(from_map->context.flags.raw() == s.context.flags.wire_value());
  assert(from_map->context.tracestate == s.context.tracestate);
  assert(from_map->baggage == s.baggage);
  return 0;
}
