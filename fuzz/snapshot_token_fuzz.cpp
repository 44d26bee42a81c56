// Fuzzes decode_token (context snapshots). Input: one mode byte, then bytes. Mode bit 0 set:
// the bytes are a payload, framed with a correct checksum and made a token (to reach the
// fields through the token path); clear: the bytes are the token text itself (prefix and
// base64url handling). Checks:
//   - errors point inside the token;
//   - whatever decodes re-encodes to a token that decodes to the same value and encodes to
//     itself; it is the input itself unless the input had fields a decoder skips;
//   - the token is the prefix and the base64url of the binary form, and uses only the safe
//     characters A-Z a-z 0-9 - _ .
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "baton/snapshot.hpp"
#include "snapshot_fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string input =
      (mode & 1) != 0 ? fuzz::tokenize('c', fuzz::frame('c', rest)) : std::string(rest);

  const auto decoded = baton::decode_token(input);
  if (!decoded) {
    assert(decoded.error().offset <= input.size());
    return 0;
  }
  const baton::context_snapshot& s = *decoded;
  const std::string again = baton::encode_token(s);
  assert(again.size() == baton::token_size(s));
  assert(again == input || again.size() < input.size());
  for (char c : again) {
    assert((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.');
  }
  assert(again == fuzz::tokenize('c', baton::encode_binary(s)));
  const auto twice = baton::decode_token(again);
  assert(twice.has_value() && *twice == s);
  assert(baton::encode_token(*twice) == again);
  return 0;
}
