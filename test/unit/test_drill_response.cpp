// Rules R1-R3 for a drill response (src/core/drill_response.hpp): something
// to evaluate (23514), well-formed fields (22023), content within
// residency.max_answer_chars counted in characters (PT413), and the word
// count from the tokenizer.
#include "drill_response.hpp"

#include "error.hpp"
#include "test_util.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace residency {
namespace {

using test::thrown;

const std::string answer = "I paged the senior resident and stayed with the patient.";
const std::string audio = "https://storage.example.com/drills/abc.m4a";

DrillResponse typed(std::string_view content)
{
    return DrillResponse{content, std::nullopt, std::nullopt};
}

DrillResponse spoken(std::string_view url, std::optional<double> duration)
{
    return DrillResponse{std::nullopt, url, duration};
}

std::string sqlstate_of(const DrillResponse& r, const Limits& limits = Limits{})
{
    auto e = thrown([&] { check_drill_response(r, limits); });
    return e ? e->sqlstate() : "none";
}

// ---- R1: something to evaluate ---------------------------------------------

TEST(DrillResponse, ContentOnlyAudioOnlyOrBothAreAccepted)
{
    EXPECT_NO_THROW(check_drill_response(typed(answer), Limits{}));
    EXPECT_NO_THROW(check_drill_response(spoken(audio, 95.5), Limits{}));
    EXPECT_NO_THROW(check_drill_response(spoken(audio, std::nullopt), Limits{}));
    EXPECT_NO_THROW(check_drill_response(DrillResponse{answer, audio, 95.5}, Limits{}));
}

TEST(DrillResponse, NeitherContentNorAudioIs23514)
{
    auto e = thrown([] { check_drill_response(DrillResponse{}, Limits{}); });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "23514");
    EXPECT_EQ(e->message(), "drill response has nothing to evaluate");
    EXPECT_EQ(e->detail(), "Both content and audio_url are NULL.");
    EXPECT_NE(e->hint(), "");

    // a duration alone is not something to evaluate
    EXPECT_EQ(sqlstate_of(DrillResponse{std::nullopt, std::nullopt, 30.0}), "23514");
}

// ---- R2: audio_url ---------------------------------------------------------

TEST(DrillResponse, BadAudioUrlIs22023)
{
    for (const char* url : {"", "ftp://example.com/a.m4a", "/drills/a.m4a", "https://", "https://exa mple.com/a"}) {
        auto e = thrown([&] { check_drill_response(spoken(url, 30.0), Limits{}); });
        ASSERT_TRUE(e) << url;
        EXPECT_EQ(e->sqlstate(), "22023") << url;
        EXPECT_EQ(e->message(), "invalid audio_url") << url;
        EXPECT_EQ(e->detail().rfind("The audio_url is not usable: ", 0), 0u) << e->detail();
    }
    std::string too_long = "https://example.com/" + std::string(2048, 'a');
    EXPECT_EQ(sqlstate_of(spoken(too_long, 30.0)), "22023");
}

// ---- R2: audio_duration_s in (0, 3600] -------------------------------------

TEST(DrillResponse, DurationInRangeIsAccepted)
{
    for (double d : {0.001, 1.0, 90.0, 3599.99, 3600.0})
        EXPECT_NO_THROW(check_drill_response(spoken(audio, d), Limits{})) << d;
}

TEST(DrillResponse, DurationOutOfRangeIs22023)
{
    struct Case {
        double duration;
        const char* shown;
    };
    for (Case c :
         {Case{0, "0"}, Case{-1, "-1"}, Case{3600.5, "3600.5"}, Case{std::numeric_limits<double>::quiet_NaN(), "NaN"},
          Case{std::numeric_limits<double>::infinity(), "Infinity"},
          Case{-std::numeric_limits<double>::infinity(), "-Infinity"}}) {
        auto e = thrown([&] { check_drill_response(spoken(audio, c.duration), Limits{}); });
        ASSERT_TRUE(e) << c.shown;
        EXPECT_EQ(e->sqlstate(), "22023") << c.shown;
        EXPECT_EQ(e->message(), "invalid audio_duration_s") << c.shown;
        EXPECT_EQ(e->detail(),
                  "audio_duration_s is " + std::string(c.shown) + "; it must be greater than 0 and at most 3600.");
    }
}

