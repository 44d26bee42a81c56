// detail/json.hpp: what the tool and the snapshots write must always be valid JSON text.
#include "baton/detail/json.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

std::string json_of(std::string_view s) {
  std::string out;
  baton::detail::append_json_string(out, s);
  return out;
}

TEST(Json, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(json_of("plain"), "\"plain\"");
  EXPECT_EQ(json_of("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(json_of("\n\r\t\b\f"), "\"\\n\\r\\t\\b\\f\"");
  EXPECT_EQ(json_of(std::string("\x00\x01\x1f\x7f", 4)), "\"\\u0000\\u0001\\u001f\\u007f\"");
}

TEST(Json, PassesValidUtf8AndReplacesIllFormedSequences) {
  EXPECT_EQ(json_of("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"),
            "\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"");
  // A stray continuation byte, a truncated 3-byte sequence (one U+FFFD for the maximal
  // subpart), an overlong form, a surrogate, and a lead byte at the very end.
  EXPECT_EQ(json_of("a\x80"
                    "b"),
            "\"a\xEF\xBF\xBD"
            "b\"");
  EXPECT_EQ(json_of("\xE2\x82"
                    "x"),
            "\"\xEF\xBF\xBD"
            "x\"");
  EXPECT_EQ(json_of("\xC0\xAF"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
  EXPECT_EQ(json_of("\xED\xA0\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
  EXPECT_EQ(json_of("z\xF0"), "\"z\xEF\xBF\xBD\"");
}

}  // namespace
