// OTLP/JSON without an SDK: closed span records become one ExportTraceServiceRequest JSON object
// (the OTLP "JSON Protobuf Encoding"), ready to POST to a Collector's /v1/traces or to write as
// one log line for off-process conversion. A sink is any callable taking finished records; baton
// ships a line sink over a writer (FILE*, std::ostream or any callable), not an HTTP client.
// Field-by-field mapping and the choices made: docs/otlp_json.md.
#ifndef BATON_OTLP_JSON_HPP
#define BATON_OTLP_JSON_HPP

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "baton/detail/config.hpp"
#include "baton/detail/json.hpp"
#include "baton/error.hpp"
#include "baton/ids.hpp"
#include "baton/span_record.hpp"
#include "baton/version.hpp"

BATON_BEGIN_NAMESPACE

/// The Resource of every span in a request: service.name plus other attributes.
struct otlp_resource {
  /// Written first as the "service.name" attribute. When empty, a "service.name" in
  /// `attributes` is used; with neither, "unknown_service" (the OTel SDK default).
  std::string service_name;
  /// Other resource attributes (e.g. "service.version", "cloud.provider"). A "service.name"
  /// here is skipped when service_name is set.
  std::vector<attribute> attributes;
};

/// The InstrumentationScope of the spans; empty fields are omitted.
struct otlp_scope {
  std::string name = "baton";
  std::string version = BATON_VERSION_STRING;
};

/// Bits of the OTLP Span.flags / Link.flags field (SpanFlags in trace.proto).
namespace otlp_span_flags {
/// Bits 0-7: the W3C trace flags.
inline constexpr std::uint32_t trace_flags_mask = 0x000000ffu;
/// Bit 8: bit 9 is known.
inline constexpr std::uint32_t context_has_is_remote = 0x00000100u;
/// Bit 9: the parent (of a span) or the linked span (of a link) is in another process.
inline constexpr std::uint32_t context_is_remote = 0x00000200u;
}  // namespace otlp_span_flags

