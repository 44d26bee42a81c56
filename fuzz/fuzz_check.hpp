// FUZZ_CHECK(cond): like assert(), but never compiled out and with the failing expression and
// line on stderr, so a fuzzer's crash report says which property broke.
#ifndef BATON_FUZZ_FUZZ_CHECK_HPP
#define BATON_FUZZ_FUZZ_CHECK_HPP

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                            \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                 \
    }                                                                               \
  } while (false)

#endif  // BATON_FUZZ_FUZZ_CHECK_HPP
