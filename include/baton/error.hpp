// Error codes, the error value and result<T>: how every baton parser reports failure.
#ifndef BATON_ERROR_HPP
#define BATON_ERROR_HPP

#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

#include "baton/detail/config.hpp"

BATON_BEGIN_NAMESPACE

/// Why a parse, decode or mutation failed. The numeric values are stable across releases (they
/// may be stored or logged); new codes are only ever added. Codes are grouped by area.
enum class errc : std::uint8_t {
  ok = 0,

  // Ids and hex (1-15).
  invalid_length = 1,  ///< input has the wrong number of characters
  invalid_hex = 2,     ///< a character is not lowercase hex (0-9, a-f)
  zero_id = 3,         ///< the id is all zeros, which W3C reserves as invalid

  // traceparent (16-31).
  traceparent_invalid_length = 16,      ///< not 55 characters (version 00), or shorter than 55
  traceparent_invalid_version = 17,     ///< version is not two lowercase hex digits
  traceparent_forbidden_version = 18,   ///< version ff is invalid by definition
  traceparent_invalid_delimiter = 19,   ///< a '-' is missing where the format needs one
  traceparent_invalid_trace_id = 20,    ///< trace-id is not 32 lowercase hex digits
  traceparent_zero_trace_id = 21,       ///< trace-id is all zeros
  traceparent_invalid_parent_id = 22,   ///< parent-id is not 16 lowercase hex digits
  traceparent_zero_parent_id = 23,      ///< parent-id is all zeros
  traceparent_invalid_flags = 24,       ///< trace-flags is not two lowercase hex digits
  traceparent_conflicting_values = 25,  ///< a carrier holds two different traceparent values

  // tracestate (32-63).
  tracestate_too_many_members = 32,  ///< more than 32 list-members
  tracestate_invalid_key = 33,       ///< key breaks the key grammar
  tracestate_key_too_long = 34,      ///< key longer than the grammar allows
  tracestate_missing_equals = 35,    ///< list-member has no '='
  tracestate_invalid_value = 36,     ///< value has a character outside 0x20-0x7E or ',' '='
  tracestate_value_too_long = 37,    ///< value longer than 256 characters
  tracestate_empty_value = 38,       ///< value is empty (or only spaces)
  tracestate_duplicate_key = 39,     ///< a later member repeats a key; the first one is kept
  tracestate_ignored = 40,           ///< not parsed: the carrier has no valid traceparent

  // baggage (64-95).
  baggage_invalid_key = 64,               ///< key is empty or not an RFC 7230 token
  baggage_missing_equals = 65,            ///< list-member has no '='
  baggage_invalid_value = 66,             ///< value has a character that is not a baggage-octet
  baggage_invalid_percent_encoding = 67,  ///< '%' not followed by two hex digits
  baggage_invalid_property = 68,          ///< a property breaks the grammar
  baggage_too_many_members = 69,          ///< members past the member limit were dropped
  baggage_too_large = 70,                 ///< members past the byte limit were dropped
  baggage_key_filtered = 71,              ///< a member was dropped by the caller's key filter
  baggage_duplicate_key = 72,             ///< a later member repeats a key; the last value wins

  // AWS X-Ray (96-111): propagation/xray.hpp.
  xray_missing_root = 96,              ///< no Root field
  xray_invalid_root = 97,              ///< Root is not 1-{8 hex}-{24 hex} (lowercase)
  xray_unsupported_root_version = 98,  ///< Root version is not 1
  xray_zero_trace_id = 99,             ///< Root trace id is all zeros
  xray_invalid_parent = 100,           ///< Parent is not 16 lowercase hex digits
  xray_zero_parent_id = 101,           ///< Parent is all zeros
  xray_invalid_sampled = 102,          ///< Sampled is not 1, 0 or ?
  xray_malformed_field = 103,          ///< a field is not key=value with a token key
  xray_invalid_character = 104,        ///< a control or non-ASCII byte (HTAB only around fields)
  xray_duplicate_field = 105,          ///< Root, Parent or Sampled repeats with another value
  xray_too_long = 106,                 ///< longer than xray_max_input_size (1024)
  // [xray-codes]

