// trace_id (16 bytes) and span_id (8 bytes): fixed-size byte arrays with lowercase-hex text form.
#ifndef BATON_IDS_HPP
#define BATON_IDS_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>

#include "baton/detail/config.hpp"
#include "baton/detail/hex.hpp"
#include "baton/detail/random.hpp"
#include "baton/error.hpp"

BATON_BEGIN_NAMESPACE

/// An id of N bytes. Value type: trivially copyable, compared byte-wise (which is also numeric
/// big-endian order). The all-zero id is the "invalid" id of W3C Trace Context and is what a
/// default-constructed id holds.
template <class Tag, std::size_t N>
class basic_id {
 public:
  static constexpr std::size_t size = N;          ///< bytes
  static constexpr std::size_t hex_size = 2 * N;  ///< characters of the hex form

  constexpr basic_id() noexcept = default;
  constexpr explicit basic_id(const std::array<std::uint8_t, N>& bytes) noexcept : bytes_(bytes) {}

  /// Copies N bytes from `bytes`.
  static basic_id from_bytes(const std::uint8_t* bytes) noexcept {
    basic_id id;
    std::memcpy(id.bytes_.data(), bytes, N);
    return id;
  }

  /// Parses exactly 2*N lowercase hex characters. Uppercase is rejected (W3C HEXDIGLC); so is the
  /// all-zero id (errc::zero_id). The error offset is 0 for a length error, else the index of the
  /// first character that is not lowercase hex.
  static result<basic_id> from_hex(std::string_view hex) noexcept {
    if (hex.size() != hex_size) return {errc::invalid_length, 0};
    basic_id id;
    if (!detail::decode_hex<N>(hex.data(), id.bytes_.data())) {
      std::size_t i = 0;
      while (detail::is_lower_hex(hex[i])) ++i;
      return {errc::invalid_hex, i};
    }
    if (!id.is_valid()) return {errc::zero_id, 0};
    return id;
  }

  /// A random, valid id from the calling thread's generator (fast; not cryptographic).
  static basic_id random() noexcept {
    basic_id id;
    do {
      for (std::size_t i = 0; i < N; i += 8) {
        const std::uint64_t bits = detail::random_u64();
        std::memcpy(id.bytes_.data() + i, &bits, N - i < 8 ? N - i : 8);
      }
    } while (!id.is_valid());
    return id;
  }

  /// True unless every byte is zero.
  bool is_valid() const noexcept {
    if constexpr (N % 8 == 0) {
      // Word-wise: one OR per 8 bytes instead of a branch per byte (hot in every parse).
      std::uint64_t any = 0;
      for (std::size_t i = 0; i < N; i += 8) {
        std::uint64_t word;
        std::memcpy(&word, bytes_.data() + i, 8);
        any |= word;
      }
      return any != 0;
    } else {
      for (std::uint8_t b : bytes_) {
        if (b != 0) return true;
      }
      return false;
    }
  }

  constexpr const std::array<std::uint8_t, N>& bytes() const noexcept { return bytes_; }
  constexpr const std::uint8_t* data() const noexcept { return bytes_.data(); }

  /// Writes the 2*N hex characters at out (no terminator) and returns out + 2*N.
  char* to_hex(char* out) const noexcept {
    detail::encode_hex<N>(bytes_.data(), out);
    return out + hex_size;
  }
  std::string to_hex() const {
    std::string s(hex_size, '\0');
    to_hex(s.data());
    return s;
  }

  friend constexpr bool operator==(const basic_id& a, const basic_id& b) noexcept {
    for (std::size_t i = 0; i < N; ++i) {
      if (a.bytes_[i] != b.bytes_[i]) return false;
    }
    return true;
  }
  friend constexpr bool operator!=(const basic_id& a, const basic_id& b) noexcept {
    return !(a == b);
  }
  friend constexpr bool operator<(const basic_id& a, const basic_id& b) noexcept {
    for (std::size_t i = 0; i < N; ++i) {
      if (a.bytes_[i] != b.bytes_[i]) return a.bytes_[i] < b.bytes_[i];
    }
    return false;
  }
  friend constexpr bool operator>(const basic_id& a, const basic_id& b) noexcept { return b < a; }
  friend constexpr bool operator<=(const basic_id& a, const basic_id& b) noexcept {
    return !(b < a);
  }
  friend constexpr bool operator>=(const basic_id& a, const basic_id& b) noexcept {
    return !(a < b);
  }

 private:
  std::array<std::uint8_t, N> bytes_{};
};

struct trace_id_tag {};
struct span_id_tag {};

/// A W3C trace-id: 16 bytes, written as 32 lowercase hex characters.
using trace_id = basic_id<trace_id_tag, 16>;
/// A W3C parent-id / span id: 8 bytes, written as 16 lowercase hex characters.
using span_id = basic_id<span_id_tag, 8>;

BATON_END_NAMESPACE

namespace std {
template <class Tag, std::size_t N>
struct hash<baton::basic_id<Tag, N>> {
  static_assert(N % 8 == 0, "the hash reads whole 8-byte words");
  std::size_t operator()(const baton::basic_id<Tag, N>& id) const noexcept {
    // Ids are random or hashed already; fold the words and mix once (splitmix64 finalizer).
    std::uint64_t h = 0;
    for (std::size_t i = 0; i < N; i += 8) {
      std::uint64_t word;
      std::memcpy(&word, id.data() + i, 8);
      h ^= word + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    }
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
    return static_cast<std::size_t>(h ^ (h >> 31));
  }
};
}  // namespace std

#endif  // BATON_IDS_HPP
