// Deterministic span and trace ids: the same durable identity (execution id, step path,
// occurrence, attempt, role) always gives the same id, in every process and every replay, and in
// any language that follows docs/derivation.md (SipHash-1-3 over a length-prefixed encoding).
#ifndef BATON_DERIVE_HPP
#define BATON_DERIVE_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "baton/detail/config.hpp"
#include "baton/detail/siphash.hpp"
#include "baton/ids.hpp"

BATON_BEGIN_NAMESPACE

/// Well-known roles. A role tells apart ids that share the rest of the key: the span of a step,
/// the parent ("folder") span that groups steps, the virtual boot span of an invocation. Any
/// other string is allowed; the derivation treats it as opaque bytes.
namespace derivation_role {
inline constexpr std::string_view span = "span";      ///< the span of a durable step (default)
inline constexpr std::string_view parent = "parent";  ///< a parent span grouping later steps
inline constexpr std::string_view boot = "boot";      ///< a virtual boot / queue-wait span
inline constexpr std::string_view trace = "trace";    ///< the trace of an execution (default)
}  // namespace derivation_role

/// What a derived span id is a function of. Everything comes from the durable execution's
/// identity, never from process-wide counters: counters drift as soon as some code paths do not
/// replay (queries, validators, skipped steps), while these fields are the same in every replay.
struct derivation_key {
  /// The durable engine's id of this execution (one run; a retry of the whole workflow that the
  /// engine treats as a new execution has a new id).
  std::string_view execution_id;
  /// Where the step sits, e.g. "invoiceCustomer/emailCustomerInvoice" (opaque bytes here).
  std::string_view step_path;
  /// How many steps with the same path ran before this one in this execution (0 first).
  std::uint32_t occurrence = 0;
  /// Retry number of this step (0 first): retries become sibling spans with distinct ids.
  std::uint32_t attempt = 0;
  /// What the id is for; see derivation_role.
  std::string_view role = derivation_role::span;
};

/// The 16-byte SipHash key under which ids are derived. Two applications that might reuse
/// execution ids pick different namespaces so their ids do not collide; a secret key also makes
/// ids unpredictable to anyone who knows only the execution ids. The default is 16 zero bytes.
struct derivation_namespace {
  std::array<std::uint8_t, 16> key{};

  /// A namespace named by text: key = SipHash-1-3-128 under the zero key of the name's
  /// encoding (docs/derivation.md, domain 0x04).
  static derivation_namespace from_name(std::string_view name) noexcept;

  friend bool operator==(const derivation_namespace& a, const derivation_namespace& b) noexcept {
    return a.key == b.key;
  }
  friend bool operator!=(const derivation_namespace& a, const derivation_namespace& b) noexcept {
    return !(a == b);
  }
};

namespace detail {

/// Domain bytes: the first byte of every derivation message, so that no two kinds of derivation
/// can ever hash the same bytes. Version 1 of the spec; a later spec would use new values.
inline constexpr std::uint8_t derive_domain_span = 0x01;
inline constexpr std::uint8_t derive_domain_trace = 0x02;
inline constexpr std::uint8_t derive_domain_xray = 0x03;
inline constexpr std::uint8_t derive_domain_namespace = 0x04;

/// Field lengths are written as 32 bits; a longer field (over 4 GiB) is cut to its first
/// 2^32 - 1 bytes, which keeps the function total and the spec reproducible.
constexpr std::size_t derive_max_field = 0xffffffffu;

constexpr std::size_t derive_field_size(std::string_view s) noexcept {
  return s.size() < derive_max_field ? s.size() : derive_max_field;
}

template <class Sink>
BATON_ALWAYS_INLINE void derive_put_field(Sink& sink, std::string_view s) noexcept {
  const std::size_t n = derive_field_size(s);
  sink.update_u32le(static_cast<std::uint32_t>(n));
  sink.update(s.data(), n);
}

/// The span-id message (docs/derivation.md, domain 0x01), written to `sink` (a hasher).
template <class Sink>
void write_span_message(Sink& sink, const derivation_key& k) noexcept {
  sink.update_u8(derive_domain_span);
  derive_put_field(sink, k.execution_id);
  derive_put_field(sink, k.step_path);
  sink.update_u32le(k.occurrence);
  sink.update_u32le(k.attempt);
  derive_put_field(sink, k.role);
}

/// A two-field message (trace and X-Ray domains).
template <class Sink>
void write_pair_message(Sink& sink, std::uint8_t domain, std::string_view a,
                        std::string_view b) noexcept {
  sink.update_u8(domain);
  derive_put_field(sink, a);
  derive_put_field(sink, b);
}

/// The rule that keeps derived ids valid: an all-zero result gets its last byte set to 0x01.
template <std::size_t N>
BATON_ALWAYS_INLINE void derive_make_nonzero(unsigned char (&bytes)[N]) noexcept {
  unsigned char any = 0;
  for (unsigned char b : bytes) any = static_cast<unsigned char>(any | b);
  if (any == 0) bytes[N - 1] = 0x01;
}

inline void derive_pair_128(const derivation_namespace& ns, std::uint8_t domain, std::string_view a,
                            std::string_view b, unsigned char out[16]) noexcept {
  siphash13 h(ns.key.data(), true);
  write_pair_message(h, domain, a, b);
  h.finish128(out);
}

}  // namespace detail

