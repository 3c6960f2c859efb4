// Rules E2 (the 7 categories) and E3 (the figures around them) for an
// evaluation result (src/core/evaluation.hpp). The built-in scorer and
// external evaluators are held to the same checks.
#include "evaluation.hpp"
#include "evaluation_check.hpp"

#include "error.hpp"
#include "test_util.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace residency {
namespace {

using test::paths;
using test::thrown;

Json category(const char* name, const char* flag = "PASS", int score = 80)
{
    return Json{
        {"name", name}, {"passFlag", flag}, {"note", std::string(name) + ": observed facts."}, {"score", score}};
}

Json seven_categories()
{
    Json out = Json::array();
    for (std::string_view name : evaluation_categories)
        out.push_back(category(std::string(name).c_str()));
    out[5]["passFlag"] = "FLAG";
    out[5]["score"] = 55;
    return out;
}

// A valid record: 150 words in 60 s is 150 wpm.
struct Evaluation : testing::Test {
    Json categories = seven_categories();
    Json what_changed = Json::array({"Open with one sentence of context.", "End with the result."});
    Json details = Json::object({{"fillers", Json::object({{"count", 2}})}});
    EvaluationRecord record;

    void SetUp() override
    {
        record.duration_s = 60;
        record.words = 150;
        record.wpm = 150;
        record.overall_score = 72;
        record.categories = &categories;
        record.what_changed = &what_changed;
        record.practice_rule = "Tell it in order: context, action, result.";
        record.model_used = "residency-rubric/1.0";
        record.processing_time_ms = 12;
        record.details = &details;
    }

