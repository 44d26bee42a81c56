// Fuzzes tracestate parsing: input lines are separate header values. Anything accepted must
// serialize canonically to text that parses back to the same list; mutations and truncation
// must keep it valid; the strict Level 1 grammar must accept a subset of Level 2. The snapshot
// decoder's one-pass reader of canonical text accepts only what the parser keeps as that same
// text, and takes the header of every list of up to 8 members.
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "baton/detail/scan.hpp"
#include "baton/tracestate.hpp"

namespace {

std::vector<std::string_view> split_lines(std::string_view input) {
  std::vector<std::string_view> lines;
  while (true) {
    const std::size_t nl = input.find('\n');
    lines.push_back(input.substr(0, nl));
    if (nl == std::string_view::npos) break;
    input.remove_prefix(nl + 1);
  }
  return lines;
}

baton::result<baton::tracestate> parse_lines(const std::vector<std::string_view>& lines,
                                             baton::tracestate_grammar grammar) {
  baton::tracestate::parser p(baton::tracestate_options{grammar});
  for (auto line : lines) p.append(line);
  return std::move(p).finish();
}

void check_canonical(const baton::tracestate& ts) {
  assert(ts.size() <= baton::tracestate::max_members);
  const std::string_view text = ts.header();
  // Canonical text re-parses to the same list and carries no OWS or empty members.
  const auto again = baton::tracestate::parse(text);
  assert(again.has_value());
  assert(*again == ts);
  assert(again->header() == text);
  assert(text.empty() || (text.front() != ',' && text.back() != ','));
  assert(text.find(",,") == std::string_view::npos);
  assert(text.find(", ") == std::string_view::npos);
  assert(text.find('\t') == std::string_view::npos);
  for (char c : text) assert(c >= 0x20 && c <= 0x7e);
  std::size_t i = 0;
  for (const auto m : ts) {
    assert(m == ts[i]);
    assert(ts.get(m.key) == m.value);  // keys are unique
    ++i;
  }
  assert(i == ts.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // The vector/SWAR scans agree with the byte-at-a-time class table from every start.
  for (std::size_t start = 0; start < size && start < 24; ++start) {
    std::size_t expect = start;
    while (expect < size &&
           baton::detail::has_class(input[expect], baton::detail::cc_tracestate_value)) {
      ++expect;
    }
    assert(baton::detail::skip_tracestate_value(input.data(), start, size) == expect);
    std::size_t key_end = start;
    while (key_end < size &&
           baton::detail::has_class(input[key_end], baton::detail::cc_tracestate_key)) {
      ++key_end;
    }
    assert(baton::detail::skip_tracestate_key(input.data(), start, size) == key_end);
  }
  // The one-pass canonical reader against the parser, on the first line as given.
  {
    const std::string_view line = input.substr(0, input.find('\n'));
    baton::tracestate fast;
    if (baton::detail::tracestate_decode_canonical(line, fast)) {
      baton::tracestate_notes notes;
      const auto general = baton::tracestate::parse(line, {}, &notes);
      assert(general.has_value());
      assert(notes.dropped == 0);
      assert(general->header() == line);
      assert(fast == *general);
      assert(fast.size() == general->size());
      for (std::size_t i = 0; i < fast.size(); ++i) assert(fast[i] == (*general)[i]);
    }
  }
  const auto lines = split_lines(input);
  const auto level2 = parse_lines(lines, baton::tracestate_grammar::level2);
  const auto level1 = parse_lines(lines, baton::tracestate_grammar::level1);
  if (level1) {
    assert(level2.has_value());
    assert(*level1 == *level2);
  }
  if (!level2) {
    assert(level2.error().offset <= size);
    return 0;
  }
  baton::tracestate ts = *level2;
  check_canonical(ts);
  if (!ts.empty() && ts.size() <= 8) {
    baton::tracestate fast;
    assert(baton::detail::tracestate_decode_canonical(ts.header(), fast));
    assert(fast == ts);
    for (std::size_t i = 0; i < fast.size(); ++i) assert(fast[i] == ts[i]);
  }

  // Truncation keeps whole members, in order, within the budget.
  for (std::size_t budget : {std::size_t{0}, std::size_t{512}, std::size_t{700}}) {
    const std::string cut = ts.header(budget);
    assert(cut.size() <= (budget < 512 ? 512 : budget) || cut == ts.header());
    const auto parsed_cut = baton::tracestate::parse(cut);
    assert(parsed_cut.has_value());
    std::size_t j = 0;
    for (const auto m : *parsed_cut) {
      while (j < ts.size() && ts[j] != m) ++j;
      assert(j < ts.size());  // a subsequence of the original members
    }
  }

  // Mutations driven by the input's bytes keep the list valid.
  std::string key = "k";
  key += static_cast<char>('a' + size % 26);
  const std::size_t before = ts.size();
  const bool had = ts.contains(key);
  if (ts.put(key, "v")) {
    assert(ts[0].key == key && ts[0].value == "v");
    assert(ts.size() == (had || before == 32 ? before : before + 1));
    check_canonical(ts);
  }
  if (!ts.empty()) {
    const std::string first_key(ts[ts.size() - 1].key);
    assert(ts.erase(first_key));
    assert(!ts.contains(first_key));
    check_canonical(ts);
  }
  return 0;
}
