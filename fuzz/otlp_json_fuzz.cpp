// Fuzzes the OTLP/JSON encoder with arbitrary text in every string field. Input: one byte of
// options, 8 bytes of start time, 8 bytes of end time, 8 bytes of number bits, then fields
// separated by 0xFF 0xFE: span name, status message, resource service name, then key/value
// pairs (the number bits choose string, int64, double or bool values). Checks:
//   - a closed record encodes to text that a strict RFC 8259 reader accepts, that is valid
//     UTF-8 and has no newline (one log line); an open one is rejected with nothing appended;
//   - every JSON string decodes back to its input with ill-formed UTF-8 replaced by U+FFFD
//     (detail::utf8_sanitize), checked on the escaper directly;
//   - the line sink writes the same text plus '\n'.
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "baton/otlp_json.hpp"

namespace {

// A strict JSON reader (RFC 8259): accepts exactly one value and nothing after it. Decoded
// strings are appended to `strings` so callers can compare them with what was encoded.
class json_reader {
 public:
  explicit json_reader(std::string_view text) : s_(text) {}
  bool document(std::vector<std::string>* strings) {
    strings_ = strings;
    skip_ws();
    if (!value(0)) return false;
    skip_ws();
    return i_ == s_.size();
  }

 private:
  void skip_ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }
  bool lit(std::string_view w) {
    if (s_.substr(i_, w.size()) != w) return false;
    i_ += w.size();
    return true;
  }
  bool value(int depth) {
    if (depth > 64 || i_ >= s_.size()) return false;
    switch (s_[i_]) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return lit("true");
      case 'f':
        return lit("false");
      case 'n':
        return lit("null");
      default:
        return number();
    }
  }
  bool object(int depth) {
    ++i_;
    skip_ws();
    if (i_ < s_.size() && s_[i_] == '}') return ++i_, true;
    for (;;) {
      skip_ws();
      if (i_ >= s_.size() || s_[i_] != '"' || !string()) return false;
      skip_ws();
      if (!lit(":")) return false;
      skip_ws();
      if (!value(depth + 1)) return false;
      skip_ws();
      if (lit("}")) return true;
      if (!lit(",")) return false;
    }
  }
  bool array(int depth) {
    ++i_;
    skip_ws();
    if (i_ < s_.size() && s_[i_] == ']') return ++i_, true;
    for (;;) {
      skip_ws();
      if (!value(depth + 1)) return false;
      skip_ws();
      if (lit("]")) return true;
      if (!lit(",")) return false;
    }
  }
  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  bool string() {
    ++i_;  // opening quote
    std::string decoded;
    while (i_ < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') {
        ++i_;
        if (strings_ != nullptr) strings_->push_back(decoded);
        return true;
      }
      if (c < 0x20) return false;
      if (c != '\\') {
        decoded.push_back(static_cast<char>(c));
        ++i_;
        continue;
      }
      if (++i_ >= s_.size()) return false;
      const char e = s_[i_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          decoded.push_back(e);
          break;
        case 'b':
          decoded.push_back('\b');
          break;
        case 'f':
          decoded.push_back('\f');
          break;
        case 'n':
          decoded.push_back('\n');
          break;
        case 'r':
          decoded.push_back('\r');
          break;
        case 't':
          decoded.push_back('\t');
          break;
        case 'u': {
          if (s_.size() - i_ < 4) return false;
          int v = 0;
          for (int k = 0; k < 4; ++k) {
            const int h = hex(s_[i_ + static_cast<std::size_t>(k)]);
            if (h < 0) return false;
            v = v * 16 + h;
          }
          i_ += 4;
          if (v >= 0x80) return false;  // the encoder only escapes ASCII controls
          decoded.push_back(static_cast<char>(v));
          break;
        }
        default:
          return false;
      }
    }
    return false;
  }
  bool digits() {
    const std::size_t start = i_;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    return i_ > start;
  }
  bool number() {
    lit("-");
    if (lit("0")) {
      // no leading zeros
    } else if (i_ < s_.size() && s_[i_] >= '1' && s_[i_] <= '9') {
      digits();
    } else {
      return false;
    }
    if (lit(".") && !digits()) return false;
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (!lit("+")) lit("-");
      if (!digits()) return false;
    }
    return true;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  std::vector<std::string>* strings_ = nullptr;
};