    std::vector<std::string> problem_paths() const { return paths(evaluation_problems(record)); }
    std::string problems_text() const { return test::dump(evaluation_problems(record)); }
};

using Paths = std::vector<std::string>;

// ---- accepted ---------------------------------------------------------------

TEST_F(Evaluation, ValidRecordPasses)
{
    EXPECT_EQ(problem_paths(), Paths{}) << problems_text();
    EXPECT_NO_THROW(check_evaluation(record));
}

TEST_F(Evaluation, NullColumnsAreLeftToNotNull)
{
    EvaluationRecord empty;
    EXPECT_TRUE(evaluation_problems(empty).empty());
}

TEST_F(Evaluation, OptionalScoreMayBeAbsentOrAtTheBounds)
{
    categories[0].erase("score");
    categories[1]["score"] = 0;
    categories[2]["score"] = 100;
    EXPECT_EQ(problem_paths(), Paths{}) << problems_text();
}

TEST_F(Evaluation, CategoriesInAnyOrder)
{
    std::reverse(categories.begin(), categories.end());
    EXPECT_EQ(problem_paths(), Paths{}) << problems_text();
}

TEST_F(Evaluation, WhatChangedMayBeEmptyOrHoldThree)
{
    what_changed = Json::array();
    EXPECT_EQ(problem_paths(), Paths{});
    what_changed = Json::array({"a", "b", "c"});
    EXPECT_EQ(problem_paths(), Paths{});
}

TEST_F(Evaluation, OverallScoreBounds)
{
    record.overall_score = 0;
    EXPECT_EQ(problem_paths(), Paths{});
    record.overall_score = 100;
    EXPECT_EQ(problem_paths(), Paths{});
}

TEST_F(Evaluation, WordsZeroAndProcessingTimeOneAreFine)
{
    record.words = 0;
    record.wpm = 0;
    record.processing_time_ms = 1;
    EXPECT_EQ(problem_paths(), Paths{}) << problems_text();
}

TEST_F(Evaluation, WpmWithinHalfAWordIsAccepted)
{
    for (double wpm : {150.0, 150.5, 149.5, 150.25}) {
        record.wpm = wpm;
        EXPECT_EQ(problem_paths(), Paths{}) << "wpm " << wpm;
    }
    // 100 words in 45 s: 133.333... wpm, stored rounded
    record.words = 100;
    record.duration_s = 45;
    record.wpm = 133.3;
    EXPECT_EQ(problem_paths(), Paths{}) << problems_text();
}

TEST_F(Evaluation, DetailsMayBeNull)
{
    details = nullptr;
    EXPECT_EQ(problem_paths(), Paths{});
}

// ---- E2: categories -------------------------------------------------------

TEST_F(Evaluation, SixCategories)
{
    categories.erase(6);
    EXPECT_EQ(problem_paths(), Paths{"categories"}) << problems_text();
}

TEST_F(Evaluation, EightCategories)
{
    categories.push_back(category("Empathy"));
    EXPECT_EQ(problem_paths(), (Paths{"categories", "categories[7].name"})) << problems_text();
}

TEST_F(Evaluation, EightCategoriesWithARepeat)
{
    categories.push_back(category("Pace"));
    EXPECT_EQ(problem_paths(), (Paths{"categories", "categories[7].name"})) << problems_text();
}

TEST_F(Evaluation, DuplicateName)
{
    categories[1]["name"] = "Length";  // Pace missing, Length twice
    EXPECT_EQ(problem_paths(), Paths{"categories[1].name"}) << problems_text();
    EXPECT_NE(evaluation_problems(record)[0].message.find("repeats"), std::string::npos);
}

TEST_F(Evaluation, UnknownName)
{
    categories[1]["name"] = "Speed";
    EXPECT_EQ(problem_paths(), Paths{"categories[1].name"}) << problems_text();
    categories[1]["name"] = "pace";  // names are exact
    EXPECT_EQ(problem_paths(), Paths{"categories[1].name"}) << problems_text();
}

TEST_F(Evaluation, NameMissingOrNotAString)
{
    categories[2].erase("name");
    categories[3]["name"] = 4;
    EXPECT_EQ(problem_paths(), (Paths{"categories[2].name", "categories[3].name"})) << problems_text();
}

TEST_F(Evaluation, BadPassFlag)
{
    categories[2]["passFlag"] = "pass";
    categories[3]["passFlag"] = "FAIL";
    categories[4]["passFlag"] = true;
    categories[5].erase("passFlag");
    EXPECT_EQ(problem_paths(), (Paths{"categories[2].passFlag", "categories[3].passFlag", "categories[4].passFlag",
                                      "categories[5].passFlag"}))
        << problems_text();
}

TEST_F(Evaluation, BlankOrMissingNote)
{
    categories[3]["note"] = "   ";
    categories[4]["note"] = "";
    categories[5].erase("note");
    categories[6]["note"] = 1;
    EXPECT_EQ(problem_paths(),
              (Paths{"categories[3].note", "categories[4].note", "categories[5].note", "categories[6].note"}))
        << problems_text();
}

TEST_F(Evaluation, ScoreOutOfRangeOrNotAnInteger)
{
    categories[0]["score"] = 101;
    categories[1]["score"] = -1;
    categories[2]["score"] = 50.5;
    categories[3]["score"] = "50";
    categories[4]["score"] = nullptr;
    EXPECT_EQ(problem_paths(), (Paths{"categories[0].score", "categories[1].score", "categories[2].score",
                                      "categories[3].score", "categories[4].score"}))
        << problems_text();
}

TEST_F(Evaluation, CategoryNotAnObject)
{
    categories[0] = "Length";
    EXPECT_EQ(problem_paths(), Paths{"categories[0]"}) << problems_text();
}

TEST_F(Evaluation, CategoriesNotAnArray)
{
    categories = Json::object({{"Length", "PASS"}});
    EXPECT_EQ(problem_paths(), Paths{"categories"}) << problems_text();
}

TEST(CategoriesProblems, PathsStartAtTheGivenRoot)
{
    Json categories = seven_categories();
    categories[1]["name"] = "Speed";
    EXPECT_EQ(paths(categories_problems(categories, "$.categories")), Paths{"$.categories[1].name"});
    EXPECT_EQ(paths(categories_problems(categories)), Paths{"categories[1].name"});
    EXPECT_TRUE(categories_problems(seven_categories()).empty());
}

// ---- E3: what_changed, practice_rule, figures ------------------------------

TEST_F(Evaluation, WhatChangedWithFourItems)
{
    what_changed = Json::array({"a", "b", "c", "d"});
    EXPECT_EQ(problem_paths(), Paths{"what_changed"}) << problems_text();
}

TEST_F(Evaluation, WhatChangedWithABlankItem)
{
    what_changed = Json::array({"Add a result.", " ", "Cut the set-up."});
    EXPECT_EQ(problem_paths(), Paths{"what_changed[1]"}) << problems_text();
    what_changed = Json::array({"Add a result.", 3});
    EXPECT_EQ(problem_paths(), Paths{"what_changed[1]"}) << problems_text();
}

TEST_F(Evaluation, WhatChangedNotAnArray)
{
    what_changed = "Add a result.";
    EXPECT_EQ(problem_paths(), Paths{"what_changed"}) << problems_text();
    what_changed = Json::object();
    EXPECT_EQ(problem_paths(), Paths{"what_changed"}) << problems_text();
}

TEST_F(Evaluation, PracticeRuleAndModelMustNotBeBlank)
{
    record.practice_rule = " \n";
    record.model_used = "";
    EXPECT_EQ(problem_paths(), (Paths{"practice_rule", "model_used"})) << problems_text();
}

TEST_F(Evaluation, OverallScoreOutOfRange)
{
    record.overall_score = 101;
    EXPECT_EQ(problem_paths(), Paths{"overall_score"}) << problems_text();
    record.overall_score = -1;
    EXPECT_EQ(problem_paths(), Paths{"overall_score"}) << problems_text();
}

TEST_F(Evaluation, DurationMustBePositive)
{
    // with a bad duration the wpm cannot be checked; only the duration is reported
    for (double d : {0.0, -5.0, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
        record.duration_s = d;
        EXPECT_EQ(problem_paths(), Paths{"duration_s"}) << "duration " << d << problems_text();
    }
}

TEST_F(Evaluation, WordsMustNotBeNegative)
{
    record.words = -1;
    EXPECT_EQ(problem_paths(), Paths{"words"}) << problems_text();
}

TEST_F(Evaluation, WpmOffByMoreThanHalf)
{
    for (double wpm : {150.51, 149.49, 151.0, 0.0}) {
        record.wpm = wpm;
        EXPECT_EQ(problem_paths(), Paths{"wpm"}) << "wpm " << wpm << problems_text();
    }
    record.wpm = 160;
    std::vector<JsonProblem> problems = evaluation_problems(record);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].message, "must be words*60/duration_s = 150 (within 0.5), found 160");
}

