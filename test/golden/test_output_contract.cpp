// The shape of every result (docs/scoring.md, and rules E2/E3 of docs/rules.md), "what
// improved" against an earlier attempt, and determinism.
#include "golden_answers.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace residency::golden {
namespace {

class OutputContractTest : public testing::TestWithParam<GoldenAnswer> {};

TEST_P(OutputContractTest, ResultHasTheDocumentedShape)
{
    const GoldenAnswer& a = GetParam();
    ScoreResult r = score(a);
    Json j = r.to_json();
    ASSERT_TRUE(j.is_object());

    std::vector<std::string> keys;
    for (auto it = j.begin(); it != j.end(); ++it)
        keys.push_back(it.key());
    std::sort(keys.begin(), keys.end());
    EXPECT_EQ(keys, (std::vector<std::string>{"categories", "details", "duration_estimated", "duration_s", "model_used",
                                              "overall_score", "practice_rule", "what_changed", "words", "wpm"}));

    // 7 categories, fixed names in a fixed order, PASS iff score >= 70
    const Json& cats = j["categories"];
    ASSERT_TRUE(cats.is_array());
    ASSERT_EQ(cats.size(), 7u);
    for (std::size_t k = 0; k < 7; ++k) {
        const Json& c = cats[k];
        SCOPED_TRACE(c.dump());
        EXPECT_EQ(c["name"], std::string(evaluation_categories[k]));
        ASSERT_TRUE(c["score"].is_number_integer());
        int s = c["score"].get<int>();
        EXPECT_GE(s, 0);
        EXPECT_LE(s, 100);
        EXPECT_EQ(c["passFlag"], s >= 70 ? "PASS" : "FLAG");
        ASSERT_TRUE(c["note"].is_string());
        EXPECT_FALSE(c["note"].get<std::string>().empty());
    }

    // 1..3 non-empty what_changed strings, a practice rule, the model
    ASSERT_TRUE(j["what_changed"].is_array());
    EXPECT_GE(j["what_changed"].size(), 1u);
    EXPECT_LE(j["what_changed"].size(), 3u);
    for (const Json& w : j["what_changed"]) {
        ASSERT_TRUE(w.is_string());
        EXPECT_FALSE(w.get<std::string>().empty());
    }
    ASSERT_TRUE(j["practice_rule"].is_string());
    EXPECT_FALSE(j["practice_rule"].get<std::string>().empty());
    EXPECT_EQ(j["model_used"], "residency-rubric/2.0");
    EXPECT_TRUE(j["details"].is_object());

    // figures that agree with each other
    ASSERT_TRUE(j["overall_score"].is_number_integer());
    EXPECT_GE(j["overall_score"].get<int>(), 0);
    EXPECT_LE(j["overall_score"].get<int>(), 100);
    ASSERT_TRUE(j["words"].is_number_integer());
    double duration = j["duration_s"].get<double>();
    double words = j["words"].get<double>();
    EXPECT_GT(duration, 0);
    EXPECT_NEAR(j["wpm"].get<double>(), words * 60 / duration, 0.5);
    EXPECT_EQ(j["duration_estimated"], !a.duration_s.has_value());
    if (a.duration_s) {
        EXPECT_NEAR(duration, *a.duration_s, 0.05);
    }

    // the overall score explained (rubric 2.0): intercept + slope x the
    // weighted mean is the predicted rating, the sum of the intercept and the
    // checks' contributions; rounded and clamped, then capped
    const Json& overall = j["details"]["overall"];
    std::vector<std::string> overall_keys;
    for (auto it = overall.begin(); it != overall.end(); ++it)
        overall_keys.push_back(it.key());
    std::sort(overall_keys.begin(), overall_keys.end());
    EXPECT_EQ(overall_keys,
              (std::vector<std::string>{"caps", "contributions", "intercept", "predicted", "slope", "weighted_mean"}));
    EXPECT_DOUBLE_EQ(overall["intercept"].get<double>(), 14.8);
    EXPECT_DOUBLE_EQ(overall["slope"].get<double>(), 0.782);
    const double predicted = overall["predicted"].get<double>();
    EXPECT_NEAR(predicted, 14.8 + 0.782 * overall["weighted_mean"].get<double>(), 0.01);
    ASSERT_EQ(overall["contributions"].size(), 7u);
    double sum = overall["intercept"].get<double>();
    for (std::size_t k = 0; k < 7; ++k) {
        const std::string name(evaluation_categories[k]);
        ASSERT_TRUE(overall["contributions"][name].is_number()) << name;
        sum += overall["contributions"][name].get<double>();
    }
    EXPECT_NEAR(sum, predicted, 0.05);
    int expected_overall = std::clamp(static_cast<int>(std::floor(predicted + 0.5)), 0, 100);
    for (const Json& cap : overall["caps"]) {
        ASSERT_TRUE(cap == "fewer than 25 words" || cap == "Structure and Substance both FLAG") << cap;
        expected_overall = std::min(expected_overall, cap == "fewer than 25 words" ? 20 : 59);
    }
    EXPECT_EQ(j["overall_score"].get<int>(), expected_overall);

    // and the result is a valid evaluation (rules E2 and E3)
    EvaluationRecord rec;
    rec.duration_s = duration;
    rec.words = j["words"].get<std::int64_t>();
    rec.wpm = j["wpm"].get<double>();
    rec.overall_score = j["overall_score"].get<std::int64_t>();
    rec.categories = &j["categories"];
    rec.what_changed = &j["what_changed"];
    rec.practice_rule = j["practice_rule"].get<std::string>();
    rec.model_used = j["model_used"].get<std::string>();
    rec.processing_time_ms = 1;
    rec.details = &j["details"];
    EXPECT_NO_THROW(check_evaluation(rec));
    EXPECT_TRUE(evaluation_problems(rec).empty());
}

// to_json() is the parsed to_json_text(), and the struct says the same.
TEST_P(OutputContractTest, StructAndJsonAgree)
{
    ScoreResult r = score(GetParam());
    Json j = Json::parse(r.to_json_text());
    EXPECT_EQ(j, r.to_json());
    EXPECT_EQ(j["overall_score"], r.overall_score);
    EXPECT_EQ(j["words"], r.words);
    for (std::size_t k = 0; k < check_count; ++k) {
        EXPECT_EQ(j["categories"][k]["score"], r.checks[k].score);
        EXPECT_EQ(j["categories"][k]["note"], r.checks[k].note);
        EXPECT_EQ(j["details"][std::string(check_name(r.checks[k].check))]["score"], r.checks[k].score);
    }
    EXPECT_EQ(j["what_changed"].size(), r.what_changed.size());
}

INSTANTIATE_TEST_SUITE_P(Bundled, OutputContractTest, testing::ValuesIn(golden_answers()),
                         [](const testing::TestParamInfo<GoldenAnswer>& info) { return test_name(info.param.name); });

// ---------------------------------------------------------------------------
// What improved: the weak conflict story (A9), then the strong one (A7)
// with the weak result as `previous`. The largest gain is Fillers (0 -> 100;
// Pace gains 77, Substance 40, Structure 10), reported first in the
// metric's own words, then the usual list.
TEST(WhatImproved, FirstItemReportsTheLargestImprovement)
{
    ScoreResult weak = score(golden("A9"));
    ASSERT_EQ(weak.checks[2].score, 0) << describe(weak);
    Json previous = weak.to_json();

    ScoreResult strong = score(golden("A7"), &previous);
    ASSERT_FALSE(strong.what_changed.empty()) << describe(strong);
    EXPECT_EQ(strong.what_changed[0], "Fillers: 11.5 per 100 words -> 0.5 per 100 words.");
    Json j = strong.to_json();
    EXPECT_EQ(j["details"]["improvement"]["check"], "Fillers");
    EXPECT_EQ(j["details"]["improvement"]["from"], 0);
    EXPECT_EQ(j["details"]["improvement"]["to"], 100);
    // nothing is flagged any more, so the second item is the stretch or
    // maintenance tip, and the rule is the maintenance rule
    EXPECT_EQ(strong.what_changed.size(), 2u);
    EXPECT_EQ(strong.practice_rule, "Rehearse the same shape on a new question: context, actions, result, lesson.");

    // without `previous` the same answer reports no improvement
    ScoreResult alone = score(golden("A7"));
    EXPECT_TRUE(alone.to_json()["details"]["improvement"].is_null());
    EXPECT_NE(alone.what_changed[0], strong.what_changed[0]);
}

// An earlier result from an external evaluator has categories but no
// details: the improvement is then stated in scores.
TEST(WhatImproved, FromCategoriesOnlyUsesScores)
{
    Json previous = score(golden("A9")).to_json();
    previous.erase("details");
    ScoreResult strong = score(golden("A7"), &previous);
    EXPECT_EQ(strong.what_changed[0], "Fillers: score 0 -> score 100.");
}

// No gain of at least 10 points: no improvement item.
TEST(WhatImproved, SameAnswerTwiceReportsNothing)
{
    Json previous = score(golden("A8")).to_json();
    ScoreResult again = score(golden("A8"), &previous);
    EXPECT_TRUE(again.to_json()["details"]["improvement"].is_null());
    EXPECT_EQ(again.what_changed, score(golden("A8")).what_changed);
}

// ---------------------------------------------------------------------------
// Determinism: same inputs, same bytes.

TEST(Determinism, HundredRunsGiveIdenticalBytes)
{
    for (const char* id : {"A2", "A3", "A7", "A13"}) {
        const GoldenAnswer& a = golden(id);
        const std::string first = score(a).to_json_text();
        for (int i = 0; i < 100; ++i)
            ASSERT_EQ(score(a).to_json_text(), first) << id << " run " << i;
    }
}

TEST(Determinism, SeparateScorersAgree)
{
    Scorer one(default_rubric());
    Scorer two(default_rubric());
    for (const GoldenAnswer& a : golden_answers()) {
        const QuestionSpec& q = question(a.question_id);
        EXPECT_EQ(one.score(q, a.text, a.duration_s, nullptr, Limits{}).to_json_text(),
                  two.score(q, a.text, a.duration_s, nullptr, Limits{}).to_json_text())
            << a.name;
    }
}

// A Scorer keeps one compiled automaton per question; scoring other
// answers (other questions, other kinds) in between changes nothing.
TEST(Determinism, OtherAnswersInBetweenChangeNothing)
{
    Scorer scorer(default_rubric());
    const GoldenAnswer& a = golden("A11");
    const QuestionSpec& q = question(a.question_id);
    const std::string before = scorer.score(q, a.text, a.duration_s, nullptr, Limits{}).to_json_text();
    for (const GoldenAnswer& other : golden_answers())
        scorer.score(question(other.question_id), other.text, other.duration_s, nullptr, Limits{});
    EXPECT_EQ(scorer.score(q, a.text, a.duration_s, nullptr, Limits{}).to_json_text(), before);

    Scorer fresh(default_rubric());
    EXPECT_EQ(fresh.score(q, a.text, a.duration_s, nullptr, Limits{}).to_json_text(), before);

    // with a previous result too
    Json previous = score(golden("A12")).to_json();
    const std::string with_previous = scorer.score(q, a.text, a.duration_s, &previous, Limits{}).to_json_text();
    for (int i = 0; i < 10; ++i)
        EXPECT_EQ(fresh.score(q, a.text, a.duration_s, &previous, Limits{}).to_json_text(), with_previous);
}

}  // namespace
}  // namespace residency::golden