namespace detail {

template <std::size_t N>
BATON_ALWAYS_INLINE void otlp_lit(std::string& out, const char (&text)[N]) {
  out.append(text, N - 1);
}

template <class Tag, std::size_t N>
BATON_ALWAYS_INLINE void otlp_hex(std::string& out, const basic_id<Tag, N>& id) {
  char buf[2 * N + 2];
  buf[0] = '"';
  id.to_hex(buf + 1);
  buf[2 * N + 1] = '"';
  out.append(buf, sizeof buf);
}

inline void otlp_value(std::string& out, const attribute_value& v) {
  switch (v.type()) {
    case attribute_type::string:
      otlp_lit(out, "{\"stringValue\":");
      append_json_string(out, v.as_string());
      break;
    case attribute_type::int64:
      // int64 is a JSON string in the protobuf mapping (JSON numbers lose precision past 2^53).
      otlp_lit(out, "{\"intValue\":\"");
      append_json_int(out, v.as_int64());
      out.push_back('"');
      break;
    case attribute_type::float64:
      otlp_lit(out, "{\"doubleValue\":");
      append_json_double(out, v.as_double());
      break;
    case attribute_type::boolean:
      if (v.as_bool()) {
        otlp_lit(out, "{\"boolValue\":true");
      } else {
        otlp_lit(out, "{\"boolValue\":false");
      }
      break;
  }
  out.push_back('}');
}

inline void otlp_string_key_value(std::string& out, std::string_view key, std::string_view v) {
  otlp_lit(out, "{\"key\":");
  append_json_string(out, key);
  otlp_lit(out, ",\"value\":{\"stringValue\":");
  append_json_string(out, v);
  otlp_lit(out, "}}");
}

inline void otlp_key_value(std::string& out, std::string_view key, const attribute_value& v) {
  otlp_lit(out, "{\"key\":");
  append_json_string(out, key);
  otlp_lit(out, ",\"value\":");
  otlp_value(out, v);
  out.push_back('}');
}

/// ,"attributes":[...] when there are any.
inline void otlp_attributes(std::string& out, const std::vector<attribute>& attrs) {
  if (attrs.empty()) return;
  otlp_lit(out, ",\"attributes\":[");
  for (std::size_t i = 0; i < attrs.size(); ++i) {
    if (i != 0) out.push_back(',');
    otlp_key_value(out, attrs[i].key, attrs[i].value);
  }
  out.push_back(']');
}

/// ,"<name>":N when N is not 0 (uint32 and fixed32 are JSON numbers).
template <std::size_t K>
inline void otlp_count(std::string& out, const char (&name_and_colon)[K], std::uint32_t n) {
  if (n == 0) return;
  otlp_lit(out, name_and_colon);
  append_json_uint(out, n);
}

/// ,"traceState":"..." when there is a tracestate.
inline void otlp_trace_state(std::string& out, const baton::tracestate& state) {
  if (state.empty()) return;
  otlp_lit(out, ",\"traceState\":");
  append_json_string(out, state.header());
}

inline void otlp_link(std::string& out, const span_link& link) {
  otlp_lit(out, "{\"traceId\":");
  otlp_hex(out, link.context.trace_id);
  otlp_lit(out, ",\"spanId\":");
  otlp_hex(out, link.context.span_id);
  otlp_trace_state(out, link.context.tracestate);
  otlp_attributes(out, link.attributes);
  otlp_count(out, ",\"droppedAttributesCount\":", link.dropped_attributes_count);
  // A link's context knows whether it came from another process: say so (OTLP 1.1 bits 8-9).
  std::uint32_t flags = link.context.flags.wire_value() | otlp_span_flags::context_has_is_remote;
  if (link.context.remote) flags |= otlp_span_flags::context_is_remote;
  otlp_lit(out, ",\"flags\":");
  append_json_uint(out, flags);
  out.push_back('}');
}

inline void otlp_span(std::string& out, const span_record& r) {
  otlp_lit(out, "{\"traceId\":");
  otlp_hex(out, r.trace_id);
  otlp_lit(out, ",\"spanId\":");
  otlp_hex(out, r.span_id);
  otlp_trace_state(out, r.tracestate);
  if (r.parent_span_id.is_valid()) {
    otlp_lit(out, ",\"parentSpanId\":");
    otlp_hex(out, r.parent_span_id);
  }
  otlp_lit(out, ",\"name\":");
  append_json_string(out, r.name);
  otlp_lit(out, ",\"kind\":");
  append_json_uint(out, static_cast<std::uint8_t>(r.kind));
  // fixed64 times are JSON strings in the protobuf mapping.
  otlp_lit(out, ",\"startTimeUnixNano\":\"");
  append_json_uint(out, r.start_time_unix_nano);
  otlp_lit(out, "\",\"endTimeUnixNano\":\"");
  append_json_uint(out, r.end_time_unix_nano);
  out.push_back('"');
  otlp_attributes(out, r.attributes);
  otlp_count(out, ",\"droppedAttributesCount\":", r.dropped_attributes_count);
  if (!r.links.empty()) {
    otlp_lit(out, ",\"links\":[");
    for (std::size_t i = 0; i < r.links.size(); ++i) {
      if (i != 0) out.push_back(',');
      otlp_link(out, r.links[i]);
    }
    out.push_back(']');
  }
  otlp_count(out, ",\"droppedLinksCount\":", r.dropped_links_count);
  if (r.status.code != span_status_code::unset || !r.status.message.empty()) {
    otlp_lit(out, ",\"status\":{");
    bool first = true;
    if (!r.status.message.empty()) {
      otlp_lit(out, "\"message\":");
      append_json_string(out, r.status.message);
      first = false;
    }
    if (r.status.code != span_status_code::unset) {
      if (!first) out.push_back(',');
      otlp_lit(out, "\"code\":");
      append_json_uint(out, static_cast<std::uint8_t>(r.status.code));
    }
    out.push_back('}');
  }
  // The span record does not keep whether its parent was remote, so only bits 0-7 are set.
  otlp_lit(out, ",\"flags\":");
  append_json_uint(out, r.flags.wire_value());
  out.push_back('}');
}

inline std::size_t otlp_attributes_size(const std::vector<attribute>& attrs) noexcept {
  std::size_t n = 0;
  for (const attribute& a : attrs) n += 48 + a.key.size() + a.value.as_string().size();
  return n;
}

/// A size guess (exact for plain ASCII text without escapes, give or take the numbers), so that
/// a fresh output string grows once.
inline std::size_t otlp_size_hint(const span_record* records, std::size_t count,
                                  const otlp_resource& resource, const otlp_scope& scope) noexcept {
  std::size_t n = 160 + resource.service_name.size() + otlp_attributes_size(resource.attributes) +
                  scope.name.size() + scope.version.size();
  for (std::size_t i = 0; i < count; ++i) {
    const span_record& r = records[i];
    n += 260 + r.name.size() + r.tracestate.header().size() + r.status.message.size() +
         otlp_attributes_size(r.attributes);
    for (const span_link& l : r.links) {
      n += 130 + l.context.tracestate.header().size() + otlp_attributes_size(l.attributes);
    }
  }
  return n;
}

/// Only closed records with valid ids, not ending before they start (a record built by hand or
/// decoded can), and links with valid contexts are encodable. The error offset is the index of
/// the first record that is not.
inline result<void> otlp_check(const span_record* records, std::size_t count) noexcept {
  for (std::size_t i = 0; i < count; ++i) {
    const span_record& r = records[i];
    if (!r.is_closed()) return {errc::otlp_open_span, i};
    if (!r.trace_id.is_valid() || !r.span_id.is_valid()) return {errc::otlp_zero_id, i};
    if (r.end_time_unix_nano < r.start_time_unix_nano) return {errc::otlp_end_before_start, i};
    for (const span_link& l : r.links) {
      if (!l.context.is_valid()) return {errc::otlp_zero_id, i};
    }
  }
  return {};
}

}  // namespace detail

