// Encodings of span_record: the binary form (kind 's') and the token ("bs1." + base64url), with
// the envelope, versioning, checksum and error rules of context snapshots (snapshot.hpp;
// specified in docs/snapshots.md). Lossless: decode(encode(r)) == r for every record within the
// decoder's limits.
#ifndef BATON_SPAN_RECORD_CODEC_HPP
#define BATON_SPAN_RECORD_CODEC_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include "baton/detail/config.hpp"
#include "baton/detail/wire.hpp"
#include "baton/error.hpp"
#include "baton/snapshot.hpp"
#include "baton/span_record.hpp"

BATON_BEGIN_NAMESPACE

/// What a span record decoder accepts; input over a limit is rejected with
/// errc::snapshot_too_large before anything is allocated for it. The defaults accept every
/// record that the span_record mutators can build under the default span_limits (about 3 MiB
/// at the very most, with 32 links of 16 maximal attributes and maximal tracestates).
struct span_record_limits {
  std::size_t max_bytes = std::size_t{4} << 20;  ///< the binary form (token: decoded bytes)
  std::size_t max_tracestate_size = detail::largest_tracestate_text;  ///< each tracestate
  span_limits span{};  ///< name, attributes, links, keys, values, status message
};

namespace detail {

inline constexpr std::uint8_t span_tag_identity = 0x01;
inline constexpr std::uint8_t span_tag_parent = 0x02;
inline constexpr std::uint8_t span_tag_timing = 0x03;
inline constexpr std::uint8_t span_tag_name = 0x04;
inline constexpr std::uint8_t span_tag_tracestate = 0x05;
inline constexpr std::uint8_t span_tag_status = 0x06;
inline constexpr std::uint8_t span_tag_dropped = 0x07;
inline constexpr std::uint8_t span_tag_attribute = 0x08;  // repeatable
inline constexpr std::uint8_t span_tag_link = 0x09;       // repeatable
inline constexpr std::uint64_t span_repeatable_tags =
    (std::uint64_t{1} << span_tag_attribute) | (std::uint64_t{1} << span_tag_link);
inline constexpr std::size_t span_timing_size = 1 + 8 + 8;
inline constexpr std::uint8_t span_bit_emitted = 0x01;
inline constexpr std::uint8_t link_bit_remote = 0x01;

inline std::size_t text_size(std::size_t n) noexcept {
  return varint_size(n) + n;
}

inline std::size_t attribute_size(const attribute& a) noexcept {
  std::size_t n = text_size(a.key.size()) + 1;
  switch (a.value.type()) {
    case attribute_type::string:
      return n + text_size(a.value.as_string().size());
    case attribute_type::boolean:
      return n + 1;
    case attribute_type::int64:
    case attribute_type::float64:
      break;
  }
  return n + 8;
}

inline std::size_t link_size(const span_link& l) noexcept {
  std::size_t n = snapshot_context_size + text_size(l.context.tracestate.header().size()) +
                  varint_size(l.dropped_attributes_count) + varint_size(l.attributes.size());
  for (const attribute& a : l.attributes) n += attribute_size(a);
  return n;
}

inline std::size_t status_size(const span_status& s) noexcept {
  return s.code == span_status_code::unset && s.message.empty() ? 0 : 1 + s.message.size();
}

inline std::size_t span_payload_size(const span_record& r) noexcept {
  std::size_t n = field_size(snapshot_context_size) + field_size(span_timing_size);
  if (r.parent_span_id.is_valid()) n += field_size(8);
  if (!r.name.empty()) n += field_size(r.name.size());
  if (!r.tracestate.empty()) n += field_size(r.tracestate.header().size());
  if (const std::size_t s = status_size(r.status); s != 0) n += field_size(s);
  if (r.dropped_attributes_count != 0 || r.dropped_links_count != 0) {
    n += field_size(varint_size(r.dropped_attributes_count) + varint_size(r.dropped_links_count));
  }
  for (const attribute& a : r.attributes) n += field_size(attribute_size(a));
  for (const span_link& l : r.links) n += field_size(link_size(l));
  return n;
}

inline std::uint8_t* put_bytes(std::uint8_t* p, std::string_view s) noexcept {
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

inline std::uint8_t* put_text(std::uint8_t* p, std::string_view s) noexcept {
  return put_bytes(put_varint(p, s.size()), s);
}

inline std::uint8_t* put_attribute(std::uint8_t* p, const attribute& a) noexcept {
  p = put_text(p, a.key);
  *p++ = static_cast<std::uint8_t>(a.value.type());
  switch (a.value.type()) {
    case attribute_type::string:
      return put_text(p, a.value.as_string());
    case attribute_type::boolean:
      *p++ = a.value.as_bool() ? 1 : 0;
      return p;
    case attribute_type::int64:
    case attribute_type::float64:
      break;
  }
  return put_u64le(p, a.value.bits());
}

/// Writes the binary form of `r` (envelope_size(payload) bytes) at start.
inline void write_span_binary(std::uint8_t* const start, const span_record& r,
                              std::size_t payload) noexcept {
  std::uint8_t* p = put_envelope_header(start, wire_kind::span, payload);
  p = put_field_header(p, span_tag_identity, snapshot_context_size);
  p = put_context_value(p, r.trace_id, r.span_id, r.flags, r.emitted ? span_bit_emitted : 0);
  if (r.parent_span_id.is_valid()) {
    p = put_field_header(p, span_tag_parent, 8);
    std::memcpy(p, r.parent_span_id.data(), 8);
    p += 8;
  }
  p = put_field_header(p, span_tag_timing, span_timing_size);
  *p++ = static_cast<std::uint8_t>(r.kind);
  p = put_u64le(p, r.start_time_unix_nano);
  p = put_u64le(p, r.end_time_unix_nano);
  if (!r.name.empty()) p = put_bytes(put_field_header(p, span_tag_name, r.name.size()), r.name);
  if (!r.tracestate.empty()) {
    const std::string_view ts = r.tracestate.header();
    p = put_bytes(put_field_header(p, span_tag_tracestate, ts.size()), ts);
  }
  if (const std::size_t s = status_size(r.status); s != 0) {
    p = put_field_header(p, span_tag_status, s);
    *p++ = static_cast<std::uint8_t>(r.status.code);
    p = put_bytes(p, r.status.message);
  }
  if (r.dropped_attributes_count != 0 || r.dropped_links_count != 0) {
    p = put_field_header(
        p, span_tag_dropped,
        varint_size(r.dropped_attributes_count) + varint_size(r.dropped_links_count));
    p = put_varint(p, r.dropped_attributes_count);
    p = put_varint(p, r.dropped_links_count);
  }
  for (const attribute& a : r.attributes) {
    p = put_attribute(put_field_header(p, span_tag_attribute, attribute_size(a)), a);
  }
  for (const span_link& l : r.links) {
    p = put_field_header(p, span_tag_link, link_size(l));
    p = put_context_value(p, l.context, l.context.remote ? link_bit_remote : 0);
    p = put_text(p, l.context.tracestate.header());
    p = put_varint(p, l.dropped_attributes_count);
    p = put_varint(p, l.attributes.size());
    for (const attribute& a : l.attributes) p = put_attribute(p, a);
  }
  const auto body = static_cast<std::size_t>(p - start);
  BATON_ASSERT(body + wire_checksum_size == envelope_size(payload));
  put_u32le(p, crc32c(start, body));
}

inline error at(errc code, std::size_t offset) noexcept {
  return {code, static_cast<std::uint32_t>(offset)};
}

inline error get_attribute(wire_cursor& c, const span_limits& limits, attribute& out) {
  error err{};
  std::string_view key;
  const std::size_t key_at = c.pos();
  if (!c.text(key, err)) return err;
  if (key.empty()) return at(errc::snapshot_invalid_field, key_at);
  if (key.size() > limits.max_key_size) return at(errc::snapshot_too_large, key_at);
  std::uint8_t type = 0;
  const std::size_t type_at = c.pos();
  if (!c.u8(type, err)) return err;
  out.key.assign(key.data(), key.size());
  switch (static_cast<attribute_type>(type)) {
    case attribute_type::string: {
      std::string_view s;
      const std::size_t value_at = c.pos();
      if (!c.text(s, err)) return err;
      if (s.size() > limits.max_string_value_size) return at(errc::snapshot_too_large, value_at);
      out.value = attribute_value(s);
      return {};
    }
    case attribute_type::int64:
    case attribute_type::float64: {
      std::uint64_t bits = 0;
      if (!c.u64le(bits, err)) return err;
      out.value = static_cast<attribute_type>(type) == attribute_type::int64
                      ? attribute_value(static_cast<std::int64_t>(bits))
                      : attribute_value::from_double_bits(bits);
      return {};
    }
    case attribute_type::boolean: {
      std::uint8_t b = 0;
      const std::size_t value_at = c.pos();
      if (!c.u8(b, err)) return err;
      if (b > 1) return at(errc::snapshot_invalid_field, value_at);
      out.value = attribute_value(b == 1);
      return {};
    }
  }
  return at(errc::snapshot_invalid_field, type_at);
}

inline error get_link(const std::uint8_t* p, const wire_field& f, const span_record_limits& limits,
                      span_link& link) {
  wire_cursor c(p, f.value, f.value + f.size);
  error err{};
  const std::uint8_t* ctx = nullptr;
  if (!c.bytes(snapshot_context_size, ctx, err)) return err;
  std::uint8_t bits = 0;
  err = get_context_value(ctx, f.value, link_bit_remote, link.context, bits);
  if (err.code != errc::ok) return err;
  link.context.remote = (bits & link_bit_remote) != 0;
  std::string_view ts;
  if (!c.text(ts, err)) return err;
  if (!ts.empty()) {
    const std::size_t ts_at = c.pos() - ts.size();
    err = get_tracestate(ts, ts_at, limits.max_tracestate_size, link.context.tracestate);
    if (err.code != errc::ok) return err;
  }
  std::uint64_t dropped = 0, count = 0;
  if (!c.varint(0xffffffffu, dropped, err)) return err;
  link.dropped_attributes_count = static_cast<std::uint32_t>(dropped);
  const std::size_t count_at = c.pos();
  if (!c.varint(c.left(), count, err)) return err;
  if (count > limits.span.max_link_attributes) return at(errc::snapshot_too_large, count_at);
  link.attributes.resize(static_cast<std::size_t>(count));
  for (attribute& a : link.attributes) {
    err = get_attribute(c, limits.span, a);
    if (err.code != errc::ok) return err;
  }
  if (!c.at_end()) return at(errc::snapshot_invalid_field, c.pos());
  return {};
}

/// Decodes the binary form at p[0, n) into r (left partly filled on error).
inline error decode_span_into(const std::uint8_t* p, std::size_t n,
                              const span_record_limits& limits, span_record& r) {
  wire_envelope env;
  if (const error e = open_envelope(p, n, wire_kind::span, limits.max_bytes, env);
      e.code != errc::ok) {
    return e;
  }
  const span_limits& sl = limits.span;
  bool have_identity = false, have_timing = false;
  const std::size_t end = env.payload + env.payload_size;
  wire_fields fields(p, env.payload, end, span_tag_link, span_repeatable_tags);
  wire_field f;
  while (fields.next(f)) {
    const std::uint8_t* const v = p + f.value;
    const std::string_view text(reinterpret_cast<const char*>(v), f.size);
    error e{};
    switch (f.tag) {
      case span_tag_identity: {
        if (f.size != snapshot_context_size) return at(errc::snapshot_invalid_field, f.offset);
        span_context c;
        std::uint8_t bits = 0;
        e = get_context_value(v, f.value, span_bit_emitted, c, bits);
        r.trace_id = c.trace_id;
        r.span_id = c.span_id;
        r.flags = c.flags;
        r.emitted = (bits & span_bit_emitted) != 0;
        have_identity = true;
        break;
      }
      case span_tag_parent:
        if (f.size != 8) return at(errc::snapshot_invalid_field, f.offset);
        r.parent_span_id = span_id::from_bytes(v);
        if (!r.parent_span_id.is_valid()) e = at(errc::snapshot_zero_span_id, f.value);
        break;
      case span_tag_timing:
        if (f.size != span_timing_size) return at(errc::snapshot_invalid_field, f.offset);
        if (v[0] > static_cast<std::uint8_t>(span_kind::consumer)) {
          return at(errc::snapshot_invalid_field, f.value);
        }
        r.kind = static_cast<span_kind>(v[0]);
        r.start_time_unix_nano = get_u64le(v + 1);
        r.end_time_unix_nano = get_u64le(v + 9);
        if (r.end_time_unix_nano != 0 && r.end_time_unix_nano < r.start_time_unix_nano) {
          return at(errc::snapshot_invalid_field, f.value + 9);
        }
        have_timing = true;
        break;
      case span_tag_name:
        if (f.size == 0) return at(errc::snapshot_invalid_field, f.offset);
        if (f.size > sl.max_name_size) return at(errc::snapshot_too_large, f.value);
        r.name.assign(text.data(), text.size());
        break;
      case span_tag_tracestate:
        e = get_tracestate(text, f.value, limits.max_tracestate_size, r.tracestate);
        break;
      case span_tag_status: {
        if (f.size == 0 || v[0] > static_cast<std::uint8_t>(span_status_code::error) ||
            (v[0] == 0 && f.size == 1)) {
          return at(errc::snapshot_invalid_field, f.size == 0 ? f.offset : f.value);
        }
        if (f.size - 1 > sl.max_status_message_size) return at(errc::snapshot_too_large, f.value);
        r.status.code = static_cast<span_status_code>(v[0]);
        r.status.message.assign(text.data() + 1, text.size() - 1);
        break;
      }
      case span_tag_dropped: {
        wire_cursor c(p, f.value, f.value + f.size);
        std::uint64_t a = 0, l = 0;
        if (!c.varint(0xffffffffu, a, e) || !c.varint(0xffffffffu, l, e)) return e;
        if (!c.at_end() || (a == 0 && l == 0)) return at(errc::snapshot_invalid_field, f.value);
        r.dropped_attributes_count = static_cast<std::uint32_t>(a);
        r.dropped_links_count = static_cast<std::uint32_t>(l);
        break;
      }
      case span_tag_attribute: {
        if (r.attributes.size() >= sl.max_attributes) return at(errc::snapshot_too_large, f.offset);
        if (r.attributes.empty()) {
          r.attributes.reserve(
              count_field_run(p, f.offset, end, span_tag_attribute, sl.max_attributes));
        }
        wire_cursor c(p, f.value, f.value + f.size);
        attribute a;
        e = get_attribute(c, sl, a);
        if (e.code == errc::ok && !c.at_end()) e = at(errc::snapshot_invalid_field, c.pos());
        if (e.code == errc::ok) r.attributes.push_back(std::move(a));
        break;
      }
      case span_tag_link: {
        if (r.links.size() >= sl.max_links) return at(errc::snapshot_too_large, f.offset);
        if (r.links.empty()) {
          r.links.reserve(count_field_run(p, f.offset, end, span_tag_link, sl.max_links));
        }
        span_link l;
        e = get_link(p, f, limits, l);
        if (e.code == errc::ok) r.links.push_back(std::move(l));
        break;
      }
      default:
        break;
    }
    if (e.code != errc::ok) return e;
  }
  if (fields.error_value().code != errc::ok) return fields.error_value();
  if (!have_identity || !have_timing) return at(errc::snapshot_missing_field, end);
  return {};
}

}  // namespace detail

/// Bytes of the binary form of `r`.
inline std::size_t span_binary_size(const span_record& r) noexcept {
  return detail::envelope_size(detail::span_payload_size(r));
}

/// Appends the binary form of `r` to `out` (one allocation at most). Writes what it is given:
/// a record over a decoder's limits is written whole and rejected by that decoder.
inline void append_span_binary(const span_record& r, std::string& out) {
  const std::size_t payload = detail::span_payload_size(r);
  detail::append_binary_form(out, detail::envelope_size(payload),
                             [&](std::uint8_t* p) { detail::write_span_binary(p, r, payload); });
}

/// The binary form of `r`, bytes in a std::string.
inline std::string encode_span_binary(const span_record& r) {
  std::string out;
  append_span_binary(r, out);
  return out;
}

/// Decodes a binary form; errors carry the byte offset where decoding stopped.
inline result<span_record> decode_span_binary(const std::uint8_t* data, std::size_t size,
                                              const span_record_limits& limits = {}) {
  span_record r;
  if (const error e = detail::decode_span_into(data, size, limits, r); e.code != errc::ok) return e;
  return r;
}
inline result<span_record> decode_span_binary(std::string_view bytes,
                                              const span_record_limits& limits = {}) {
  return decode_span_binary(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(),
                            limits);
}

/// Characters of the token of `r`.
inline std::size_t span_token_size(const span_record& r) noexcept {
  return detail::wire_token_prefix_size + detail::base64url_encoded_size(span_binary_size(r));
}

/// Appends the token of `r`: "bs1." and the binary form in base64url without padding (safe
/// unescaped in JSON strings, header values, environment variables, URLs).
inline void append_span_token(const span_record& r, std::string& out) {
  const std::size_t payload = detail::span_payload_size(r);
  detail::append_token(out, detail::wire_kind::span, detail::envelope_size(payload),
                       [&](std::uint8_t* p) { detail::write_span_binary(p, r, payload); });
}

inline std::string encode_span_token(const span_record& r) {
  std::string out;
  append_span_token(r, out);
  return out;
}

/// Decodes a token; offsets as decode_token (characters of the token).
inline result<span_record> decode_span_token(std::string_view token,
                                             const span_record_limits& limits = {}) {
  span_record r;
  const error e = detail::decode_token_into(token, detail::wire_kind::span, limits.max_bytes,
                                            [&](const std::uint8_t* p, std::size_t n) {
                                              return detail::decode_span_into(p, n, limits, r);
                                            });
  if (e.code != errc::ok) return e;
  return r;
}

BATON_END_NAMESPACE

#endif  // BATON_SPAN_RECORD_CODEC_HPP
