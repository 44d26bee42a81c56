// FUZZ_CHECK(cond): like assert(), but never compiled out and with the failing expression and
// line on stderr, so a fuzzer's crash report says which property broke.
#ifndef BATON_FUZZ_FUZZ_CHECK_HPP
#define BATON_FUZZ_FUZZ_CHECK_HPP

#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#define FUZZ_CHECK(cond)                                                            \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                 \
    }                                                                               \
  } while (false)

/// The input split at '\n' (the last piece may be empty), for targets that read one field per
/// line.
inline std::vector<std::string_view> fuzz_split_lines(std::string_view input) {
  std::vector<std::string_view> lines;
  for (std::size_t start = 0;;) {
    const std::size_t nl = input.find('\n', start);
    lines.push_back(input.substr(start, nl == std::string_view::npos ? nl : nl - start));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return lines;
}

#endif  // BATON_FUZZ_FUZZ_CHECK_HPP
