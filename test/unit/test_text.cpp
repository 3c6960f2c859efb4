// is_blank() (src/core/text.hpp): the one meaning of "blank" for the texts
// people read, in every script's white space.
#include "text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace residency {
namespace {

TEST(IsBlank, EmptyAndAsciiWhiteSpace)
{
    EXPECT_TRUE(is_blank(""));
    EXPECT_TRUE(is_blank(" \t\n\r\f\v"));
    EXPECT_FALSE(is_blank(" a "));
    EXPECT_FALSE(is_blank("."));
}

TEST(IsBlank, EveryUnicodeWhiteSpaceAndTheInvisibleSpaces)
{
    for (const char* s : {"\u0085", "\u00a0", "\u1680", "\u2000", "\u2005", "\u200a", "\u2028", "\u2029", "\u202f",
                          "\u205f", "\u3000", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"})
        EXPECT_TRUE(is_blank(std::string(" ") + s + "\t")) << s;
}

TEST(IsBlank, AnyOtherCharacterIsText)
{
    for (const char* s : {"\u00e9", "\u4e2d", "\U0001F600", "\u2011", "\u00ad", "\u180e"})
        EXPECT_FALSE(is_blank(std::string("\u00a0") + s)) << s;
}

TEST(IsBlank, InvalidOrOverlongUtf8IsNotBlank)
{
    EXPECT_FALSE(is_blank("\xc2"));          // truncated NO-BREAK SPACE
    EXPECT_FALSE(is_blank("\xe3\x80"));      // truncated IDEOGRAPHIC SPACE
    EXPECT_FALSE(is_blank("\xc0\xa0"));      // overlong SPACE
    EXPECT_FALSE(is_blank("\xe0\x80\xa0"));  // overlong SPACE, three bytes
    EXPECT_FALSE(is_blank("\xff"));
}

}  // namespace
}  // namespace residency