  // B3 (112-127): propagation/b3.hpp.
  b3_empty = 112,             ///< the b3 value is empty
  b3_too_long = 113,          ///< longer than 68 characters (b3_single_max_size)
  b3_invalid_trace_id = 114,  ///< trace id is not 16 or 32 lowercase hex digits
  b3_zero_trace_id = 115,     ///< trace id is all zeros
  b3_invalid_span_id = 116,   ///< span id is not 16 lowercase hex digits
  b3_zero_span_id = 117,      ///< span id is all zeros
  b3_invalid_sampling = 118,  ///< sampling state is not 0, 1 or d (x-b3-sampled: 0, 1, true, false)
  b3_invalid_parent_span_id = 119,  ///< parent span id is not 16 lowercase hex digits
  b3_missing_span_id = 120,         ///< a trace id without a span id
  b3_missing_trace_id = 121,        ///< x-b3-spanid or x-b3-parentspanid without x-b3-traceid
  b3_too_many_fields = 122,         ///< something follows the parent span id
  // [b3-codes]

  // Jaeger (128-143): propagation/jaeger.hpp.
  jaeger_empty = 128,                   ///< the uber-trace-id value is empty
  jaeger_too_long = 129,                ///< longer than uber_trace_id_max_size
  jaeger_invalid_trace_id = 130,        ///< trace id is not 1-32 hex digits
  jaeger_zero_trace_id = 131,           ///< trace id is zero
  jaeger_invalid_span_id = 132,         ///< span id is not 1-16 hex digits
  jaeger_zero_span_id = 133,            ///< span id is zero
  jaeger_invalid_parent_span_id = 134,  ///< parent span id is not 1-16 hex digits
  jaeger_invalid_flags = 135,           ///< flags are not 1 or 2 hex digits
  jaeger_missing_fields = 136,          ///< fewer than four ':'-separated fields
  jaeger_too_many_fields = 137,         ///< a separator follows the flags
  // [jaeger-codes]

  // Carriers, composite propagation, environment carriers (144-159).
  propagation_conflicting_values = 144,  ///< a singleton field repeats with different values
  propagation_unknown_propagator = 145,  ///< a propagator name in a list is not known; ignored
  propagation_restarted = 146,  ///< the trust policy started a new trace (incoming kept as a link)
  propagation_ignored = 147,    ///< the trust policy ignored the incoming context
  environment_invalid_name = 148,    ///< an environment entry has no '=' or an invalid name
  environment_value_rejected = 149,  ///< an environment value has a control character
  // [propagation-codes]

  // Snapshots and span records (160-191): snapshot.hpp, span_record.hpp.
  snapshot_truncated = 160,   ///< input ends before the encoded length
  snapshot_bad_magic = 161,   ///< not a baton snapshot (magic, token prefix or kind byte)
  snapshot_wrong_kind = 162,  ///< a baton snapshot of another kind (context vs span record)
  snapshot_unsupported_version = 163,  ///< format version newer than this decoder reads
  snapshot_bad_checksum = 164,         ///< CRC-32C mismatch: corrupted or altered bytes
  snapshot_invalid_base64 = 165,       ///< token text is not unpadded base64url
  snapshot_trailing_bytes = 166,       ///< bytes after the checksum
  snapshot_too_large = 167,            ///< input or a field is over its limit
  snapshot_invalid_field = 168,        ///< a field is malformed or not in canonical form
  snapshot_missing_field = 169,        ///< a required field is absent
  snapshot_unknown_field = 170,        ///< an unknown field that must be understood
  snapshot_duplicate_field = 171,      ///< a field repeated or out of order
  snapshot_zero_trace_id = 172,        ///< trace id is all zeros
  snapshot_zero_span_id = 173,         ///< a span id is all zeros
  snapshot_invalid_tracestate = 174,   ///< tracestate text is invalid or not canonical
  snapshot_invalid_baggage = 175,      ///< baggage text is invalid or not canonical
  snapshot_missing_traceparent = 176,  ///< text map has no traceparent
  span_record_closed = 180,            ///< the span record is already closed
  span_record_end_before_start = 181,  ///< end time is before the start time
  span_record_zero_end_time = 182,     ///< end time 0 (which means open)
  span_record_invalid_parent = 183,    ///< parent context is not valid
  span_record_zero_id = 184,           ///< span id or trace id is all zeros
  span_record_not_child = 185,         ///< the record is not a child of this span
  // [snapshot-codes]