TEST_F(Evaluation, WpmNegativeOrNotFinite)
{
    for (double wpm : {-1.0, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
        record.wpm = wpm;
        EXPECT_EQ(problem_paths(), Paths{"wpm"}) << "wpm " << wpm << problems_text();
    }
}

TEST_F(Evaluation, ProcessingTimeAtLeastOneMillisecond)
{
    record.processing_time_ms = 0;
    EXPECT_EQ(problem_paths(), Paths{"processing_time_ms"}) << problems_text();
    record.processing_time_ms = -3;
    EXPECT_EQ(problem_paths(), Paths{"processing_time_ms"}) << problems_text();
}

TEST_F(Evaluation, DetailsMustBeAnObject)
{
    for (Json d : {Json::array(), Json("metrics"), Json(1)}) {
        details = d;
        EXPECT_EQ(problem_paths(), Paths{"details"}) << d.dump() << problems_text();
    }
}

TEST_F(Evaluation, FiguresProblemsIgnoresTheJsonColumns)
{
    categories = Json::array();
    what_changed = "x";
    record.words = -1;
    std::vector<JsonProblem> out;
    figures_problems(record, out);
    EXPECT_EQ(paths(out), Paths{"words"});
}

// ---- check_evaluation: every problem in one 23514 --------------------------

TEST_F(Evaluation, CheckEvaluationThrows23514ListingEveryProblem)
{
    categories[1]["name"] = "Speed";
    what_changed = Json::array({"a", "b", "c", "d"});
    record.overall_score = 101;
    record.processing_time_ms = 0;
    auto e = thrown([&] { check_evaluation(record); });
    ASSERT_TRUE(e);
    EXPECT_EQ(e->sqlstate(), "23514");
    EXPECT_EQ(e->message(), "evaluation result is not valid");
    EXPECT_EQ(e->detail().rfind("4 problems found:\n", 0), 0u) << e->detail();
    for (const char* path : {"categories[1].name: ", "what_changed: ", "overall_score: ", "processing_time_ms: "})
        EXPECT_NE(e->detail().find(std::string("\n") + path), std::string::npos) << path << " in " << e->detail();
    EXPECT_NE(e->hint().find("Length, Pace, Fillers, Wording, Ownership, Structure, Substance"), std::string::npos);
}

// ---- the evaluated recording's length (E3) --------------------------------

TEST_F(Evaluation, DurationOfARecordingIsTheRecordingsWithinOneSecondOrFivePercent)
{
    record.audio_duration_s = 60;  // 3 s of tolerance (5%)
    for (double d : {57.0, 60.0, 63.0}) {
        record.duration_s = d;
        record.wpm = 150 * 60 / d;
        EXPECT_TRUE(problem_paths().empty()) << d;
    }
    for (double d : {56.9, 63.1, 1e308}) {
        record.duration_s = d;
        record.wpm = 150 * 60 / d;  // a wpm that agrees with the duration does not help
        EXPECT_EQ(problem_paths(), Paths{"duration_s"}) << d;
    }
    record.audio_duration_s = 10;  // 1 s of tolerance (5% is 0.5 s)
    record.duration_s = 11;
    record.wpm = 150 * 60 / 11.0;
    EXPECT_TRUE(problem_paths().empty());
    record.duration_s = 11.5;
    record.wpm = 150 * 60 / 11.5;
    EXPECT_EQ(problem_paths(), Paths{"duration_s"});
}

TEST_F(Evaluation, DurationMismatchNamesTheRecordingsLength)
{
    record.audio_duration_s = 60;
    record.duration_s = 1e308;
    record.wpm = 0;
    std::vector<JsonProblem> out = evaluation_problems(record);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].message,
              "must be the recording's length, 60 s (audio_duration_s of the response, within 3 s), found 1e+308");
}

