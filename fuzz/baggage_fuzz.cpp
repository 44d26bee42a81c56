// Fuzzes the baggage codec. Input: one byte of options (limits, filter), then header values
// separated by '\n' (several `baggage` lines of one carrier). Checks:
//   - the owning parser (all values at once, or appended one by one) and the view agree on the
//     kept members, their decoded values and properties, and on what was dropped;
//   - nothing over the limits is kept;
//   - what is kept formats to a header of allowed bytes only, which parses back to the same
//     entries and formats to itself (no double encoding over hops);
//   - the snapshot decoder's one-pass path for canonical baggage agrees with the general parser
//     and comparison it stands in for, and takes the header of any small baggage;
//   - the SSE2, SWAR and portable scans agree, and %-decoding agrees with UTF-8 sanitizing.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "baton/baggage.hpp"
#include "baton/baggage_view.hpp"
#include "baton/snapshot.hpp"
#include "fuzz_check.hpp"

namespace {

struct prop {
  std::string key;
  bool has_value;
  std::string value;
  bool operator==(const prop& o) const {
    return key == o.key && has_value == o.has_value && value == o.value;
  }
};
struct ent {
  std::string key;
  std::string value;
  std::vector<prop> props;
  bool operator==(const ent& o) const {
    return key == o.key && value == o.value && props == o.props;
  }
};

std::vector<ent> owned_entries(const baton::baggage& b) {
  std::vector<ent> out;
  for (const auto& e : b) {
    ent x{std::string(e.key), std::string(e.value), {}};
    for (const baton::baggage_property& p : e.properties) {
      x.props.push_back(prop{std::string(p.key), p.value.has_value(),
                             p.value ? std::string(*p.value) : std::string()});
    }
    out.push_back(std::move(x));
  }
  return out;
}

// The view's members with repeated keys merged as the owning parser does (last value, first
// position), checking the limits on the way.
std::vector<ent> view_entries(const baton::baggage_view& view, const baton::baggage_options& o) {
  std::vector<ent> out;
  std::size_t members = 0;
  for (const auto& m : view) {
    ++members;
    FUZZ_CHECK(m.offset() + m.key().size() <= o.limits.max_bytes);
    FUZZ_CHECK(o.filter.accepts(m.key()));
    ent x{std::string(m.key()), m.decoded_value(), {}};
    FUZZ_CHECK(x.value.size() <= m.raw_value().size());
    for (const auto& p : m.properties()) {
      x.props.push_back(prop{std::string(p.key), p.has_value, p.decoded_value()});
    }
    bool merged = false;
    for (ent& e : out) {
      if (e.key == x.key) {
        e = x;
        merged = true;
        break;
      }
    }
    if (!merged) out.push_back(std::move(x));
  }
  FUZZ_CHECK(members <= o.limits.max_members);
  return out;
}

bool header_bytes_ok(std::string_view h) {
  for (char c : h) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '"' || c == '\\') return false;
  }
  return true;
}