  // Durable helpers, deterministic ids, virtual spans (192-223).
  otlp_open_span = 192,         ///< an open span record (end time 0) cannot be encoded as OTLP
  otlp_zero_id = 193,           ///< a span record or one of its links has an all-zero id
  otlp_write_failed = 194,      ///< the sink's writer reported that a write failed
  otlp_end_before_start = 195,  ///< a span record ends before it starts

  // Virtual spans and step helpers (200-): virtual_span.hpp, durable.hpp.
  durable_trigger_missing = 200,       ///< baggage has no trigger time entry (triggeredAt)
  durable_trigger_malformed = 201,     ///< trigger time is not base-10 digits (milliseconds)
  durable_trigger_out_of_range = 202,  ///< trigger time is 0 or too large for Unix nanoseconds
  durable_trigger_in_future = 203,     ///< trigger time is after "now" (beyond the tolerance)
  durable_span_open = 204,             ///< an open span record cannot be emitted
  durable_already_emitted = 205,       ///< the span record was already emitted
  durable_emission_dropped = 206,      ///< the sink declined the record (a guard saw a repeat)
  durable_step_result_invalid = 207,   ///< a stored step result is not what the helper wrote
  durable_sink_failed = 208,     ///< the sink failed to take the record (returned false or threw)
  durable_clock_failed = 209,    ///< the clock threw: the span could not be timed
  durable_tracing_failed = 210,  ///< the tracing code threw (e.g. out of memory); the work went on
  // [durable-codes]
};

