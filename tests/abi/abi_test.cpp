// ABI test: the public types live in the inline namespace baton::v<MAJOR>_<MINOR>_<PATCH>, and
// the headers' version is the project's version. BATON_TEST_ABI_NAMESPACE and the
// BATON_TEST_PROJECT_VERSION* macros come from CMake's project(VERSION), not from the headers.
#include <baton/version.hpp>

#include <baton/error.hpp>
#include <baton/ids.hpp>
#include <baton/trace_flags.hpp>
#include <baton/traceparent.hpp>

#include <cstdio>
#include <cstring>
#include <string_view>
#include <type_traits>
#include <typeinfo>

#define BATON_TEST_STR2(x) #x
#define BATON_TEST_STR(x) BATON_TEST_STR2(x)

static_assert(BATON_VERSION_MAJOR == BATON_TEST_PROJECT_VERSION_MAJOR, "major");
static_assert(BATON_VERSION_MINOR == BATON_TEST_PROJECT_VERSION_MINOR, "minor");
static_assert(BATON_VERSION_PATCH == BATON_TEST_PROJECT_VERSION_PATCH, "patch");
static_assert(std::string_view(BATON_VERSION_STRING) == BATON_TEST_PROJECT_VERSION,
              "BATON_VERSION_STRING matches project(VERSION)");
static_assert(std::string_view(BATON_TEST_STR(BATON_ABI_NAMESPACE)) ==
                  BATON_TEST_STR(BATON_TEST_ABI_NAMESPACE),
              "BATON_ABI_NAMESPACE spells the full version");

// The versioned namespace exists, is inline, and holds the public types.
namespace abi = baton::BATON_TEST_ABI_NAMESPACE;
static_assert(std::is_same_v<baton::trace_id, abi::trace_id>, "trace_id");
static_assert(std::is_same_v<baton::span_id, abi::span_id>, "span_id");
static_assert(std::is_same_v<baton::trace_flags, abi::trace_flags>, "trace_flags");
static_assert(std::is_same_v<baton::traceparent, abi::traceparent>, "traceparent");
static_assert(std::is_same_v<baton::errc, abi::errc>, "errc");
static_assert(std::is_same_v<baton::error, abi::error>, "error");
static_assert(std::is_same_v<baton::result<int>, abi::result<int>>, "result");

namespace {
int failures = 0;

// The mangled name must carry the versioned namespace ("6v0_1_0" in the Itanium ABI): that is
// what makes two different baton versions in one program fail to link instead of clashing.
template <class T>
void check_mangled(const char* what) {
  const char* name = typeid(T).name();
  const char* tag = BATON_TEST_STR(BATON_TEST_ABI_NAMESPACE);
  if (std::strstr(name, tag) == nullptr) {
    std::fprintf(stderr, "abi check failed: %s mangles as %s, without %s\n", what, name, tag);
    ++failures;
  }
}
}  // namespace

int main() {
  check_mangled<baton::trace_id>("baton::trace_id");
  check_mangled<baton::span_id>("baton::span_id");
  check_mangled<baton::traceparent>("baton::traceparent");
  check_mangled<baton::errc>("baton::errc");
  if (failures != 0) return 1;
  std::printf("abi: baton %s in namespace baton::%s\n", baton::version_string,
              BATON_TEST_STR(BATON_TEST_ABI_NAMESPACE));
  return 0;
}
