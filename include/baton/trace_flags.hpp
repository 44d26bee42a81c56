// trace_flags: the raw trace-flags byte of a traceparent, with an accessor per named bit.
#ifndef BATON_TRACE_FLAGS_HPP
#define BATON_TRACE_FLAGS_HPP

#include <cstdint>

#include "baton/detail/config.hpp"

BATON_BEGIN_NAMESPACE

/// The trace-flags byte. The raw byte is kept as received so nothing is lost in between; what is
/// written on the wire is wire_value(), where bits this version does not know are zero (W3C:
/// "other flags" MUST be set to zero when sent).
class trace_flags {
 public:
  static constexpr std::uint8_t sampled_bit = 0x01;  ///< Level 1: the caller may have recorded
  static constexpr std::uint8_t random_bit = 0x02;  ///< Level 2: right-most 7 trace-id bytes random
  static constexpr std::uint8_t known_bits = sampled_bit | random_bit;

  constexpr trace_flags() noexcept = default;
  constexpr explicit trace_flags(std::uint8_t raw) noexcept : raw_(raw) {}

  constexpr std::uint8_t raw() const noexcept { return raw_; }
  constexpr bool sampled() const noexcept { return (raw_ & sampled_bit) != 0; }
  constexpr bool random() const noexcept { return (raw_ & random_bit) != 0; }

  /// The byte to send: the known bits of raw(), unknown bits cleared.
  constexpr std::uint8_t wire_value() const noexcept {
    return static_cast<std::uint8_t>(raw_ & known_bits);
  }

  constexpr trace_flags with_sampled(bool on) const noexcept { return with(sampled_bit, on); }
  constexpr trace_flags with_random(bool on) const noexcept { return with(random_bit, on); }

  friend constexpr bool operator==(trace_flags a, trace_flags b) noexcept {
    return a.raw_ == b.raw_;
  }
  friend constexpr bool operator!=(trace_flags a, trace_flags b) noexcept {
    return a.raw_ != b.raw_;
  }

 private:
  constexpr trace_flags with(std::uint8_t bit, bool on) const noexcept {
    return trace_flags(static_cast<std::uint8_t>(on ? (raw_ | bit) : (raw_ & ~bit)));
  }
  std::uint8_t raw_ = 0;
};

BATON_END_NAMESPACE

#endif  // BATON_TRACE_FLAGS_HPP