/// The enumerator's name, e.g. "traceparent_invalid_length": stable, for logs and JSON.
constexpr std::string_view to_string(errc code) noexcept {
  switch (code) {
    case errc::ok:
      return "ok";
    case errc::invalid_length:
      return "invalid_length";
    case errc::invalid_hex:
      return "invalid_hex";
    case errc::zero_id:
      return "zero_id";
    case errc::traceparent_invalid_length:
      return "traceparent_invalid_length";
    case errc::traceparent_invalid_version:
      return "traceparent_invalid_version";
    case errc::traceparent_forbidden_version:
      return "traceparent_forbidden_version";
    case errc::traceparent_invalid_delimiter:
      return "traceparent_invalid_delimiter";
    case errc::traceparent_invalid_trace_id:
      return "traceparent_invalid_trace_id";
    case errc::traceparent_zero_trace_id:
      return "traceparent_zero_trace_id";
    case errc::traceparent_invalid_parent_id:
      return "traceparent_invalid_parent_id";
    case errc::traceparent_zero_parent_id:
      return "traceparent_zero_parent_id";
    case errc::traceparent_invalid_flags:
      return "traceparent_invalid_flags";
    case errc::traceparent_conflicting_values:
      return "traceparent_conflicting_values";
    case errc::tracestate_too_many_members:
      return "tracestate_too_many_members";
    case errc::tracestate_invalid_key:
      return "tracestate_invalid_key";
    case errc::tracestate_key_too_long:
      return "tracestate_key_too_long";
    case errc::tracestate_missing_equals:
      return "tracestate_missing_equals";
    case errc::tracestate_invalid_value:
      return "tracestate_invalid_value";
    case errc::tracestate_value_too_long:
      return "tracestate_value_too_long";
    case errc::tracestate_empty_value:
      return "tracestate_empty_value";
    case errc::tracestate_duplicate_key:
      return "tracestate_duplicate_key";
    case errc::tracestate_ignored:
      return "tracestate_ignored";
    case errc::baggage_invalid_key:
      return "baggage_invalid_key";
    case errc::baggage_missing_equals:
      return "baggage_missing_equals";
    case errc::baggage_invalid_value:
      return "baggage_invalid_value";
    case errc::baggage_invalid_percent_encoding:
      return "baggage_invalid_percent_encoding";
    case errc::baggage_invalid_property:
      return "baggage_invalid_property";
    case errc::baggage_too_many_members:
      return "baggage_too_many_members";
    case errc::baggage_too_large:
      return "baggage_too_large";
    case errc::baggage_key_filtered:
      return "baggage_key_filtered";
    case errc::baggage_duplicate_key:
      return "baggage_duplicate_key";
    case errc::xray_missing_root:
      return "xray_missing_root";
    case errc::xray_invalid_root:
      return "xray_invalid_root";
    case errc::xray_unsupported_root_version:
      return "xray_unsupported_root_version";
    case errc::xray_zero_trace_id:
      return "xray_zero_trace_id";
    case errc::xray_invalid_parent:
      return "xray_invalid_parent";
    case errc::xray_zero_parent_id:
      return "xray_zero_parent_id";
    case errc::xray_invalid_sampled:
      return "xray_invalid_sampled";
    case errc::xray_malformed_field:
      return "xray_malformed_field";
    case errc::xray_invalid_character:
      return "xray_invalid_character";
    case errc::xray_duplicate_field:
      return "xray_duplicate_field";
    case errc::xray_too_long:
      return "xray_too_long";
      // [xray-names]
    case errc::b3_empty:
      return "b3_empty";
    case errc::b3_too_long:
      return "b3_too_long";
    case errc::b3_invalid_trace_id:
      return "b3_invalid_trace_id";
    case errc::b3_zero_trace_id:
      return "b3_zero_trace_id";
    case errc::b3_invalid_span_id:
      return "b3_invalid_span_id";
    case errc::b3_zero_span_id:
      return "b3_zero_span_id";
    case errc::b3_invalid_sampling:
      return "b3_invalid_sampling";
    case errc::b3_invalid_parent_span_id:
      return "b3_invalid_parent_span_id";
    case errc::b3_missing_span_id:
      return "b3_missing_span_id";
    case errc::b3_missing_trace_id:
      return "b3_missing_trace_id";
    case errc::b3_too_many_fields:
      return "b3_too_many_fields";
      // [b3-names]
    case errc::jaeger_empty:
      return "jaeger_empty";
    case errc::jaeger_too_long:
      return "jaeger_too_long";
    case errc::jaeger_invalid_trace_id:
      return "jaeger_invalid_trace_id";
    case errc::jaeger_zero_trace_id:
      return "jaeger_zero_trace_id";
    case errc::jaeger_invalid_span_id:
      return "jaeger_invalid_span_id";
    case errc::jaeger_zero_span_id:
      return "jaeger_zero_span_id";
    case errc::jaeger_invalid_parent_span_id:
      return "jaeger_invalid_parent_span_id";
    case errc::jaeger_invalid_flags:
      return "jaeger_invalid_flags";
    case errc::jaeger_missing_fields:
      return "jaeger_missing_fields";
    case errc::jaeger_too_many_fields:
      return "jaeger_too_many_fields";
      // [jaeger-names]
    case errc::propagation_conflicting_values:
      return "propagation_conflicting_values";
    case errc::propagation_unknown_propagator:
      return "propagation_unknown_propagator";
    case errc::propagation_restarted:
      return "propagation_restarted";
    case errc::propagation_ignored:
      return "propagation_ignored";
    case errc::environment_invalid_name:
      return "environment_invalid_name";
    case errc::environment_value_rejected:
      return "environment_value_rejected";
      // [propagation-names]
    case errc::snapshot_truncated:
      return "snapshot_truncated";
    case errc::snapshot_bad_magic:
      return "snapshot_bad_magic";
    case errc::snapshot_wrong_kind:
      return "snapshot_wrong_kind";
    case errc::snapshot_unsupported_version:
      return "snapshot_unsupported_version";
    case errc::snapshot_bad_checksum:
      return "snapshot_bad_checksum";
    case errc::snapshot_invalid_base64:
      return "snapshot_invalid_base64";
    case errc::snapshot_trailing_bytes:
      return "snapshot_trailing_bytes";
    case errc::snapshot_too_large:
      return "snapshot_too_large";
    case errc::snapshot_invalid_field:
      return "snapshot_invalid_field";
    case errc::snapshot_missing_field:
      return "snapshot_missing_field";
    case errc::snapshot_unknown_field:
      return "snapshot_unknown_field";
    case errc::snapshot_duplicate_field:
      return "snapshot_duplicate_field";
    case errc::snapshot_zero_trace_id:
      return "snapshot_zero_trace_id";
    case errc::snapshot_zero_span_id:
      return "snapshot_zero_span_id";
    case errc::snapshot_invalid_tracestate:
      return "snapshot_invalid_tracestate";
    case errc::snapshot_invalid_baggage:
      return "snapshot_invalid_baggage";
    case errc::snapshot_missing_traceparent:
      return "snapshot_missing_traceparent";
    case errc::span_record_closed:
      return "span_record_closed";
    case errc::span_record_end_before_start:
      return "span_record_end_before_start";
    case errc::span_record_zero_end_time:
      return "span_record_zero_end_time";
    case errc::span_record_invalid_parent:
      return "span_record_invalid_parent";
    case errc::span_record_zero_id:
      return "span_record_zero_id";
    case errc::span_record_not_child:
      return "span_record_not_child";
      // [snapshot-names]
    case errc::otlp_open_span:
      return "otlp_open_span";
    case errc::otlp_zero_id:
      return "otlp_zero_id";
    case errc::otlp_write_failed:
      return "otlp_write_failed";
    case errc::otlp_end_before_start:
      return "otlp_end_before_start";
    case errc::durable_trigger_missing:
      return "durable_trigger_missing";
    case errc::durable_trigger_malformed:
      return "durable_trigger_malformed";
    case errc::durable_trigger_out_of_range:
      return "durable_trigger_out_of_range";
    case errc::durable_trigger_in_future:
      return "durable_trigger_in_future";
    case errc::durable_span_open:
      return "durable_span_open";
    case errc::durable_already_emitted:
      return "durable_already_emitted";
    case errc::durable_emission_dropped:
      return "durable_emission_dropped";
    case errc::durable_step_result_invalid:
      return "durable_step_result_invalid";
    case errc::durable_sink_failed:
      return "durable_sink_failed";
    case errc::durable_clock_failed:
      return "durable_clock_failed";
    case errc::durable_tracing_failed:
      return "durable_tracing_failed";
      // [durable-names]
  }
  return "unknown";
}