inline derivation_namespace derivation_namespace::from_name(std::string_view name) noexcept {
  const unsigned char zero_key[16] = {};
  detail::siphash13 h(zero_key, true);
  h.update_u8(detail::derive_domain_namespace);
  detail::derive_put_field(h, name);
  unsigned char out[16];
  h.finish128(out);
  derivation_namespace ns;
  std::memcpy(ns.key.data(), out, 16);
  return ns;
}

/// The span id of `key` under namespace `ns`: SipHash-1-3-64 of the domain-0x01 message, output
/// bytes in the reference (little-endian) order, never all zero.
inline span_id derive_span_id(const derivation_namespace& ns, const derivation_key& key) noexcept {
  // Fields go straight into the hasher, which joins them word by word: no message buffer.
  detail::siphash13 h(ns.key.data(), false);
  detail::write_span_message(h, key);
  const std::uint64_t tag = h.finish64();
  unsigned char bytes[8];
  detail::store_le64(bytes, tag);
  detail::derive_make_nonzero(bytes);
  return span_id::from_bytes(bytes);
}

/// derive_span_id in the default namespace (16 zero key bytes).
inline span_id derive_span_id(const derivation_key& key) noexcept {
  return derive_span_id(derivation_namespace{}, key);
}

/// The trace id of an execution: SipHash-1-3-128 of the domain-0x02 message (execution id,
/// role), never all zero. Its bytes are uniformly distributed, so a trace that starts with it may
/// set the W3C Level 2 random flag; note that anyone who knows the namespace key and the
/// execution id can compute it (use a secret namespace key if that matters).
inline trace_id derive_trace_id(const derivation_namespace& ns, std::string_view execution_id,
                                std::string_view role = derivation_role::trace) noexcept {
  unsigned char bytes[16];
  detail::derive_pair_128(ns, detail::derive_domain_trace, execution_id, role, bytes);
  detail::derive_make_nonzero(bytes);
  return trace_id::from_bytes(bytes);
}

inline trace_id derive_trace_id(std::string_view execution_id,
                                std::string_view role = derivation_role::trace) noexcept {
  return derive_trace_id(derivation_namespace{}, execution_id, role);
}

/// An AWS X-Ray compatible trace id: the first 4 bytes are epoch_seconds big-endian (so the hex
/// starts with the 8 hex digits of the epoch, as in "1-<epoch>-<24 hex>"), the other 12 are the
/// first 12 output bytes of SipHash-1-3-128 of the domain-0x03 message. The epoch must itself
/// be stable across replays (e.g. the execution's start time from the engine, not "now").
inline trace_id derive_xray_trace_id(const derivation_namespace& ns, std::string_view execution_id,
                                     std::uint32_t epoch_seconds,
                                     std::string_view role = derivation_role::trace) noexcept {
  unsigned char hash[16];
  detail::derive_pair_128(ns, detail::derive_domain_xray, execution_id, role, hash);
  unsigned char bytes[16];
  bytes[0] = static_cast<unsigned char>(epoch_seconds >> 24);
  bytes[1] = static_cast<unsigned char>(epoch_seconds >> 16);
  bytes[2] = static_cast<unsigned char>(epoch_seconds >> 8);
  bytes[3] = static_cast<unsigned char>(epoch_seconds);
  std::memcpy(bytes + 4, hash, 12);
  detail::derive_make_nonzero(bytes);
  return trace_id::from_bytes(bytes);
}

inline trace_id derive_xray_trace_id(std::string_view execution_id, std::uint32_t epoch_seconds,
                                     std::string_view role = derivation_role::trace) noexcept {
  return derive_xray_trace_id(derivation_namespace{}, execution_id, epoch_seconds, role);
}

BATON_END_NAMESPACE

#endif  // BATON_DERIVE_HPP
