// baton: W3C trace context and baggage propagation, header-only.
// SPDX-License-Identifier: MIT
#ifndef BATON_VERSION_HPP
#define BATON_VERSION_HPP

#define BATON_VERSION_MAJOR 0
#define BATON_VERSION_MINOR 1
#define BATON_VERSION_PATCH 0
#define BATON_VERSION_STRING "0.1.0"

// Every declaration lives in baton::BATON_ABI_NAMESPACE, an inline namespace that spells the full
// version (v0_1_0). Code built against two different baton versions then refers to different
// symbols, so mixing them fails to link instead of silently violating the one-definition rule.
#define BATON_DETAIL_CONCAT6(a, b, c, d, e, f) a##b##c##d##e##f
#define BATON_DETAIL_ABI_NAME(major, minor, patch) \
  BATON_DETAIL_CONCAT6(v, major, _, minor, _, patch)
#define BATON_ABI_NAMESPACE \
  BATON_DETAIL_ABI_NAME(BATON_VERSION_MAJOR, BATON_VERSION_MINOR, BATON_VERSION_PATCH)

#define BATON_BEGIN_NAMESPACE \
  namespace baton {           \
  inline namespace BATON_ABI_NAMESPACE {
#define BATON_END_NAMESPACE \
  }                         \
  }

namespace baton {
inline namespace BATON_ABI_NAMESPACE {
/// The version of the headers in use, as "MAJOR.MINOR.PATCH".
inline constexpr const char* version_string = BATON_VERSION_STRING;
inline constexpr int version_major = BATON_VERSION_MAJOR;
inline constexpr int version_minor = BATON_VERSION_MINOR;
inline constexpr int version_patch = BATON_VERSION_PATCH;
}  // namespace BATON_ABI_NAMESPACE
}  // namespace baton

#endif  // BATON_VERSION_HPP
