// The framing shared by the binary forms of snapshots and span records (docs/snapshots.md):
//
//   'b' 't' kind version | payload length (LEB128) | payload: fields | CRC-32C (4 bytes, LE)
//
// and a field is tag (1 byte) | length (LEB128) | value. Tags below 0x80 must be understood by
// a decoder; unknown tags from 0x80 up are skipped, which is how new optional fields are added
// without a new version. Tags appear in ascending order; only tags a kind declares repeatable
// may repeat, consecutively. Every rule a decoder checks has its errc. A token is a short
// prefix ("bc1." or "bs1.") and the binary form in base64url.
#ifndef BATON_DETAIL_WIRE_HPP
#define BATON_DETAIL_WIRE_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include "baton/detail/base64url.hpp"
#include "baton/detail/config.hpp"
#include "baton/detail/crc32c.hpp"
#include "baton/error.hpp"

BATON_BEGIN_NAMESPACE
namespace detail {

/// The kinds of binary record: the third byte of the binary form and the second character of
/// a token.
enum class wire_kind : std::uint8_t { context = 'c', span = 's' };

inline constexpr std::uint8_t wire_magic[2] = {'b', 't'};
/// The format version this code writes, and the newest it reads.
inline constexpr std::uint8_t wire_version = 1;
inline constexpr std::size_t wire_checksum_size = 4;
/// The longest canonical tracestate text: 32 members of 256 + 1 + 256 characters, 31 commas.
inline constexpr std::size_t largest_tracestate_text = 32 * 513 + 31;
/// First tag a decoder may skip when it does not know it.
inline constexpr std::uint8_t wire_first_optional_tag = 0x80;

constexpr std::size_t varint_size(std::uint64_t v) noexcept {
  std::size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

inline std::uint8_t* put_varint(std::uint8_t* p, std::uint64_t v) noexcept {
  while (v >= 0x80) {
    *p++ = static_cast<std::uint8_t>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<std::uint8_t>(v);
  return p;
}

inline std::uint8_t* put_u64le(std::uint8_t* p, std::uint64_t v) noexcept {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
  return p + 8;
}

inline std::uint64_t get_u64le(const std::uint8_t* p) noexcept {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= std::uint64_t{p[i]} << (8 * i);
  return v;
}

inline std::uint8_t* put_u32le(std::uint8_t* p, std::uint32_t v) noexcept {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
  return p + 4;
}

inline std::uint32_t get_u32le(const std::uint8_t* p) noexcept {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= std::uint32_t{p[i]} << (8 * i);
  return v;
}

/// Size of a field with a value of `size` bytes.
constexpr std::size_t field_size(std::size_t size) noexcept {
  return 1 + varint_size(size) + size;
}

/// Writes a field's tag and length; the caller writes the value after it.
inline std::uint8_t* put_field_header(std::uint8_t* p, std::uint8_t tag,
                                      std::size_t size) noexcept {
  *p++ = tag;
  return put_varint(p, size);
}

/// Size of the whole binary form around a payload of `payload` bytes.
constexpr std::size_t envelope_size(std::size_t payload) noexcept {
  return 4 + varint_size(payload) + payload + wire_checksum_size;
}

/// Writes the envelope header (magic, kind, version, payload length); returns the payload start.
inline std::uint8_t* put_envelope_header(std::uint8_t* p, wire_kind kind,
                                         std::size_t payload) noexcept {
  p[0] = wire_magic[0];
  p[1] = wire_magic[1];
  p[2] = static_cast<std::uint8_t>(kind);
  p[3] = wire_version;
  return put_varint(p + 4, payload);
}

/// Reads a minimal LEB128 value of at most `max` at p[pos], p[pos..n). Returns errc::ok,
/// snapshot_truncated (the input ends inside it) or snapshot_invalid_field (over max, or an
/// encoding longer than needed: each value has one encoding).
inline errc get_varint(const std::uint8_t* p, std::size_t n, std::size_t& pos, std::uint64_t max,
                       std::uint64_t& value) noexcept {
  std::uint64_t v = 0;
  for (unsigned shift = 0; shift < 64; shift += 7) {
    if (pos >= n) return errc::snapshot_truncated;
    const std::uint8_t b = p[pos++];
    const std::uint64_t bits = std::uint64_t{b & 0x7fu};
    if (shift == 63 && bits > 1) return errc::snapshot_invalid_field;  // over 64 bits
    v |= bits << shift;
    if ((b & 0x80) == 0) {
      if (b == 0 && shift != 0) return errc::snapshot_invalid_field;  // overlong
      if (v > max) return errc::snapshot_invalid_field;
      value = v;
      return errc::ok;
    }
  }
  return errc::snapshot_invalid_field;
}

/// Where the payload of a checked binary form lies.
struct wire_envelope {
  std::uint8_t version = 0;
  std::size_t payload = 0;  ///< offset of the first field
  std::size_t payload_size = 0;
};

/// Checks the envelope of the binary form at p[0, n): magic, kind, version, length, limit,
/// exact size, checksum, in that order (the version comes before anything a later version
/// might change). `max_bytes` bounds the whole binary form.
inline error open_envelope(const std::uint8_t* p, std::size_t n, wire_kind kind,
                           std::size_t max_bytes, wire_envelope& env) noexcept {
  for (std::size_t i = 0; i < 2; ++i) {
    if (n <= i) return {errc::snapshot_truncated, static_cast<std::uint32_t>(n)};
    if (p[i] != wire_magic[i]) return {errc::snapshot_bad_magic, static_cast<std::uint32_t>(i)};
  }
  if (n <= 2) return {errc::snapshot_truncated, 2};
  if (p[2] != static_cast<std::uint8_t>(kind)) {
    const bool known = p[2] == static_cast<std::uint8_t>(wire_kind::context) ||
                       p[2] == static_cast<std::uint8_t>(wire_kind::span);
    return {known ? errc::snapshot_wrong_kind : errc::snapshot_bad_magic, 2};
  }
  if (n <= 3) return {errc::snapshot_truncated, 3};
  if (p[3] == 0) return {errc::snapshot_bad_magic, 3};
  if (p[3] > wire_version) return {errc::snapshot_unsupported_version, 3};
  std::size_t pos = 4;
  std::uint64_t payload = 0;
  const errc e = get_varint(p, n, pos, 0xffffffffu, payload);
  if (e != errc::ok) return {e, static_cast<std::uint32_t>(e == errc::snapshot_truncated ? n : 4)};
  if (payload > max_bytes || pos + payload + wire_checksum_size > max_bytes) {
    return {errc::snapshot_too_large, 4};
  }
  const std::size_t end = pos + static_cast<std::size_t>(payload);
  if (n < end + wire_checksum_size) {
    return {errc::snapshot_truncated, static_cast<std::uint32_t>(n)};
  }
  if (n > end + wire_checksum_size) {
    return {errc::snapshot_trailing_bytes, static_cast<std::uint32_t>(end + wire_checksum_size)};
  }
  if (crc32c(p, end) != get_u32le(p + end)) {
    return {errc::snapshot_bad_checksum, static_cast<std::uint32_t>(end)};
  }
  env.version = p[3];
  env.payload = pos;
  env.payload_size = static_cast<std::size_t>(payload);
  return {};
}

/// One field of a payload. Offsets count from the start of the binary form.
struct wire_field {
  std::uint8_t tag = 0;
  std::size_t offset = 0;  ///< of the tag
  std::size_t value = 0;   ///< offset of the value
  std::size_t size = 0;    ///< of the value
};

/// Walks the fields of a payload in order, enforcing the tag rules: ascending tags, repeats
/// only of tags in `repeatable` (bit t for tag t < 64), unknown tags below 0x80 rejected, from
/// 0x80 up skipped.
class wire_fields {
 public:
  wire_fields(const std::uint8_t* p, std::size_t begin, std::size_t end, std::uint8_t max_known,
              std::uint64_t repeatable) noexcept
      : p_(p), pos_(begin), end_(end), max_known_(max_known), repeatable_(repeatable) {}

  /// The next known field; false at the end or on an error (then error() is set).
  bool next(wire_field& f) noexcept {
    while (pos_ < end_) {
      const std::size_t at = pos_;
      const std::uint8_t tag = p_[pos_++];
      if (tag == 0) return fail(errc::snapshot_invalid_field, at);
      if (tag < last_ || (tag == last_ && !may_repeat(tag))) {
        return fail(errc::snapshot_duplicate_field, at);
      }
      std::uint64_t size = 0;
      const std::size_t length_at = pos_;
      if (get_varint(p_, end_, pos_, end_ - pos_, size) != errc::ok) {
        return fail(errc::snapshot_invalid_field, length_at);
      }
      if (size > end_ - pos_) return fail(errc::snapshot_invalid_field, length_at);
      last_ = tag;
      const std::size_t value = pos_;
      pos_ += static_cast<std::size_t>(size);
      if (tag > max_known_) {
        if (tag < wire_first_optional_tag) return fail(errc::snapshot_unknown_field, at);
        continue;  // a later addition this decoder may ignore
      }
      f = wire_field{tag, at, value, static_cast<std::size_t>(size)};
      return true;
    }
    return false;
  }

  error error_value() const noexcept { return error_; }

 private:
  bool may_repeat(std::uint8_t tag) const noexcept {
    if (tag >= wire_first_optional_tag && tag > max_known_) return true;  // unknown: skipped
    return tag < 64 && ((repeatable_ >> tag) & 1u) != 0;
  }
  bool fail(errc code, std::size_t at) noexcept {
    error_ = error{code, static_cast<std::uint32_t>(at)};
    pos_ = end_;
    return false;
  }

  const std::uint8_t* p_;
  std::size_t pos_;
  std::size_t end_;
  std::uint8_t max_known_;
  std::uint64_t repeatable_;
  std::uint8_t last_ = 0;
  error error_{};
};

/// How many consecutive fields with `tag` start at p[pos] (before `end`), counting at most
/// `max`: lets a decoder size a vector once for a run of repeated fields. Malformed headers
/// just end the count (the field walk reports them).
inline std::size_t count_field_run(const std::uint8_t* p, std::size_t pos, std::size_t end,
                                   std::uint8_t tag, std::size_t max) noexcept {
  std::size_t count = 0;
  while (count < max && pos < end && p[pos] == tag) {
    ++pos;
    std::uint64_t size = 0;
    if (get_varint(p, end, pos, end - pos, size) != errc::ok) break;
    pos += static_cast<std::size_t>(size);
    ++count;
  }
  return count;
}

/// Reads the parts of a field value in order; running past the end is snapshot_invalid_field
/// (the envelope is complete, so the field itself is malformed).
class wire_cursor {
 public:
  wire_cursor(const std::uint8_t* p, std::size_t begin, std::size_t end) noexcept
      : p_(p), pos_(begin), end_(end) {}

  std::size_t pos() const noexcept { return pos_; }
  std::size_t left() const noexcept { return end_ - pos_; }
  bool at_end() const noexcept { return pos_ == end_; }
  const std::uint8_t* data() const noexcept { return p_ + pos_; }

  bool bytes(std::size_t n, const std::uint8_t*& out, error& err) noexcept {
    if (n > end_ - pos_) return fail(err);
    out = p_ + pos_;
    pos_ += n;
    return true;
  }
  bool u8(std::uint8_t& out, error& err) noexcept {
    if (pos_ == end_) return fail(err);
    out = p_[pos_++];
    return true;
  }
  bool u64le(std::uint64_t& out, error& err) noexcept {
    const std::uint8_t* b = nullptr;
    if (!bytes(8, b, err)) return false;
    out = get_u64le(b);
    return true;
  }
  bool varint(std::uint64_t max, std::uint64_t& out, error& err) noexcept {
    const std::size_t at = pos_;
    if (get_varint(p_, end_, pos_, max, out) != errc::ok) {
      pos_ = at;
      return fail(err);
    }
    return true;
  }
  /// A LEB128 length, then that many bytes.
  bool text(std::string_view& out, error& err) noexcept {
    std::uint64_t n = 0;
    if (!varint(end_ - pos_, n, err)) return false;
    const std::uint8_t* b = nullptr;
    if (!bytes(static_cast<std::size_t>(n), b, err)) return false;
    out = std::string_view(reinterpret_cast<const char*>(b), static_cast<std::size_t>(n));
    return true;
  }

 private:
  bool fail(error& err) noexcept {
    err = error{errc::snapshot_invalid_field, static_cast<std::uint32_t>(pos_)};
    return false;
  }
  const std::uint8_t* p_;
  std::size_t pos_;
  std::size_t end_;
};

/// Tokens: "b" kind-letter version "." base64url(binary form).
inline constexpr std::size_t wire_token_prefix_size = 4;  // for versions 1-9

inline char* put_token_prefix(char* out, wire_kind kind) noexcept {
  out[0] = 'b';
  out[1] = static_cast<char>(kind);
  out[2] = static_cast<char>('0' + wire_version);
  out[3] = '.';
  return out + 4;
}

/// The character of a token where the encoding of byte `offset` of its binary form starts.
constexpr std::size_t token_offset(std::size_t prefix, std::size_t offset) noexcept {
  return prefix + offset / 3 * 4 + offset % 3;
}

/// Checks a token's prefix ("b", the kind letter, a decimal version without leading zeros, ".")
/// and sets `prefix` to its size and `version` to its version.
inline error read_token_prefix(std::string_view text, wire_kind kind, std::size_t& prefix,
                               unsigned& version) noexcept {
  if (text.empty()) return {errc::snapshot_truncated, 0};
  if (text[0] != 'b') return {errc::snapshot_bad_magic, 0};
  if (text.size() < 2) return {errc::snapshot_truncated, 1};
  if (text[1] != static_cast<char>(kind)) {
    const bool known = text[1] == static_cast<char>(wire_kind::context) ||
                       text[1] == static_cast<char>(wire_kind::span);
    return {known ? errc::snapshot_wrong_kind : errc::snapshot_bad_magic, 1};
  }
  std::size_t i = 2;
  unsigned v = 0;
  while (i < text.size() && i < 6 && text[i] >= '0' && text[i] <= '9') {
    v = v * 10 + static_cast<unsigned>(text[i] - '0');
    ++i;
  }
  if (i == text.size()) return {errc::snapshot_truncated, static_cast<std::uint32_t>(i)};
  if (i == 2 || text[2] == '0' || text[i] != '.') {
    return {errc::snapshot_bad_magic, static_cast<std::uint32_t>(i == 2 || text[2] == '0' ? 2 : i)};
  }
  if (v > wire_version) return {errc::snapshot_unsupported_version, 2};
  prefix = i + 1;
  version = v;
  return {};
}

/// Appends a binary form of `binary` bytes that `write(p)` writes at p: the string is sized
/// once, so the only allocation is the output's (none when it has room).
template <class Write>
void append_binary_form(std::string& out, std::size_t binary, Write&& write) {
  const std::size_t start = out.size();
  out.resize(start + binary);
  write(reinterpret_cast<std::uint8_t*>(&out[start]));
}

/// Appends the token of a binary form of `binary` bytes that `write(p)` writes at p: the
/// prefix, then the binary form written in place and base64url-encoded there.
template <class Write>
void append_token(std::string& out, wire_kind kind, std::size_t binary, Write&& write) {
  const std::size_t start = out.size();
  out.resize(start + wire_token_prefix_size + base64url_encoded_size(binary));
  char* const text = put_token_prefix(&out[start], kind);
  // Typical forms are written on the stack and encoded front to back (the faster loop);
  // larger ones in place in the output, encoded back to front.
  std::uint8_t small[512];
  if (binary <= sizeof small) {
    write(small);
    base64url_encode(small, binary, text);
  } else {
    write(reinterpret_cast<std::uint8_t*>(text));
    base64url_encode_in_place(text, binary);
  }
}

/// Decodes a token of `kind` to its binary form and hands it to decode(bytes, size), which
/// returns an error (errc::ok on success); errors about the binary form get offsets into the
/// token.
template <class Decode>
error decode_token_into(std::string_view text, wire_kind kind, std::size_t max_bytes,
                        Decode&& decode) {
  std::size_t prefix = 0;
  unsigned version = 0;
  if (const error e = read_token_prefix(text, kind, prefix, version); e.code != errc::ok) return e;
  const std::size_t chars = text.size() - prefix;
  std::size_t bytes = 0;
  if (!base64url_decoded_size(chars, bytes)) {
    return {errc::snapshot_invalid_base64, static_cast<std::uint32_t>(text.size() - 1)};
  }
  if (bytes > max_bytes) return {errc::snapshot_too_large, static_cast<std::uint32_t>(prefix)};
  // Typical tokens decode on the stack; larger ones (bounded by max_bytes) on the heap.
  std::uint8_t small[512];
  std::string large;
  std::uint8_t* buffer = small;
  if (bytes > sizeof small) {
    large.resize(bytes);
    buffer = reinterpret_cast<std::uint8_t*>(&large[0]);
  }
  const std::size_t bad = base64url_decode(text.data() + prefix, chars, buffer);
  if (bad != chars) {
    return {errc::snapshot_invalid_base64, static_cast<std::uint32_t>(prefix + bad)};
  }
  const error e = decode(static_cast<const std::uint8_t*>(buffer), bytes);
  if (e.code != errc::ok) {
    return {e.code, static_cast<std::uint32_t>(token_offset(prefix, e.offset))};
  }
  // The prefix names the version as well: both must agree (version 1 is the only one yet, so
  // a disagreement can only be a hand-made token).
  if (bytes > 3 && buffer[3] != version) return {errc::snapshot_invalid_field, 2};
  return {};
}

}  // namespace detail
BATON_END_NAMESPACE

#endif  // BATON_DETAIL_WIRE_HPP
