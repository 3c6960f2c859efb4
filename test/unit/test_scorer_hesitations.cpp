// The hesitation recogniser (src/core/scorer_signals.cpp), through the
// scorer: since rubric 2.0 a hesitation sound is a core filler by its
// spelling (the families um/uhm/ummm, uh, ah, er/err/erm, hm, mm/mhm),
// whatever the rubric's filler_core lexicon holds, and the default lexicon
// is empty. A word written in capitals ("ER", the emergency room) is not
// one, nor a word that only starts like one ("umbrella", "ahead").
#include "scorer.hpp"

#include "rubric.hpp"
#include "test_util.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace residency {
namespace {

const QuestionSpec question{"q-hesitation",
                            "Conflict",
                            105,
                            {"Describes the conflict [kw: page*, dose]", "Escalates [kw: senior, attending]"},
                            QuestionKind::behavioral};

Json fillers_of(const Scorer& scorer, const std::string& answer)
{
    return scorer.score(question, answer, std::nullopt, nullptr, Limits{}).to_json()["details"]["Fillers"];
}

Json fillers_of(const std::string& answer)
{
    static const Scorer scorer(default_rubric());
    return fillers_of(scorer, answer);
}

TEST(Hesitations, TheDefaultLexiconListsNone)
{
    EXPECT_TRUE(default_rubric().filler_core.empty());
    EXPECT_EQ(default_rubric().filler_discourse, std::vector<std::string>{"like"});
    EXPECT_DOUBLE_EQ(default_rubric().filler_core_weight, 1.0);
}

class HesitationSpelling : public testing::TestWithParam<std::string> {};

// Each spelling, in the middle of a sentence, is one core filler, reported
// as written (lower case) among the most frequent.
TEST_P(HesitationSpelling, IsACoreFiller)
{
    const std::string& h = GetParam();
    Json f = fillers_of("I paged the senior about the dose, " + h + ", and then I waited for the call.");
    EXPECT_EQ(f["core"], 1) << f.dump();
    EXPECT_EQ(f["discourse"], 0) << f.dump();
    EXPECT_DOUBLE_EQ(f["weighted"].get<double>(), 1.0);
    ASSERT_EQ(f["top"].size(), 1u) << f.dump();
    EXPECT_EQ(f["top"][0]["word"], h);
    EXPECT_EQ(f["top"][0]["count"], 1);
}

INSTANTIATE_TEST_SUITE_P(Families, HesitationSpelling,
                         testing::Values("uhm", "ummm", "uhmm", "hm", "mhm", "err", "um", "umm", "uh", "uhh", "ah",
                                         "ahh", "er", "erm", "hmm", "mm"),
                         test::StringParamName());

TEST(Hesitations, AllSixOfTheCalibrationSpellingsAtOnce)
{
    Json f = fillers_of("Uhm, I paged the senior. Ummm I waited, uhmm, then hm, mhm, err, I called the attending.");
    EXPECT_EQ(f["core"], 6) << f.dump();
    EXPECT_DOUBLE_EQ(f["weighted"].get<double>(), 6.0);
}

// A capital first letter is the start of a sentence: still a hesitation.
TEST(Hesitations, CapitalisedAtTheStartOfASentenceCounts)
{
    EXPECT_EQ(fillers_of("Er, I paged the senior about the dose.")["core"], 1);
    EXPECT_EQ(fillers_of("I paged the senior. Mm, then I waited for the dose.")["core"], 1);
}

// Written in capitals it is a name: "ER" is the emergency room.
TEST(Hesitations, WordsInCapitalsAreNotHesitations)
{
    Json f = fillers_of("The ER was full, so I paged the senior about the dose.");
    EXPECT_EQ(f["core"], 0) << f.dump();
    EXPECT_EQ(fillers_of("I paged the senior about the dose, UH, twice.")["core"], 0);
    // the same word in lower case is one
    EXPECT_EQ(fillers_of("The er was full, so I paged the senior about the dose.")["core"], 1);
}

// Whole words only, of the family's letters only.
TEST(Hesitations, WordsThatOnlyLookLikeThemAreNot)
{
    for (const char* answer :
         {"I brought an umbrella to the meeting and paged the senior about the dose.",
          "The hmmm-like words of the transcript were cut, and I paged the senior.",
          "I planned ahead and paged the senior about the dose.",
          "I paged the senior with a summary: ham, arm, hem, mum, erase, aha, oh, eh, hum, uhuh, umbrella."}) {
        Json f = fillers_of(answer);
        EXPECT_EQ(f["core"], 0) << answer << "\n" << f.dump();
        EXPECT_EQ(f["discourse"], 0) << answer << "\n" << f.dump();
    }
}

// Whatever the lexicon: a pack listing "um" does not count it twice, and
// its own core fillers count beside the hesitations.
TEST(Hesitations, APacksCoreFillersAddToThem)
{
    const Scorer scorer(rubric_with_overrides(Json::parse(R"({"lexicons": {"filler_core": ["um", "you see"]}})")));
    Json f = fillers_of(scorer, "Um, I paged the senior, you see, uhm, and he changed the dose.");
    EXPECT_EQ(f["core"], 3) << f.dump();
    const Scorer none(rubric_with_overrides(Json::parse(R"({"lexicons": {"filler_core": ["you see"]}})")));
    EXPECT_EQ(fillers_of(none, "Um, I paged the senior, you see, uhm, and he changed the dose.")["core"], 3);
}

// A hesitation is taken first, so the discourse marker next to it is in
// filler position: 'like' before 'um' counts, 'like' before 'nervous' alone
// would not.
TEST(Hesitations, MakeTheNeighbouringMarkerAFiller)
{
    Json f = fillers_of("I felt like um nervous about the dose and paged the senior.");
    EXPECT_EQ(f["core"], 1) << f.dump();
    EXPECT_EQ(f["discourse"], 1) << f.dump();
    EXPECT_EQ(fillers_of("I felt like nervous about the dose and paged the senior.")["discourse"], 0);
}

}  // namespace
}  // namespace residency
