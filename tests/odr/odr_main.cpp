// ODR test: two translation units include every baton header and use the library. Linking them
// proves no header defines a non-inline entity; the checks below prove inline functions and
// variables have a single identity in the program (no accidental internal linkage).
#include <cstdio>

#include "odr_probe.hpp"

namespace {
int failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "odr check failed: %s\n", what);
    ++failures;
  }
}
}  // namespace

int main() {
  const odr_probe a = odr_probe_a();
  const odr_probe b = odr_probe_b();
  check(a.category != nullptr && a.category == b.category, "one error_category() object");
  check(a.version_variable == b.version_variable, "one baton::version_string variable");
  check(a.size_variable == b.size_variable, "one baton::traceparent_size variable");
  check(a.formatted == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "TU A: format(parse(x)) == x");
  check(a.formatted == b.formatted, "both TUs format the same");
  check(a.error_name == "traceparent_zero_trace_id", "TU A: all-zero trace-id error");
  check(a.error_name == b.error_name, "both TUs report the same error");
  check(a.category_name == "baton" && b.category_name == "baton", "category name");
  if (failures != 0) return 1;
  std::puts("odr: ok");
  return 0;
}