/// A readable sentence for each code.
constexpr std::string_view message(errc code) noexcept {
  switch (code) {
    case errc::ok:
      return "success";
    case errc::invalid_length:
      return "input has the wrong length";
    case errc::invalid_hex:
      return "input is not lowercase hexadecimal";
    case errc::zero_id:
      return "id is all zeros";
    case errc::traceparent_invalid_length:
      return "traceparent must be 55 characters (version 00) or at least 55 (later versions)";
    case errc::traceparent_invalid_version:
      return "traceparent version is not two lowercase hex digits";
    case errc::traceparent_forbidden_version:
      return "traceparent version ff is forbidden";
    case errc::traceparent_invalid_delimiter:
      return "traceparent field is not followed by '-'";
    case errc::traceparent_invalid_trace_id:
      return "trace-id is not 32 lowercase hex digits";
    case errc::traceparent_zero_trace_id:
      return "trace-id is all zeros";
    case errc::traceparent_invalid_parent_id:
      return "parent-id is not 16 lowercase hex digits";
    case errc::traceparent_zero_parent_id:
      return "parent-id is all zeros";
    case errc::traceparent_invalid_flags:
      return "trace-flags is not two lowercase hex digits";
    case errc::traceparent_conflicting_values:
      return "more than one different traceparent value";
    case errc::tracestate_too_many_members:
      return "tracestate has more than 32 list-members";
    case errc::tracestate_invalid_key:
      return "tracestate key breaks the key grammar";
    case errc::tracestate_key_too_long:
      return "tracestate key is too long";
    case errc::tracestate_missing_equals:
      return "tracestate list-member has no '='";
    case errc::tracestate_invalid_value:
      return "tracestate value has a forbidden character";
    case errc::tracestate_value_too_long:
      return "tracestate value is longer than 256 characters";
    case errc::tracestate_empty_value:
      return "tracestate value is empty";
    case errc::tracestate_duplicate_key:
      return "tracestate key repeated; the first member is kept";
    case errc::tracestate_ignored:
      return "tracestate ignored because there is no valid traceparent";
    case errc::baggage_invalid_key:
      return "baggage key is not a token";
    case errc::baggage_missing_equals:
      return "baggage list-member has no '='";
    case errc::baggage_invalid_value:
      return "baggage value has a character that is not allowed";
    case errc::baggage_invalid_percent_encoding:
      return "baggage value has a malformed %-escape";
    case errc::baggage_invalid_property:
      return "baggage property is malformed";
    case errc::baggage_too_many_members:
      return "baggage members over the member limit were dropped";
    case errc::baggage_too_large:
      return "baggage members over the size limit were dropped";
    case errc::baggage_key_filtered:
      return "baggage member dropped by the key filter";
    case errc::baggage_duplicate_key:
      return "baggage key repeated; the last value is kept";
    case errc::xray_missing_root:
      return "X-Ray header has no Root field";
    case errc::xray_invalid_root:
      return "X-Ray Root is not 1-{8 hex}-{24 hex}";
    case errc::xray_unsupported_root_version:
      return "X-Ray Root version is not 1";
    case errc::xray_zero_trace_id:
      return "X-Ray Root trace id is all zeros";
    case errc::xray_invalid_parent:
      return "X-Ray Parent is not 16 lowercase hex digits";
    case errc::xray_zero_parent_id:
      return "X-Ray Parent is all zeros";
    case errc::xray_invalid_sampled:
      return "X-Ray Sampled is not 1, 0 or ?";
    case errc::xray_malformed_field:
      return "X-Ray field is not key=value with a token key";
    case errc::xray_invalid_character:
      return "X-Ray header has a control or non-ASCII character";
    case errc::xray_duplicate_field:
      return "X-Ray Root, Parent or Sampled repeats with a different value";
    case errc::xray_too_long:
      return "X-Ray header is longer than 1024 characters";
      // [xray-messages]
    case errc::b3_empty:
      return "b3 value is empty";
    case errc::b3_too_long:
      return "b3 value is longer than 68 characters";
    case errc::b3_invalid_trace_id:
      return "B3 trace id is not 16 or 32 lowercase hex digits";
    case errc::b3_zero_trace_id:
      return "B3 trace id is all zeros";
    case errc::b3_invalid_span_id:
      return "B3 span id is not 16 lowercase hex digits";
    case errc::b3_zero_span_id:
      return "B3 span id is all zeros";
    case errc::b3_invalid_sampling:
      return "B3 sampling state is not 0, 1 or d (x-b3-sampled: 0, 1, true or false)";
    case errc::b3_invalid_parent_span_id:
      return "B3 parent span id is not 16 lowercase hex digits";
    case errc::b3_missing_span_id:
      return "B3 trace id without a span id";
    case errc::b3_missing_trace_id:
      return "B3 span id without a trace id";
    case errc::b3_too_many_fields:
      return "B3 value has a field after the parent span id";
      // [b3-messages]
    case errc::jaeger_empty:
      return "uber-trace-id value is empty";
    case errc::jaeger_too_long:
      return "uber-trace-id value is too long";
    case errc::jaeger_invalid_trace_id:
      return "Jaeger trace id is not 1 to 32 hex digits";
    case errc::jaeger_zero_trace_id:
      return "Jaeger trace id is zero";
    case errc::jaeger_invalid_span_id:
      return "Jaeger span id is not 1 to 16 hex digits";
    case errc::jaeger_zero_span_id:
      return "Jaeger span id is zero";
    case errc::jaeger_invalid_parent_span_id:
      return "Jaeger parent span id is not 1 to 16 hex digits";
    case errc::jaeger_invalid_flags:
      return "Jaeger flags are not 1 or 2 hex digits";
    case errc::jaeger_missing_fields:
      return "uber-trace-id has fewer than four fields";
    case errc::jaeger_too_many_fields:
      return "uber-trace-id has more than four fields";
      // [jaeger-messages]
    case errc::propagation_conflicting_values:
      return "a singleton field repeats with different values";
    case errc::propagation_unknown_propagator:
      return "unknown propagator name; ignored";
    case errc::propagation_restarted:
      return "incoming context not continued by policy; a new trace links to it";
    case errc::propagation_ignored:
      return "incoming context ignored by policy";
    case errc::environment_invalid_name:
      return "environment entry has no '=' or an invalid name";
    case errc::environment_value_rejected:
      return "environment value has a control character";
      // [propagation-messages]
    case errc::snapshot_truncated:
      return "snapshot input is truncated";
    case errc::snapshot_bad_magic:
      return "input is not a baton snapshot (bad magic or prefix)";
    case errc::snapshot_wrong_kind:
      return "snapshot is of another kind (context snapshot vs span record)";
    case errc::snapshot_unsupported_version:
      return "snapshot format version is newer than this decoder supports";
    case errc::snapshot_bad_checksum:
      return "snapshot checksum does not match (corrupted or altered)";
    case errc::snapshot_invalid_base64:
      return "snapshot token is not valid unpadded base64url";
    case errc::snapshot_trailing_bytes:
      return "snapshot has bytes after its end";
    case errc::snapshot_too_large:
      return "snapshot or one of its fields is over the size limit";
    case errc::snapshot_invalid_field:
      return "snapshot field is malformed or not canonical";
    case errc::snapshot_missing_field:
      return "snapshot lacks a required field";
    case errc::snapshot_unknown_field:
      return "snapshot has an unknown field that must be understood";
    case errc::snapshot_duplicate_field:
      return "snapshot field is repeated or out of order";
    case errc::snapshot_zero_trace_id:
      return "snapshot trace id is all zeros";
    case errc::snapshot_zero_span_id:
      return "snapshot span id is all zeros";
    case errc::snapshot_invalid_tracestate:
      return "snapshot tracestate is invalid or not canonical";
    case errc::snapshot_invalid_baggage:
      return "snapshot baggage is invalid or not canonical";
    case errc::snapshot_missing_traceparent:
      return "text map has no traceparent";
    case errc::span_record_closed:
      return "span record is already closed";
    case errc::span_record_end_before_start:
      return "span end time is before its start time";
    case errc::span_record_zero_end_time:
      return "span end time is zero, which means open";
    case errc::span_record_invalid_parent:
      return "span parent context is not valid";
    case errc::span_record_zero_id:
      return "span id or trace id is all zeros";
    case errc::span_record_not_child:
      return "record is not a child of this span";
      // [snapshot-messages]
    case errc::otlp_open_span:
      return "span record is still open; only closed records are encoded";
    case errc::otlp_zero_id:
      return "span record or link has an all-zero trace id or span id";
    case errc::otlp_write_failed:
      return "writing the encoded spans failed";
    case errc::otlp_end_before_start:
      return "span record ends before it starts";
    case errc::durable_trigger_missing:
      return "baggage has no trigger time entry";
    case errc::durable_trigger_malformed:
      return "trigger time is not a base-10 number of milliseconds";
    case errc::durable_trigger_out_of_range:
      return "trigger time is zero or too large for Unix nanoseconds";
    case errc::durable_trigger_in_future:
      return "trigger time is later than now";
    case errc::durable_span_open:
      return "span record is still open; only closed records are emitted";
    case errc::durable_already_emitted:
      return "span record was already emitted";
    case errc::durable_emission_dropped:
      return "sink declined the span record (a repeat)";
    case errc::durable_step_result_invalid:
      return "stored step result is not one the durable helper wrote";
    case errc::durable_sink_failed:
      return "sink failed to take the span record";
    case errc::durable_clock_failed:
      return "clock threw an exception; the span could not be timed";
    case errc::durable_tracing_failed:
      return "tracing threw an exception; the step's work and result were kept";
      // [durable-messages]
  }
  return "unknown error";
}

