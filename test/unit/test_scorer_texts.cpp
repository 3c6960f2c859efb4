// The scorer's texts (src/core/scorer_texts.cpp): a rubric's note, fix or
// practice text is a TextTemplate, cut once at its "{name}" placeholders and
// filled for each answer.
#include "scorer_internal.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <string_view>

namespace residency::scoring {
namespace {

std::string fill(std::string_view text, const Placeholders& values)
{
    return TextTemplate(text).fill(values);
}

TEST(TextTemplate, ReplacesKnownPlaceholdersAndKeepsTheRest)
{
    EXPECT_EQ(fill("{seconds} s for a ~{expected} s question.", {{"seconds", "48"}, {"expected", "90"}}),
              "48 s for a ~90 s question.");
    EXPECT_EQ(fill("{a}{a} {b} {", {{"a", "x"}}), "xx {b} {");
    EXPECT_EQ(fill("", {{"a", "x"}}), "");
    // replacements are not scanned again
    EXPECT_EQ(fill("{a}", {{"a", "{a}"}}), "{a}");
    // no value is named "a{a": the placeholder is the inner "{a}"
    EXPECT_EQ(fill("{a{a}", {{"a", "x"}}), "{ax");
}

TEST(TextTemplate, FilledByIdFromATable)
{
    const std::map<std::string, std::string> texts = {{"pace.pass", "{wpm} wpm."}};
    const TextTable table = text_table(texts);
    EXPECT_EQ(fill_text(table, "pace.pass", {{"wpm", "136"}}), "136 wpm.");
    EXPECT_EQ(fill_text(table, "pace.fast", {{"wpm", "136"}}), "");
}

}  // namespace
}  // namespace residency::scoring