std::string sanitized(std::string_view s) {
  std::string out(3 * s.size(), '\0');
  char* end = baton::detail::utf8_sanitize(s.data(), s.size(), out.data());
  out.resize(static_cast<std::size_t>(end - out.data()));
  return out;
}

std::uint64_t load64(const std::uint8_t* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 25) return 0;
  const std::uint8_t options = data[0];
  const std::uint64_t start = load64(data + 1);
  const std::uint64_t end = load64(data + 9);
  const std::uint64_t bits = load64(data + 17);
  const std::string_view input(reinterpret_cast<const char*>(data + 25), size - 25);

  std::vector<std::string_view> fields;
  std::size_t from = 0;
  for (;;) {
    const std::size_t sep = input.find("\xff\xfe", from);
    fields.push_back(input.substr(from, sep == std::string_view::npos ? sep : sep - from));
    if (sep == std::string_view::npos || fields.size() > 40) break;
    from = sep + 2;
  }
  fields.resize(fields.size() < 3 ? 3 : fields.size());

  // The escaper alone: decodes back to the sanitized input.
  for (std::string_view f : fields) {
    std::string one;
    baton::detail::append_json_string(one, f);
    std::vector<std::string> strings;
    assert(json_reader(one).document(&strings));
    assert(strings.size() == 1 && strings[0] == sanitized(f));
  }

  baton::span_record r;
  r.name = std::string(fields[0]);
  r.trace_id = baton::trace_id::from_bytes(data + 1);  // the time bytes: often valid
  r.span_id = baton::span_id::from_bytes(data + 9);
  if ((options & 1) != 0) r.parent_span_id = baton::span_id::from_bytes(data + 17);
  r.flags = baton::trace_flags(static_cast<std::uint8_t>(bits));
  r.kind = static_cast<baton::span_kind>(options % 6);
  r.start_time_unix_nano = start;
  r.end_time_unix_nano = end;
  r.status.code = static_cast<baton::span_status_code>((options >> 1) % 3);
  r.status.message = std::string(fields[1]);
  for (std::size_t i = 3; i + 1 < fields.size(); i += 2) {
    const std::uint64_t pick = (bits >> (i % 60)) & 3;
    baton::attribute_value v;
    if (pick == 0) v = baton::attribute_value(std::string(fields[i + 1]));
    if (pick == 1) v = baton::attribute_value(static_cast<std::int64_t>(bits * i));
    if (pick == 2) v = baton::attribute_value::from_double_bits(bits * i);
    if (pick == 3) v = baton::attribute_value((bits >> i) & 1);
    r.attributes.push_back(baton::attribute{std::string(fields[i]), v});
  }
  if ((options & 8) != 0) {
    baton::span_link link;
    link.context = baton::span_context{r.trace_id, r.span_id, r.flags, {}, (options & 16) != 0};
    link.attributes = r.attributes;
    r.links.push_back(link);
  }
  const baton::otlp_resource resource{std::string(fields[2]), r.attributes};

  std::string out = "x";
  const baton::result<void> ok = baton::append_otlp_json(out, r, resource);
  // The checks run in this order: open, zero id, end before start (the link reuses the ids).
  const bool ids_valid = r.trace_id.is_valid() && r.span_id.is_valid();
  const baton::errc expected = !r.is_closed() ? baton::errc::otlp_open_span
                               : !ids_valid   ? baton::errc::otlp_zero_id
                               : end < start  ? baton::errc::otlp_end_before_start
                                              : baton::errc::ok;
  assert(static_cast<bool>(ok) == (expected == baton::errc::ok));
  if (!ok) {
    assert(out == "x");
    assert(ok.code() == expected);
    return 0;
  }
  const std::string_view json = std::string_view(out).substr(1);
  assert(json.find('\n') == std::string_view::npos);
  assert(baton::detail::utf8_valid(json.data(), json.size()));
  std::vector<std::string> strings;
  assert(json_reader(json).document(&strings));
  // The span name is the first string after the key "name".
  bool found_name = false;
  for (std::size_t i = 0; i + 1 < strings.size(); ++i) {
    if (strings[i] == "name" && strings[i + 1] == sanitized(r.name)) found_name = true;
  }
  assert(found_name);

  std::string line;
  baton::otlp_json_line_sink sink([&](std::string_view text) { line.assign(text); }, resource);
  assert(sink(r));
  assert(line == std::string(json) + "\n");
  return 0;
}
