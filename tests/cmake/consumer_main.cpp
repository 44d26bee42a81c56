// The program every consumer test builds (find_package, pkg-config, add_subdirectory,
// FetchContent): it must compile against the installed or in-tree headers and really work.
#if __has_include(<baton/baton.hpp>)
#include <baton/baton.hpp>
#else
#include <baton/traceparent.hpp>
#endif

#include <cstdio>
#include <string>
#include <string_view>

#ifndef BATON_EXPECTED_VERSION
#error "build with -DBATON_EXPECTED_VERSION=\"MAJOR.MINOR.PATCH\""
#endif

namespace {
int failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "consumer check failed: %s\n", what);
    ++failures;
  }
}
}  // namespace

int main() {
  constexpr std::string_view header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  const auto parsed = baton::parse_traceparent(header);
  check(parsed.has_value(), "the W3C example traceparent parses");
  if (parsed) {
    check(parsed->trace_id.to_hex() == "4bf92f3577b34da6a3ce929d0e0e4736", "trace-id");
    check(parsed->parent_id.to_hex() == "00f067aa0ba902b7", "parent-id");
    check(parsed->flags.sampled(), "sampled flag");
    check(baton::format_traceparent(*parsed) == header, "format(parse(x)) == x");
  }

  const auto upper =
      baton::parse_traceparent("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01");
  check(!upper.has_value(), "uppercase hex is rejected");
  check(upper.code() == baton::errc::traceparent_invalid_trace_id, "uppercase: error code");

  check(std::string_view(baton::version_string) == BATON_EXPECTED_VERSION,
        "header version matches the package version");

  if (failures != 0) return 1;
  std::printf("baton %s consumer: ok\n", baton::version_string);
  return 0;
}
