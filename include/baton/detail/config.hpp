// Compiler and platform switches shared by every baton header. Not part of the public API.
#ifndef BATON_DETAIL_CONFIG_HPP
#define BATON_DETAIL_CONFIG_HPP

#include <cassert>

#include "baton/version.hpp"

#if defined(__GNUC__) || defined(__clang__)
#define BATON_LIKELY(x) __builtin_expect(!!(x), 1)
#define BATON_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define BATON_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define BATON_LIKELY(x) (x)
#define BATON_UNLIKELY(x) (x)
#define BATON_ALWAYS_INLINE inline
#endif

// Preconditions of accessors (for example result<T>::value() on an error) are checked with
// assert(): active in debug builds, free in release builds, never an exception.
#define BATON_ASSERT(cond) assert(cond)

// Whether exceptions are on: g++ and clang define __cpp_exceptions, MSVC defines _CPPUNWIND
// (/EHsc) and sets __cpp_exceptions only in newer versions.
#if defined(__cpp_exceptions) || defined(_CPPUNWIND)
#define BATON_HAS_EXCEPTIONS 1
#else
#define BATON_HAS_EXCEPTIONS 0
#endif

// Little-endian targets take the SWAR fast paths; others use the portable byte loops.
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define BATON_LITTLE_ENDIAN 1
#elif defined(_WIN32)
#define BATON_LITTLE_ENDIAN 1
#else
#define BATON_LITTLE_ENDIAN 0
#endif

// BATON_NO_SWAR forces the portable byte-at-a-time paths (used by tests and fuzzers to compare);
// it also turns SIMD off. BATON_NO_SIMD alone keeps SWAR but drops SSE2.
#if BATON_LITTLE_ENDIAN && !defined(BATON_NO_SWAR)
#define BATON_USE_SWAR 1
#else
#define BATON_USE_SWAR 0
#endif

// SSE2 is part of x86-64 itself, so no runtime dispatch is needed.
#if BATON_USE_SWAR && !defined(BATON_NO_SIMD) && \
    (defined(__SSE2__) || defined(_M_X64) || (defined(_M_IX86_FP) && _M_IX86_FP >= 2))
#define BATON_USE_SSE2 1
#else
#define BATON_USE_SSE2 0
#endif

#endif  // BATON_DETAIL_CONFIG_HPP
