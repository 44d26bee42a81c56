// Fuzzes decode_token (context snapshots). Input: one mode byte, then bytes. Mode bit 0 set:
// the bytes are a payload, framed with a correct checksum and made a token (to reach the
// fields through the token path); clear: the bytes are the token text itself (prefix and
// base64url handling). Checks:
//   - errors point inside the token;
//   - whatever decodes re-encodes to a token that decodes to the same value and encodes to
//     itself; it is the input itself unless the input had fields a decoder skips;
//   - the token is the prefix and the base64url of the binary form, and uses only the safe
//     characters A-Z a-z 0-9 - _ .
//   - the base64url implementations (SSSE3 where the CPU has it, portable) agree on any text
//     and any bytes.
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "baton/snapshot.hpp"
#include "snapshot_fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string input =
      (mode & 1) != 0 ? fuzz::tokenize('c', fuzz::frame('c', rest)) : std::string(rest);

  {
    // Any text (a length base64url allows) decodes the same both ways, stopping at the same
    // character; any bytes encode the same both ways.
    std::size_t n = rest.size();
    if (n % 4 == 1) --n;
    std::size_t bytes = 0;
    (void)baton::detail::base64url_decoded_size(n, bytes);
    std::vector<std::uint8_t> a(bytes + 1), b(bytes + 1);
    const std::size_t got = baton::detail::base64url_decode(rest.data(), n, a.data());
    assert(got == baton::detail::base64url_decode_portable(rest.data(), n, b.data()));
    assert(got != n || std::memcmp(a.data(), b.data(), bytes) == 0);
    const auto* raw = reinterpret_cast<const std::uint8_t*>(rest.data());
    std::string x(baton::detail::base64url_encoded_size(rest.size()), '\0'), y = x;
    baton::detail::base64url_encode(raw, rest.size(), x.data());
    baton::detail::base64url_encode_portable(raw, rest.size(), y.data());
    assert(x == y);
  }

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
