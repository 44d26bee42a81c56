// Fuzzes the parsing parts of the durable helpers. The first byte picks the mode:
//   0: parse_trigger_time against a reference (digits only, value in 1..max_trigger_unix_ms,
//      a non-digit reported before an overflow; exact codes and offsets), and stamp/read round
//      trips through baggage;
//   1: the rest is a stored step result handed to durable_open_span on replay: never crashes;
//      a record it accepts encodes to a token that decodes to the same record;
//   2: the rest drives an emission guard of capacity 1..16 (add, forget, check) against a
//      model: a deque of remembered pairs with the last-`capacity` rule.
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>

#include "baton/durable.hpp"
#include "baton/span_record_codec.hpp"
#include "baton/virtual_span.hpp"

namespace {

void fuzz_trigger_time(std::string_view text) {
  const baton::result<std::uint64_t> r = baton::parse_trigger_time(text);
  // Reference: first non-digit, else the value with overflow tracked in 128 bits.
  std::size_t bad = text.size();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') {
      bad = i;
      break;
    }
  }
  if (text.empty()) {
    assert(r.code() == baton::errc::durable_trigger_malformed && r.error().offset == 0);
    return;
  }
  if (bad != text.size()) {
    assert(r.code() == baton::errc::durable_trigger_malformed && r.error().offset == bad);
    return;
  }
  std::uint64_t v = 0;  // max_trigger_unix_ms * 10 + 9 fits: no overflow before the check
  std::size_t over_at = text.size();
  for (std::size_t i = 0; i < text.size(); ++i) {
    v = v * 10 + static_cast<unsigned>(text[i] - '0');
    if (v > baton::max_trigger_unix_ms) {
      over_at = i;
      break;
    }
  }
  if (over_at != text.size()) {
    assert(r.code() == baton::errc::durable_trigger_out_of_range && r.error().offset == over_at);
    return;
  }
  if (v == 0) {
    assert(r.code() == baton::errc::durable_trigger_out_of_range);
    return;
  }
  assert(r && *r == static_cast<std::uint64_t>(v));
  baton::baggage b;
  assert(baton::stamp_trigger_time(b, *r, "t"));
  assert(baton::read_trigger_time(b, "t").value() == *r);
}

void fuzz_stored_result(std::string_view stored) {
  const baton::span_context parent{
      baton::trace_id::from_bytes(reinterpret_cast<const std::uint8_t*>("0123456789abcdef")),
      baton::span_id::from_bytes(reinterpret_cast<const std::uint8_t*>("01234567")),
      baton::trace_flags(1),
      {},
      true};
  int reads = 0;
  auto clock = [&reads] {
    ++reads;
    return std::uint64_t{1};
  };
  auto replay = [&](std::string_view, auto&&) { return std::string(stored); };
  const baton::result<baton::span_record> r =
      baton::durable_open_span(replay, "p", parent, baton::step_identity{"e", "p", 0, 0}, clock);
  assert(reads == 0);  // a replay reads no clock
  if (r) {
    const baton::result<baton::span_record> again =
        baton::decode_span_token(baton::encode_span_token(*r));
    assert(again && *again == *r);
  }
}

void fuzz_guard(const std::uint8_t* p, std::size_t n) {
  if (n == 0) return;
  const std::size_t capacity = 1 + (p[0] & 15u);
  baton::emission_guard guard(capacity);
  std::deque<std::uint8_t> remembered;  // the last `capacity` remembered, oldest first
  std::deque<bool> live;
  auto model_seen = [&](std::uint8_t id) {
    for (std::size_t i = 0; i < remembered.size(); ++i) {
      if (remembered[i] == id && live[i]) return true;
    }
    return false;
  };
  auto ids = [](std::uint8_t id) {
    std::uint8_t bytes[16] = {1};
    bytes[15] = static_cast<std::uint8_t>(id & 7u);  // few traces
    std::uint8_t span[8] = {0, 0, 0, 0, 0, 0, 0, static_cast<std::uint8_t>(1 + (id >> 3))};
    return std::make_pair(baton::trace_id::from_bytes(bytes), baton::span_id::from_bytes(span));
  };
  for (std::size_t i = 1; i < n; ++i) {
    const std::uint8_t op = p[i] >> 6, id = p[i] & 63u;
    const auto k = ids(id);
    if (op == 0) {
      const bool fresh = !model_seen(id);
      assert(guard.remember(k.first, k.second) == fresh);
      if (fresh) {
        remembered.push_back(id);
        live.push_back(true);
        if (remembered.size() > capacity) {
          remembered.pop_front();
          live.pop_front();
        }
      }
    } else if (op == 1) {
      bool was = false;
      for (std::size_t j = 0; j < remembered.size(); ++j) {
        if (remembered[j] == id && live[j]) {
          live[j] = false;
          was = true;
        }
      }
      assert(guard.forget(k.first, k.second) == was);
    } else {
      assert(guard.seen(k.first, k.second) == model_seen(id));
    }
    std::size_t count = 0;
    for (bool l : live) count += l ? 1 : 0;
    assert(guard.size() == count);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 3) {
    case 0:
      fuzz_trigger_time(rest);
      break;
    case 1:
      fuzz_stored_result(rest);
      break;
    default:
      fuzz_guard(data + 1, size - 1);
      break;
  }
  return 0;
}