// ---- R2: content non-blank -------------------------------------------------

TEST(DrillResponse, BlankContentIs22023)
{
    for (const char* blank : {"", " ", "\n\t  \r\n", "\f\v"}) {
        auto e = thrown([&] { check_drill_response(typed(blank), Limits{}); });
        ASSERT_TRUE(e) << "'" << blank << "'";
        EXPECT_EQ(e->sqlstate(), "22023");
        EXPECT_EQ(e->message(), "drill response content is blank");
    }
    // blank content is not rescued by an audio_url
    EXPECT_EQ(sqlstate_of(DrillResponse{" ", audio, 30.0}), "22023");
}

// ---- R2: content length in characters, PT413 --------------------------------

TEST(DrillResponse, DefaultLimitIs20000Characters)
{
    EXPECT_NO_THROW(check_drill_response(typed(std::string(20000, 'a')), Limits{}));
    auto e = thrown([] { check_drill_response(typed(std::string(20001, 'a')), Limits{}); });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "PT413");
    EXPECT_EQ(e->message(), "drill response content is too long");
    EXPECT_NE(e->detail().find("20001 characters"), std::string::npos) << e->detail();
    EXPECT_NE(e->detail().find("residency.max_answer_chars"), std::string::npos) << e->detail();
}

TEST(DrillResponse, LimitCountsCharactersNotBytes)
{
    Limits limits;
    limits.max_answer_chars = 5;

    // 5 characters in 6, 15 and 20 bytes: at the limit, accepted
    EXPECT_NO_THROW(check_drill_response(typed("h\xC3\xA9llo"), limits));  // "héllo"
    EXPECT_NO_THROW(check_drill_response(typed("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xA7\xE3\x81\x99"),
                                         limits));  // "日本語です"
    std::string four_byte_letters;                  // U+20000 (CJK Extension B), 4 bytes each: words, not symbols
    for (int i = 0; i < 5; ++i)
        four_byte_letters += "\xF0\xA0\x80\x80";
    EXPECT_NO_THROW(check_drill_response(typed(four_byte_letters), limits));

    // Emoji alone are no words: blank, whatever the limit (R2)
    std::string five_emoji;
    for (int i = 0; i < 5; ++i)
        five_emoji += "\xF0\x9F\x98\x80";  // U+1F600, 4 bytes
    EXPECT_EQ(sqlstate_of(typed(five_emoji), limits), "22023");

    // 6 characters: over
    EXPECT_EQ(sqlstate_of(typed("h\xC3\xA9llo!"), limits), "PT413");
    EXPECT_EQ(sqlstate_of(typed("abcdef"), limits), "PT413");
}

TEST(DrillResponse, MultiByteTextExactlyAtTheDefaultLimitPasses)
{
    std::string text;
    for (int i = 0; i < 20000; ++i)
        text += "\xC3\xA9";  // "é", 2 bytes each: 40000 bytes, 20000 characters
    EXPECT_NO_THROW(check_drill_response(typed(text), Limits{}));
    text += "\xC3\xA9";
    EXPECT_EQ(sqlstate_of(typed(text)), "PT413");
}

// ---- R3: word count ---------------------------------------------------------

TEST(ResponseWordCount, CountedWhenThereIsContent)
{
    EXPECT_EQ(response_word_count(typed(answer)), 10);
    EXPECT_EQ(response_word_count(typed("I don\xE2\x80\x99t know, post-op day 2.")), 6);
    EXPECT_EQ(response_word_count(DrillResponse{answer, audio, 30.0}), 10);
}

TEST(ResponseWordCount, NullWithoutContent)
{
    EXPECT_FALSE(response_word_count(spoken(audio, 30.0)).has_value());
    EXPECT_FALSE(response_word_count(DrillResponse{}).has_value());
}

TEST(ResponseWordCount, ZeroForTextWithoutWords)
{
    EXPECT_EQ(response_word_count(typed("... !!! --")), 0);
}

}  // namespace
}  // namespace residency
