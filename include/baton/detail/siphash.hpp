// SipHash (Aumasson and Bernstein, 2012): the c-d round family, 64- and 128-bit output,
// incremental. Used for deterministic id derivation (derive.hpp), where the point is that any
// language can reproduce the ids with a standard, well-specified keyed hash: docs/derivation.md.
#ifndef BATON_DETAIL_SIPHASH_HPP
#define BATON_DETAIL_SIPHASH_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "baton/detail/config.hpp"

BATON_BEGIN_NAMESPACE
namespace detail {

/// Reads 8 bytes as a little-endian integer (SipHash's word order on every platform).
BATON_ALWAYS_INLINE std::uint64_t load_le64(const unsigned char* p) noexcept {
#if BATON_LITTLE_ENDIAN
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
#else
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
#endif
}

/// Writes v as 8 little-endian bytes.
BATON_ALWAYS_INLINE void store_le64(unsigned char* p, std::uint64_t v) noexcept {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}

/// Incremental SipHash-c-d (c compression rounds per word, d finalization rounds). Feed bytes
/// with update() in any chunking (the result depends only on the concatenated bytes), then call
/// finish64() or finish128() once; the output width is chosen at construction because the
/// 128-bit variant changes the initial state.
template <int C, int D>
class basic_siphash {
 public:
  /// key: 16 bytes, read as two little-endian words k0 (bytes 0-7) and k1 (bytes 8-15).
  basic_siphash(const unsigned char* key, bool wide_output) noexcept {
    const std::uint64_t k0 = load_le64(key);
    const std::uint64_t k1 = load_le64(key + 8);
    v0_ = k0 ^ 0x736f6d6570736575ull;  // "somepseudorandomlygeneratedbytes"
    v1_ = k1 ^ 0x646f72616e646f6dull;
    v2_ = k0 ^ 0x6c7967656e657261ull;
    v3_ = k1 ^ 0x7465646279746573ull;
    if (wide_output) v1_ ^= 0xee;
  }

  void update(const void* data, std::size_t n) noexcept {
    if (n == 0) return;  // data may be null then (an empty string_view)
    const auto* p = static_cast<const unsigned char*>(data);
    total_ += n;
    if (tail_size_ != 0) {
      // Complete the buffered partial word first.
      const std::size_t take = n < 8 - tail_size_ ? n : 8 - tail_size_;
      std::memcpy(tail_ + tail_size_, p, take);
      tail_size_ += take;
      p += take;
      n -= take;
      if (tail_size_ < 8) return;
      compress(load_le64(tail_));
      tail_size_ = 0;
    }
    while (n >= 8) {
      compress(load_le64(p));
      p += 8;
      n -= 8;
    }
    if (n != 0) {
      std::memcpy(tail_, p, n);
      tail_size_ = n;
    }
  }

  /// Appends one byte.
  void update_u8(std::uint8_t b) noexcept { update(&b, 1); }

  /// Appends v as 4 little-endian bytes.
  void update_u32le(std::uint32_t v) noexcept {
    const unsigned char bytes[4] = {
        static_cast<unsigned char>(v), static_cast<unsigned char>(v >> 8),
        static_cast<unsigned char>(v >> 16), static_cast<unsigned char>(v >> 24)};
    update(bytes, 4);
  }

  /// The 64-bit tag as an integer; its little-endian bytes are the reference output bytes.
  std::uint64_t finish64() noexcept {
    finalize_message();
    v2_ ^= 0xff;
    final_rounds();
    return v0_ ^ v1_ ^ v2_ ^ v3_;
  }

  /// The 128-bit tag as the 16 reference output bytes (requires wide_output at construction).
  void finish128(unsigned char out[16]) noexcept {
    finalize_message();
    v2_ ^= 0xee;
    final_rounds();
    store_le64(out, v0_ ^ v1_ ^ v2_ ^ v3_);
    v1_ ^= 0xdd;
    final_rounds();
    store_le64(out + 8, v0_ ^ v1_ ^ v2_ ^ v3_);
  }

 private:
  static BATON_ALWAYS_INLINE std::uint64_t rotl(std::uint64_t x, int b) noexcept {
    return (x << b) | (x >> (64 - b));
  }
  BATON_ALWAYS_INLINE void round() noexcept {
    v0_ += v1_;
    v1_ = rotl(v1_, 13);
    v1_ ^= v0_;
    v0_ = rotl(v0_, 32);
    v2_ += v3_;
    v3_ = rotl(v3_, 16);
    v3_ ^= v2_;
    v0_ += v3_;
    v3_ = rotl(v3_, 21);
    v3_ ^= v0_;
    v2_ += v1_;
    v1_ = rotl(v1_, 17);
    v1_ ^= v2_;
    v2_ = rotl(v2_, 32);
  }
  BATON_ALWAYS_INLINE void final_rounds() noexcept {
    for (int i = 0; i < D; ++i) round();
  }
  BATON_ALWAYS_INLINE void compress(std::uint64_t m) noexcept {
    v3_ ^= m;
    for (int i = 0; i < C; ++i) round();
    v0_ ^= m;
  }
  // The last word: the remaining 0-7 bytes, zero padded, with the message length mod 256 in the
  // top byte.
  void finalize_message() noexcept {
    std::uint64_t last = static_cast<std::uint64_t>(total_ & 0xff) << 56;
    for (std::size_t i = 0; i < tail_size_; ++i) {
      last |= static_cast<std::uint64_t>(tail_[i]) << (8 * i);
    }
    compress(last);
  }

  std::uint64_t v0_, v1_, v2_, v3_;
  std::uint64_t total_ = 0;
  unsigned char tail_[8] = {};
  std::size_t tail_size_ = 0;
};

/// SipHash-2-4, the variant of the paper and of the reference test vectors.
using siphash24 = basic_siphash<2, 4>;
/// SipHash-1-3: the same construction with fewer rounds (CPython's str/bytes hash, Rust's
/// default hasher).
using siphash13 = basic_siphash<1, 3>;

/// One-shot 64-bit tag of [data, data+n) under a 16-byte key.
template <class Hasher = siphash24>
inline std::uint64_t siphash_64(const unsigned char* key, const void* data,
                                std::size_t n) noexcept {
  Hasher h(key, false);
  h.update(data, n);
  return h.finish64();
}

/// One-shot 128-bit tag of [data, data+n) under a 16-byte key; writes 16 bytes to out.
template <class Hasher = siphash24>
inline void siphash_128(const unsigned char* key, const void* data, std::size_t n,
                        unsigned char out[16]) noexcept {
  Hasher h(key, true);
  h.update(data, n);
  h.finish128(out);
}

}  // namespace detail
BATON_END_NAMESPACE

#endif  // BATON_DETAIL_SIPHASH_HPP
