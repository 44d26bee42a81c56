// Helpers shared by the snapshot and span record fuzz targets (not a fuzz target itself).
#ifndef BATON_FUZZ_SNAPSHOT_FUZZ_COMMON_HPP
#define BATON_FUZZ_SNAPSHOT_FUZZ_COMMON_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "baton/detail/base64url.hpp"
#include "baton/detail/crc32c.hpp"
#include "baton/detail/wire.hpp"

namespace fuzz {

// A binary form of `kind` around `payload` with the right length and checksum, so mutations
// reach the field decoders instead of stopping at the CRC.
inline std::string frame(char kind, std::string_view payload) {
  std::string out = "bt";
  out.push_back(kind);
  out.push_back(static_cast<char>(baton::detail::wire_version));
  std::uint8_t len[10];
  const std::uint8_t* end = baton::detail::put_varint(len, payload.size());
  out.append(reinterpret_cast<const char*>(len), static_cast<std::size_t>(end - len));
  out.append(payload.data(), payload.size());
  std::uint8_t crc[4];
  baton::detail::put_u32le(
      crc, baton::detail::crc32c(reinterpret_cast<const std::uint8_t*>(out.data()), out.size()));
  out.append(reinterpret_cast<const char*>(crc), 4);
  return out;
}

// "b<kind>1." + base64url(bytes).
inline std::string tokenize(char kind, std::string_view bytes) {
  std::string out = "b";
  out.push_back(kind);
  out += "1.";
  const std::size_t start = out.size();
  out.resize(start + baton::detail::base64url_encoded_size(bytes.size()));
  baton::detail::base64url_encode(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(),
                                  &out[start]);
  return out;
}

}  // namespace fuzz

#endif  // BATON_FUZZ_SNAPSHOT_FUZZ_COMMON_HPP