/// Appends one ExportTraceServiceRequest holding `count` records (one resource, one scope) to
/// `out`, as a single line of JSON (no newline inside or at the end). Every record must be
/// closed, not end before it starts and have non-zero ids: otherwise nothing is appended and the
/// error is otlp_open_span, otlp_end_before_start or otlp_zero_id, with the index of the
/// offending record as the offset.
inline result<void> append_otlp_json(std::string& out, const span_record* records,
                                     std::size_t count, const otlp_resource& resource = {},
                                     const otlp_scope& scope = {}) {
  if (result<void> ok = detail::otlp_check(records, count); !ok) return ok;
  out.reserve(out.size() + detail::otlp_size_hint(records, count, resource, scope));

  detail::otlp_lit(out, "{\"resourceSpans\":[{\"resource\":{\"attributes\":[");
  std::string_view service = resource.service_name;
  if (service.empty()) {
    service = "unknown_service";
    for (const attribute& a : resource.attributes) {
      if (a.key == "service.name" && a.value.is_string()) service = a.value.as_string();
    }
  }
  detail::otlp_string_key_value(out, "service.name", service);
  for (const attribute& a : resource.attributes) {
    if (a.key == "service.name") continue;  // written above
    out.push_back(',');
    detail::otlp_key_value(out, a.key, a.value);
  }
  detail::otlp_lit(out, "]},\"scopeSpans\":[{\"scope\":{");
  if (!scope.name.empty()) {
    detail::otlp_lit(out, "\"name\":");
    detail::append_json_string(out, scope.name);
  }
  if (!scope.version.empty()) {
    if (!scope.name.empty()) out.push_back(',');
    detail::otlp_lit(out, "\"version\":");
    detail::append_json_string(out, scope.version);
  }
  detail::otlp_lit(out, "},\"spans\":[");
  for (std::size_t i = 0; i < count; ++i) {
    if (i != 0) out.push_back(',');
    detail::otlp_span(out, records[i]);
  }
  detail::otlp_lit(out, "]}]}]}");
  return {};
}

