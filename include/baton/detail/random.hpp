// Fast, thread-safe random bits for ids: one xoshiro256++ state per thread, seeded from the OS
// (getrandom on Linux, std::random_device elsewhere) mixed with per-thread entropy. Not for
// cryptography; good for ids, whose W3C random flag only asks for uniformly random bits.
#ifndef BATON_DETAIL_RANDOM_HPP
#define BATON_DETAIL_RANDOM_HPP

#include <atomic>
#include <chrono>
#include <cstdint>
#include <random>
#include <thread>

#include "baton/detail/config.hpp"

#if defined(__linux__) && defined(__has_include)
#if __has_include(<sys/random.h>)
#include <sys/random.h>
#define BATON_HAVE_GETRANDOM 1
#endif
#endif
// BATON_NO_ATFORK: do not register a pthread_atfork handler (for code that is dlclose()d, where a
// handler left behind would run after unloading). A forked child then continues its parent's
// generator state, so parent and child can draw the same ids.
#if !defined(_WIN32) && !defined(BATON_NO_ATFORK) && defined(__has_include)
#if __has_include(<pthread.h>) && __has_include(<unistd.h>)
#include <pthread.h>
#define BATON_HAVE_PTHREAD_ATFORK 1
#endif
#endif

BATON_BEGIN_NAMESPACE
namespace detail {

inline std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/// Bumped in a forked child so that every thread reseeds: a child must not repeat its parent's
/// ids.
inline std::atomic<std::uint32_t> fork_generation{0};

inline void register_fork_handler() noexcept {
#if defined(BATON_HAVE_PTHREAD_ATFORK)
  static const bool registered = [] {
    ::pthread_atfork(nullptr, nullptr,
                     [] { fork_generation.fetch_add(1, std::memory_order_relaxed); });
    return true;
  }();
  (void)registered;
#endif
}

inline std::uint64_t os_entropy() noexcept {
  std::uint64_t value = 0;
#if defined(BATON_HAVE_GETRANDOM)
  if (::getrandom(&value, sizeof value, GRND_NONBLOCK) == static_cast<ssize_t>(sizeof value)) {
    return value;
  }
#else
  // std::random_device may throw when no entropy source exists; callers still get the
  // clock/thread/address entropy mixed in below, so a failure only weakens the seed.
#if defined(__cpp_exceptions)
  try {
    std::random_device device;
    value = (static_cast<std::uint64_t>(device()) << 32) ^ device();
  } catch (...) {
    value = 0;
  }
#else
  std::random_device device;
  value = (static_cast<std::uint64_t>(device()) << 32) ^ device();
#endif
#endif
  return value;
}

/// xoshiro256++ (Blackman and Vigna): 256-bit state, 64-bit outputs, about 1 ns each.
class xoshiro256pp {
 public:
  explicit xoshiro256pp(std::uint64_t seed) noexcept {
    for (auto& word : s_) word = splitmix64(seed);
  }
  std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(s_[0] + s_[3], 23) + s_[0];
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

inline std::uint64_t fresh_seed() noexcept {
  static std::atomic<std::uint64_t> counter{0};
  std::uint64_t mix = os_entropy();
  mix ^= static_cast<std::uint64_t>(
      std::chrono::high_resolution_clock::now().time_since_epoch().count());
  mix ^= static_cast<std::uint64_t>(std::hash<std::thread::id>{}(std::this_thread::get_id())) << 1;
  mix ^= counter.fetch_add(0x9e3779b97f4a7c15ull, std::memory_order_relaxed);
  std::uint64_t state = mix;
  return splitmix64(state);
}

/// 64 random bits from this thread's generator.
inline std::uint64_t random_u64() noexcept {
  struct thread_state {
    xoshiro256pp rng{0};
    std::uint32_t generation = ~0u;
  };
  thread_local thread_state state;
  const std::uint32_t generation = fork_generation.load(std::memory_order_relaxed);
  if (BATON_UNLIKELY(state.generation != generation)) {
    register_fork_handler();
    state.rng = xoshiro256pp(fresh_seed() ^ reinterpret_cast<std::uintptr_t>(&state));
    state.generation = fork_generation.load(std::memory_order_relaxed);
  }
  return state.rng.next();
}

}  // namespace detail
BATON_END_NAMESPACE

#endif  // BATON_DETAIL_RANDOM_HPP