// ---- blank is Unicode white space -----------------------------------------

TEST_F(Evaluation, TextsOfUnicodeWhiteSpaceOnlyAreBlank)
{
    record.model_used = "\u00a0";             // no-break space
    record.practice_rule = "\u3000\u200b\t";  // ideographic space, zero-width space, tab
    what_changed = Json::array({"\u2003"});   // em space
    categories[0]["note"] = "\u202f";         // narrow no-break space
    EXPECT_EQ(problem_paths(), (Paths{"categories[0].note", "what_changed[0]", "practice_rule", "model_used"}));
}

// ---- the shape of a worker's result ---------------------------------------

std::vector<std::string> shape_paths(const Json& result)
{
    std::vector<JsonProblem> out;
    check_result_shape(NlohmannView(result), out);
    return paths(out);
}

Json scorer_shaped_result()
{
    return Json{{"duration_s", 42.5},
                {"duration_estimated", false},
                {"words", 63},
                {"wpm", 88.94},
                {"overall_score", 71},
                {"categories", seven_categories()},
                {"what_changed", Json::array()},
                {"practice_rule", "Tell it in order."},
                {"model_used", "residency-rubric/1.0"},
                {"details", Json::object()}};
}

TEST(EvaluationResultShape, TheScorersResultHasTheRightShape)
{
    EXPECT_TRUE(shape_paths(scorer_shaped_result()).empty());
    Json with_time = scorer_shaped_result();
    with_time["processing_time_ms"] = 350;
    with_time["extra"] = "ignored";
    EXPECT_TRUE(shape_paths(with_time).empty());
}

TEST(EvaluationResultShape, NumbersSentAsStringsAreRefusedWithTheirPaths)
{
    Json r = scorer_shaped_result();
    r["overall_score"] = "42";
    r["duration_s"] = "42.5";
    r["words"] = true;
    EXPECT_EQ(shape_paths(r), (Paths{"$.duration_s", "$.words", "$.overall_score"}));
}

TEST(EvaluationResultShape, IntegersHaveNoFractionAndFitAnInteger)
{
    Json r = scorer_shaped_result();
    r["overall_score"] = 100.4;
    r["processing_time_ms"] = 3e9;
    std::vector<JsonProblem> out;
    check_result_shape(NlohmannView(r), out);
    ASSERT_EQ(paths(out), (Paths{"$.overall_score", "$.processing_time_ms"}));
    EXPECT_EQ(out[0].message, "must be an integer, not the number 100.4");
}

TEST(EvaluationResultShape, MissingNullAndMistypedKeysAreListed)
{
    Json r = scorer_shaped_result();
    r.erase("wpm");
    r["practice_rule"] = nullptr;
    r["categories"] = Json::object();
    r["model_used"] = 7;
    r["details"] = Json::array();
    r["duration_estimated"] = "no";
    EXPECT_EQ(shape_paths(r),
              (Paths{"$.wpm", "$.categories", "$.practice_rule", "$.model_used", "$.details", "$.duration_estimated"}));
    EXPECT_EQ(shape_paths(Json::array()), Paths{"$"});
}

TEST(EvaluationCategories, TheSevenFixedNamesInScorerOrder)
{
    std::vector<std::string> names(evaluation_categories.begin(), evaluation_categories.end());
    EXPECT_EQ(names, (Paths{"Length", "Pace", "Fillers", "Wording", "Ownership", "Structure", "Substance"}));
}

}  // namespace
}  // namespace residency
