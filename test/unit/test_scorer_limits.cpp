// What one Scorer may hold and spend (src/core/scorer.hpp): the compiled
// automata it keeps are bounded in number and bytes, least recently used
// evicted first; a question over limits.max_question_expansions is PT413
// before anything is built; an answer whose words match the question's
// phrases thousands of times each is PT413 instead of gigabytes of matches.
#include "scorer.hpp"

#include "error.hpp"
#include "rubric.hpp"
#include "test_util.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace residency {
namespace {

using test::thrown;

const char* const answer =
    "During my rotation a nurse and I disagreed about a dose. I asked her to walk me through her concerns, "
    "I paged the senior resident, and we adjusted the dose. As a result the pain score dropped within two hours.";

QuestionSpec question(int i)
{
    return QuestionSpec{"q" + std::to_string(i),
                        "Conflict",
                        90,
                        {"Describes the situation [kw: rotation, shift, w" + std::to_string(i) + "*]",
                         "Explains the actions [kw: paged, asked, escalat*]"},
                        QuestionKind::behavioral};
}

TEST(ScorerCache, BoundedInCountAndBytesLeastRecentlyUsedFirst)
{
    Scorer scorer(default_rubric());
    const std::string first = scorer.score(question(0), answer, 60, nullptr, Limits{}).to_json_text();
    for (int i = 1; i < 400; ++i) {
        scorer.score(question(i), answer, 60, nullptr, Limits{});
        if (i % 8 == 0) {  // q0 is used all along: it stays
            EXPECT_EQ(scorer.score(question(0), answer, 60, nullptr, Limits{}).to_json_text(), first);
        }
        ASSERT_LE(scorer.cached_questions(), Scorer::max_cached_questions);
        ASSERT_LE(scorer.cached_bytes(), Scorer::cache_budget_bytes);
    }
    EXPECT_LT(scorer.cached_questions(), 400u);
    EXPECT_TRUE(scorer.cached("q0"));
    EXPECT_TRUE(scorer.cached("q399"));
    EXPECT_FALSE(scorer.cached("q1"));
    // an evicted question is compiled again, to the same result
    const std::string again = scorer.score(question(1), answer, 60, nullptr, Limits{}).to_json_text();
    Scorer fresh(default_rubric());
    EXPECT_EQ(again, fresh.score(question(1), answer, 60, nullptr, Limits{}).to_json_text());
    EXPECT_TRUE(scorer.cached("q1"));
}

TEST(ScorerLimits, QuestionOverMaxQuestionExpansionsIsPT413)
{
    // "a" starts about 20 words of the rubric's lexicons and cues: "a* a*" about 400 patterns
    QuestionSpec q{"q", "Conflict", 90, {"c [kw: a* a*, a1, a2]"}, QuestionKind::behavioral};
    Limits limits;
    limits.max_question_expansions = 500;
    Scorer scorer(default_rubric());
    std::optional<Error> e = thrown([&] { scorer.score(q, answer, 60, nullptr, limits); });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "PT413");
    EXPECT_EQ(e->message(), "question too costly to score");
    EXPECT_FALSE(scorer.cached("q"));
    // within the default limit it scores
    EXPECT_NO_THROW(scorer.score(q, answer, 60, nullptr, Limits{}));
}

TEST(ScorerLimits, AnswerMatchingThousandsOfTimesPerWordIsPT413)
{
    // 32 criteria that each list "a" 25 times: P1 lets it through (each
    // bound holds), and every "a" of an answer matches 800 patterns.
    std::string keywords;
    for (int i = 0; i < 25; ++i)
        keywords += i ? ", a" : "a";
    QuestionSpec q{"q", "Conflict", 90, std::vector<std::string>(32, "c [kw: " + keywords + "]"),
                   QuestionKind::behavioral};
    Scorer scorer(default_rubric());
    EXPECT_NO_THROW(scorer.score(q, "a a a a a", 60, nullptr, Limits{}));
    std::string many;
    for (int i = 0; i < 2000; ++i)
        many += "a ";
    std::optional<Error> e = thrown([&] { scorer.score(q, many, 600, nullptr, Limits{}); });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "PT413");
    EXPECT_EQ(e->message(), "answer too costly to score");
    EXPECT_EQ(e->detail(), "The question's phrases match the answer's 2000 words more than 260096 times.");
    // the scorer is unharmed
    EXPECT_NO_THROW(scorer.score(q, "a a a a a", 60, nullptr, Limits{}));
}

// Matches of many long, overlapping patterns are sorted in linear time;
// the result is what the insertion sort gives on few of them.
TEST(ScorerLimits, ManyOverlappingLongMatches)
{
    std::vector<std::string> criteria;
    for (int i = 1; i <= 8; ++i) {
        std::string phrase = "a";
        for (int k = 1; k < i; ++k)
            phrase += " a";
        criteria.push_back("c" + std::to_string(i) + " [kw: " + phrase + "]");
    }
    QuestionSpec q{"q", "Conflict", 90, criteria, QuestionKind::behavioral};
    Scorer scorer(default_rubric());
    std::string many;
    for (int i = 0; i < 3000; ++i)
        many += "a ";
    ScoreResult r = scorer.score(q, many, 600, nullptr, Limits{});
    Json details = r.to_json()["details"]["Substance"]["criteria"];
    ASSERT_EQ(details.size(), 8u);
    for (std::size_t i = 0; i < 8; ++i) {
        std::string expected = "a";
        for (std::size_t k = 0; k < i; ++k)
            expected += " a";
        EXPECT_EQ(details[i]["matched"], expected) << i;
    }
}

}  // namespace
}  // namespace residency
