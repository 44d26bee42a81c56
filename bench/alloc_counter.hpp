// Counts heap allocations in a benchmark binary: include it in exactly one .cpp per executable
// (it replaces the global operator new/delete). Use:
//   baton_bench::alloc_scope scope(state);   // at the top of a benchmark function
// and the benchmark reports "allocs/iter".
#ifndef BATON_BENCH_ALLOC_COUNTER_HPP
#define BATON_BENCH_ALLOC_COUNTER_HPP

#include <benchmark/benchmark.h>

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace baton_bench {
inline std::atomic<std::size_t> allocation_count{0};

/// Reports allocations per iteration of the benchmark it lives in.
class alloc_scope {
 public:
  explicit alloc_scope(benchmark::State& state)
      : state_(state), start_(allocation_count.load(std::memory_order_relaxed)) {}
  ~alloc_scope() {
    const auto n = allocation_count.load(std::memory_order_relaxed) - start_;
    state_.counters["allocs/iter"] =
        benchmark::Counter(static_cast<double>(n), benchmark::Counter::kAvgIterations);
  }
  alloc_scope(const alloc_scope&) = delete;
  alloc_scope& operator=(const alloc_scope&) = delete;

 private:
  benchmark::State& state_;
  std::size_t start_;
};
}  // namespace baton_bench

void* operator new(std::size_t size) {
  baton_bench::allocation_count.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
  return ::operator new(size);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}

#endif  // BATON_BENCH_ALLOC_COUNTER_HPP