/// A failure: what went wrong and the byte offset in the input where it was detected.
struct error {
  errc code = errc::ok;
  std::uint32_t offset = 0;

  constexpr std::string_view message() const noexcept { return baton::message(code); }
  friend constexpr bool operator==(const error& a, const error& b) noexcept {
    return a.code == b.code && a.offset == b.offset;
  }
  friend constexpr bool operator!=(const error& a, const error& b) noexcept { return !(a == b); }
};

namespace detail {
class error_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "baton"; }
  std::string message(int value) const override {
    return std::string(baton::message(static_cast<errc>(value)));
  }
};
}  // namespace detail

/// The std::error_category of baton::errc (name "baton").
inline const std::error_category& error_category() noexcept {
  static const detail::error_category_impl category;
  return category;
}

inline std::error_code make_error_code(errc code) noexcept {
  return {static_cast<int>(code), error_category()};
}

/// The value of a successful operation, or the error that stopped it. Never throws: accessing
/// the value of an error result (or the error of a value) is a precondition violation that
/// assert() catches in debug builds.
template <class T>
class [[nodiscard]] result {
  static_assert(!std::is_reference_v<T>, "result<T&> is not supported");
  static_assert(!std::is_same_v<std::remove_cv_t<T>, baton::error>, "result<error> is ambiguous");