inline result<void> append_otlp_json(std::string& out, const std::vector<span_record>& records,
                                     const otlp_resource& resource = {},
                                     const otlp_scope& scope = {}) {
  return append_otlp_json(out, records.data(), records.size(), resource, scope);
}

inline result<void> append_otlp_json(std::string& out, const span_record& record,
                                     const otlp_resource& resource = {},
                                     const otlp_scope& scope = {}) {
  return append_otlp_json(out, &record, 1, resource, scope);
}

/// The request as a new string (see append_otlp_json).
inline result<std::string> to_otlp_json(const span_record* records, std::size_t count,
                                        const otlp_resource& resource = {},
                                        const otlp_scope& scope = {}) {
  std::string out;
  if (result<void> ok = append_otlp_json(out, records, count, resource, scope); !ok) {
    return ok.error();
  }
  return out;
}

inline result<std::string> to_otlp_json(const std::vector<span_record>& records,
                                        const otlp_resource& resource = {},
                                        const otlp_scope& scope = {}) {
  return to_otlp_json(records.data(), records.size(), resource, scope);
}

inline result<std::string> to_otlp_json(const span_record& record,
                                        const otlp_resource& resource = {},
                                        const otlp_scope& scope = {}) {
  return to_otlp_json(&record, 1, resource, scope);
}

/// Writes text to a C stream with fwrite; false when not everything was written.
struct otlp_file_writer {
  std::FILE* file;
  bool operator()(std::string_view text) const noexcept {
    return std::fwrite(text.data(), 1, text.size(), file) == text.size();
  }
};

/// Writes text to a std::ostream; false when the stream is in a failed state afterwards.
struct otlp_ostream_writer {
  std::ostream* stream;
  bool operator()(std::string_view text) const {
    stream->write(text.data(), static_cast<std::streamsize>(text.size()));
    return !stream->fail();
  }
};

/// A sink that writes each call's records as one OTLP/JSON request followed by '\n' (JSON
/// Lines: one request per record, or per batch when given several), with one call to the
/// writer per line. `Writer` is any callable taking std::string_view and returning void or bool
/// (false: the write failed, reported as otlp_write_failed). The line is built in a buffer that
/// is kept between calls, so steady-state emission allocates nothing once it is large enough.
///
///   baton::otlp_json_line_sink sink(baton::otlp_file_writer{log_file}, {"checkout", {}});
///   sink(record);                                    // or: sink(records_vector)
template <class Writer>
class otlp_json_line_sink {
 public:
  explicit otlp_json_line_sink(Writer writer, otlp_resource resource = {}, otlp_scope scope = {})
      : writer_(std::move(writer)), resource_(std::move(resource)), scope_(std::move(scope)) {}

  result<void> operator()(const span_record& record) { return write(&record, 1); }
  result<void> operator()(const std::vector<span_record>& records) {
    return write(records.data(), records.size());
  }

  /// Encodes `count` records as one request line and writes it. Nothing is written when a
  /// record is not encodable (the error of append_otlp_json).
  result<void> write(const span_record* records, std::size_t count) {
    buffer_.clear();
    if (result<void> ok = append_otlp_json(buffer_, records, count, resource_, scope_); !ok) {
      return ok;
    }
    buffer_.push_back('\n');
    const std::string_view line(buffer_);
    if constexpr (std::is_same_v<decltype(writer_(line)), void>) {
      writer_(line);
    } else {
      if (!writer_(line)) return errc::otlp_write_failed;
    }
    return {};
  }

  const otlp_resource& resource() const noexcept { return resource_; }
  const otlp_scope& scope() const noexcept { return scope_; }
  Writer& writer() noexcept { return writer_; }

 private:
  Writer writer_;
  otlp_resource resource_;
  otlp_scope scope_;
  std::string buffer_;
};

BATON_END_NAMESPACE

#endif  // BATON_OTLP_JSON_HPP