void check_scans(const char* data, std::size_t size) {
  for (std::size_t from = 0; from < size && from < 24; ++from) {
    const char* b = data + from;
    const char* e = data + size;
    const char* want = baton::detail::skip_plain_portable(b, e);
#if BATON_LITTLE_ENDIAN
    FUZZ_CHECK(baton::detail::skip_plain_swar(b, e) == want);
#endif
#if BATON_BAGGAGE_SSE2
    FUZZ_CHECK(baton::detail::skip_plain_sse2(b, e) == want);
#endif
  }
  // %-decoding the escaped bytes and sanitizing the raw bytes apply the same UTF-8 rule.
  const std::size_t n = size < 64 ? size : 64;
  std::string escaped;
  for (std::size_t i = 0; i < n; ++i) {
    const auto u = static_cast<unsigned char>(data[i]);
    escaped += '%';
    escaped += "0123456789abcdef"[u >> 4];
    escaped += "0123456789ABCDEF"[u & 15];
  }
  std::string decoded(escaped.size(), '\0');
  decoded.resize(baton::detail::percent_decode(escaped.data(), escaped.size(), decoded.data()));
  std::string sanitized(3 * n, '\0');
  sanitized.resize(static_cast<std::size_t>(
      baton::detail::utf8_sanitize(data, n, sanitized.data()) - sanitized.data()));
  FUZZ_CHECK(decoded == sanitized);
  FUZZ_CHECK(baton::detail::utf8_valid(decoded.data(), decoded.size()));
  // Raw (unvalidated) input never makes the decoder read or write out of bounds.
  std::vector<char> raw(size + 1, '#');
  const std::size_t raw_size = baton::detail::percent_decode(data, size, raw.data());
  FUZZ_CHECK(raw_size <= size);
  FUZZ_CHECK(raw[size] == '#');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t config = data[0];
  const char* text = reinterpret_cast<const char*>(data + 1);
  const std::size_t text_size = size - 1;

  baton::baggage_options options;
  static constexpr std::size_t member_limits[] = {64, 3, 1, 1000};
  static constexpr std::size_t byte_limits[] = {8192, 40, 7, 1u << 20};
  options.limits.max_members = member_limits[config & 3];
  options.limits.max_bytes = byte_limits[(config >> 2) & 3];
  auto no_x = [](std::string_view key) { return key.find('x') == std::string_view::npos; };
  if ((config & 0x10) != 0) options.filter = baton::baggage_key_filter::predicate(no_x);

  std::vector<std::string_view> values;
  {
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text_size; ++i) {
      if (i == text_size || text[i] == '\n') {
        values.emplace_back(text + start, i - start);
        start = i + 1;
      }
    }
  }

  // Owning parse, two ways.
  baton::baggage_report report;
  const baton::baggage bag = baton::baggage::parse(values.data(), values.size(), options, &report);
  baton::baggage::parser incremental(options);
  for (std::string_view v : values) incremental.append(v);
  const baton::baggage bag2 = std::move(incremental).finish();
  FUZZ_CHECK(bag == bag2);
  FUZZ_CHECK(report == incremental.report());
  FUZZ_CHECK(bag.size() <= options.limits.max_members);
  if (values.size() == 1) FUZZ_CHECK(baton::baggage::parse(values[0], options) == bag);

  // The view agrees, members and report (the view does not report repeated keys).
  const baton::baggage_view view(values.data(), values.size(), options);
  const std::vector<ent> owned = owned_entries(bag);
  FUZZ_CHECK(view_entries(view, options) == owned);
  baton::baggage_report without_duplicates;
  for (const auto& i : report) {
    if (i.code != baton::errc::baggage_duplicate_key)
      without_duplicates.add(i.code, i.offset, i.count);
  }
  FUZZ_CHECK(view.report() == without_duplicates);
  for (const ent& e : owned) {
    const auto found = view.find(e.key);
    FUZZ_CHECK(found.has_value());
    FUZZ_CHECK(found->decoded_value() == e.value);
    FUZZ_CHECK(*bag.get(e.key) == e.value);
  }

  // Format without limits: allowed bytes only, parses back the same, stable over hops.
  baton::baggage_limits unlimited;
  unlimited.max_members = static_cast<std::size_t>(-1);
  unlimited.max_bytes = static_cast<std::size_t>(-1);
  const std::string header = bag.header(unlimited);
  FUZZ_CHECK(header.size() == bag.byte_size());
  FUZZ_CHECK(header_bytes_ok(header));
  baton::baggage_options relaxed;
  relaxed.limits = unlimited;
  baton::baggage_report again;
  const baton::baggage reparsed = baton::baggage::parse(header, relaxed, &again);
  FUZZ_CHECK(again.empty());
  FUZZ_CHECK(reparsed == bag);
  FUZZ_CHECK(reparsed.header(unlimited) == header);

  // Format with the parse limits: within them, and a prefix-preserving subset.
  baton::baggage_report dropped;
  const std::string limited = bag.header(options.limits, &dropped);
  FUZZ_CHECK(limited.size() <= options.limits.max_bytes);
  const baton::baggage sub = baton::baggage::parse(limited, relaxed);
  FUZZ_CHECK(sub.size() <= options.limits.max_members);
  FUZZ_CHECK(sub.size() + dropped.dropped() == bag.size());
  for (const auto& e : sub) FUZZ_CHECK(*bag.get(e.key) == e.value);

  // Rebuilding through set() gives the same container.
  baton::baggage rebuilt;
  std::vector<baton::baggage_property> props;
  for (const auto& e : bag) {
    props.assign(e.properties.begin(), e.properties.end());
    FUZZ_CHECK(rebuilt.set(e.key, e.value, props.data(), props.size()).has_value());
  }
  FUZZ_CHECK(rebuilt == bag);

  // set() on arbitrary text (the fuzz input itself as a value) is always representable.
  baton::baggage arbitrary;
  FUZZ_CHECK(arbitrary.set("k", std::string_view(text, text_size)).has_value());
  const std::string encoded = arbitrary.header(unlimited);
  FUZZ_CHECK(header_bytes_ok(encoded));
  FUZZ_CHECK(baton::baggage::parse(encoded, relaxed) == arbitrary);

  // The one-pass decoder of canonical baggage (snapshot fields): what it accepts, the general
  // parser and the canonical comparison accept as the same baggage; and it takes every small
  // canonical header.
  baton::baggage_options members_only;
  members_only.limits = unlimited;
  members_only.limits.max_members = options.limits.max_members;
  for (const std::string_view v : {values[0], std::string_view(header)}) {
    baton::baggage fast;
    if (!baton::detail::baggage_decode_canonical(v, options.limits.max_members, fast)) continue;
    baton::baggage_report general_report;
    const baton::baggage general = baton::baggage::parse(v, members_only, &general_report);
    FUZZ_CHECK(general_report.empty());
    FUZZ_CHECK(baton::detail::baggage_mismatch(general, v) == std::string_view::npos);
    FUZZ_CHECK(fast == general);
    FUZZ_CHECK(fast.header(unlimited) == v);
  }
  std::size_t records = 0;
  for (const auto& e : bag) records += 1 + e.properties.size();
  if (!bag.empty() && bag.size() <= 16 && records <= 32 && header.size() <= 1024 &&
      bag.size() <= options.limits.max_members) {
    baton::baggage fast;
    FUZZ_CHECK(baton::detail::baggage_decode_canonical(header, options.limits.max_members, fast));
    FUZZ_CHECK(fast == bag);
  }

  check_scans(text, text_size);
  return 0;
}