 public:
  using value_type = T;

  result(const T& value) noexcept(std::is_nothrow_copy_constructible_v<T>) : has_value_(true) {
    ::new (static_cast<void*>(&value_)) T(value);
  }
  result(T&& value) noexcept(std::is_nothrow_move_constructible_v<T>) : has_value_(true) {
    ::new (static_cast<void*>(&value_)) T(std::move(value));
  }
  result(baton::error err) noexcept : error_(err), has_value_(false) {
    BATON_ASSERT(err.code != errc::ok && "an error result needs an error code");
  }
  result(errc code, std::size_t offset = 0) noexcept
      : error_{code, static_cast<std::uint32_t>(offset)}, has_value_(false) {
    BATON_ASSERT(code != errc::ok && "an error result needs an error code");
  }

  result(const result& other) noexcept(std::is_nothrow_copy_constructible_v<T>)
      : has_value_(other.has_value_) {
    if (has_value_) {
      ::new (static_cast<void*>(&value_)) T(other.value_);
    } else {
      ::new (static_cast<void*>(&error_)) baton::error(other.error_);
    }
  }
  result(result&& other) noexcept(std::is_nothrow_move_constructible_v<T>)
      : has_value_(other.has_value_) {
    if (has_value_) {
      ::new (static_cast<void*>(&value_)) T(std::move(other.value_));
    } else {
      ::new (static_cast<void*>(&error_)) baton::error(other.error_);
    }
  }
  result& operator=(const result& other) {
    if (this != &other) assign(other);
    return *this;
  }
  result& operator=(result&& other) noexcept(
      std::is_nothrow_move_constructible_v<T>&& std::is_nothrow_move_assignable_v<T>) {
    if (this != &other) assign(std::move(other));
    return *this;
  }
  ~result() { destroy(); }

