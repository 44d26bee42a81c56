// Fuzzes id derivation. Input: 1 byte of options, 8 bytes of occurrence and attempt, optionally
// 16 bytes of namespace key, then execution id, step path and role separated by 0xFF 0xFE (any
// other bytes, NUL and invalid UTF-8 included, are field content). Checks:
//   - span, trace and X-Ray ids are never all zero and the same twice;
//   - derive_span_id / derive_trace_id equal a literal reading of docs/derivation.md: the
//     message built byte by byte in a std::string and hashed in one call, and the same message
//     fed to the incremental hasher in arbitrary chunks (so the stack-buffer path, the streaming
//     path and SipHash's tail handling all agree);
//   - the X-Ray id starts with the epoch, big-endian, and shares nothing else with its inputs'
//     plain trace id.
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "baton/derive.hpp"

namespace {

void put_u32(std::string& m, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) m.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void put_field(std::string& m, std::string_view s) {
  put_u32(m, static_cast<std::uint32_t>(s.size()));
  m.append(s);
}

// Feeds `m` in chunks whose sizes come from `sizes` (cycled), then finishes.
template <class Hasher>
Hasher chunked(const unsigned char* key, bool wide, const std::string& m,
               const std::vector<std::uint8_t>& sizes) {
  Hasher h(key, wide);
  std::size_t i = 0, k = 0;
  while (i < m.size()) {
    std::size_t n = sizes.empty()
                        ? std::size_t{1}
                        : std::size_t{1} + std::size_t{sizes[k++ % sizes.size()]} % 19u;  // never 0
    if (n > m.size() - i) n = m.size() - i;
    h.update(m.data() + i, n);
    i += n;
  }
  return h;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 9) return 0;
  const std::uint8_t options = data[0];
  std::uint32_t occurrence, attempt;
  std::memcpy(&occurrence, data + 1, 4);
  std::memcpy(&attempt, data + 5, 4);
  data += 9;
  size -= 9;
  baton::derivation_namespace ns;
  if ((options & 1) != 0 && size >= 16) {
    std::memcpy(ns.key.data(), data, 16);
    data += 16;
    size -= 16;
  }
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view fields[3];
  std::size_t count = 0, start = 0;
  while (count < 2) {
    const std::size_t sep = input.find("\xff\xfe", start);
    if (sep == std::string_view::npos) break;
    fields[count++] = input.substr(start, sep - start);
    start = sep + 2;
  }
  fields[count] = input.substr(start);
  const baton::derivation_key key{fields[0], fields[1], occurrence, attempt,
                                  count == 2 ? fields[2] : baton::derivation_role::span};

  // Span id: never zero, deterministic, equal to the spec read literally.
  const baton::span_id a = baton::derive_span_id(ns, key);
  assert(a.is_valid());
  assert(baton::derive_span_id(ns, key) == a);
  std::string m;
  m.push_back('\x01');
  put_field(m, key.execution_id);
  put_field(m, key.step_path);
  put_u32(m, key.occurrence);
  put_u32(m, key.attempt);
  put_field(m, key.role);
  const std::uint64_t tag =
      baton::detail::siphash_64<baton::detail::siphash13>(ns.key.data(), m.data(), m.size());
  unsigned char bytes[8];
  baton::detail::store_le64(bytes, tag);
  baton::detail::derive_make_nonzero(bytes);
  assert(baton::span_id::from_bytes(bytes) == a);
  const std::vector<std::uint8_t> sizes(data, data + (size < 7 ? size : 7));
  assert(chunked<baton::detail::siphash13>(ns.key.data(), false, m, sizes).finish64() == tag);
  if (ns == baton::derivation_namespace{}) assert(baton::derive_span_id(key) == a);

  // Trace id: the same for the trace domain.
  const baton::trace_id t = baton::derive_trace_id(ns, key.execution_id, key.role);
  assert(t.is_valid());
  assert(baton::derive_trace_id(ns, key.execution_id, key.role) == t);
  std::string tm;
  tm.push_back('\x02');
  put_field(tm, key.execution_id);
  put_field(tm, key.role);
  unsigned char tb[16];
  baton::detail::siphash_128<baton::detail::siphash13>(ns.key.data(), tm.data(), tm.size(), tb);
  unsigned char tb2[16];
  chunked<baton::detail::siphash13>(ns.key.data(), true, tm, sizes).finish128(tb2);
  assert(std::memcmp(tb, tb2, 16) == 0);
  baton::detail::derive_make_nonzero(tb);
  assert(baton::trace_id::from_bytes(tb) == t);

  // X-Ray: epoch first, big-endian; never zero (epoch 0 included).
  const baton::trace_id x = baton::derive_xray_trace_id(ns, key.execution_id, occurrence, key.role);
  assert(x.is_valid());
  assert(x.data()[0] == static_cast<std::uint8_t>(occurrence >> 24));
  assert(x.data()[3] == static_cast<std::uint8_t>(occurrence));
  assert(baton::derive_xray_trace_id(ns, key.execution_id, occurrence, key.role) == x);
  return 0;
}
