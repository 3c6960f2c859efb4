// The verdicts and bands of the golden answers (golden_answers.hpp), then
// key facts of a few of them asserted exactly: counts, durations, the
// typed-answer estimate, what to change first, the practice rule and the
// overall score.
#include "golden_answers.hpp"

#include <algorithm>
#include <set>

namespace residency::golden {
namespace {

class GoldenAnswerTest : public testing::TestWithParam<GoldenAnswer> {};

TEST_P(GoldenAnswerTest, VerdictOfEveryCheck)
{
    const GoldenAnswer& a = GetParam();
    ScoreResult r = score(a);
    EXPECT_EQ(verdict_line(verdicts_of(r)), verdict_line(a.verdicts)) << describe(r);
}

TEST_P(GoldenAnswerTest, OverallBand)
{
    const GoldenAnswer& a = GetParam();
    ScoreResult r = score(a);
    EXPECT_STREQ(band_name(band_of(r.overall_score)), band_name(a.band)) << describe(r);
}

INSTANTIATE_TEST_SUITE_P(Bundled, GoldenAnswerTest, testing::ValuesIn(golden_answers()),
                         [](const testing::TestParamInfo<GoldenAnswer>& info) { return test_name(info.param.name); });

// The table covers what the rubric distinguishes: all 7 categories, the 3
// kinds of question, spoken and typed answers, every band.
TEST(GoldenAnswers, CoverEveryCategoryKindModeAndBand)
{
    std::set<std::string> categories, kinds;
    std::set<Band> bands;
    int spoken = 0, typed_answers = 0;
    for (const GoldenAnswer& a : golden_answers()) {
        const QuestionSpec& q = question(a.question_id);
        categories.insert(q.category);
        kinds.insert(std::string(to_string(question_kind(q, default_rubric()))));
        bands.insert(a.band);
        (a.duration_s ? spoken : typed_answers) += 1;
    }
    EXPECT_GE(golden_answers().size(), 18u);
    EXPECT_EQ(categories.size(), 7u);
    EXPECT_EQ(kinds, (std::set<std::string>{"behavioral", "motivation", "situational"}));
    EXPECT_EQ(bands.size(), 4u);
    EXPECT_GE(spoken, 6);
    EXPECT_GE(typed_answers, 6);
}

// ---------------------------------------------------------------------------
// Key facts, exactly.

// A spoken answer: words as the tokenizer counts them (contractions and
// hyphenated words once, "58-year-old" once), the recording's duration,
// wpm = words * 60 / duration rounded to 0.1.
TEST(GoldenFacts, SpokenAnswerCountsAndPace)
{
    ScoreResult r = score(golden("A1"));
    EXPECT_EQ(r.words, 173);
    EXPECT_DOUBLE_EQ(r.duration_s, 78.0);
    EXPECT_FALSE(r.duration_estimated);
    EXPECT_DOUBLE_EQ(r.wpm, 133.1);  // 173 * 60 / 78 = 133.08
    EXPECT_EQ(r.checks[1].weight, 12);
    EXPECT_EQ(r.checks[1].note, "133 wpm, inside the 120-160 wpm listeners follow easily.");
    EXPECT_EQ(r.overall_score, 100);  // every check at 100
    // nothing flagged: one stretch tip, and the maintenance rule
    EXPECT_EQ(r.what_changed.size(), 1u);
    EXPECT_EQ(r.practice_rule, "Rehearse the same shape on a new question: context, actions, result, lesson.");
}

// A typed answer is estimated at 140 wpm: 114 words -> 48.857 s -> 48.9 s,
// and wpm is recomputed from the rounded duration so that rule E3 holds.
TEST(GoldenFacts, TypedAnswerIsEstimatedAndPaceNotScored)
{
    ScoreResult r = score(golden("A3"));
    EXPECT_EQ(r.words, 114);
    EXPECT_TRUE(r.duration_estimated);
    EXPECT_DOUBLE_EQ(r.duration_s, 48.9);
    EXPECT_DOUBLE_EQ(r.wpm, 139.9);  // 114 * 60 / 48.9 = 139.88
    const CheckResult& pace = r.checks[1];
    EXPECT_TRUE(pace.pass);
    EXPECT_EQ(pace.weight, 0);
    EXPECT_EQ(pace.note, "Typed answer: pace not scored.");
    Json j = r.to_json();
    EXPECT_EQ(j["duration_estimated"], true);
    EXPECT_EQ(j["details"]["weights"]["Pace"], 0);
    EXPECT_EQ(j["details"]["Pace"]["scored"], false);
    EXPECT_EQ(j["details"]["Length"]["estimated"], true);
}

// "I am" is a verb, not a time: the concrete details of A3 are 'two' and
// 'Cleveland' (rubric 4.4: numbers, time anchors, proper nouns), and A16
// has none.
// Was a scorer bug, now fixed: rubric.cpp lists "am" and "pm" among detail_words, matched as
// words on their own, so every "I am" is a concrete detail (A3: 3, A16: 1).
TEST(GoldenFacts, TheVerbAmIsNotAConcreteDetail)
{
    Json j = score(golden("A3")).to_json();
    EXPECT_EQ(j["details"]["Substance"]["concrete_details"], 2) << j["details"]["Substance"].dump();
    Json k = score(golden("A16")).to_json();
    EXPECT_EQ(k["details"]["Substance"]["concrete_details"], 0) << k["details"]["Substance"].dump();
}

// The weak motivation answer: what to change comes ranked by
// weight x (100 - score): Substance 29 x 64, Fillers 12 x 100, Length 14 x 66.
TEST(GoldenFacts, WeakAnswerWhatToChangeFirst)
{
    ScoreResult r = score(golden("A2"));
    ASSERT_EQ(r.what_changed.size(), 3u) << describe(r);
    EXPECT_EQ(r.what_changed[0],
              "Add one sentence on 'Names specific features of the specialty's daily work that appeal to them, "
              "not generic praise', and one concrete detail: a number, a timeframe or the setting.");
    EXPECT_EQ(r.what_changed[1], "Swap 'um' for a one-beat silent pause: silence sounds like thinking.");
    EXPECT_EQ(r.what_changed[2], "Add the missing beat: one line of context, one more concrete action, then the "
                                 "result and what you learned.");
    EXPECT_EQ(r.practice_rule, "One number per story: include at least one count, time or outcome measure.");
    // 14x34 + 12x100 + 12x0 + 8x0 + 10x60 + 15x60 + 29x36 = 4220 over 100
    EXPECT_EQ(r.overall_score, 42);
}

// The filler-heavy conflict story: Fillers ranks first (12 x 100), and its
// practice rule is the one to take away.
TEST(GoldenFacts, FillerHeavyAnswerPracticeRule)
{
    ScoreResult r = score(golden("A9"));
    ASSERT_FALSE(r.what_changed.empty());
    EXPECT_EQ(r.what_changed[0], "Swap 'um' for a one-beat silent pause: silence sounds like thinking.");
    EXPECT_EQ(r.practice_rule, "Pause, don't fill: close your mouth at every comma.");
    EXPECT_EQ(r.checks[2].score, 0);
    // the weighted mean is ~62, but Structure and Substance both FLAG: capped at 59
    EXPECT_EQ(r.overall_score, 59);
    Json j = r.to_json();
    EXPECT_EQ(j["details"]["overall"]["caps"], Json::array({"Structure and Substance both FLAG"}));
}

// Two 'I would' frames and clean wording keep a 35-word plan out of
// "rebuild": 0x14 + 100x12 + 100x8 + 100x10 + 55x22 + 36x22 = 5002 over 88.
TEST(GoldenFacts, ShortTypedPlanOverallScore)
{
    ScoreResult r = score(golden("A19"));
    EXPECT_EQ(r.words, 35);
    EXPECT_EQ(r.checks[0].note, "Only 35 words: too few for a full answer to a ~105 s question.");
    EXPECT_EQ(r.overall_score, 57) << describe(r);
}

// The disguised-strength answer: 0x14 + 100x12 + 27x8 + 60x10 + 25x22 +
// 18x22 = 2962 over 88 = 33.7.
// Was a scorer bug, now fixed: 37, because "I am a perfectionist" gives Substance a concrete
// detail ('am', see TheVerbAmIsNotAConcreteDetail): 31 instead of 18.
TEST(GoldenFacts, DisguisedStrengthOverallScore)
{
    ScoreResult r = score(golden("A16"));
    EXPECT_EQ(r.words, 45);
    EXPECT_EQ(r.overall_score, 34) << describe(r);
}

// A flagged term forces Wording to FLAG whatever the hedge rate, and the
// note offers the alternative.
TEST(GoldenFacts, FlaggedTermNote)
{
    ScoreResult r = score(golden("A21"));
    const CheckResult& wording = r.checks[3];
    EXPECT_FALSE(wording.pass);
    EXPECT_LE(wording.score, 60);
    EXPECT_EQ(wording.note, "'noncompliant' may land badly with patients or faculty; try 'not yet able to follow the "
                            "plan'.");
}

// Ownership notes state counts, never guesses about the person.
TEST(GoldenFacts, OwnershipNoteCountsWeAndI)
{
    ScoreResult r = score(golden("A18"));
    EXPECT_EQ(r.checks[4].note, "'we' x7 vs 'I' x6: your own part is hard to see.");
    ScoreResult weak = score(golden("A6"));
    EXPECT_EQ(weak.checks[4].score, 0) << describe(weak);
}

}  // namespace
}  // namespace residency::golden