  bool has_value() const noexcept { return has_value_; }
  explicit operator bool() const noexcept { return has_value_; }

  T& value() & noexcept {
    BATON_ASSERT(has_value_);
    return value_;
  }
  const T& value() const& noexcept {
    BATON_ASSERT(has_value_);
    return value_;
  }
  T&& value() && noexcept {
    BATON_ASSERT(has_value_);
    return std::move(value_);
  }
  T& operator*() & noexcept { return value(); }
  const T& operator*() const& noexcept { return value(); }
  T&& operator*() && noexcept { return std::move(*this).value(); }
  T* operator->() noexcept { return &value(); }
  const T* operator->() const noexcept { return &value(); }

  template <class U>
  T value_or(U&& fallback) const& {
    return has_value_ ? value_ : static_cast<T>(std::forward<U>(fallback));
  }

  /// The error; {errc::ok, 0} when the result holds a value.
  baton::error error() const noexcept { return has_value_ ? baton::error{} : error_; }
  errc code() const noexcept { return has_value_ ? errc::ok : error_.code; }

 private:
  void destroy() noexcept {
    if (has_value_) value_.~T();
  }
  template <class R>
  void assign(R&& other) {
    if (has_value_ && other.has_value_) {
      value_ = std::forward<R>(other).value_;
    } else if (other.has_value_) {
      ::new (static_cast<void*>(&value_)) T(std::forward<R>(other).value_);
      has_value_ = true;
    } else {
      destroy();
      ::new (static_cast<void*>(&error_)) baton::error(other.error_);
      has_value_ = false;
    }
  }

  union {
    T value_;
    baton::error error_;
  };
  bool has_value_;
};

/// result<void>: success, or an error.
template <>
class [[nodiscard]] result<void> {
 public:
  using value_type = void;
  result() noexcept = default;
  result(baton::error err) noexcept : error_(err) {}
  result(errc code, std::size_t offset = 0) noexcept
      : error_{code, static_cast<std::uint32_t>(offset)} {}

  bool has_value() const noexcept { return error_.code == errc::ok; }
  explicit operator bool() const noexcept { return has_value(); }
  baton::error error() const noexcept { return error_; }
  errc code() const noexcept { return error_.code; }

 private:
  baton::error error_{};
};

BATON_END_NAMESPACE

namespace std {
template <>
struct is_error_code_enum<baton::errc> : true_type {};
}  // namespace std

#endif  // BATON_ERROR_HPP
