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
    v_.v0 = k0 ^ 0x736f6d6570736575ull;  // "somepseudorandomlygeneratedbytes"
    v_.v1 = k1 ^ 0x646f72616e646f6dull;
    v_.v2 = k0 ^ 0x6c7967656e657261ull;
    v_.v3 = k1 ^ 0x7465646279746573ull;
    if (wide_output) v_.v1 ^= 0xee;
  }

  void update(const void* data, std::size_t n) noexcept {
    if (n == 0) return;  // data may be null then (an empty string_view)
    const auto* p = static_cast<const unsigned char*>(data);
    total_ += n;
    state v = v_;  // a local copy stays in registers through the loops
    if (tail_size_ == 0) {
      for (; n >= 8; n -= 8, p += 8) compress(v, load_le64(p));
      tail_ = load_partial(p, n);
      tail_size_ = n;
    } else {
      // The message is not word-aligned here: each word of input completes the pending word
      // and leaves its last tail_size_ bytes pending.
      const std::size_t shift = 8 * tail_size_;
      for (; n >= 8; n -= 8, p += 8) {
        const std::uint64_t w = load_le64(p);
        compress(v, tail_ | (w << shift));
        tail_ = w >> (64 - shift);
      }
      update_pending(v, load_partial(p, n), n, shift);
    }
    v_ = v;
  }

  /// Appends one byte.
  void update_u8(std::uint8_t b) noexcept { update_small(b, 1); }

  /// Appends v as 4 little-endian bytes.
  void update_u32le(std::uint32_t v) noexcept { update_small(v, 4); }

  /// The 64-bit tag as an integer; its little-endian bytes are the reference output bytes.
  std::uint64_t finish64() noexcept {
    state v = v_;
    compress(v, last_word());
    v.v2 ^= 0xff;
    final_rounds(v);
    return v.v0 ^ v.v1 ^ v.v2 ^ v.v3;
  }

  /// The 128-bit tag as the 16 reference output bytes (requires wide_output at construction).
  void finish128(unsigned char out[16]) noexcept {
    state v = v_;
    compress(v, last_word());
    v.v2 ^= 0xee;
    final_rounds(v);
    store_le64(out, v.v0 ^ v.v1 ^ v.v2 ^ v.v3);
    v.v1 ^= 0xdd;
    final_rounds(v);
    store_le64(out + 8, v.v0 ^ v.v1 ^ v.v2 ^ v.v3);
  }

 private:
  struct state {
    std::uint64_t v0, v1, v2, v3;
  };

  static BATON_ALWAYS_INLINE std::uint64_t rotl(std::uint64_t x, int b) noexcept {
    return (x << b) | (x >> (64 - b));
  }
  static BATON_ALWAYS_INLINE void round(state& v) noexcept {
    v.v0 += v.v1;
    v.v1 = rotl(v.v1, 13);
    v.v1 ^= v.v0;
    v.v0 = rotl(v.v0, 32);
    v.v2 += v.v3;
    v.v3 = rotl(v.v3, 16);
    v.v3 ^= v.v2;
    v.v0 += v.v3;
    v.v3 = rotl(v.v3, 21);
    v.v3 ^= v.v0;
    v.v2 += v.v1;
    v.v1 = rotl(v.v1, 17);
    v.v1 ^= v.v2;
    v.v2 = rotl(v.v2, 32);
  }
  static BATON_ALWAYS_INLINE void final_rounds(state& v) noexcept {
    for (int i = 0; i < D; ++i) round(v);
  }
  static BATON_ALWAYS_INLINE void compress(state& v, std::uint64_t m) noexcept {
    v.v3 ^= m;
    for (int i = 0; i < C; ++i) round(v);
    v.v0 ^= m;
  }
  // Appends the n < 8 low bytes of w (little-endian) without touching memory.
  BATON_ALWAYS_INLINE void update_small(std::uint64_t w, std::size_t n) noexcept {
    total_ += n;
    state v = v_;
    update_pending(v, w, n, 8 * tail_size_);
    v_ = v;
  }
  // Adds n < 8 bytes to the pending ones (shift = 8 * tail_size_), compressing a completed word.
  BATON_ALWAYS_INLINE void update_pending(state& v, std::uint64_t w, std::size_t n,
                                          std::size_t shift) noexcept {
    tail_ |= w << shift;
    tail_size_ += n;
    if (tail_size_ >= 8) {  // only possible when shift > 0
      compress(v, tail_);
      tail_ = w >> (64 - shift);
      tail_size_ -= 8;
    }
  }

  // The last word: the pending 0-7 bytes, zero padded, with the message length mod 256 in the
  // top byte.
  std::uint64_t last_word() const noexcept {
    return tail_ | (static_cast<std::uint64_t>(total_ & 0xff) << 56);
  }

  // n < 8 bytes at p as a little-endian integer, reading only [p, p + n): two overlapping
  // fixed-size loads put every byte at its place (overlapping bytes land on themselves).
  static BATON_ALWAYS_INLINE std::uint64_t load_partial(const unsigned char* p,
                                                        std::size_t n) noexcept {
    if (n >= 4) {
      return load_le32(p) | (static_cast<std::uint64_t>(load_le32(p + n - 4)) << (8 * (n - 4)));
    }
    if (n == 0) return 0;
    return static_cast<std::uint64_t>(p[0]) |
           (static_cast<std::uint64_t>(p[n / 2]) << (8 * (n / 2))) |
           (static_cast<std::uint64_t>(p[n - 1]) << (8 * (n - 1)));
  }
  static BATON_ALWAYS_INLINE std::uint32_t load_le32(const unsigned char* p) noexcept {
#if BATON_LITTLE_ENDIAN
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
#else
    return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
           (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
#endif
  }

  state v_;
  std::uint64_t total_ = 0;
  std::uint64_t tail_ = 0;  // the pending 0-7 bytes, little-endian
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
