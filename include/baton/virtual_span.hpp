// Virtual spans: finished span records built from timestamps instead of a live timer. The main
// use is the queue wait of a durable task: the producer stamps the enqueue time into baggage
// ("triggeredAt", milliseconds since the Unix epoch), and the consumer, right after it boots,
// makes a span from that time to "now" under the producer's context ("orchestrate.boot").
// Nothing here reads a clock: every time is passed in.
#ifndef BATON_VIRTUAL_SPAN_HPP
#define BATON_VIRTUAL_SPAN_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "baton/baggage.hpp"
#include "baton/detail/config.hpp"
#include "baton/error.hpp"
#include "baton/ids.hpp"
#include "baton/span_context.hpp"
#include "baton/span_record.hpp"

BATON_BEGIN_NAMESPACE

/// The baggage key that carries the enqueue time (the name used in Depot's write-up).
inline constexpr std::string_view default_trigger_key = "triggeredAt";

/// The largest trigger time in milliseconds whose nanoseconds fit in 64 bits (year 2554).
inline constexpr std::uint64_t max_trigger_unix_ms = UINT64_MAX / 1000000u;

/// Sets baggage entry `key` to `unix_ms` in base 10 (what JavaScript's Date.now().toString()
/// writes), replacing an earlier stamp. Errors: durable_trigger_out_of_range for 0 or a value
/// over max_trigger_unix_ms (a reader would reject it), baggage_invalid_key for a key that is
/// not a token (nothing changes in either case).
inline result<void> stamp_trigger_time(baggage& entries, std::uint64_t unix_ms,
                                       std::string_view key = default_trigger_key) {
  if (unix_ms == 0 || unix_ms > max_trigger_unix_ms) return errc::durable_trigger_out_of_range;
  char digits[20];
  std::size_t n = sizeof digits;
  do {
    digits[--n] = static_cast<char>('0' + unix_ms % 10);
    unix_ms /= 10;
  } while (unix_ms != 0);
  return entries.set(key, std::string_view(digits + n, sizeof digits - n));
}

/// Parses a trigger time: one or more ASCII digits, base 10, milliseconds since the Unix epoch
/// (leading zeros allowed; no sign, space or fraction). Errors: durable_trigger_malformed
/// (offset of the first byte that is not a digit; 0 for empty text), durable_trigger_out_of_range
/// (0, or over max_trigger_unix_ms; offset of the digit where it went over).
inline result<std::uint64_t> parse_trigger_time(std::string_view text) noexcept {
  if (text.empty()) return errc::durable_trigger_malformed;
  std::uint64_t ms = 0;
  bool over = false;
  std::size_t over_at = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto d = static_cast<unsigned>(static_cast<unsigned char>(text[i])) - '0';
    if (d > 9) return {errc::durable_trigger_malformed, i};
    if (!over && ms > (max_trigger_unix_ms - d) / 10) {
      over = true;  // keep scanning: a later non-digit is the better report
      over_at = i;
    }
    if (!over) ms = ms * 10 + d;
  }
  if (over) return {errc::durable_trigger_out_of_range, over_at};
  if (ms == 0) return errc::durable_trigger_out_of_range;
  return ms;
}

/// The trigger time stamped in `entries` under `key`, in milliseconds. Errors:
/// durable_trigger_missing (no such entry), and those of parse_trigger_time.
inline result<std::uint64_t> read_trigger_time(const baggage& entries,
                                               std::string_view key = default_trigger_key) {
  const std::optional<std::string_view> value = entries.get(key);
  if (!value) return errc::durable_trigger_missing;
  return parse_trigger_time(*value);
}

/// A finished record of a span that ran from `start_unix_nano` to `end_unix_nano` under
/// `parent` (remote or local), with id `id`: a span seen only through timestamps. Not emitted.
/// Errors: those of span_record::open, span_record_zero_end_time, span_record_end_before_start.
inline result<span_record> make_virtual_span(std::string_view name, const span_context& parent,
                                             const span_id& id, std::uint64_t start_unix_nano,
                                             std::uint64_t end_unix_nano,
                                             span_kind kind = span_kind::internal,
                                             const span_limits& limits = {}) {
  result<span_record> r = span_record::open(name, parent, id, start_unix_nano, kind, limits);
  if (!r) return r;
  if (result<void> closed = r->close(end_unix_nano); !closed) return closed.error();
  return r;
}

struct queue_wait_options {
  std::string_view name = "orchestrate.boot";  ///< span name
  std::string_view key = default_trigger_key;  ///< baggage key of the trigger time
  /// How far in the future (after "now") a trigger time may be and still be accepted, as a
  /// zero-length span at "now": clocks of producer and consumer are never exactly in step. 0 (the
  /// default) accepts none. Beyond it: durable_trigger_in_future.
  std::uint64_t future_tolerance_nano = 0;
  span_kind kind = span_kind::internal;
  span_limits limits{};
};

/// The queue-wait ("boot") span: from the trigger time stamped in `entries` (milliseconds, so
/// the start is a whole millisecond, never later than the real enqueue) to `now_unix_nano`, a
/// child of `parent` with id `id`. Finished, not emitted. Never has a negative duration: a
/// trigger time after `now_unix_nano` is an error (or a zero-length span within
/// options.future_tolerance_nano). Errors: durable_trigger_missing, durable_trigger_malformed,
/// durable_trigger_out_of_range, durable_trigger_in_future, span_record_invalid_parent,
/// span_record_zero_id, span_record_zero_end_time (now is 0).
inline result<span_record> make_queue_wait_span(const span_context& parent, const baggage& entries,
                                                const span_id& id, std::uint64_t now_unix_nano,
                                                const queue_wait_options& options = {}) {
  const result<std::uint64_t> ms = read_trigger_time(entries, options.key);
  if (!ms) return ms.error();
  std::uint64_t start = *ms * 1000000u;
  if (start > now_unix_nano) {
    if (start - now_unix_nano > options.future_tolerance_nano) {
      return errc::durable_trigger_in_future;
    }
    start = now_unix_nano;
  }
  return make_virtual_span(options.name, parent, id, start, now_unix_nano, options.kind,
                           options.limits);
}

BATON_END_NAMESPACE

#endif  // BATON_VIRTUAL_SPAN_HPP
